#pragma once

#include <QElapsedTimer>
#include <QMetaType>

#include "db/connectionsettings.h"
#include "migrations/advisorylockwaiter.h"
#include "migrations/blockerwatcher.h"
#include "migrations/migrationop.h"
#include "migrations/revisiongraph.h"
#include "migrations/scriptset.h"
#include "migrations/versiontable.h"

#include <QMutex>
#include <QObject>

#include <atomic>
#include <functional>
#include <optional>
#include <memory>

namespace MigrationDesk {

class Bookkeeping;
class PgConnection;
class QueryCanceller;
struct RunResult;

// How a run behaves; the defaults are Alembic's transaction_per_migration=True plus a lock_timeout.
struct RunOptions
{
    VersionTable versionTable;
    bool singleTransaction = false;
    QString lockTimeout = QStringLiteral("10s");
    QString backupFile;           // pg_dump -Fc before changing anything, when set
    bool dryRun = false;          // connect, plan, report; change nothing
    bool restartRevision = false; // run an interrupted non-transactional revision again from statement 1
    int lockPollIntervalMs = 250;
    // --lock-retries: after a lock timeout, roll the revision back and try it again this many times,
    // pausing lockRetryPauseMs, then twice that, and so on (at most 30 s).
    int lockRetries = 0;
    int lockRetryPauseMs = 1000;
    // --statement-timeout: PostgreSQL's statement_timeout for each migration statement (not for the
    // runner's own bookkeeping); empty: the session's own.
    QString statementTimeout;
    QString appVersion = QStringLiteral(MIGRATIONDESK_VERSION);
    // Called once the run's connection is open and before the migration lock is taken or anything is
    // read: the CLI's pre-flight review, on this connection instead of one of its own (a handshake less
    // on the critical path). Returning false stops the run; the function says why in the result.
    std::function<bool(PgConnection &connection, RunResult *result)> preflight;
};

// What a run did.
struct RunResult
{
    enum class Status { Ok, Failed, ConnectionError, Refused, Cancelled };
    Status status = Status::Ok;
    QString error;                // plain-language, passwords redacted
    QList<MigrationStep> plan;
    QStringList headsBefore;
    QStringList headsAfter;
    int stepsCompleted = 0;
    QStringList notes;            // things the user should know even on success
    QList<LockBlocker> blockers;  // after a lock timeout: the sessions that held the lock, as last seen
    int lockRetries = 0;          // tries made again after a lock timeout
    bool ok() const { return status == Status::Ok; }
    // Every way a run stops short sets the status and the message here; returns false for `return fail(...)`.
    bool fail(Status why, const QString &message)
    {
        status = why;
        error = message;
        return false;
    }
};

// Runs upgrades, downgrades and stamps against one database: takes the advisory lock, resolves the
// version table, plans with the revision graph, backs up, has StepRunner run each revision in its own
// transaction (or one for all), and records the schema snapshot. Its public run functions block and do all database work on the
// calling thread, so the desktop app moves it to a worker QThread; cancel() is safe from any thread.
class MigrationRunner : public QObject
{
    Q_OBJECT

public:
    MigrationRunner(const ScriptSet &scripts, const ConnectionSettings &settings, const RunOptions &options,
                    QObject *parent = nullptr);
    ~MigrationRunner() override;

    // Upgrades or downgrades to target, or stamps it; the three below are run() with their op.
    RunResult run(MigrationOp op, const QString &target);
    RunResult upgrade(const QString &target);
    RunResult downgrade(const QString &target);
    RunResult stamp(const QString &target);

    // Stops the running statement through libpq's cancel and makes the run roll back and return
    // Cancelled. Thread-safe. A cancel that arrives before a run starts cancels that run.
    void cancel();
    // Clears a cancel request so the runner can be used for another run.
    void resetCancel() { m_cancelled = false; }

    static qint32 lockKey() { return 0x4D444C4B; } // "MDLK": the run lock, on the dedicated connection
    static qint32 workerLockKey() { return 0x4D44574B; } // "MDWK": held by the connection that runs SQL

Q_SIGNALS:
    void message(const QString &text);                 // progress narration for logs
    void lockWaiting(const QString &holder);
    // The previous run was killed and the server has not yet ended its session.
    void waitingForInterruptedRun(const QString &session);
    void planReady(const QList<MigrationStep> &plan, const QStringList &headsBefore);
    void stepStarted(int step, int stepCount, const QString &revision, bool upgrade);
    void statementStarted(int step, int statement, int statementCount, int line, const QString &sql);
    void statementFinished(int step, int statement, qint64 elapsedMs);
    void stepFinished(int step, bool ok, qint64 elapsedMs);
    // A statement has waited for a lock for a moment: who holds it; empty once the wait is over.
    // Emitted on the blocker watcher's thread while the runner's is blocked: receivers on other threads
    // get it queued, a receiver that must print it at once connects with Qt::DirectConnection.
    void blockersChanged(const QList<MigrationDesk::LockBlocker> &blockers);
    // A lock timeout ended try attempt + 1 (of retries + 1); the next one starts after pauseMs.
    void lockRetry(int attempt, int retries, int pauseMs);

private:
    // The stages of run(), in order; each returns false (or nullopt) once *result says why it stopped.
    std::optional<QStringList> readHeads(Bookkeeping &books, RunResult *result);
    void runStamp(PgConnection &connection, Bookkeeping &books, const QStringList &heads, const QString &target,
                  RunResult *result);
    std::optional<QList<MigrationStep>> planSteps(PgConnection &connection, Bookkeeping &books, MigrationOp op,
                                                  const QStringList &heads, const QString &target, RunResult *result);
    bool prepareToChange(PgConnection &connection, RunResult *result); // backup, then session settings
    void runPlan(PgConnection &connection, Bookkeeping &books, const QList<MigrationStep> &plan,
                 const QStringList &heads, RunResult *result);
    // One try of the plan (with --single-transaction, --lock-retries tries the whole run again).
    bool runPlanOnce(PgConnection &connection, Bookkeeping &books, const QList<MigrationStep> &plan,
                     const QStringList &heads, BlockerWatcher *watcher, int attempt, RunResult *result);

    void recordSnapshot(PgConnection &connection, Bookkeeping &books, const QStringList &heads, RunResult *result);
    bool isCancelled() const { return m_cancelled.load(); }

    ScriptSet m_scripts;
    ConnectionSettings m_settings;
    RunOptions m_options;
    std::atomic_bool m_cancelled{false};
    QMutex m_cancelMutex;
    std::unique_ptr<QueryCanceller> m_canceller;
    QHash<QString, int> m_resumeFrom; // revision -> statements already done by an interrupted run
    bool m_leftovers = false;         // work of an unrecorded revision stays: do not record the snapshot
    QString m_searchPath;             // the session's search_path when the run started
    QString m_statementTimeout;       // the session's statement_timeout when the run started
    QString m_runId;
    bool m_pooled = false; // connected through PgBouncer or similar: no session state survives a transaction
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::RunResult)
