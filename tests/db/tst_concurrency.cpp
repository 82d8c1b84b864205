// End-to-end tests of concurrent, killed, cancelled and failing runs of the real migrationdesk-cli.
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <functional>
#include <memory>

#include <signal.h>
#include <sys/types.h>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;
using namespace Qt::StringLiterals;

namespace {

// Sleeps for the session's md.sleep setting (0 when unset), so the same script is slow only when
// the test starts the CLI with PGOPTIONS="-c md.sleep=N".
const QString kSleepSeconds = u"coalesce(nullif(current_setting('md.sleep', true), ''), '0')::float"_s;

QString sleepStatement()
{
    return u"SELECT pg_sleep(%1);"_s.arg(kSleepSeconds);
}

} // namespace

class TestConcurrency : public QObject
{
    Q_OBJECT

private:
    PgFixture &pg() { return PgFixture::shared(); }

    // "valid", "invalid" or "absent".
    QString indexState(const QString &db, const QString &index)
    {
        return q(db, u"SELECT CASE WHEN to_regclass('%1') IS NULL THEN 'absent' "
                     "WHEN (SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('%1')) THEN 'valid' "
                     "ELSE 'invalid' END"_s
                         .arg(index));
    }

    // Sessions of the CLI (application_name 'migrationdesk') on db, seen from another database so
    // the polling session is never one of them.
    QString migrationSessions(const QString &db, const QString &extraCondition = QString())
    {
        return q(u"postgres"_s,
                 u"SELECT coalesce(string_agg(pid::text, ',' ORDER BY pid), '') FROM pg_stat_activity "
                 "WHERE datname = '%1' AND application_name = 'migrationdesk'%2"_s
                     .arg(db, extraCondition.isEmpty() ? QString() : u" AND "_s + extraCondition));
    }

    static bool waitUntil(const std::function<bool()> &condition, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (condition())
                return true;
            QTest::qWait(100);
        }
        return condition();
    }

    QProcessEnvironment cliEnvironment(const QString &db, int sleepSeconds)
    {
        QProcessEnvironment env = pg().environment(db);
        env.remove(u"PGOPTIONS"_s);
        if (sleepSeconds > 0)
            env.insert(u"PGOPTIONS"_s, u"-c md.sleep=%1"_s.arg(sleepSeconds));
        return env;
    }

    QStringList upgradeArgs(const QString &db, const QString &dir)
    {
        return {u"--url"_s, pg().url(db), u"--migrations"_s, dir, u"upgrade"_s, u"head"_s};
    }

    std::unique_ptr<QProcess> startCli(const QString &db, const QString &dir, int sleepSeconds)
    {
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(cliEnvironment(db, sleepSeconds));
        p->start(QStringLiteral(MD_CLI_PATH), upgradeArgs(db, dir));
        p->closeWriteChannel();
        return p;
    }

    CliResult rerun(const QString &db, const QString &dir)
    {
        return runCli(upgradeArgs(db, dir), cliEnvironment(db, 0));
    }

    // Lets a killed client's backend notice the lost connection and end (client_connection_check_interval).
    bool waitForOrphanToEnd(const QString &db)
    {
        return waitUntil([&] { return migrationSessions(db).isEmpty(); }, 20000);
    }

    static QString finish(QProcess &p, int timeoutMs, int *exitCode)
    {
        const bool finished = p.waitForFinished(timeoutMs);
        if (!finished) {
            p.kill();
            p.waitForFinished(5000);
        }
        *exitCode = finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        return QString::fromUtf8(p.readAllStandardError());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(pg().isRunning() || pg().start(), qPrintable(pg().errorString()));
    }

    void twoRunnersRace()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, u"1.sql"_s, u"r1"_s, u"none"_s, u"CREATE TABLE race_one (id int);"_s, u"DROP TABLE race_one;"_s);
        writeScript(d, u"2.sql"_s, u"r2"_s, u"r1"_s, sleepStatement() + u"\nCREATE TABLE race_two (id int);"_s,
                    u"DROP TABLE race_two;"_s);
        writeScript(d, u"3.sql"_s, u"r3"_s, u"r2"_s, u"CREATE TABLE race_three (id int);"_s, u"DROP TABLE race_three;"_s);
        const QString db = freshDb(u"t_race"_s);

        auto a = startCli(db, d, 3);
        auto b = startCli(db, d, 3);
        QVERIFY(a->waitForStarted(10000));
        QVERIFY(b->waitForStarted(10000));

        // While one runs r2 and the other waits, all four sessions (run lock + SQL, twice) are
        // visible to a DBA under our application name.
        QSet<QString> seenPids;
        const bool allVisible = waitUntil(
            [&] {
                const QString pids = migrationSessions(db);
                if (!pids.isEmpty())
                    for (const QString &pid : pids.split(u','))
                        seenPids.insert(pid);
                return pids.split(u',', Qt::SkipEmptyParts).size() == 4;
            },
            20000);
        QVERIFY2(allVisible, qPrintable(u"sessions seen: "_s + QStringList(seenPids.values()).join(u',')));

        int exitA = -1;
        int exitB = -1;
        const QString errA = finish(*a, 120000, &exitA);
        const QString errB = finish(*b, 120000, &exitB);
        QVERIFY2(exitA == 0, qPrintable(errA));
        QVERIFY2(exitB == 0, qPrintable(errB));

        static const QRegularExpression waitRx(
            u"Waiting for the migration lock, held by pid (\\d+), user postgres, application migrationdesk"_s);
        const auto matchA = waitRx.match(errA);
        const auto matchB = waitRx.match(errB);
        QVERIFY2(matchA.hasMatch() != matchB.hasMatch(), qPrintable(u"A:\n"_s + errA + u"\nB:\n"_s + errB));
        const QString holder = (matchA.hasMatch() ? matchA : matchB).captured(1);
        QVERIFY2(seenPids.contains(holder), qPrintable(holder));
        // The waiter found the work done instead of running anything again.
        const QString waiterErr = matchA.hasMatch() ? errA : errB;
        QVERIFY2(!waiterErr.contains(u"Running upgrade"_s), qPrintable(waiterErr));

        QCOMPARE(versions(db), u"r3"_s);
        QCOMPARE(q(db, u"SELECT string_agg(revision || ':' || direction || ':' || success, ',' ORDER BY revision) "
                       "FROM migrationdesk.history"_s),
                 u"r1:upgrade:true,r2:upgrade:true,r3:upgrade:true"_s);
        QVERIFY(relationExists(db, u"race_two"_s));
        QVERIFY(relationExists(db, u"race_three"_s));
    }

    void killedDuringTransactionalRevision()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, u"1.sql"_s, u"r1"_s, u"none"_s, u"CREATE TABLE kept (id int);"_s, u"DROP TABLE kept;"_s);
        writeScript(d, u"2.sql"_s, u"r2"_s, u"r1"_s,
                    u"CREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\n"_s + sleepStatement(),
                    u"DROP TABLE half;"_s);
        const QString db = freshDb(u"t_kill_tx"_s);

        auto p = startCli(db, d, 30);
        QVERIFY(p->waitForStarted(10000));
        QVERIFY2(waitUntil([&] { return !migrationSessions(db, u"query LIKE '%pg_sleep%' AND state = 'active'"_s).isEmpty(); }, 30000),
                 qPrintable(QString::fromUtf8(p->readAllStandardError())));
        p->kill();
        QVERIFY(p->waitForFinished(10000));
        QCOMPARE(p->exitStatus(), QProcess::CrashExit);

        QVERIFY2(waitForOrphanToEnd(db), qPrintable(migrationSessions(db)));
        QCOMPARE(versions(db), u"r1"_s);
        QVERIFY(relationExists(db, u"kept"_s));
        QVERIFY(!relationExists(db, u"half"_s));
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'r2'"_s), u"0"_s);

        const CliResult r = rerun(db, d);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), u"r2"_s);
        QVERIFY(relationExists(db, u"half"_s));
        QCOMPARE(q(db, u"SELECT count(*) FROM half"_s), u"1"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'r2' AND success AND direction = 'upgrade'"_s),
                 u"1"_s);
    }

    void killedDuringNonTransactionalRevision()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, u"1.sql"_s, u"r1"_s, u"none"_s,
                    u"CREATE TABLE t (id int);\n"
                    "INSERT INTO t SELECT generate_series(1, 5);\n"
                    "CREATE FUNCTION slow_id(i int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$\n"
                    "BEGIN\n"
                    "    PERFORM pg_sleep(%1);\n"
                    "    RETURN i;\n"
                    "END\n"
                    "$$;"_s.arg(kSleepSeconds),
                    u"DROP FUNCTION slow_id(int);\nDROP TABLE t;"_s);
        writeScript(d, u"2.sql"_s, u"r2"_s, u"r1"_s,
                    u"CREATE INDEX CONCURRENTLY ix_fast ON t (id);\n\n"
                    "CREATE INDEX CONCURRENTLY ix_slow ON t (slow_id(id));"_s,
                    u"DROP INDEX CONCURRENTLY ix_slow;\nDROP INDEX CONCURRENTLY ix_fast;"_s, false);
        const QString db = freshDb(u"t_kill_nontx"_s);

        auto p = startCli(db, d, 5);
        QVERIFY(p->waitForStarted(10000));
        QVERIFY2(waitUntil([&] { return !migrationSessions(db, u"query LIKE '%ix_slow%' AND state = 'active'"_s).isEmpty(); }, 30000),
                 qPrintable(QString::fromUtf8(p->readAllStandardError())));
        p->kill();
        QVERIFY(p->waitForFinished(10000));
        QCOMPARE(p->exitStatus(), QProcess::CrashExit);

        QVERIFY2(waitForOrphanToEnd(db), qPrintable(migrationSessions(db)));
        QCOMPARE(versions(db), u"r1"_s);
        const QString slowState = indexState(db, u"ix_slow"_s);
        QVERIFY2(slowState == u"invalid"_s || slowState == u"absent"_s, qPrintable(slowState));
        QCOMPARE(indexState(db, u"ix_fast"_s), u"valid"_s);
        QCOMPARE(q(db, u"SELECT revision || ':' || direction || ':' || statements_done || '/' || statements_total "
                       "FROM migrationdesk.interrupted"_s),
                 u"r2:upgrade:1/2"_s);
        const QString fastOid = q(db, u"SELECT to_regclass('ix_fast')::oid"_s);

        const CliResult r = rerun(db, d);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY2(r.err.contains(u"Found an interrupted run of non-transactional revision r2"_s), qPrintable(r.err));
        if (slowState == u"invalid"_s)
            QVERIFY2(r.err.contains(u"Dropped the invalid index"_s) && r.err.contains(u"ix_slow"_s), qPrintable(r.err));
        QCOMPARE(indexState(db, u"ix_fast"_s), u"valid"_s);
        QCOMPARE(indexState(db, u"ix_slow"_s), u"valid"_s);
        // Resumed after the statement that had completed instead of building ix_fast again.
        QCOMPARE(q(db, u"SELECT to_regclass('ix_fast')::oid"_s), fastOid);
        QCOMPARE(versions(db), u"r2"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.interrupted"_s), u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'r2' AND success AND direction = 'upgrade'"_s),
                 u"1"_s);
    }

    void cancelWithSigint()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, u"1.sql"_s, u"r1"_s, u"none"_s, u"CREATE TABLE kept (id int);"_s, u"DROP TABLE kept;"_s);
        writeScript(d, u"2.sql"_s, u"r2"_s, u"r1"_s, u"CREATE TABLE slow_table (id int);\n"_s + sleepStatement(),
                    u"DROP TABLE slow_table;"_s);
        const QString db = freshDb(u"t_sigint"_s);

        auto p = startCli(db, d, 30);
        QVERIFY(p->waitForStarted(10000));
        QVERIFY2(waitUntil([&] { return !migrationSessions(db, u"query LIKE '%pg_sleep%' AND state = 'active'"_s).isEmpty(); }, 30000),
                 qPrintable(QString::fromUtf8(p->readAllStandardError())));
        QCOMPARE(::kill(pid_t(p->processId()), SIGINT), 0);
        // The statement sleeps 30 s; ending well before that means the cancel reached the server.
        int exitCode = -1;
        const QString err = finish(*p, 15000, &exitCode);
        QVERIFY2(exitCode == 1, qPrintable(QString::number(exitCode) + u": "_s + err));
        QVERIFY2(err.contains(u"Cancelling"_s), qPrintable(err));
        QVERIFY2(err.contains(u"canceling statement due to user request"_s), qPrintable(err));
        QVERIFY2(err.contains(u"Revision r2 was rolled back"_s), qPrintable(err));

        QCOMPARE(versions(db), u"r1"_s);
        QVERIFY(!relationExists(db, u"slow_table"_s));
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'r2' AND success"_s), u"0"_s);
        QVERIFY2(waitForOrphanToEnd(db), qPrintable(migrationSessions(db)));
    }

    void failingNonTransactionalRevision()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, u"1.sql"_s, u"r1"_s, u"none"_s,
                    u"CREATE TABLE t (id int, grp int);\nINSERT INTO t VALUES (1, 1), (2, 2), (3, 2), (4, 3);"_s,
                    u"DROP TABLE t;"_s);
        writeScript(d, u"2.sql"_s, u"r2"_s, u"r1"_s,
                    u"CREATE INDEX CONCURRENTLY ix_a ON t (id);\n\n"
                    "CREATE UNIQUE INDEX CONCURRENTLY ix_dup ON t (grp);"_s,
                    u"DROP INDEX CONCURRENTLY ix_dup;\nDROP INDEX CONCURRENTLY ix_a;"_s, false);
        const QString db = freshDb(u"t_fail_nontx"_s);

        CliResult r = rerun(db, d);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"Revision r2"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"23505"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"non-transactional"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"1 of its 2 statements had completed and stay in place"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"ix_dup"_s) && r.err.contains(u"dropped"_s), qPrintable(r.err));
        QCOMPARE(indexState(db, u"ix_dup"_s), u"absent"_s);
        QCOMPARE(indexState(db, u"ix_a"_s), u"valid"_s);
        QCOMPARE(versions(db), u"r1"_s);
        const QString oidA = q(db, u"SELECT to_regclass('ix_a')::oid"_s);
        QVERIFY(!oidA.isEmpty());

        QCOMPARE(q(db, u"DELETE FROM t WHERE id = 3 RETURNING id"_s), u"3"_s);
        r = rerun(db, d);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY2(r.err.contains(u"Resuming it at statement 2"_s), qPrintable(r.err));
        QCOMPARE(q(db, u"SELECT to_regclass('ix_a')::oid"_s), oidA);
        QCOMPARE(indexState(db, u"ix_a"_s), u"valid"_s);
        QCOMPARE(indexState(db, u"ix_dup"_s), u"valid"_s);
        QCOMPARE(versions(db), u"r2"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.interrupted"_s), u"0"_s);
        QCOMPARE(q(db, u"SELECT string_agg(success::text, ',' ORDER BY id) FROM migrationdesk.history WHERE revision = 'r2'"_s),
                 u"false,true"_s);
    }
};

QTEST_GUILESS_MAIN(TestConcurrency)
#include "tst_concurrency.moc"
