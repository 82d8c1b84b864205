// The run lock names the version table, not its spelling (issue 13, bug 3), and concurrent first runs on
// different version tables create the bookkeeping schema once without tripping over each other (bug 6).
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include "db/pgconnection.h"
#include "db/sqlident.h"
#include "migrations/advisorylockwaiter.h"
#include "migrations/versiontable.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <vector>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;
using namespace Qt::StringLiterals;

class TestLockIdentity : public QObject
{
    Q_OBJECT

private:
    PgFixture &pg() { return PgFixture::shared(); }

    std::unique_ptr<QProcess> startCli(const QString &db, const QStringList &args, int sleepSeconds)
    {
        QProcessEnvironment env = pg().environment(db);
        env.remove(u"PGOPTIONS"_s);
        if (sleepSeconds > 0)
            env.insert(u"PGOPTIONS"_s, u"-c md.sleep=%1"_s.arg(sleepSeconds));
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(env);
        p->start(QStringLiteral(MD_CLI_PATH), QStringList{u"--url"_s, pg().url(db)} + args);
        p->closeWriteChannel();
        return p;
    }

    static QString finish(QProcess &p, int *exitCode)
    {
        const bool finished = p.waitForFinished(120000);
        if (!finished) {
            p.kill();
            p.waitForFinished(5000);
        }
        *exitCode = finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    }

    // The scope the runner would lock for `spelling`, asked on a real connection to db.
    QString scopeOf(PgConnection &connection, const QString &spelling)
    {
        QString nameError;
        const auto table = VersionTable::fromName(spelling, &nameError);
        if (!table) {
            QTest::qFail(qPrintable(nameError), __FILE__, __LINE__);
            return {};
        }
        SqlError error;
        const auto scope = AdvisoryLockWaiter::scopeFor(
            [&connection](const QString &sql, const QStringList &params, SqlError *e) {
                return connection.query(sql, params, e);
            },
            *table, &error);
        if (!scope) {
            QTest::qFail(qPrintable(error.toString()), __FILE__, __LINE__);
            return {};
        }
        return *scope;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(pg().isRunning() || pg().start(), qPrintable(pg().errorString()));
    }

    void scopeNamesTheResolvedTable()
    {
        const QString db = freshDb(u"t_lockscope"_s);
        q(db, u"CREATE SCHEMA other"_s);
        PgConnection connection;
        QString error;
        QVERIFY2(connection.open(settings(db), &error), qPrintable(error));

        // Before the table exists (a first run), the unqualified name resolves to where CREATE puts it.
        const QString publicScope = u"\"public\".\"alembic_version\""_s;
        QCOMPARE(scopeOf(connection, u"alembic_version"_s), publicScope);
        QCOMPARE(scopeOf(connection, u"public.alembic_version"_s), publicScope);
        QCOMPARE(scopeOf(connection, u"other.alembic_version"_s), u"\"other\".\"alembic_version\""_s);

        // With the search path led by `other`, the bare name is other's table until public's exists and
        // `other` has none: then the server finds public's, and so does the lock.
        QVERIFY(connection.exec(u"SET search_path = other, public"_s));
        QCOMPARE(scopeOf(connection, u"alembic_version"_s), u"\"other\".\"alembic_version\""_s);
        q(db, u"CREATE TABLE public.alembic_version (version_num varchar(32) PRIMARY KEY)"_s);
        QCOMPARE(scopeOf(connection, u"alembic_version"_s), publicScope);
        QCOMPARE(scopeOf(connection, u"public.alembic_version"_s), publicScope);

        // Whatever the spelling, the scope is the catalog name of the table its statements write.
        for (const QString &spelling : {u"alembic_version"_s, u"public.alembic_version"_s, u"PUBLIC.ALEMBIC_VERSION"_s,
                                        u"Other.Versions"_s, u"other.v2"_s}) {
            const auto table = VersionTable::fromName(spelling, &error);
            QVERIFY2(table, qPrintable(error));
            SqlError sqlError;
            if (!table->schema().isEmpty())
                QVERIFY(connection.exec(u"CREATE SCHEMA IF NOT EXISTS "_s + quoteIdentifier(table->schema())));
            QVERIFY2(connection.exec(table->createSql(true), &sqlError), qPrintable(sqlError.toString()));
            const auto written = connection.query(u"SELECT n.nspname, c.relname FROM pg_class c "
                                                  "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                                  "WHERE c.oid = to_regclass($1)"_s,
                                                  {table->qualifiedSql()}, &sqlError);
            QVERIFY2(written && written->size() == 1, qPrintable(sqlError.toString()));
            const QString expected = quoteQualified(written->first().value(0), written->first().value(1));
            QCOMPARE(scopeOf(connection, spelling), expected);
        }
    }

    // Bug 3: two runners racing with different spellings of the same version table apply a data
    // migration once. Before the fix each took its own lock; the second ran r2's UPDATE of the counter
    // after the first committed, its version UPDATE matched no row, and the counter went to 2.
    void differentSpellingsApplyOnce()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, u"1.sql"_s, u"r1"_s, u"none"_s, u"CREATE TABLE counter (n int NOT NULL); INSERT INTO counter VALUES (0);"_s,
                    u"DROP TABLE counter;"_s);
        writeScript(d, u"2.sql"_s, u"r2"_s, u"r1"_s,
                    u"SELECT pg_sleep(coalesce(nullif(current_setting('md.sleep', true), ''), '0')::float);\n"
                    "UPDATE counter SET n = n + 1;"_s,
                    u"UPDATE counter SET n = n - 1;"_s);
        const QString db = freshDb(u"t_lockspelling"_s);
        const CliResult first = runCli({u"--url"_s, pg().url(db), u"--migrations"_s, d, u"upgrade"_s, u"r1"_s},
                                       pg().environment(db));
        QVERIFY2(first.exitCode == 0, qPrintable(first.all()));

        auto a = startCli(db, {u"--migrations"_s, d, u"upgrade"_s, u"head"_s}, 2);
        auto b = startCli(db, {u"--version-table"_s, u"public.alembic_version"_s, u"--migrations"_s, d,
                               u"upgrade"_s, u"head"_s}, 2);
        int exitA = -1;
        int exitB = -1;
        const QString outA = finish(*a, &exitA);
        const QString outB = finish(*b, &exitB);
        QVERIFY2(exitA == 0, qPrintable(outA));
        QVERIFY2(exitB == 0, qPrintable(outB));
        QCOMPARE(q(db, u"SELECT n FROM counter"_s), u"1"_s);
        QCOMPARE(versions(db), u"r2"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'r2'"_s), u"1"_s);
        // One of them waited for the other, and then found nothing to do.
        const bool aWaited = outA.contains(u"Waiting for the migration lock"_s);
        const bool bWaited = outB.contains(u"Waiting for the migration lock"_s);
        QVERIFY2(aWaited != bWaited, qPrintable(u"A:\n"_s + outA + u"\nB:\n"_s + outB));
        QVERIFY2(!(aWaited ? outA : outB).contains(u"Running upgrade"_s), qPrintable(aWaited ? outA : outB));
    }

    // Bug 6: three first runs at once, each on its own version table, all succeed (before the fix two of
    // three usually failed with duplicate key ... pg_namespace_nspname_index). Repeated, since it is a race.
    void concurrentFirstRunsOnOtherVersionTables()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, u"1.sql"_s, u"r1"_s, u"none"_s, u"SELECT 1;"_s, u"SELECT 1;"_s);
        const QStringList tables{u"vt_a"_s, u"vt_b"_s, u"vt_c"_s};
        for (int round = 0; round < 6; ++round) {
            const QString db = freshDb(u"t_firstruns"_s);
            std::vector<std::unique_ptr<QProcess>> runs;
            for (const QString &table : tables)
                runs.push_back(startCli(db, {u"--version-table"_s, table, u"--migrations"_s, d, u"upgrade"_s, u"head"_s}, 0));
            QList<int> exitCodes;
            QStringList outputs;
            for (const auto &run : runs) {
                int exitCode = -1;
                outputs << finish(*run, &exitCode);
                exitCodes << exitCode;
            }
            for (int i = 0; i < int(runs.size()); ++i)
                QVERIFY2(exitCodes.at(i) == 0, qPrintable(u"round %1, %2:\n%3"_s.arg(round).arg(tables.at(i), outputs.at(i))));
            for (const QString &table : tables)
                QCOMPARE(q(db, u"SELECT string_agg(version_num, ',') FROM %1"_s.arg(table)), u"r1"_s);
            QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE success"_s), u"3"_s);
        }
    }
};

QTEST_GUILESS_MAIN(TestLockIdentity)
#include "tst_lockidentity.moc"
