// The runner's runtime guards (issue 12) against the fixture's PostgreSQL: naming the session that blocks a
// migration statement (in the run's signals, its failure message and the CLI's stderr and --json),
// --lock-retries and --statement-timeout.
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include "migrations/migrationrunner.h"
#include "migrations/scriptset.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;
using namespace Qt::StringLiterals;

namespace {

const QString kBlockerApp = u"md_test_blocker"_s;

// A second session that holds ACCESS EXCLUSIVE on a table in an open transaction, as a long-running
// application transaction would. Main thread.
class TableBlocker
{
public:
    TableBlocker(const QString &db, const QString &table)
        : m_name(u"lockguards_blocker_%1"_s.arg(++s_count))
    {
        m_db = PgFixture::shared().openDatabase(db, m_name);
        QSqlQuery q(m_db);
        m_ok = m_db.isOpen() && q.exec(u"SET application_name = '%1'"_s.arg(kBlockerApp)) && m_db.transaction()
               && q.exec(u"LOCK TABLE %1 IN ACCESS EXCLUSIVE MODE"_s.arg(table)) && q.exec(u"SELECT pg_backend_pid()"_s)
               && q.next();
        if (m_ok)
            m_pid = q.value(0).toInt();
        else
            m_error = q.lastError().text() + m_db.lastError().text();
    }
    ~TableBlocker()
    {
        release();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    bool ok() const { return m_ok; }
    QString error() const { return m_error; }
    int pid() const { return m_pid; }
    void release()
    {
        if (m_db.isOpen()) {
            m_db.commit();
            m_db.close();
        }
    }

private:
    static inline int s_count = 0;
    QString m_name;
    QSqlDatabase m_db;
    bool m_ok = false;
    QString m_error;
    int m_pid = 0;
};

} // namespace

class TestLockGuards : public QObject
{
    Q_OBJECT

    PgFixture &pg() { return PgFixture::shared(); }

    // Revision g1 makes table guarded with one row; g2 adds a column to it, and so must wait for any lock on it.
    static void writeScripts(const QString &dir, const QString &secondUpgrade = u"ALTER TABLE guarded ADD COLUMN note text;"_s,
                             bool secondTransactional = true)
    {
        writeScript(dir, u"g1.sql"_s, u"g1"_s, u"none"_s, u"CREATE TABLE guarded (id int PRIMARY KEY);\nINSERT INTO guarded VALUES (1);"_s,
                    u"DROP TABLE guarded;"_s);
        writeScript(dir, u"g2.sql"_s, u"g2"_s, u"g1"_s, secondUpgrade, u"SELECT 1;"_s, secondTransactional);
    }

    // A fresh database at g1, with the scripts in dir.
    QString dbAtFirst(const QString &name, const ScriptSet &scripts)
    {
        const QString db = freshDb(name);
        MigrationRunner runner(scripts, settings(db), RunOptions());
        const RunResult r = runner.upgrade(u"g1"_s);
        if (!r.ok())
            qWarning("%s", qPrintable(r.error));
        return db;
    }

    static QString columnCount(const QString &db)
    {
        return q(db, u"SELECT count(*) FROM information_schema.columns WHERE table_name = 'guarded' AND column_name = 'note'"_s);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(pg().isRunning() || pg().start(), qPrintable(pg().errorString()));
    }

    void blockedMigrationNamesTheBlockerAndChangesNothing()
    {
        QTemporaryDir dir;
        writeScripts(dir.path());
        const ScriptSet scripts = ScriptSet::load(dir.path());
        QVERIFY2(scripts.isValid(), qPrintable(scripts.errorText()));
        const QString db = dbAtFirst(u"t_guards_blocked"_s, scripts);
        QCOMPARE(versions(db), u"g1"_s);

        TableBlocker blocker(db, u"guarded"_s);
        QVERIFY2(blocker.ok(), qPrintable(blocker.error()));
        RunOptions options;
        options.lockTimeout = u"3s"_s;
        MigrationRunner runner(scripts, settings(db), options);
        QList<QList<LockBlocker>> seen;
        // Emitted on the watcher's thread while this one waits in the statement.
        QMutex seenMutex;
        connect(&runner, &MigrationRunner::blockersChanged, this, [&](const QList<LockBlocker> &b) {
            QMutexLocker locker(&seenMutex);
            seen << b;
        }, Qt::DirectConnection);
        const RunResult r = runner.upgrade(u"head"_s);
        blocker.release();

        QCOMPARE(int(r.status), int(RunResult::Status::Failed));
        QVERIFY2(r.error.contains(u"55P03"_s), qPrintable(r.error));
        // The failure message names the blocking session.
        QVERIFY2(r.error.contains(u"pid %1 (application '%2'"_s.arg(blocker.pid()).arg(kBlockerApp)), qPrintable(r.error));
        QCOMPARE(r.blockers.size(), 1);
        QCOMPARE(r.blockers.first().pid, blocker.pid());
        QCOMPARE(r.blockers.first().application, kBlockerApp);
        QCOMPARE(r.blockers.first().state, u"idle in transaction"_s);
        QVERIFY2(r.blockers.first().query.contains(u"SELECT pg_backend_pid()"_s), qPrintable(r.blockers.first().query));
        // Live, while it waited: after a moment, before lock_timeout ended the statement.
        QMutexLocker locker(&seenMutex);
        QVERIFY(!seen.isEmpty());
        QCOMPARE(seen.first().size(), 1);
        QCOMPARE(seen.first().first().pid, blocker.pid());
        QCOMPARE(seen.first().first().application, kBlockerApp);
        QVERIFY(seen.first().first().stateSeconds >= 0.0);

        // Nothing changed: the version, the table, and the history holds one failed try.
        QCOMPARE(versions(db), u"g1"_s);
        QCOMPARE(columnCount(db), u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM guarded"_s), u"1"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'g2' AND NOT success"_s), u"1"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'g2' AND success"_s), u"0"_s);
    }

    void lockRetriesSucceedOnceTheBlockerCommits()
    {
        QTemporaryDir dir;
        writeScripts(dir.path());
        const ScriptSet scripts = ScriptSet::load(dir.path());
        const QString db = dbAtFirst(u"t_guards_retry"_s, scripts);

        TableBlocker blocker(db, u"guarded"_s);
        QVERIFY2(blocker.ok(), qPrintable(blocker.error()));
        RunOptions options;
        options.lockTimeout = u"500ms"_s;
        options.lockRetries = 3;
        MigrationRunner runner(scripts, settings(db), options);
        QSignalSpy retrySpy(&runner, &MigrationRunner::lockRetry);
        QStringList log;
        connect(&runner, &MigrationRunner::message, this, [&log](const QString &text) { log << text; });
        // The blocker commits after the first lock timeout, during the pause before the second try.
        connect(&runner, &MigrationRunner::lockRetry, this, [&blocker] { blocker.release(); });
        const RunResult r = runner.upgrade(u"head"_s);

        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.lockRetries, 1);
        QCOMPARE(retrySpy.count(), 1);
        QCOMPARE(retrySpy.first().value(0).toInt(), 0);       // after try 1
        QCOMPARE(retrySpy.first().value(1).toInt(), 3);       // of 3 retries
        QCOMPARE(retrySpy.first().value(2).toInt(), 1000);    // the first pause
        QCOMPARE(versions(db), u"g2"_s);
        QCOMPARE(columnCount(db), u"1"_s);
        // Each try is in the log and the history.
        QVERIFY2(log.join(u"\n"_s).contains(u"Try 1 of 4 ended at lock_timeout; trying again in 1 s."_s),
                 qPrintable(log.join(u"\n"_s)));
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'g2' AND success"_s), u"1"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'g2' AND NOT success"_s), u"1"_s);
        const QString failed = q(db, u"SELECT error FROM migrationdesk.history WHERE revision = 'g2' AND NOT success"_s);
        QVERIFY2(failed.contains(u"55P03"_s) && failed.contains(u"Try 1 of 4 ended at lock_timeout; it is tried again."_s),
                 qPrintable(failed));
    }

    void lockRetriesRunOutAndChangeNothing()
    {
        QTemporaryDir dir;
        writeScripts(dir.path());
        const ScriptSet scripts = ScriptSet::load(dir.path());
        const QString db = dbAtFirst(u"t_guards_retry_out"_s, scripts);

        TableBlocker blocker(db, u"guarded"_s);
        QVERIFY2(blocker.ok(), qPrintable(blocker.error()));
        RunOptions options;
        options.lockTimeout = u"300ms"_s;
        options.lockRetries = 1;
        options.lockRetryPauseMs = 200;
        MigrationRunner runner(scripts, settings(db), options);
        const RunResult r = runner.upgrade(u"head"_s);
        blocker.release();

        QCOMPARE(int(r.status), int(RunResult::Status::Failed));
        QCOMPARE(r.lockRetries, 1);
        QVERIFY2(r.error.contains(u"Try 2 of 2 ended at lock_timeout; no tries are left."_s), qPrintable(r.error));
        QCOMPARE(versions(db), u"g1"_s);
        QCOMPARE(columnCount(db), u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'g2' AND NOT success"_s), u"2"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'g2' AND success"_s), u"0"_s);
    }

    void lockRetriesResumeANonTransactionalRevisionAtTheStatementThatTimedOut()
    {
        QTemporaryDir dir;
        // Statement 1 commits before statement 2 waits; were it run again, CREATE TABLE would fail.
        writeScripts(dir.path(), u"CREATE TABLE side_nt (id int);\nCREATE INDEX CONCURRENTLY guarded_id_ix ON guarded (id);"_s,
                     false);
        const ScriptSet scripts = ScriptSet::load(dir.path());
        QVERIFY2(scripts.isValid(), qPrintable(scripts.errorText()));
        const QString db = dbAtFirst(u"t_guards_retry_nontx"_s, scripts);

        TableBlocker blocker(db, u"guarded"_s);
        QVERIFY2(blocker.ok(), qPrintable(blocker.error()));
        RunOptions options;
        options.lockTimeout = u"300ms"_s;
        options.lockRetries = 2;
        options.lockRetryPauseMs = 200;
        MigrationRunner runner(scripts, settings(db), options);
        connect(&runner, &MigrationRunner::lockRetry, this, [&blocker] { blocker.release(); });
        const RunResult r = runner.upgrade(u"head"_s);

        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.lockRetries, 1);
        QCOMPARE(versions(db), u"g2"_s);
        QVERIFY(relationExists(db, u"side_nt"_s));
        QCOMPARE(q(db, u"SELECT indisvalid FROM pg_index WHERE indexrelid = 'guarded_id_ix'::regclass"_s), u"t"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.interrupted"_s), u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'g2' AND NOT success"_s), u"1"_s);
    }

    void singleTransactionRetriesTheWholeRun()
    {
        QTemporaryDir dir;
        writeScripts(dir.path());
        const ScriptSet scripts = ScriptSet::load(dir.path());
        const QString db = dbAtFirst(u"t_guards_retry_single"_s, scripts);
        // One more revision before the blocked one, so the retry must redo work the rollback undid.
        writeScript(dir.path(), u"g2.sql"_s, u"g2"_s, u"g1"_s, u"CREATE TABLE guarded_side (id int);"_s,
                    u"DROP TABLE guarded_side;"_s);
        writeScript(dir.path(), u"g3.sql"_s, u"g3"_s, u"g2"_s, u"ALTER TABLE guarded ADD COLUMN note text;"_s,
                    u"SELECT 1;"_s);
        const ScriptSet three = ScriptSet::load(dir.path());
        QVERIFY2(three.isValid(), qPrintable(three.errorText()));

        TableBlocker blocker(db, u"guarded"_s);
        QVERIFY2(blocker.ok(), qPrintable(blocker.error()));
        RunOptions options;
        options.lockTimeout = u"300ms"_s;
        options.lockRetries = 2;
        options.lockRetryPauseMs = 200;
        options.singleTransaction = true;
        MigrationRunner runner(three, settings(db), options);
        connect(&runner, &MigrationRunner::lockRetry, this, [&blocker] { blocker.release(); });
        const RunResult r = runner.upgrade(u"head"_s);

        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.lockRetries, 1);
        QCOMPARE(r.stepsCompleted, 2);
        QCOMPARE(versions(db), u"g3"_s);
        QCOMPARE(columnCount(db), u"1"_s);
        QVERIFY(relationExists(db, u"guarded_side"_s));
    }

    void statementTimeoutStopsAStatementWithItsOwnMessage()
    {
        QTemporaryDir dir;
        writeScripts(dir.path(), u"ALTER TABLE guarded ADD COLUMN note text;\nSELECT pg_sleep(30);"_s);
        const ScriptSet scripts = ScriptSet::load(dir.path());
        const QString db = dbAtFirst(u"t_guards_statement_timeout"_s, scripts);

        RunOptions options;
        options.statementTimeout = u"300ms"_s;
        MigrationRunner runner(scripts, settings(db), options);
        const RunResult r = runner.upgrade(u"head"_s);

        // A timeout is a failure, not a cancel, and says which limit it hit.
        QCOMPARE(int(r.status), int(RunResult::Status::Failed));
        QVERIFY2(r.error.contains(u"57014"_s), qPrintable(r.error));
        QVERIFY2(r.error.contains(u"ran longer than --statement-timeout (300ms)"_s), qPrintable(r.error));
        QVERIFY2(r.error.contains(u"statement 2"_s), qPrintable(r.error));
        QCOMPARE(versions(db), u"g1"_s);
        QCOMPARE(columnCount(db), u"0"_s);
    }

    void statementTimeoutAppliesToMigrationStatementsOnly()
    {
        QTemporaryDir dir;
        // The scripts record the statement_timeout they ran under, in a transactional and a non-transactional
        // revision; a trigger on the history does the same for the runner's own bookkeeping.
        writeScripts(dir.path(), u"INSERT INTO seen VALUES ('transactional', current_setting('statement_timeout'));"_s);
        writeScript(dir.path(), u"g3.sql"_s, u"g3"_s, u"g2"_s,
                    u"INSERT INTO seen VALUES ('non-transactional', current_setting('statement_timeout'));"_s,
                    u"SELECT 1;"_s, false);
        const ScriptSet scripts = ScriptSet::load(dir.path());
        QVERIFY2(scripts.isValid(), qPrintable(scripts.errorText()));
        const QString db = dbAtFirst(u"t_guards_statement_timeout_scope"_s, scripts);
        q(db, u"ALTER DATABASE t_guards_statement_timeout_scope SET statement_timeout = '45s'"_s);
        q(db, u"CREATE TABLE seen (what text, timeout text)"_s);
        q(db, u"CREATE FUNCTION note_history_timeout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
              "INSERT INTO public.seen VALUES ('history ' || NEW.revision, current_setting('statement_timeout')); "
              "RETURN NEW; END $$"_s);
        q(db, u"CREATE TRIGGER note_timeout AFTER INSERT ON migrationdesk.history FOR EACH ROW "
              "EXECUTE FUNCTION note_history_timeout()"_s);

        RunOptions options;
        options.statementTimeout = u"20s"_s;
        MigrationRunner runner(scripts, settings(db), options);
        const RunResult r = runner.upgrade(u"head"_s);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(q(db, u"SELECT string_agg(what || '=' || timeout, ',' ORDER BY what) FROM seen"_s),
                 u"history g2=45s,history g3=45s,non-transactional=20s,transactional=20s"_s);
        // A bad value is refused before anything changes.
        options.statementTimeout = u"20 parsecs"_s;
        MigrationRunner bad(scripts, settings(db), options);
        const RunResult refused = bad.downgrade(u"g1"_s);
        QCOMPARE(int(refused.status), int(RunResult::Status::Refused));
        QVERIFY2(refused.error.contains(u"Invalid statement timeout '20 parsecs'"_s), qPrintable(refused.error));
        QCOMPARE(versions(db), u"g3"_s);
    }

    void cliNamesTheBlockerOnStderrAndInJson()
    {
        QTemporaryDir dir;
        writeScripts(dir.path());
        const ScriptSet scripts = ScriptSet::load(dir.path());
        const QString db = dbAtFirst(u"t_guards_cli"_s, scripts);

        TableBlocker blocker(db, u"guarded"_s);
        QVERIFY2(blocker.ok(), qPrintable(blocker.error()));
        const CliResult r = runCli({u"--url"_s, pg().url(db), u"--migrations"_s, dir.path(), u"--lock-timeout"_s, u"3s"_s,
                                    u"--json"_s, u"upgrade"_s, u"head"_s},
                                   pg().environment(db));
        blocker.release();
        QCOMPARE(r.exitCode, 1);
        // Said once on stderr while it waited.
        QCOMPARE(r.err.count(u"Waiting for a lock held by:"_s), 1);
        QVERIFY2(r.err.contains(u"pid %1, user "_s.arg(blocker.pid())) && r.err.contains(kBlockerApp), qPrintable(r.err));
        const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonArray blockers = json.value(u"blockers"_s).toArray();
        QCOMPARE(blockers.size(), 1);
        QCOMPARE(blockers.first().toObject().value(u"pid"_s).toInt(), blocker.pid());
        QCOMPARE(blockers.first().toObject().value(u"application_name"_s).toString(), kBlockerApp);
        QCOMPARE(blockers.first().toObject().value(u"state"_s).toString(), u"idle in transaction"_s);
        QVERIFY(json.value(u"error"_s).toString().contains(u"pid %1 (application '%2'"_s.arg(blocker.pid()).arg(kBlockerApp)));
        QCOMPARE(versions(db), u"g1"_s);
    }

    void cliRefusesBadGuardValues()
    {
        const auto env = QProcessEnvironment::systemEnvironment();
        const CliResult retries = runCli({u"--lock-retries"_s, u"many"_s, u"upgrade"_s, u"head"_s}, env);
        QCOMPARE(retries.exitCode, 2);
        QVERIFY2(retries.err.contains(u"--lock-retries needs a whole number from 0 to 100, not 'many'"_s), qPrintable(retries.err));
        const CliResult negative = runCli({u"--lock-retries=-1"_s, u"upgrade"_s, u"head"_s}, env);
        QCOMPARE(negative.exitCode, 2);
        const CliResult timeout = runCli({u"--statement-timeout"_s, u"soon"_s, u"upgrade"_s, u"head"_s}, env);
        QCOMPARE(timeout.exitCode, 2);
        QVERIFY2(timeout.err.contains(u"--statement-timeout needs a duration such as 500ms, 30s or 5min, not 'soon'"_s),
                 qPrintable(timeout.err));
        const CliResult help = runCli({u"--help"_s}, env);
        QVERIFY(help.out.contains(u"--lock-retries N"_s) && help.out.contains(u"--statement-timeout T"_s));
    }
};

QTEST_GUILESS_MAIN(TestLockGuards)
#include "tst_lockguards.moc"
