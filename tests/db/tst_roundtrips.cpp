// Round trips to the server, counted by the latency bench's delaying proxy (tests/common/delayproxy) in
// front of the fixture (issue 15): what opening a connection, reading the heads, taking the schema
// snapshot and the CLI's read-only commands cost, and that batching them kept their behaviour. Counts
// are deterministic; no test here looks at a time.
#include "clirunner.h"
#include "dbtest.h"
#include "delayproxy.h"
#include "pgfixture.h"

#include "db/pgconnection.h"
#include "db/pgpipeline.h"
#include "migrations/bookkeeping.h"
#include "migrations/planreview.h"
#include "migrations/scriptset.h"
#include "migrations/schemasnapshot.h"
#include "session/databaseworker.h"

#include <QtTest>

#include <libpq-fe.h>

#include <memory>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;
using namespace Qt::StringLiterals;

namespace {
const QString kAtHead = u"rt_head"_s;
const QString kEmpty = u"rt_empty"_s;
} // namespace

class TestRoundTrips : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void openCostsOnlyTheHandshake();
    void isoDatesOnAServerThatSaysOtherwise();
    void readHeadsInOneRoundTrip();
    void readHeadsInsideATransactionLeavesItUsable();
    void overviewInOneRoundTrip();
    void windowStatusInOneRoundTrip();
    void snapshotInOneRoundTrip();
    void pipelineFailureRollsBackAndNamesTheStatement();
    void cliReadCommandsRoundTrips();
    void revisionBookkeepingInTwoRoundTrips();
    void revisionStatementsInOnePipeline();
    void preflightReviewOnTheRunnersConnection();
    void reviewAsksTheCatalogInOneRoundTrip();

private:
    // Settings that reach db through the proxy.
    ConnectionSettings viaProxy(const QString &db) const;
    // What libpq alone costs to connect to db through the proxy.
    int handshake(const QString &db);
    // Round trips of work() through the proxy.
    int count(const std::function<void()> &work);

    std::unique_ptr<DelayProxy> m_proxy;
};

ConnectionSettings TestRoundTrips::viaProxy(const QString &db) const
{
    ConnectionSettings s = settings(db);
    s.host = u"127.0.0.1"_s;
    s.port = m_proxy->port();
    return s;
}

int TestRoundTrips::count(const std::function<void()> &work)
{
    m_proxy->resetStats();
    work();
    return m_proxy->stats().roundTrips;
}

int TestRoundTrips::handshake(const QString &db)
{
    const ConnectionSettings s = viaProxy(db);
    const QByteArray port = QByteArray::number(s.port);
    const QByteArray host = s.host.toUtf8(), name = s.database.toUtf8(), user = s.user.toUtf8(),
                     password = s.password.toUtf8();
    const char *keys[] = {"host", "port", "dbname", "user", "password", nullptr};
    const char *values[] = {host.constData(), port.constData(), name.constData(), user.constData(),
                            password.constData(), nullptr};
    return count([&] {
        PGconn *conn = PQconnectdbParams(keys, values, 0);
        QCOMPARE(PQstatus(conn), CONNECTION_OK);
        PQfinish(conn);
    });
}

void TestRoundTrips::initTestCase()
{
    QString error = freshDbAtHead(kAtHead);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    freshDb(kEmpty);
    m_proxy = std::make_unique<DelayProxy>(PgFixture::shared().host(), PgFixture::shared().port(), 1);
    QVERIFY2(m_proxy->start(&error), qPrintable(error));
}

void TestRoundTrips::openCostsOnlyTheHandshake()
{
    const int bare = handshake(kAtHead);
    QVERIFY2(bare >= 3, qPrintable(QString::number(bare))); // TCP, start-up, authentication at least

    // client_encoding and application_name travel in the startup packet: nothing after libpq's handshake.
    PgConnection conn;
    QString error;
    QCOMPARE(count([&] { QVERIFY2(conn.open(viaProxy(kAtHead), &error, u"rt-test"_s), qPrintable(error)); }), bare);
    const auto rows = conn.query(u"SELECT current_setting('client_encoding'), current_setting('application_name')"_s);
    QVERIFY(rows);
    QCOMPARE(rows->value(0), (QStringList{u"UTF8"_s, u"rt-test"_s}));

    // Through QPSQL the same connection costs its start-up queries and ours on top (six with Qt 6.4).
    PgConnection viaQt;
    const int qt = count([&] {
        QVERIFY2(viaQt.open(viaProxy(kAtHead), &error, u"rt-test"_s, PgConnection::Access::QtSql), qPrintable(error));
    });
    qInfo("handshake %d round trips; PgConnection (libpq) %d; PgConnection (QPSQL) %d", bare, bare, qt);
    QVERIFY2(qt > bare, qPrintable(QString::number(qt)));
}

void TestRoundTrips::isoDatesOnAServerThatSaysOtherwise()
{
    const QString db = u"rt_datestyle"_s;
    freshDb(db);
    q(db, u"ALTER DATABASE rt_datestyle SET DateStyle = 'SQL, DMY'"_s);
    const int bare = handshake(db);
    PgConnection conn;
    QString error;
    // The server announced SQL, DMY: one SET puts ISO back.
    QCOMPARE(count([&] { QVERIFY2(conn.open(viaProxy(db), &error), qPrintable(error)); }), bare + 1);
    QVERIFY(conn.query(u"SHOW DateStyle"_s)->value(0).value(0).startsWith(u"ISO"_s));
    QCOMPARE(conn.query(u"SELECT date '2024-03-01'::text"_s)->value(0).value(0), u"2024-03-01"_s);
}

void TestRoundTrips::readHeadsInOneRoundTrip()
{
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(viaProxy(kAtHead), &error), qPrintable(error));
    Bookkeeping books(&conn, VersionTable());
    std::optional<QStringList> heads;
    SqlError sqlError;
    QCOMPARE(count([&] { heads = books.readHeads(&sqlError); }), 1);
    QVERIFY2(heads, qPrintable(sqlError.toString()));
    QCOMPARE(heads->join(u','), versions(kAtHead));
    QVERIFY(!heads->isEmpty());

    // No version table: the read of its rows fails inside the pipeline, and that failure is not an error.
    PgConnection empty;
    QVERIFY2(empty.open(viaProxy(kEmpty), &error), qPrintable(error));
    Bookkeeping none(&empty, VersionTable());
    QCOMPARE(count([&] { heads = none.readHeads(&sqlError); }), 1);
    QVERIFY2(heads, qPrintable(sqlError.toString()));
    QVERIFY(heads->isEmpty());
    QVERIFY(!empty.inTransaction());
    QVERIFY(empty.exec(u"SELECT 1"_s));
}

void TestRoundTrips::readHeadsInsideATransactionLeavesItUsable()
{
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(viaProxy(kEmpty), &error), qPrintable(error));
    QVERIFY(conn.exec(u"BEGIN; CREATE TABLE rt_kept (id int)"_s));
    Bookkeeping books(&conn, VersionTable());
    SqlError sqlError;
    const auto heads = books.readHeads(&sqlError);
    QVERIFY2(heads, qPrintable(sqlError.toString()));
    QVERIFY(heads->isEmpty());
    // A read of the missing table would have aborted the caller's transaction.
    QVERIFY(!conn.inFailedTransaction());
    QVERIFY(conn.exec(u"COMMIT"_s));
    QCOMPARE(q(kEmpty, u"SELECT to_regclass('rt_kept') IS NOT NULL"_s), u"t"_s);
    q(kEmpty, u"DROP TABLE rt_kept"_s);
}

void TestRoundTrips::overviewInOneRoundTrip()
{
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(viaProxy(kAtHead), &error), qPrintable(error));
    Bookkeeping books(&conn, VersionTable());
    std::optional<BookkeepingOverview> overview;
    SqlError sqlError;
    QCOMPARE(count([&] { overview = books.readOverview(&sqlError); }), 1);
    QVERIFY2(overview, qPrintable(sqlError.toString()));
    // The same as the reads one after the other.
    QCOMPARE(overview->heads, *books.readHeads(&sqlError));
    QCOMPARE(overview->appliedChecksums, *books.appliedChecksums(&sqlError));
    QVERIFY(!overview->appliedChecksums.isEmpty());
    const auto stored = books.loadSnapshot(&sqlError);
    QVERIFY(stored && overview->snapshot);
    QCOMPARE(overview->snapshot->fingerprint, stored->fingerprint);
    QCOMPARE(overview->snapshot->text, stored->text);
    QCOMPARE(overview->snapshot->heads, stored->heads);
    QCOMPARE(overview->snapshot->takenAt, stored->takenAt);
    // Without the snapshot: still one round trip, and nothing of it read.
    QCOMPARE(count([&] { overview = books.readOverview(&sqlError, false); }), 1);
    QVERIFY(overview && !overview->snapshot);
    QCOMPARE(overview->heads, *books.readHeads(&sqlError));

    // Neither the version table nor the schema: the failed reads are not errors, and leave nothing open.
    PgConnection empty;
    QVERIFY2(empty.open(viaProxy(kEmpty), &error), qPrintable(error));
    Bookkeeping none(&empty, VersionTable());
    overview = none.readOverview(&sqlError);
    QVERIFY2(overview, qPrintable(sqlError.toString()));
    QVERIFY(overview->heads.isEmpty() && overview->appliedChecksums.isEmpty() && !overview->snapshot);
    QVERIFY(!empty.inTransaction());
}

void TestRoundTrips::windowStatusInOneRoundTrip()
{
    // The desktop app's connection: after the handshake, its whole status (heads, checksums, flags and
    // history) in one round trip, then the first measurement of the round-trip time (an empty statement).
    const int bare = handshake(kAtHead);
    DatabaseWorker worker;
    QSignalSpy connected(&worker, &DatabaseWorker::connected);
    QSignalSpy failed(&worker, &DatabaseWorker::connectionFailed);
    QCOMPARE(count([&] { worker.connectTo(viaProxy(kAtHead)); }), bare + 1 + 1);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(connected.count(), 1);
    const auto status = connected.first().at(0).value<DatabaseStatus>();
    // The same as the reads one after the other.
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(settings(kAtHead), &error), qPrintable(error));
    Bookkeeping books(&conn, VersionTable());
    SqlError sqlError;
    QCOMPARE(status.heads, *books.readHeads(&sqlError));
    QCOMPARE(status.appliedChecksums, *books.appliedChecksums(&sqlError));
    const auto history = books.history(QString(), 0, &sqlError);
    QVERIFY2(history && !history->isEmpty(), qPrintable(sqlError.toString()));
    QCOMPARE(status.history.size(), history->size());
    QCOMPARE(status.history.first().revision, history->first().revision);
    QCOMPARE(status.history.first().startedAt, history->first().startedAt);
    QCOMPARE(status.history.first().backupPath, history->first().backupPath);
    QVERIFY(!status.readOnly);
    QVERIFY(status.canMigrate);

    // A history written before this version's columns: read on its own, with the same answer.
    const QString old = u"rt_old_history"_s;
    QString setup = freshDbAtHead(old);
    QVERIFY2(setup.isEmpty(), qPrintable(setup));
    q(old, u"ALTER TABLE migrationdesk.history DROP COLUMN backup_path, DROP COLUMN statement_log"_s);
    DatabaseWorker older;
    QSignalSpy olderConnected(&older, &DatabaseWorker::connected);
    const int trips = count([&] { older.connectTo(viaProxy(old)); });
    QCOMPARE(olderConnected.count(), 1);
    const auto olderStatus = olderConnected.first().at(0).value<DatabaseStatus>();
    QVERIFY(trips > bare + 1 + 1);
    QCOMPARE(olderStatus.history.size(), q(old, u"SELECT count(*) FROM migrationdesk.history"_s).toInt());
    QCOMPARE(olderStatus.heads, QStringList{versions(old)});
}

void TestRoundTrips::snapshotInOneRoundTrip()
{
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(viaProxy(kAtHead), &error), qPrintable(error));
    std::optional<SchemaSnapshot> idle;
    QCOMPARE(count([&] { idle = SchemaSnapshot::capture(conn.pgconn(), {u"migrationdesk"_s}, {}, &error); }), 1);
    QVERIFY2(idle, qPrintable(error));
    QVERIFY(!idle->isEmpty());
    QVERIFY(!conn.inTransaction());
    // The implicit transaction was read-only and took its search_path with it.
    QCOMPARE(conn.query(u"SHOW search_path"_s)->value(0).value(0), u"\"$user\", public"_s);
    QCOMPARE(conn.query(u"SHOW transaction_read_only"_s)->value(0).value(0), u"off"_s);

    // Inside the caller's transaction: the search_path is read first and put back after.
    QVERIFY(conn.exec(u"BEGIN; SET LOCAL search_path = public, pg_temp"_s));
    std::optional<SchemaSnapshot> inside;
    QCOMPARE(count([&] { inside = SchemaSnapshot::capture(conn.pgconn(), {u"migrationdesk"_s}, {}, &error); }), 2);
    QVERIFY2(inside, qPrintable(error));
    QCOMPARE(*inside, *idle);
    QCOMPARE(conn.query(u"SHOW search_path"_s)->value(0).value(0), u"public, pg_temp"_s);
    QVERIFY(conn.exec(u"COMMIT"_s));

    // The same snapshot as through a QPSQL connection.
    PgConnection viaQt;
    QVERIFY2(viaQt.open(settings(kAtHead), &error, u"migrationdesk"_s, PgConnection::Access::QtSql), qPrintable(error));
    const auto qt = SchemaSnapshot::capture(viaQt.database(), {u"migrationdesk"_s}, {}, &error);
    QVERIFY2(qt, qPrintable(error));
    QCOMPARE(*qt, *idle);
}

void TestRoundTrips::pipelineFailureRollsBackAndNamesTheStatement()
{
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(viaProxy(kEmpty), &error), qPrintable(error));
    std::optional<QList<PgPipeline::Result>> results;
    SqlError sqlError;
    QCOMPARE(count([&] {
        results = PgPipeline::run(conn.pgconn(),
                                  {{u"CREATE TABLE rt_half (id int)"_s, {}},
                                   {u"INSERT INTO rt_half VALUES ($1::int)"_s, {u"not a number"_s}},
                                   {u"SELECT 1"_s, {}}},
                                  &sqlError);
    }), 1);
    QVERIFY2(results, qPrintable(sqlError.toString()));
    QCOMPARE(results->size(), 3);
    QVERIFY(results->at(0).ok);
    QVERIFY(!results->at(1).ok && !results->at(1).skipped);
    QCOMPARE(results->at(1).error.sqlState, u"22P02"_s);
    QVERIFY(results->at(2).skipped);
    QCOMPARE(PgPipeline::firstError(*results).sqlState, u"22P02"_s);
    // One implicit transaction: the table the first statement made went with the failure.
    QCOMPARE(q(kEmpty, u"SELECT to_regclass('rt_half') IS NULL"_s), u"t"_s);
    QVERIFY(!conn.inTransaction());
    QCOMPARE(conn.query(u"SELECT $1::text"_s, {u"still usable"_s})->value(0).value(0), u"still usable"_s);
}

void TestRoundTrips::cliReadCommandsRoundTrips()
{
    const int bare = handshake(kAtHead);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"DATABASE_URL"_s, viaProxy(kAtHead).toUrl(true));
    CliResult r;
    // psql reading the version table costs the handshake and its query; so does `current`.
    QCOMPARE(count([&] { r = runCli({u"current"_s}, env); }), bare + 1);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.trimmed().section(u' ', 0, 0), versions(kAtHead));
    const int check = count([&] { r = runCli({u"check"_s}, env); });
    QCOMPARE(r.exitCode, 0);
    qInfo("check: %d round trips after a %d round-trip handshake", check, bare);
    QVERIFY2(check <= bare + 3, qPrintable(QString::number(check)));
}

void TestRoundTrips::revisionBookkeepingInTwoRoundTrips()
{
    // One statement per revision; the third is non-transactional.
    QTemporaryDir dir;
    writeScript(dir.path(), u"1.sql"_s, u"rt01"_s, u"none"_s, u"CREATE TABLE rt_one (id int);"_s, u"DROP TABLE rt_one;"_s);
    writeScript(dir.path(), u"2.sql"_s, u"rt02"_s, u"rt01"_s, u"CREATE TABLE rt_two (id int);"_s, u"DROP TABLE rt_two;"_s);
    writeScript(dir.path(), u"3.sql"_s, u"rt03"_s, u"rt02"_s, u"CREATE INDEX CONCURRENTLY rt_two_id ON rt_two (id);"_s,
                u"DROP INDEX CONCURRENTLY rt_two_id;"_s, false);
    // The round trips of the runner's own connection (the busiest of the run's) for `upgrade target` on a
    // fresh database; the lock session and the blocker watcher have connections of their own.
    QMap<QString, int> trips;
    for (const QString &target : {u"rt01"_s, u"rt02"_s, u"rt03"_s}) {
        const QString db = u"rt_upgrade_"_s + target;
        freshDb(db);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DATABASE_URL"_s, viaProxy(db).toUrl(true));
        m_proxy->resetStats();
        const CliResult r = runCli({u"--migrations"_s, dir.path(), u"upgrade"_s, target}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), target);
        trips.insert(target, m_proxy->stats().maxConnectionTrips);
    }
    const int bare = handshake(kEmpty);
    qInfo("upgrade to rt01 (one revision): %d round trips after a %d round-trip handshake", trips[u"rt01"_s] - bare,
          bare);
    // A revision after the first: its statement, and one round trip after it with the checks, the version
    // row, the history row and the COMMIT, which also carries the next revision's BEGIN, settings,
    // search_path and read of the version table's state.
    QCOMPARE(trips[u"rt02"_s] - trips[u"rt01"_s], 1 + 1);
    // A non-transactional one: the same, and its progress marker, durable after each statement.
    QCOMPARE(trips[u"rt03"_s] - trips[u"rt02"_s], 1 + 1 + 1);
    QCOMPARE(q(u"rt_upgrade_rt03"_s, u"SELECT count(*) FROM migrationdesk.interrupted"_s), u"0"_s);
    QCOMPARE(q(u"rt_upgrade_rt03"_s, u"SELECT string_agg(revision, ',' ORDER BY id) FROM migrationdesk.history "
                                     "WHERE success"_s),
             u"rt01,rt02,rt03"_s);
}

void TestRoundTrips::revisionStatementsInOnePipeline()
{
    QTemporaryDir dir;
    writeScript(dir.path(), u"1.sql"_s, u"pl01"_s, u"none"_s, u"CREATE TABLE pl_one (id int);"_s, u"DROP TABLE pl_one;"_s);
    // Six statements, one of them a long one: still one round trip for all of them.
    writeScript(dir.path(), u"2.sql"_s, u"pl02"_s, u"pl01"_s,
                u"CREATE TABLE pl_two (id int PRIMARY KEY, note text);\n"
                "INSERT INTO pl_two VALUES (1, 'a');\n"
                "INSERT INTO pl_two VALUES (2, 'b');\n"
                "ALTER TABLE pl_two ADD COLUMN extra int;\n"
                "CREATE INDEX pl_two_note ON pl_two (note);\n"
                "INSERT INTO pl_two SELECT g, repeat('x', 10) FROM generate_series(3, 20000) g;"_s,
                u"DROP TABLE pl_two;"_s);
    // The fourth of five statements fails: the three before it roll back with it, and the fifth never runs.
    writeScript(dir.path(), u"3.sql"_s, u"pl03"_s, u"pl02"_s,
                u"CREATE TABLE pl_three (id int);\n"
                "INSERT INTO pl_three VALUES (1);\n"
                "UPDATE pl_two SET note = 'changed';\n"
                "INSERT INTO pl_three VALUES ('not a number');\n"
                "CREATE TABLE pl_never (id int);"_s,
                u"DROP TABLE pl_three;"_s);
    // 400 statements of about 215 bytes: more SQL than two pipelines carry (32 KiB, so that a blocking
    // send always fits in the sockets' buffers), hence three pipelines.
    QString many;
    for (int i = 0; i < 400; ++i)
        many += u"INSERT INTO pl_two VALUES (%1, '%2');\n"_s.arg(100000 + i).arg(QString(180, QLatin1Char('y')));
    writeScript(dir.path(), u"4.sql"_s, u"pl04"_s, u"pl02"_s, many, u"DELETE FROM pl_two WHERE id >= 100000;"_s);
    QMap<QString, int> trips;
    QMap<QString, CliResult> results;
    for (const QString &target : {u"pl01"_s, u"pl02"_s, u"pl03"_s, u"pl04"_s}) {
        const QString db = u"rt_pipeline_"_s + target;
        freshDb(db);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DATABASE_URL"_s, viaProxy(db).toUrl(true));
        m_proxy->resetStats();
        results.insert(target, runCli({u"--migrations"_s, dir.path(), u"upgrade"_s, target}, env));
        trips.insert(target, m_proxy->stats().maxConnectionTrips);
    }
    QVERIFY2(results[u"pl02"_s].exitCode == 0, qPrintable(results[u"pl02"_s].all()));
    QCOMPARE(versions(u"rt_pipeline_pl02"_s), u"pl02"_s);
    QCOMPARE(q(u"rt_pipeline_pl02"_s, u"SELECT count(*) || ':' || count(DISTINCT note) FROM pl_two"_s), u"20000:3"_s);
    // As revisionBookkeepingInTwoRoundTrips: the statements, then the bookkeeping; six statements cost
    // what one costs.
    QCOMPARE(trips[u"pl02"_s] - trips[u"pl01"_s], 1 + 1);
    QVERIFY2(results[u"pl04"_s].exitCode == 0, qPrintable(results[u"pl04"_s].all()));
    QCOMPARE(q(u"rt_pipeline_pl04"_s, u"SELECT count(*) FROM pl_two WHERE id >= 100000"_s), u"400"_s);
    QCOMPARE(trips[u"pl04"_s] - trips[u"pl02"_s], 3 + 1);

    // The failure names the statement and its line (the upgrade body starts at line 7).
    const CliResult &failed = results[u"pl03"_s];
    QCOMPARE(failed.exitCode, 1);
    QVERIFY2(failed.err.contains(u"statement 4 at "_s + dir.filePath(u"3.sql"_s) + u":10:"_s), qPrintable(failed.all()));
    QVERIFY2(failed.err.contains(u"22P02"_s), qPrintable(failed.all()));
    const QString db3 = u"rt_pipeline_pl03"_s;
    QCOMPARE(versions(db3), u"pl02"_s);
    QCOMPARE(q(db3, u"SELECT to_regclass('pl_three') IS NULL AND to_regclass('pl_never') IS NULL"_s), u"t"_s);
    QCOMPARE(q(db3, u"SELECT count(*) FROM pl_two WHERE note = 'changed'"_s), u"0"_s);
    // The history keeps the four statements that started, the last with its error, and nothing after it.
    QCOMPARE(q(db3, u"SELECT jsonb_array_length(statement_log) || ':' || (statement_log->3 ? 'error') || ':' || "
                    "(statement_log->2 ? 'error') FROM migrationdesk.history WHERE revision = 'pl03' AND NOT success"_s),
             u"4:true:false"_s);

}

void TestRoundTrips::preflightReviewOnTheRunnersConnection()
{
    QTemporaryDir dir;
    writeScript(dir.path(), u"1.sql"_s, u"pf01"_s, u"none"_s, u"CREATE TABLE pf_one (id int);"_s, u"DROP TABLE pf_one;"_s);
    // An error finding (CONCURRENTLY inside the revision's transaction) that stops the run.
    writeScript(dir.path(), u"2.sql"_s, u"pf02"_s, u"pf01"_s, u"CREATE INDEX CONCURRENTLY pf_one_id ON pf_one (id);"_s,
                u"DROP INDEX pf_one_id;"_s);
    const QString db = u"rt_preflight"_s;
    freshDb(db);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"DATABASE_URL"_s, viaProxy(db).toUrl(true));

    // The review has no connection of its own: only the runner's connection and its lock session, opened
    // side by side.
    m_proxy->resetStats();
    CliResult r = runCli({u"--migrations"_s, dir.path(), u"upgrade"_s, u"pf01"_s}, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    QCOMPARE(versions(db), u"pf01"_s);
    qInfo("upgrade pf01: %d connections", m_proxy->stats().connections);
    QCOMPARE(m_proxy->stats().connections, 2);

    // Stopped by the review, before the lock is taken: nothing recorded or changed.
    m_proxy->resetStats();
    r = runCli({u"--migrations"_s, dir.path(), u"upgrade"_s, u"pf02"_s}, env);
    QCOMPARE(r.exitCode, 5);
    QVERIFY2(r.err.contains(u"error concurrently-in-transaction"_s), qPrintable(r.all()));
    qInfo("stopped upgrade pf02: %d connections", m_proxy->stats().connections);
    QCOMPARE(m_proxy->stats().connections, 2);
    QCOMPARE(versions(db), u"pf01"_s);
    QCOMPARE(q(db, u"SELECT count(*) FROM pg_indexes WHERE indexname = 'pf_one_id'"_s), u"0"_s);
    QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'pf02'"_s), u"0"_s);
}

void TestRoundTrips::reviewAsksTheCatalogInOneRoundTrip()
{
    const QString db = u"rt_review"_s;
    freshDb(db);
    // Tables whose statistics say how big they are, and one never analyzed (autovacuum kept off it).
    q(db, u"CREATE TABLE big_a (id int, note text); INSERT INTO big_a SELECT g, 'x' FROM generate_series(1, 2000) g; "
          "CREATE TABLE big_b (id int); INSERT INTO big_b SELECT g FROM generate_series(1, 3000) g; "
          "ANALYZE big_a; ANALYZE big_b; "
          "CREATE TABLE fresh_c (id int) WITH (autovacuum_enabled = false); "
          "INSERT INTO fresh_c SELECT generate_series(1, 1500)"_s);
    QTemporaryDir dir;
    // Each statement asks the catalog something: two sizes, a column's type, a NOT NULL check.
    writeScript(dir.path(), u"1.sql"_s, u"rv01"_s, u"none"_s,
                u"CREATE INDEX big_a_id ON big_a (id);\nALTER TABLE big_a ALTER COLUMN note TYPE varchar(10);\n"
                "ALTER TABLE big_b ALTER COLUMN id SET NOT NULL;\nCREATE INDEX big_b_id ON big_b (id);"_s,
                u"DROP INDEX big_b_id;\nDROP INDEX big_a_id;"_s);
    writeScript(dir.path(), u"2.sql"_s, u"rv02"_s, u"rv01"_s, u"CREATE INDEX fresh_c_id ON fresh_c (id);"_s,
                u"DROP INDEX fresh_c_id;"_s);
    const ScriptSet scripts = ScriptSet::load(dir.path());
    QVERIFY2(scripts.isValid(), qPrintable(scripts.errorText()));
    PgConnection connection;
    QString error;
    QVERIFY2(connection.open(viaProxy(db), &error), qPrintable(error));
    PlanReviewer reviewer(connection, scripts, *VersionTable::fromName(u"alembic_version"_s, nullptr));
    reviewer.setThresholds({1000, 1LL << 40});

    // The heads, then every catalog question of the plan in one pipeline.
    PlanReview review;
    QCOMPARE(count([&] { review = reviewer.review(MigrationOp::Upgrade, u"rv01"_s); }), 1 + 1);
    QVERIFY2(review.ok, qPrintable(review.error));
    // The answers reached the rules: both index builds are dangers, sized by their tables' statistics.
    QMap<QString, qint64> indexRows;
    for (const PlanFinding &f : review.steps.value(0).findings) {
        if (f.rule == u"index-without-concurrently"_s && f.severity == PlanFinding::Severity::Danger)
            indexRows.insert(f.table, f.estimatedRows);
    }
    QCOMPARE(indexRows, (QMap<QString, qint64>{{u"big_a"_s, 2000}, {u"big_b"_s, 3000}}));

    // A never-analyzed table is counted (up to the limit) in one more round trip, whatever the number of such tables.
    QCOMPARE(count([&] { review = reviewer.review(MigrationOp::Upgrade, u"rv02"_s); }), 1 + 1 + 1);
    QVERIFY2(review.ok, qPrintable(review.error));
    bool counted = false;
    for (const PlanFinding &f : review.steps.value(1).findings)
        counted = counted || (f.table == u"fresh_c"_s && f.estimatedRows == 1000 && f.rowsAtLeast);
    QVERIFY(counted);
}

QTEST_GUILESS_MAIN(TestRoundTrips)
#include "tst_roundtrips.moc"
