// The schedule filter's employee picker and department list against the fixture's real PostgreSQL:
// partial names, the LIMIT, LIKE wildcards and quotes taken literally, deleted employees left out.
#include "scheduling/employeedirectory.h"
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {

const QString db = u"md_employee_directory"_s;

QStringList names(const QList<EmployeeEntry> &employees)
{
    QStringList out;
    for (const EmployeeEntry &e : employees)
        out.append(e.name);
    return out;
}

} // namespace

class TestEmployeeDirectory : public QObject
{
    Q_OBJECT

private:
    // Runs a search directly on this thread (the directory works on whichever thread owns it).
    QList<EmployeeEntry> search(EmployeeDirectory &directory, const QString &text, QString *error = nullptr)
    {
        QSignalSpy found(&directory, &EmployeeDirectory::found);
        directory.search(7, text);
        if (found.size() != 1)
            return {};
        if (error)
            *error = found.first().at(2).toString();
        [&] { QCOMPARE(found.first().at(0).toULongLong(), 7ull); }();
        return found.first().at(1).value<QList<EmployeeEntry>>();
    }

    std::unique_ptr<EmployeeDirectory> openDirectory(const QString &database, bool *tablesExist = nullptr)
    {
        auto directory = std::make_unique<EmployeeDirectory>();
        QSignalSpy opened(directory.get(), &EmployeeDirectory::opened);
        directory->open(settings(database));
        if (opened.size() != 1 || !opened.first().at(0).toBool()) {
            qWarning("open failed: %s", qPrintable(opened.value(0).value(1).toString()));
            return nullptr;
        }
        if (tablesExist)
            *tablesExist = opened.first().at(2).toBool();
        return directory;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString setUp = freshDbAtHead(db);
        QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
        bool ok = false;
        QString err;
        PgFixture::shared().psql(db, QString::fromUtf8(
            "INSERT INTO employees (email, username, password, name, role, department, is_deleted) VALUES\n"
            " ('a@x', 'minjun', 'x', '김민준', 'user', '영업', false),\n"
            " ('b@x', 'seoyeon', 'x', '이서연', 'user', '개발', false),\n"
            " ('c@x', 'jsmith', 'x', 'James Smith', 'admin', 'Sales', false),\n"
            " ('d@x', 'gone', 'x', 'Kim Gone', 'user', 'Ghost Dept', true),\n"
            " ('e@x', 'pct', 'x', '100% Kim', 'user', NULL, false),\n"
            " ('f@x', 'quote', 'x', 'O''Brien', 'user', '', false),\n"
            " ('g@x', 'under', 'x', 'a_b', 'user', '영업', false);\n"
            "INSERT INTO employees (email, username, password, name, role, department)\n"
            "SELECT 'bulk' || i || '@x', 'bulk' || i, 'x', 'Bulk Kim ' || lpad(i::text, 3, '0'), 'user', 'Bulk'\n"
            "FROM generate_series(1, 80) AS i;\n"), &ok, &err);
        QVERIFY2(ok, qPrintable(err));
    }

    void partOfANameFindsEmployees()
    {
        auto directory = openDirectory(db);
        QVERIFY(directory);
        QString error;
        const auto found = search(*directory, u"민준"_s, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(names(found), QStringList{u"김민준"_s});
        QCOMPARE(found.first().department, u"영업"_s);
        QVERIFY(!found.first().id.isEmpty());
        // Case-insensitive, and usernames count too.
        QCOMPARE(names(search(*directory, u"JAMES"_s)), QStringList{u"James Smith"_s});
        QCOMPARE(names(search(*directory, u"jsmi"_s)), QStringList{u"James Smith"_s});
        // Deleted employees are not offered.
        QVERIFY(!names(search(*directory, u"Gone"_s)).contains(u"Kim Gone"_s));
    }

    void atMostFiftyByName()
    {
        auto directory = openDirectory(db);
        QVERIFY(directory);
        const auto found = search(*directory, u"kim"_s);
        QCOMPARE(found.size(), EmployeeDirectory::searchLimit);
        QCOMPARE(found.first().name, u"100% Kim"_s);
        QCOMPARE(found.at(1).name, u"Bulk Kim 001"_s);
        QCOMPARE(found.last().name, u"Bulk Kim 049"_s);
    }

    void wildcardsAndQuotesAreLiteral()
    {
        auto directory = openDirectory(db);
        QVERIFY(directory);
        QCOMPARE(names(search(*directory, u"%"_s)), QStringList{u"100% Kim"_s});
        QCOMPARE(names(search(*directory, u"_"_s)), QStringList{u"a_b"_s});
        QCOMPARE(names(search(*directory, u"o'b"_s)), QStringList{u"O'Brien"_s});
        QString error;
        const auto injected = search(*directory, u"' OR '1'='1"_s, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(injected.isEmpty());
        search(*directory, u"x'); DROP TABLE employees; --"_s, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        search(*directory, u"\\"_s, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(q(db, u"SELECT count(*) FROM employees"_s), u"87"_s);
    }

    void departmentsAreDistinctAndLive()
    {
        auto directory = openDirectory(db);
        QVERIFY(directory);
        QSignalSpy listed(directory.get(), &EmployeeDirectory::departmentsListed);
        directory->listDepartments();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.first().at(1).toString(), QString());
        QStringList expected{u"Bulk"_s, u"Sales"_s, u"개발"_s, u"영업"_s};
        QCOMPARE(listed.first().at(0).toStringList(), expected);
    }

    void searchesOnItsOwnThread()
    {
        QThread thread;
        auto *directory = new EmployeeDirectory;
        directory->moveToThread(&thread);
        connect(&thread, &QThread::finished, directory, &QObject::deleteLater);
        thread.start();
        QSignalSpy opened(directory, &EmployeeDirectory::opened);
        QSignalSpy found(directory, &EmployeeDirectory::found);
        const ConnectionSettings s = settings(db);
        QMetaObject::invokeMethod(directory, [directory, s] {
            directory->open(s);
            directory->search(1, u"서연"_s);
        });
        QVERIFY(DbTest::waitForEmissions(found));
        QCOMPARE(opened.size(), 1);
        QVERIFY(opened.first().at(2).toBool());
        QCOMPARE(names(found.first().at(1).value<QList<EmployeeEntry>>()), QStringList{u"이서연"_s});
        // The session is read-only: the directory cannot write even by mistake.
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrationdesk-browse'"_s), u"1"_s);
        QMetaObject::invokeMethod(directory, [directory] { directory->close(); });
        thread.quit();
        QVERIFY(thread.wait(20000));
    }

    void databaseAtBaseHasNoTables()
    {
        const QString bare = freshDb(u"md_employee_directory_base"_s);
        bool tablesExist = true;
        auto directory = openDirectory(bare, &tablesExist);
        QVERIFY(directory);
        QVERIFY(!tablesExist);
        QString error;
        search(*directory, u"kim"_s, &error);
        QVERIFY(error.contains(u"42P01"_s));
    }
};

QTEST_GUILESS_MAIN(TestEmployeeDirectory)
#include "tst_employeedirectory.moc"
