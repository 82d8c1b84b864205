// Through a real PgBouncer in pool_mode = transaction (issue 13, "Connection poolers"): migrations run with a
// lock that holds and leave no session state behind, non-transactional revisions are refused, two racing
// runners apply a migration once, and browsing, counting, exporting and the trash work.
#include "clirunner.h"
#include "dbtest.h"
#include "pgbouncerfixture.h"
#include "pgfixture.h"

#include "base/workerthreads.h"
#include "browse/catalog.h"
#include "browse/csvexporter.h"
#include "browse/fetcherpool.h"
#include "browse/keysetquery.h"
#include "browse/lazytablemodel.h"
#include "db/pgconnection.h"
#include "db/poolerprobe.h"
#include "migrations/schemasnapshot.h"
#include "scheduling/trashstore.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <memory>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;
using namespace Qt::StringLiterals;

class TestPooler : public QObject
{
    Q_OBJECT

private:
    PgFixture &pg() { return PgFixture::shared(); }
    std::unique_ptr<PgBouncerFixture> m_bouncer;
    WorkerThreads m_threads;
    FetcherPool m_pool{m_threads};

    ConnectionSettings pooled(const QString &db, const PgBouncerFixture *bouncer = nullptr)
    {
        QString error;
        const auto s = ConnectionSettings::fromUrl((bouncer ? bouncer : m_bouncer.get())->url(db), &error);
        if (!s)
            qFatal("bad pooler URL: %s", qPrintable(error));
        return *s;
    }

    QStringList args(const QString &db, const QString &dir, const QStringList &command)
    {
        return QStringList{u"--url"_s, m_bouncer->url(db), u"--migrations"_s, dir} + command;
    }

    // Session state a run through the pooler must not leave on the server's sessions. Use in QVERIFY.
    bool noLeftovers(const QString &db, const PgBouncerFixture *bouncer = nullptr)
    {
        verifyNoLeftovers(db, bouncer);
        return !QTest::currentTestFailed();
    }
    void verifyNoLeftovers(const QString &db, const PgBouncerFixture *bouncer)
    {
        QCOMPARE(q(u"postgres"_s, u"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"_s), u"0"_s);
        // The server session PgBouncer hands out next has no setting changed and no prepared statement
        // left by an earlier client (certain with a pool of one; with more, the last one used).
        PgConnection probe;
        QString error;
        QVERIFY2(probe.open(pooled(db, bouncer), &error), qPrintable(error));
        const auto rows = probe.query(u"SELECT current_setting('lock_timeout'), current_setting('default_transaction_read_only'), "
                                      "current_setting('client_connection_check_interval'), "
                                      "(SELECT count(*) FROM pg_prepared_statements)"_s);
        QVERIFY(rows && rows->size() == 1);
        QCOMPARE(rows->first(), (QStringList{u"0"_s, u"off"_s, u"0"_s, u"0"_s}));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(pg().isRunning() || pg().start(), qPrintable(pg().errorString()));
        m_bouncer = std::make_unique<PgBouncerFixture>(pg());
        QString error;
        // Few server sessions, so clients share them: enough for two racing runs (two lock sessions in
        // their transactions and the SQL connection of the one that holds the lock).
        QVERIFY2(m_bouncer->start(&error, 3), qPrintable(error));
    }

    void cleanupTestCase() { m_bouncer.reset(); }

    void detectsThePooler()
    {
        const QString db = freshDb(u"t_pool_detect"_s);
        PgConnection direct;
        PgConnection through;
        QString error;
        QVERIFY2(direct.open(settings(db), &error), qPrintable(error));
        QVERIFY2(through.open(pooled(db), &error), qPrintable(error));
        SqlError sqlError;
        QCOMPARE(isBehindPooler(direct.pgconn(), &sqlError), std::optional<bool>(false));
        QCOMPARE(isBehindPooler(through.pgconn(), &sqlError), std::optional<bool>(true));
    }

    void sessionSettingsOnlyOnADirectConnection()
    {
        const QString db = freshDb(u"t_pool_settings"_s);
        PgConnection direct;
        PgConnection through;
        QString error;
        QVERIFY2(direct.open(settings(db), &error), qPrintable(error));
        QVERIFY2(through.open(pooled(db), &error), qPrintable(error));
        const QList<QPair<QString, QString>> wanted{{u"default_transaction_read_only"_s, u"on"_s}, {u"jit"_s, u"off"_s}};
        SqlError sqlError;
        QCOMPARE(applyUnlessPooled(direct.pgconn(), wanted, &sqlError), std::optional<bool>(false));
        QCOMPARE(direct.query(u"SELECT current_setting('default_transaction_read_only'), current_setting('jit')"_s)->value(0),
                 (QStringList{u"on"_s, u"off"_s}));
        // Behind the pooler the server session is shared: the settings would outlive this client there.
        QCOMPARE(applyUnlessPooled(through.pgconn(), wanted, &sqlError), std::optional<bool>(true));
        QCOMPARE(through.query(u"SELECT current_setting('default_transaction_read_only')"_s)->value(0).value(0), u"off"_s);
        // A name the server does not know is an error, not a silent skip.
        QVERIFY(!applyUnlessPooled(direct.pgconn(), {{u"no_such_setting"_s, u"1"_s}}, &sqlError));
        QVERIFY(!sqlError.isEmpty());
    }

    void cliUpgradeAndDowngrade()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, u"1.sql"_s, u"p1"_s, u"none"_s, u"CREATE TABLE pooled_one (id int PRIMARY KEY);"_s,
                    u"DROP TABLE pooled_one;"_s);
        writeScript(d, u"2.sql"_s, u"p2"_s, u"p1"_s, u"INSERT INTO pooled_one VALUES (1), (2);"_s,
                    u"DELETE FROM pooled_one;"_s);
        const QString db = freshDb(u"t_pool_cli"_s);
        const QProcessEnvironment env = m_bouncer->environment(db);

        CliResult r = runCli(args(db, d, {u"upgrade"_s, u"head"_s}), env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY(noLeftovers(db));
        QVERIFY2(r.err.contains(u"connection pooler"_s), qPrintable(r.all()));
        QCOMPARE(versions(db), u"p2"_s);
        QCOMPARE(q(db, u"SELECT string_agg(id::text, ',' ORDER BY id) FROM pooled_one"_s), u"1,2"_s);
        QCOMPARE(q(db, u"SELECT string_agg(revision || ':' || direction || ':' || success, ',' ORDER BY id) "
                       "FROM migrationdesk.history"_s),
                 u"p1:upgrade:true,p2:upgrade:true"_s);
        // The snapshot was recorded, so `check` through the pooler sees no drift.
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.snapshot"_s), u"1"_s);
        r = runCli(args(db, d, {u"check"_s}), env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));

        r = runCli(args(db, d, {u"downgrade"_s, u"base"_s}), env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), QString());
        QVERIFY(!relationExists(db, u"pooled_one"_s));
        QVERIFY(noLeftovers(db));
    }

    void nonTransactionalRevisionRefused()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, u"1.sql"_s, u"n1"_s, u"none"_s, u"CREATE TABLE pooled_idx (id int);"_s, u"DROP TABLE pooled_idx;"_s);
        writeScript(d, u"2.sql"_s, u"n2"_s, u"n1"_s, u"CREATE INDEX CONCURRENTLY pooled_idx_id ON pooled_idx (id);"_s,
                    u"DROP INDEX CONCURRENTLY pooled_idx_id;"_s, false);
        const QString db = freshDb(u"t_pool_nontx"_s);
        const CliResult r = runCli(args(db, d, {u"upgrade"_s, u"head"_s}), m_bouncer->environment(db));
        QVERIFY2(r.exitCode != 0, qPrintable(r.all()));
        QVERIFY2(r.err.contains(u"connect directly to the PostgreSQL server"_s), qPrintable(r.all()));
        QVERIFY2(r.err.contains(u"n2"_s), qPrintable(r.all()));
        // Refused before anything ran: not even n1.
        QVERIFY(!relationExists(db, u"pooled_idx"_s));
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history"_s), u"0"_s);
        QVERIFY(noLeftovers(db));
    }

    // Two runners through the pooler race for a data migration: it is applied once. With session locks
    // each poll could land on another server session, and the lock stayed with a pooled session.
    void racingRunnersApplyOnce()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, u"1.sql"_s, u"c1"_s, u"none"_s, u"CREATE TABLE counter (n int NOT NULL); INSERT INTO counter VALUES (0);"_s,
                    u"DROP TABLE counter;"_s);
        writeScript(d, u"2.sql"_s, u"c2"_s, u"c1"_s, u"SELECT pg_sleep(2);\nUPDATE counter SET n = n + 1;"_s,
                    u"UPDATE counter SET n = n - 1;"_s);
        const QString db = freshDb(u"t_pool_race"_s);
        const QProcessEnvironment env = m_bouncer->environment(db);
        const CliResult first = runCli(args(db, d, {u"upgrade"_s, u"c1"_s}), env);
        QVERIFY2(first.exitCode == 0, qPrintable(first.all()));

        QProcess a;
        QProcess b;
        for (QProcess *p : {&a, &b}) {
            p->setProcessEnvironment(env);
            p->start(QStringLiteral(MD_CLI_PATH), args(db, d, {u"upgrade"_s, u"head"_s}));
            p->closeWriteChannel();
        }
        QVERIFY(a.waitForFinished(120000));
        QVERIFY(b.waitForFinished(120000));
        const QString outA = QString::fromUtf8(a.readAllStandardOutput() + a.readAllStandardError());
        const QString outB = QString::fromUtf8(b.readAllStandardOutput() + b.readAllStandardError());
        QVERIFY2(a.exitCode() == 0, qPrintable(outA));
        QVERIFY2(b.exitCode() == 0, qPrintable(outB));
        QCOMPARE(q(db, u"SELECT n FROM counter"_s), u"1"_s);
        QCOMPARE(versions(db), u"c2"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'c2'"_s), u"1"_s);
        const bool aWaited = outA.contains(u"Waiting for the migration lock"_s);
        const bool bWaited = outB.contains(u"Waiting for the migration lock"_s);
        QVERIFY2(aWaited != bWaited, qPrintable(u"A:\n"_s + outA + u"\nB:\n"_s + outB));
        QVERIFY(noLeftovers(db));
    }

    void browseCountExportAndTrash()
    {
        // One server session behind it: whatever a client leaves there, the next one meets.
        PgBouncerFixture single(pg());
        QString error;
        QVERIFY2(single.start(&error, 1), qPrintable(error));
        const QString db = u"t_pool_browse"_s;
        const QString setUp = freshDbAtHead(db); // directly: the bundled 0004 is non-transactional
        QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
        q(db, u"INSERT INTO employees (employee_id, email, username, password, name, role, department) "
              "SELECT i, 'e' || i || '@example.com', 'user' || i, 'h', 'Employee ' || i, 'user', 'Sales' "
              "FROM generate_series(1, 500) AS i"_s);
        q(db, u"INSERT INTO schedules (schedule_id, employee_id, schedule_type, title, schedule_date, is_deleted, deleted_at) "
              "VALUES (10, 1, 'visit', 'Deleted visit', '2025-04-01', true, '2025-03-10 09:00:00')"_s);

        // The grid: first window, estimate and the exact count.
        auto model = std::make_unique<LazyTableModel>(m_pool);
        QSignalSpy ready(model.get(), &LazyTableModel::tableReady);
        QSignalSpy errors(model.get(), &LazyTableModel::errorOccurred);
        model->openTable(pooled(db, &single), u"public"_s, u"employees"_s);
        QVERIFY2(ready.wait(20000), qPrintable(errors.isEmpty() ? QString() : errors.first().first().toString()));
        QVERIFY(QTest::qWaitFor([&] { return model->isCountExact(); }, 20000));
        QCOMPARE(model->rowCount(), 500);
        QVERIFY(QTest::qWaitFor([&] { return model->isRowLoaded(0); }, 20000));
        QCOMPARE(model->data(model->index(0, model->tableInfo().columnIndex(u"name"_s))).toString(), u"Employee 1"_s);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.isEmpty() ? QString() : errors.first().first().toString()));
        model.reset();

        // The CSV export, on its own thread as the Tables view runs it.
        PgConnection connection;
        QVERIFY2(connection.open(pooled(db, &single), &error), qPrintable(error));
        const auto info = Catalog(connection).table(u"public"_s, u"employees"_s, &error);
        QVERIFY2(info && info->isValid(), qPrintable(error));
        QTemporaryDir dir;
        CsvExportRequest request;
        request.settings = pooled(db, &single);
        request.query = KeysetQuery(*info, {}, true, {});
        request.path = dir.filePath(u"employees.csv"_s);
        QThread exportThread;
        auto *exporter = new CsvExporter;
        exporter->moveToThread(&exportThread);
        connect(&exportThread, &QThread::finished, exporter, &QObject::deleteLater);
        QSignalSpy finished(exporter, &CsvExporter::finished);
        exportThread.start();
        QMetaObject::invokeMethod(exporter, [exporter, request] { exporter->run(request); }, Qt::QueuedConnection);
        QVERIFY(finished.wait(60000));
        exportThread.quit();
        exportThread.wait();
        QCOMPARE(finished.first().at(0).value<CsvExporter::Outcome>(), CsvExporter::Finished);
        QCOMPARE(finished.first().at(1).toLongLong(), qint64(500));
        QFile csv(request.path);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 501);

        // The trash: a restore, audited, in one transaction through the pooler.
        TrashStore store(connection);
        QVERIFY2(store.ensureAudit(&error), qPrintable(error));
        TrashRow row;
        row.id = 10;
        row.label = u"Deleted visit"_s;
        row.updatedAt = q(db, u"SELECT updated_at::text FROM schedules WHERE schedule_id = 10"_s);
        const TrashOutcome outcome = store.restore(TrashTable::Schedules, {row});
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(q(db, u"SELECT is_deleted FROM schedules WHERE schedule_id = 10"_s), u"f"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.audit WHERE row_key->>'schedule_id' = '10'"_s), u"1"_s);

        // The schema snapshot binds through libpq's unnamed statement: no prepared statement is left.
        QVERIFY2(SchemaSnapshot::capture(connection.pgconn(), {u"migrationdesk"_s}, {}, &error), qPrintable(error));
        QVERIFY2(SchemaSnapshot::capture(connection.pgconn(), {u"migrationdesk"_s}, {}, &error), qPrintable(error));
        m_pool.clear();
        connection.close();
        QVERIFY(noLeftovers(db, &single));
    }
};

QTEST_GUILESS_MAIN(TestPooler)
#include "tst_pooler.moc"
