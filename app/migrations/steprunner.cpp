#include "migrations/steprunner.h"

#include "db/pgconnection.h"
#include "migrations/interruptedrunrecovery.h"
#include "migrations/migrationrunner.h"
#include "migrations/revisionbookkeeping.h"
#include "migrations/scriptset.h"
#include "migrations/sqlsplitter.h"
#include "migrations/statementexecutor.h"
#include "migrations/transactionguard.h"

#include <QCoreApplication>
#include <QThread>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The messages moved here from MigrationRunner keep its context ("MigrationDesk::MigrationRunner"), and
// with it their translations.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MigrationRunner)
};

} // namespace

StepRunner::StepRunner(const Context &context, TransactionGuard &runGuard, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_runGuard(runGuard)
    , m_revisionBooks(context.connection, context.books, context.books.versionTableSeen())
{
}

HistoryEntry StepRunner::historyEntry(const MigrationStep &step, const MigrationScript &script,
                                      const QDateTime &started) const
{
    HistoryEntry h = RevisionBookkeeping::historyEntry(m_context.runId, m_context.options.appVersion, step.revision,
                                                       step.direction, script.sha256, started);
    h.backupPath = m_context.options.backupFile;
    return h;
}

bool StepRunner::run(int index, int count, const MigrationStep &step, QStringList *heads, RunResult *result)
{
    const MigrationScript &script = *m_context.scripts.script(step.revision);
    Q_EMIT stepStarted(index, count, step.revision, step.isUpgrade());
    Q_EMIT message(Text::tr("Running %1 %2: %3").arg(migrationOpName(step.direction), step.revision, script.message));
    const bool single = m_context.options.singleTransaction;
    const bool leftoversBefore = m_leftovers;
    for (m_attempt = single ? m_context.runAttempt : 0;; ++m_attempt) {
        if (runOnce(index, step, script, heads, result))
            return true;
        // With --single-transaction the whole run is tried again instead (MigrationRunner::runPlan).
        if (single || !m_lockTimedOut || m_attempt >= m_context.options.lockRetries)
            return false;
        // A non-transactional revision keeps the statements before the one that timed out (they are
        // committed), so the next try resumes at that statement, as the next run would.
        if (!script.transactional)
            m_context.resumeFrom.insert(step.revision, m_statementsDone);
        if (!waitToRetry(m_attempt, result))
            return false;
        m_leftovers = leftoversBefore;
        Q_EMIT stepStarted(index, count, step.revision, step.isUpgrade());
    }
}

bool StepRunner::runOnce(int index, const MigrationStep &step, const MigrationScript &script, QStringList *heads,
                         RunResult *result)
{
    m_lockTimedOut = false;
    if (!script.transactional && !m_context.options.singleTransaction)
        return runNonTransactional(index, step, script, heads, result);
    return runTransactional(index, step, script, heads, result);
}

bool StepRunner::waitToRetry(int attempt, RunResult *result)
{
    const int retries = m_context.options.lockRetries;
    const int pauseMs = int(qMin<qint64>(qint64(m_context.options.lockRetryPauseMs) << qMin(attempt, 20), 30000));
    Q_EMIT message(Text::tr("Try %1 of %2 ended at lock_timeout; trying again in %3 s.")
                       .arg(attempt + 1)
                       .arg(retries + 1)
                       .arg(QString::number(pauseMs / 1000.0)));
    Q_EMIT lockRetry(attempt, retries, pauseMs);
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        if (m_context.cancelled()) {
            result->fail(RunResult::Status::Cancelled,
                         Text::tr("Cancelled while waiting to try again after a lock timeout.") + QLatin1Char('\n')
                             + result->error);
            return false;
        }
        const qint64 left = pauseMs - waited.elapsed();
        if (left <= 0)
            break;
        QThread::msleep(ulong(qMin<qint64>(left, 100)));
    }
    ++result->lockRetries;
    result->status = RunResult::Status::Ok;
    result->error.clear();
    return true;
}

bool StepRunner::runTransactional(int index, const MigrationStep &step, const MigrationScript &script,
                                  QStringList *heads, RunResult *result)
{
    PgConnection &connection = m_context.connection;
    QElapsedTimer timer;
    timer.start();
    const QDateTime started = QDateTime::currentDateTimeUtc();
    const bool up = step.isUpgrade();
    const auto statements = splitSql(script.sectionSql(up), script.sectionLine(up));
    const bool ownTransaction = !m_context.options.singleTransaction;
    TransactionGuard ownGuard(connection);
    TransactionGuard &guard = ownTransaction ? ownGuard : m_runGuard;
    HistoryEntry h = historyEntry(step, script, started);
    h.statements = int(statements.size());

    SqlError error;
    bool ok = m_revisionBooks.open(prologue(step, script), &guard, &error);
    StatementExecutor::Result ran;
    if (ok) {
        StatementExecutor executor(connection, guard, TransactionGuard::State::Open);
        executor.setStatementTimeout(m_context.options.statementTimeout, m_context.sessionStatementTimeout);
        StatementExecutor::Hooks hooks;
        hooks.cancelled = m_context.cancelled;
        hooks.started = [&](int s, const SqlStatement &st, const QString &shown) {
            Q_EMIT statementStarted(index, s, int(statements.size()), st.line, shown);
        };
        hooks.finished = [&](int s, qint64 ms) { Q_EMIT statementFinished(index, s, ms); };
        ran = executor.run(statements, 0, hooks);
        h.statementLog = ran.log;
        error = ran.error;
        if (ran.transactionChanged) {
            const QString text = transactionEnded(step, script, ran.failedAt, ran.failedLine, guard, result);
            return failStep(index, h, timer, error, text, result);
        }
        ok = ran.ok;
    }
    if (ok) {
        QStringList newHeads = *heads;
        RevisionBookkeeping::Epilogue epilogue;
        epilogue.commit = ownTransaction;
        epilogue.guard = &guard;
        epilogue.ops = m_context.scripts.graph().versionOps(step, &newHeads);
        epilogue.history = h;
        epilogue.history.success = true;
        epilogue.history.durationMs = double(timer.nsecsElapsed()) / 1e6;
        const auto next = nextPrologue(index);
        switch (m_revisionBooks.close(epilogue, next ? &*next : nullptr, &error)) {
        case RevisionBookkeeping::Outcome::Recorded:
            completeStep(index, newHeads, heads, result, timer.elapsed());
            return true;
        case RevisionBookkeeping::Outcome::TransactionChanged:
            return failStep(index, h, timer, error, transactionEnded(step, script, -1, 0, guard, result), result);
        case RevisionBookkeeping::Outcome::Failed:
            break;
        }
    }
    if (ran.connectionLost || guard.state() == TransactionGuard::State::ConnectionLost)
        return failStep(index, h, timer, error, connectionLostText(step, ran.failedAt, ran.ok, error, *result), result, true);

    connection.exec(u"ROLLBACK"_s);
    const QString text = describeFailure(step, script, ran.failedAt, ran.failedLine, error) + QLatin1Char('\n')
        + (ownTransaction ? Text::tr("Revision %1 was rolled back; %n earlier revision(s) of this run stay applied.", nullptr,
                               result->stepsCompleted)
                                .arg(step.revision)
                          : Text::tr("The whole run was rolled back; the database is unchanged."));
    return failStep(index, h, timer, error, text, result);
}

bool StepRunner::runNonTransactional(int index, const MigrationStep &step, const MigrationScript &script,
                                     QStringList *heads, RunResult *result)
{
    PgConnection &connection = m_context.connection;
    Bookkeeping &books = m_context.books;
    const bool up = step.isUpgrade();
    QElapsedTimer timer;
    timer.start();
    const QDateTime started = QDateTime::currentDateTimeUtc();
    const auto statements = splitSql(script.sectionSql(up), script.sectionLine(up));
    const int resumeAt = m_context.resumeFrom.value(step.revision, 0);
    InterruptedRunRecovery recovery(connection, books, m_context.scripts, [this](const QString &text) { Q_EMIT message(text); });
    HistoryEntry h = historyEntry(step, script, started);
    h.statements = int(statements.size());

    const RevisionBookkeeping::Prologue opening = prologue(step, script);
    InterruptedRun marker = *opening.marker;
    SqlError error;
    if (!m_revisionBooks.open(opening, nullptr, &error)) {
        // Nothing of the revision ran: say so, instead of talking of statements that stay or resume.
        const QString text = Text::tr("Revision %1 was not started, because its progress could not be recorded: %2\n"
                                "Nothing was changed.")
                                 .arg(step.revision, error.toString());
        return failStep(index, h, timer, error, text, result);
    }

    TransactionGuard guard(connection);
    StatementExecutor executor(connection, guard, TransactionGuard::State::Idle);
    executor.setStatementTimeout(m_context.options.statementTimeout, m_context.sessionStatementTimeout);
    StatementExecutor::Hooks hooks;
    hooks.cancelled = m_context.cancelled;
    hooks.started = [&](int s, const SqlStatement &st, const QString &shown) {
        Q_EMIT statementStarted(index, s, int(statements.size()), st.line, shown);
    };
    hooks.finished = [&](int s, qint64 ms) { Q_EMIT statementFinished(index, s, ms); };
    hooks.skip = [&](int s) {
        // A killed run may have finished this index build after its last bookkeeping write.
        if (s != resumeAt || resumeAt == 0)
            return false;
        const auto built = recovery.builtIndex(statements.at(s).text);
        if (built)
            Q_EMIT message(Text::tr("Index %1 already exists and is valid; skipping statement %2.").arg(*built).arg(s + 1));
        return built.has_value();
    };
    hooks.after = [&](int s, SqlError *e) {
        marker.statementsDone = s + 1;
        return books.markInterrupted(marker, e);
    };
    const StatementExecutor::Result ran = executor.run(statements, resumeAt, hooks);
    h.statementLog = ran.log;
    error = ran.error;
    if (ran.transactionChanged) {
        // Only a transaction the statement itself opened: end it, so nothing of it is left pending.
        connection.exec(u"ROLLBACK"_s);
        error = SqlError();
        error.message = Text::tr("the statement opened a transaction, which a non-transactional revision must not; "
                           "it was rolled back");
    }

    if (ran.ok) {
        QStringList newHeads = *heads;
        RevisionBookkeeping::Epilogue epilogue;
        // The version row, the history row and the end of the marker commit together, after the check
        // that the script left the version table alone.
        epilogue.begin = true;
        epilogue.commit = true;
        epilogue.ops = m_context.scripts.graph().versionOps(step, &newHeads);
        epilogue.history = h;
        epilogue.history.success = true;
        epilogue.history.durationMs = double(timer.nsecsElapsed()) / 1e6;
        epilogue.clearInterrupted = step.revision;
        const auto next = nextPrologue(index);
        if (m_revisionBooks.close(epilogue, next ? &*next : nullptr, &error) == RevisionBookkeeping::Outcome::Recorded) {
            completeStep(index, newHeads, heads, result, timer.elapsed());
            return true;
        }
        if (guard.state() != TransactionGuard::State::ConnectionLost)
            connection.exec(u"ROLLBACK"_s);
    }
    if (ran.connectionLost || guard.state() == TransactionGuard::State::ConnectionLost) {
        m_leftovers = true;
        QString text = connectionLostText(step, ran.failedAt, ran.ok, error, *result);
        text = text.section(QLatin1Char('\n'), 0, 0) + QLatin1Char('\n')
            + Text::tr("Revision %1 is non-transactional: %2 of its %3 statements had completed and stay in place; the next "
                 "run resumes after them.")
                  .arg(step.revision)
                  .arg(marker.statementsDone)
                  .arg(statements.size());
        return failStep(index, h, timer, error, text, result, true);
    }

    const QStringList dropped = recovery.dropInvalidIndexes(script, step.direction);
    m_statementsDone = marker.statementsDone;
    QString left = Text::tr("Revision %1 is non-transactional, so it could not be rolled back as a whole: "
                      "%2 of its %3 statements had completed and stay in place.")
                       .arg(step.revision)
                       .arg(marker.statementsDone)
                       .arg(statements.size());
    if (!dropped.isEmpty())
        left += QLatin1Char(' ') + Text::tr("The half-built invalid index(es) %1 were dropped.").arg(dropped.join(u", "_s));
    left += QLatin1Char(' ') + Text::tr("The version table was not changed; the next run resumes at statement %1.")
                                   .arg(marker.statementsDone + 1);
    m_leftovers = m_leftovers || marker.statementsDone > 0;
    const QString text = describeFailure(step, script, ran.failedAt, ran.failedLine, error) + QLatin1Char('\n') + left;
    return failStep(index, h, timer, error, text, result);
}

RevisionBookkeeping::Prologue StepRunner::prologue(const MigrationStep &step, const MigrationScript &script) const
{
    RevisionBookkeeping::Prologue p;
    p.searchPath = m_context.searchPath;
    if (!script.transactional && !m_context.options.singleTransaction) {
        // Session-wide: outside a transaction there is nothing for SET LOCAL to last through. The progress
        // marker commits with the prologue, before the first statement runs.
        p.local = false;
        InterruptedRun marker;
        marker.revision = step.revision;
        marker.direction = migrationOpName(step.direction);
        marker.statementsDone = m_context.resumeFrom.value(step.revision, 0);
        marker.statementsTotal = int(splitSql(script.sectionSql(step.isUpgrade()), script.sectionLine(step.isUpgrade())).size());
        marker.scriptSha256 = script.sha256;
        p.marker = marker;
        return p;
    }
    // SET LOCAL: the revision sees the run's search_path whatever an earlier one set, and it ends with the
    // transaction (its own, or with --single-transaction the run's, begun by MigrationRunner).
    p.begin = !m_context.options.singleTransaction;
    if (p.begin && m_context.pooled)
        p.lockTimeout = m_context.options.lockTimeout;
    return p;
}

std::optional<RevisionBookkeeping::Prologue> StepRunner::nextPrologue(int index) const
{
    if (!m_context.plan || index + 1 >= m_context.plan->size())
        return std::nullopt;
    const MigrationStep &next = m_context.plan->at(index + 1);
    return prologue(next, *m_context.scripts.script(next.revision));
}

QString StepRunner::transactionEnded(const MigrationStep &step, const MigrationScript &script, int statement, int line,
                                     TransactionGuard &guard, RunResult *result)
{
    // COMMIT AND CHAIN leaves a new transaction open (failed, once the runner's check saw it): end it, it
    // holds nothing of ours, and the server answers for the transaction that ended only outside it.
    if (guard.state() == TransactionGuard::State::Open || guard.state() == TransactionGuard::State::Failed)
        m_context.connection.exec(u"ROLLBACK"_s);
    const TransactionGuard::Outcome outcome = guard.outcome();
    const bool single = m_context.options.singleTransaction;
    QString text = statement >= 0
        ? Text::tr("Statement %1 of revision %2 (%3:%4) ended the transaction the runner had opened for it, so the run "
             "stopped.")
              .arg(statement + 1)
              .arg(step.revision, script.fileName)
              .arg(line)
        : Text::tr("A statement of revision %1 (%2) ended the transaction the runner had opened for it and began another, "
             "so the run stopped.")
              .arg(step.revision, script.fileName);
    text += QLatin1Char(' ');
    if (outcome == TransactionGuard::Outcome::RolledBack) {
        text += single ? Text::tr("It rolled back the whole run: the database is unchanged.")
                       : Text::tr("It rolled back the statements of revision %1 before it; %n earlier revision(s) of this "
                            "run stay applied.",
                            nullptr, result->stepsCompleted)
                             .arg(step.revision);
    } else if (outcome == TransactionGuard::Outcome::Committed) {
        m_leftovers = true;
        m_runCommitted = single;
        const QString undo = Text::tr("Undo them by hand (or make the script safe to run again) before the next run.");
        text += single ? Text::tr("It committed everything before it: the %n earlier revision(s) of this run are applied and "
                            "recorded, and the statements of revision %1 before it stay in place, but revision %1 is "
                            "not recorded in the version table.",
                            nullptr, result->stepsCompleted)
                             .arg(step.revision)
                       : Text::tr("It committed the statements of revision %1 before it, which stay in place, but revision "
                            "%1 is not recorded in the version table.")
                             .arg(step.revision);
        text += QLatin1Char(' ') + undo;
    } else {
        m_leftovers = true;
        text += Text::tr("Whether the work before it was committed is unknown; revision %1 is not recorded in the version "
                   "table. Check the database by hand before the next run.")
                    .arg(step.revision);
    }
    return text;
}

QString StepRunner::connectionLostText(const MigrationStep &step, int statement, bool recording,
                                       const SqlError &error, const RunResult &result) const
{
    QString text = statement >= 0
        ? Text::tr("The connection to the server was lost during statement %1 of revision %2: %3")
              .arg(statement + 1)
              .arg(step.revision, error.toString())
        : Text::tr("The connection to the server was lost during revision %1: %2").arg(step.revision, error.toString());
    text += QLatin1Char('\n');
    if (recording)
        return text + Text::tr("It was lost while the revision was being recorded, so whether revision %1 was committed is "
                         "unknown: run `current` to see.")
                          .arg(step.revision);
    return text + (m_context.options.singleTransaction
                       ? Text::tr("The server rolls back the transaction of a lost session, so nothing of this run is applied.")
                       : Text::tr("The server rolls back the transaction of a lost session, so revision %1 is not applied; "
                            "%n earlier revision(s) of this run stay applied.",
                            nullptr, result.stepsCompleted)
                             .arg(step.revision));
}

QString StepRunner::describeFailure(const MigrationStep &step, const MigrationScript &script, int statement, int line,
                                    const SqlError &error) const
{
    if (statement < 0)
        return Text::tr("Revision %1 failed while recording it: %2").arg(step.revision, error.toString());
    QString text = Text::tr("Revision %1 (%2) failed during %3, statement %4 at %5:%6:\n%7")
                       .arg(script.revision, script.message, migrationOpName(step.direction))
                       .arg(statement + 1)
                       .arg(script.fileName)
                       .arg(line)
                       .arg(error.toString());
    if (error.sqlState == QLatin1String("55P03")) {
        text += QLatin1Char('\n') + Text::tr("The statement could not get a lock within lock_timeout (%1); "
                                       "retry when the table is less busy, or raise --lock-timeout.")
                                        .arg(m_context.options.lockTimeout);
        QStringList holders;
        for (const LockBlocker &b : m_context.blockers ? m_context.blockers() : QList<LockBlocker>())
            holders << b.shortText();
        if (!holders.isEmpty())
            text += QLatin1Char('\n') + Text::tr("The lock was held by %1.").arg(holders.join(u", "_s));
    } else if (statementTimedOut(error)) {
        text += QLatin1Char('\n') + Text::tr("The statement ran longer than --statement-timeout (%1), so the server "
                                             "stopped it.")
                                        .arg(m_context.options.statementTimeout);
    }
    return text;
}

void StepRunner::completeStep(int index, const QStringList &newHeads, QStringList *heads, RunResult *result,
                              qint64 elapsedMs)
{
    *heads = newHeads;
    heads->sort();
    result->headsAfter = *heads;
    ++result->stepsCompleted;
    Q_EMIT stepFinished(index, true, elapsedMs);
}

bool StepRunner::failStep(int index, HistoryEntry history, const QElapsedTimer &timer, const SqlError &error,
                          const QString &text, RunResult *result, bool connectionLost)
{
    // 57014 is also what --statement-timeout ends a statement with; only a cancel is a cancel.
    const bool cancelled = m_context.cancelled()
                           || (error.sqlState == QLatin1String("57014") && !statementTimedOut(error));
    m_lockTimedOut = !connectionLost && !cancelled && error.sqlState == QLatin1String("55P03");
    QString shown = text;
    if (m_lockTimedOut) {
        if (m_context.blockers)
            result->blockers = m_context.blockers();
        const int retries = m_context.options.lockRetries;
        if (retries > 0)
            shown += QLatin1Char('\n')
                + (m_attempt < retries ? Text::tr("Try %1 of %2 ended at lock_timeout; it is tried again.")
                                       : Text::tr("Try %1 of %2 ended at lock_timeout; no tries are left."))
                      .arg(m_attempt + 1)
                      .arg(retries + 1);
    }
    result->fail(connectionLost ? RunResult::Status::ConnectionError
                 : cancelled    ? RunResult::Status::Cancelled
                                : RunResult::Status::Failed,
                 shown);
    history.success = false;
    history.durationMs = double(timer.nsecsElapsed()) / 1e6;
    history.error = shown;
    SqlError ignored;
    // Failed attempts are history too, written after the rollback so they survive it.
    if (!connectionLost)
        m_context.books.recordHistory(history, &ignored);
    Q_EMIT stepFinished(index, false, timer.elapsed());
    return false;
}

bool StepRunner::statementTimedOut(const SqlError &error) const
{
    // A cancel we did not send, while --statement-timeout is set: the server's timer (or, rarely, another
    // session's pg_cancel_backend, which the SQLSTATE cannot tell apart).
    return error.sqlState == QLatin1String("57014") && !m_context.options.statementTimeout.isEmpty()
           && !m_context.cancelled();
}

bool StepRunner::setTransactionSettings(PgConnection &connection, const RunOptions &options, bool pooled,
                                        SqlError *error)
{
    if (!pooled)
        return true;
    const PgPipeline::Statement settings = RevisionBookkeeping::transactionSettings(options.lockTimeout);
    return connection.query(settings.sql, settings.params, error).has_value();
}

} // namespace MigrationDesk
