#include "migrations/migrationrunner.h"

#include "base/workerthreads.h"
#include "db/pgconnection.h"
#include "db/pgpipeline.h"
#include "db/pgtools.h"
#include "migrations/advisorylockwaiter.h"
#include "migrations/bookkeeping.h"
#include "migrations/interruptedrunrecovery.h"
#include "migrations/revisionbookkeeping.h"
#include "migrations/runlock.h"
#include "migrations/schemasnapshot.h"
#include "migrations/steprunner.h"
#include "migrations/transactionguard.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QMutexLocker>
#include <QScopeGuard>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

MigrationRunner::MigrationRunner(const ScriptSet &scripts, const ConnectionSettings &settings,
                                 const RunOptions &options, QObject *parent)
    : QObject(parent)
    , m_scripts(scripts)
    , m_settings(settings)
    , m_options(options)
{
    // Absolute, so that the path the history row records still finds the file from another directory.
    if (!m_options.backupFile.isEmpty())
        m_options.backupFile = QFileInfo(m_options.backupFile).absoluteFilePath();
}

MigrationRunner::~MigrationRunner() = default;

RunResult MigrationRunner::upgrade(const QString &target)
{
    return run(MigrationOp::Upgrade, target);
}

RunResult MigrationRunner::downgrade(const QString &target)
{
    return run(MigrationOp::Downgrade, target);
}

RunResult MigrationRunner::stamp(const QString &target)
{
    return run(MigrationOp::Stamp, target);
}

void MigrationRunner::cancel()
{
    m_cancelled = true;
    QMutexLocker locker(&m_cancelMutex);
    if (m_canceller)
        m_canceller->cancel();
}

RunResult MigrationRunner::run(MigrationOp op, const QString &target)
{
    RunResult result;
    m_resumeFrom.clear();
    m_leftovers = false;
    m_searchPath.clear();
    m_statementTimeout.clear();
    m_runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!m_scripts.isValid()) {
        result.fail(RunResult::Status::Refused,
                    tr("The migration scripts are invalid; nothing was run:\n%1").arg(m_scripts.errorText()));
        return result;
    }

    RunLock lock(m_settings, m_options.versionTable, m_options.lockPollIntervalMs);
    PgConnection connection;
    if (!lock.open(connection, &result))
        return result;
    m_pooled = lock.pooled();
    if (m_pooled) {
        const QString note = tr("Connected through a connection pooler (PgBouncer or similar): the migration lock is "
                                "held in a transaction, settings are made per transaction, and non-transactional "
                                "revisions are refused.");
        result.notes << note;
        Q_EMIT message(note);
    }
    {
        QMutexLocker locker(&m_cancelMutex);
        m_canceller = connection.canceller();
    }
    auto dropCanceller = qScopeGuard([this] {
        QMutexLocker locker(&m_cancelMutex);
        m_canceller.reset();
    });
    if (m_options.preflight && !m_options.preflight(connection, &result))
        return result;
    const auto waiting = [this, &result](AdvisoryLockWaiter::Holder holder, const QString &who, const QString &note) {
        if (holder == AdvisoryLockWaiter::Holder::OtherMigration)
            Q_EMIT lockWaiting(who);
        else
            Q_EMIT waitingForInterruptedRun(who);
        Q_EMIT message(note);
        result.notes << note;
    };
    if (!lock.take(connection, [this] { return isCancelled(); }, waiting, &result))
        return result;

    Bookkeeping books(&connection, m_options.versionTable);
    const auto heads = readHeads(books, &result);
    if (!heads)
        return result;
    if (op == MigrationOp::Stamp) {
        runStamp(connection, books, *heads, target, &result);
        return result;
    }
    const auto plan = planSteps(connection, books, op, *heads, target, &result);
    if (!plan || m_options.dryRun || plan->isEmpty())
        return result;
    if (prepareToChange(connection, &result))
        runPlan(connection, books, *plan, *heads, &result);
    return result;
}

std::optional<QStringList> MigrationRunner::readHeads(Bookkeeping &books, RunResult *result)
{
    SqlError sqlError;
    if (!m_options.dryRun && !books.ensureSchema(&sqlError)) {
        result->fail(RunResult::Status::Failed, tr("Could not create the bookkeeping schema %1: %2")
                                                     .arg(Bookkeeping::schemaName(), sqlError.toString()));
        return std::nullopt;
    }
    // Resolved once: from here on every version-table statement names its schema, whatever a script sets.
    const auto heads = books.resolveVersionTable(&sqlError) ? books.readHeads(&sqlError) : std::nullopt;
    if (!heads) {
        result->fail(RunResult::Status::Failed, tr("Could not read the version table %1: %2")
                                                     .arg(m_options.versionTable.displayName(), sqlError.toString()));
        return std::nullopt;
    }
    if (const auto dup = std::adjacent_find(heads->begin(), heads->end()); dup != heads->end()) {
        result->fail(RunResult::Status::Failed,
                     tr("The version table %1 holds revision %2 more than once (it has no primary key), so it cannot "
                        "be updated one row at a time; nothing was run. Delete the extra rows so that each revision "
                        "appears once, then run again.")
                         .arg(books.versionTable().displayName(), *dup));
        return std::nullopt;
    }
    result->headsBefore = *heads;
    result->headsAfter = *heads;
    for (const QString &h : *heads) {
        if (!m_scripts.graph().contains(h)) {
            result->fail(RunResult::Status::Refused,
                         tr("Can't locate revision identified by '%1': the database is at a revision that is "
                            "missing from the scripts in %2.")
                             .arg(h, m_scripts.directory()));
            return std::nullopt;
        }
    }
    return heads;
}

void MigrationRunner::runStamp(PgConnection &connection, Bookkeeping &books, const QStringList &heads,
                               const QString &target, RunResult *result)
{
    QString planError;
    QStringList newHeads = heads;
    const auto ops = m_scripts.graph().stampOps(heads, target, &newHeads, &planError);
    if (!ops) {
        result->fail(RunResult::Status::Refused, planError);
        return;
    }
    // Failed rather than Refused: the target is fine, a script is not runnable yet (CLI exit 1, not 2)
    if (const QString refusal = m_scripts.reviewRefusal(m_scripts.stampedThrough(heads, newHeads)); !refusal.isEmpty()) {
        result->fail(RunResult::Status::Failed, refusal);
        return;
    }
    if (m_options.dryRun) {
        result->headsAfter = newHeads;
        return;
    }
    QElapsedTimer timer;
    timer.start();
    const QDateTime started = QDateTime::currentDateTimeUtc();
    SqlError sqlError;
    bool ok = connection.exec(u"BEGIN"_s, &sqlError)
              && StepRunner::setTransactionSettings(connection, m_options, m_pooled, &sqlError)
              && books.ensureVersionTable(&sqlError)
              && books.applyOps(*ops, &sqlError);
    const QStringList stamped = QSet<QString>(newHeads.begin(), newHeads.end())
                                    .subtract(QSet<QString>(heads.begin(), heads.end()))
                                    .values();
    for (const QString &rev : (stamped.isEmpty() ? newHeads : stamped)) {
        if (!ok)
            break;
        const MigrationScript *script = m_scripts.script(rev);
        HistoryEntry h = RevisionBookkeeping::historyEntry(m_runId, m_options.appVersion, rev, MigrationOp::Stamp,
                                                  script ? script->sha256 : QString(), started);
        h.durationMs = double(timer.nsecsElapsed()) / 1e6;
        h.success = true;
        ok = books.recordHistory(h, &sqlError);
    }
    if (!ok || !connection.exec(u"COMMIT"_s, &sqlError)) {
        connection.exec(u"ROLLBACK"_s);
        result->fail(RunResult::Status::Failed, tr("Stamp failed, nothing was changed: %1").arg(sqlError.toString()));
        return;
    }
    newHeads.sort();
    result->headsAfter = newHeads;
    recordSnapshot(connection, books, newHeads, result);
}

std::optional<QList<MigrationStep>> MigrationRunner::planSteps(PgConnection &connection, Bookkeeping &books,
                                                               MigrationOp op, const QStringList &heads,
                                                               const QString &target, RunResult *result)
{
    const RevisionGraph &graph = m_scripts.graph();
    QString planError;
    auto plan = op == MigrationOp::Upgrade ? graph.upgradePlan(heads, target, &planError)
                                           : graph.downgradePlan(heads, target, &planError);
    if (!plan) {
        result->fail(RunResult::Status::Refused, planError);
        return std::nullopt;
    }
    QStringList planned;
    for (const MigrationStep &step : std::as_const(*plan))
        planned << step.revision;
    if (const QString refusal = m_scripts.reviewRefusal(planned); !refusal.isEmpty()) {
        result->fail(RunResult::Status::Failed, refusal); // a script is not runnable yet: exit 1
        return std::nullopt;
    }
    if (op == MigrationOp::Downgrade) {
        const QString warning = graph.downgradeWarning(heads, target);
        if (!warning.isEmpty()) {
            result->notes << warning;
            Q_EMIT message(warning);
        }
    }
    // Before anything touches the database, the interrupted-run recovery included.
    if (m_pooled) {
        for (const MigrationStep &step : std::as_const(*plan)) {
            if (!m_scripts.script(step.revision)->transactional) {
                result->fail(RunResult::Status::Refused,
                             tr("Revision %1 is non-transactional (for example CREATE INDEX CONCURRENTLY), and this "
                                "connection goes through a connection pooler (PgBouncer or similar), where each of its "
                                "statements may run in another server session, without the migration lock or its "
                                "settings. Nothing was run: connect directly to the PostgreSQL server to apply it.")
                                 .arg(step.revision));
                return std::nullopt;
            }
        }
    }
    if (!m_options.dryRun) {
        InterruptedRunRecovery recovery(connection, books, m_scripts, [this](const QString &text) { Q_EMIT message(text); });
        const auto recovered = recovery.recover(*plan, m_options.restartRevision, &result->notes);
        if (!recovered.refusal.isEmpty()) {
            result->fail(RunResult::Status::Refused, recovered.refusal);
            return std::nullopt;
        }
        m_resumeFrom = recovered.resumeFrom;
        m_leftovers = recovered.leftovers;
    }
    result->plan = *plan;
    Q_EMIT planReady(*plan, heads);

    if (m_options.singleTransaction) {
        for (const MigrationStep &step : std::as_const(*plan)) {
            if (!m_scripts.script(step.revision)->transactional) {
                result->fail(RunResult::Status::Refused,
                             tr("--single-transaction cannot run revision %1: it is non-transactional "
                                "(for example CREATE INDEX CONCURRENTLY). Run without --single-transaction.")
                                 .arg(step.revision));
                return std::nullopt;
            }
        }
    }
    if (plan->isEmpty())
        Q_EMIT message(tr("Nothing to do: the database is already at the target."));
    return plan;
}

bool MigrationRunner::prepareToChange(PgConnection &connection, RunResult *result)
{
    if (!m_options.backupFile.isEmpty()) {
        Q_EMIT message(tr("Backing up the database to %1 with pg_dump -Fc...").arg(m_options.backupFile));
        QString backupError;
        if (!PgTools::dumpDatabase(m_settings, m_options.backupFile, &backupError, [this] { return isCancelled(); }))
            return result->fail(isCancelled() ? RunResult::Status::Cancelled : RunResult::Status::Failed,
                                tr("The backup failed, so nothing was migrated: %1").arg(backupError));
        Q_EMIT message(tr("Backup written to %1.").arg(m_options.backupFile));
    }

    // lock_timeout keeps a migration from queueing production traffic behind a lock it cannot get;
    // client_connection_check_interval makes the server abort our work promptly if we are killed.
    // Behind a pooler a session setting would land on a server session other clients share: there
    // this only checks the value, and StepRunner::setTransactionSettings applies it inside each transaction.
    // --statement-timeout is checked here, before anything changes; each statement sets it (and sets back
    // what the session had, read here) itself. Each revision starts from the search_path the run started
    // with, not from what an earlier script set. One round trip, one implicit transaction: a refused value
    // leaves no setting behind. The check of --statement-timeout comes last, as its SET LOCAL would last
    // until the sync.
    QList<PgPipeline::Statement> statements{
        {u"SELECT pg_catalog.set_config('lock_timeout', $1, $2::boolean), "
         "pg_catalog.set_config('client_connection_check_interval', '1s', $2::boolean)"_s,
         {m_options.lockTimeout, m_pooled ? u"true"_s : u"false"_s}},
        {u"SELECT pg_catalog.current_setting('statement_timeout'), pg_catalog.current_setting('search_path')"_s, {}}};
    if (!m_options.statementTimeout.isEmpty())
        statements.append({u"SELECT pg_catalog.set_config('statement_timeout', $1, true)"_s, {m_options.statementTimeout}});
    SqlError sqlError;
    const auto results = PgPipeline::run(connection.pgconn(), statements, &sqlError);
    if (!results)
        return result->fail(RunResult::Status::Failed, sqlError.toString());
    if (!results->at(0).ok)
        return result->fail(RunResult::Status::Refused,
                            tr("Invalid lock timeout '%1': %2").arg(m_options.lockTimeout, results->at(0).error.toString()));
    if (!results->at(1).ok || results->at(1).rows.isEmpty())
        return result->fail(RunResult::Status::Failed, results->at(1).error.toString());
    if (results->size() > 2 && !results->at(2).ok)
        return result->fail(RunResult::Status::Refused, tr("Invalid statement timeout '%1': %2")
                                                            .arg(m_options.statementTimeout, results->at(2).error.toString()));
    m_statementTimeout = results->at(1).rows.first().value(0);
    m_searchPath = results->at(1).rows.first().value(1);
    return true;
}

void MigrationRunner::runPlan(PgConnection &connection, Bookkeeping &books, const QList<MigrationStep> &plan,
                              const QStringList &heads, RunResult *result)
{
    // This thread is busy in each statement, so whoever blocks one is named from a thread and a connection
    // of the watcher's own. Behind a pooler the statements' server session changes with every transaction:
    // there is no one session to watch.
    WorkerThreads threads;
    BlockerWatcher *watcher = nullptr;
    if (!m_pooled) {
        watcher = threads.start(new BlockerWatcher(m_settings, connection.backendPid(), BlockerWatcher::Options()),
                                u"BlockerWatcher"_s);
        connect(watcher, &BlockerWatcher::blockersChanged, this, &MigrationRunner::blockersChanged,
                Qt::DirectConnection);
        QMetaObject::invokeMethod(watcher, &BlockerWatcher::start, Qt::QueuedConnection);
    }
    for (int attempt = 0; runPlanOnce(connection, books, plan, heads, watcher, attempt, result); ++attempt) {
    }
}

bool MigrationRunner::runPlanOnce(PgConnection &connection, Bookkeeping &books, const QList<MigrationStep> &plan,
                                  const QStringList &heads, BlockerWatcher *watcher, int attempt, RunResult *result)
{
    SqlError sqlError;
    TransactionGuard runGuard(connection);
    if (m_options.singleTransaction) {
        // The run's transaction, its id for the guard and (behind a pooler) its settings: one round trip.
        QList<PgPipeline::Statement> begin{{u"BEGIN"_s, {}}, TransactionGuard::beginStatement()};
        if (m_pooled)
            begin.append(RevisionBookkeeping::transactionSettings(m_options.lockTimeout));
        const auto results = PgPipeline::run(connection.pgconn(), begin, &sqlError);
        if (results)
            sqlError = PgPipeline::firstError(*results);
        if (!results || !sqlError.isEmpty() || !runGuard.begun(results->at(1).rows)) {
            result->fail(RunResult::Status::Failed, sqlError.toString());
            return false;
        }
    }
    const auto blockers = [watcher] { return watcher ? watcher->lastSeen() : QList<LockBlocker>(); };
    StepRunner steps({connection, books, m_scripts, m_options, m_runId, m_searchPath, m_resumeFrom, m_pooled,
                      [this] { return isCancelled(); }, blockers, attempt, m_statementTimeout, &plan},
                     runGuard);
    connect(&steps, &StepRunner::message, this, &MigrationRunner::message);
    connect(&steps, &StepRunner::stepStarted, this, &MigrationRunner::stepStarted);
    connect(&steps, &StepRunner::statementStarted, this, &MigrationRunner::statementStarted);
    connect(&steps, &StepRunner::statementFinished, this, &MigrationRunner::statementFinished);
    connect(&steps, &StepRunner::stepFinished, this, &MigrationRunner::stepFinished);
    connect(&steps, &StepRunner::lockRetry, this, &MigrationRunner::lockRetry);
    if (watcher) {
        // A failure names the blockers of its own statement's wait, not of an earlier one.
        connect(&steps, &StepRunner::statementStarted, watcher, [watcher] { watcher->clearLastSeen(); },
                Qt::DirectConnection);
    }

    QStringList currentHeads = heads;
    const int count = int(plan.size());
    bool ok = true;
    for (int i = 0; ok && i < count; ++i)
        ok = steps.run(i, count, plan.at(i), &currentHeads, result);
    if (ok && m_options.singleTransaction && !connection.exec(u"COMMIT"_s, &sqlError)) {
        result->fail(RunResult::Status::Failed,
                     tr("The final COMMIT failed, so nothing was applied: %1").arg(sqlError.toString()));
        ok = false;
    }
    // With one transaction for all, a failure anywhere leaves the database where it started, unless a
    // script's COMMIT made part of the run permanent (the step's message says which part).
    if (!ok && m_options.singleTransaction && !steps.runTransactionCommitted()) {
        result->headsAfter = heads;
        result->stepsCompleted = 0;
        // Nothing of the run stays, so --lock-retries tries the whole run again.
        if (steps.lockTimedOut() && attempt < m_options.lockRetries && steps.waitToRetry(attempt, result))
            return true;
    }
    // Without a connection there is nothing to record; the error must not follow a snapshot warning.
    if (result->status == RunResult::Status::ConnectionError)
        return false;
    m_leftovers = m_leftovers || steps.leftovers();
    if (m_leftovers) {
        // Recording the schema now would make `check` accept work that no recorded revision accounts for.
        const QString note = tr("The schema snapshot was not updated, because the database holds work of a "
                                "revision that is not recorded (see above); `check` reports it as drift until the "
                                "next successful run records a new snapshot.");
        result->notes << note;
        Q_EMIT message(note);
        return false;
    }
    // What did commit is real schema; keep the snapshot in step with it.
    if (ok || result->stepsCompleted > 0) {
        recordSnapshot(connection, books, result->headsAfter, result);
    }
    return false;
}

void MigrationRunner::recordSnapshot(PgConnection &connection, Bookkeeping &books, const QStringList &heads,
                                     RunResult *result)
{
    QString error;
    // The version table, by the schema it was pinned to at the start (readHeads); the snapshot renders
    // every name with its schema whatever the session's search_path, which a script may have moved.
    const QStringList excludedTables{books.versionTable().displayName()};
    const auto snapshot = SchemaSnapshot::capture(connection.pgconn(), {Bookkeeping::schemaName()}, excludedTables, &error);
    SqlError sqlError;
    // A script's session-wide SET search_path (kept past its COMMIT) must not steer the snapshot's write: it
    // runs with the search_path the run started with (m_searchPath; null on a stamp, where no script ran).
    if (!snapshot
        || !books.saveSnapshot(heads, QString::fromLatin1(snapshot->fingerprint()), snapshot->toText(), &sqlError,
                               m_searchPath)) {
        const QString note = tr("Warning: the schema snapshot could not be recorded, so `check` cannot detect drift "
                                "until the next run: %1")
                                 .arg(snapshot ? sqlError.toString() : error);
        result->notes << note;
        Q_EMIT message(note);
    }
}

} // namespace MigrationDesk
