#pragma once

#include "migrations/blockerwatcher.h"
#include "migrations/bookkeeping.h"
#include "migrations/migrationop.h"
#include "migrations/revisionbookkeeping.h"
#include "migrations/revisiongraph.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <functional>

namespace MigrationDesk {

struct MigrationScript;
class PgConnection;
struct RunOptions;
struct RunResult;
class ScriptSet;
struct SqlError;
class TransactionGuard;

// Runs one revision of a plan on the runner's connection and records it: a transactional revision in
// a transaction of its own (or in the run's single one), a non-transactional one statement by statement
// behind a progress marker. Checks that the script left the transaction, the search_path and the version
// table to the runner (the bookkeeping around the statements is RevisionBookkeeping's, one round trip per
// revision), and when a step fails says exactly what stayed applied. Created by
// MigrationRunner for one run, on the runner's thread; its messages keep the runner's translation context.
class StepRunner : public QObject
{
    Q_OBJECT

public:
    struct Context
    {
        PgConnection &connection;
        Bookkeeping &books;
        const ScriptSet &scripts;
        const RunOptions &options;
        QString runId;
        QString searchPath;             // as it was when the run started; every revision starts from it
        QHash<QString, int> resumeFrom; // revision -> statements an interrupted run already did
        bool pooled = false;            // behind PgBouncer or similar: settings are made per transaction
        std::function<bool()> cancelled;
        std::function<QList<LockBlocker>()> blockers; // who held the lock of the latest wait; may be empty
        int runAttempt = 0;             // with --single-transaction: which try of the whole run this is
        QString sessionStatementTimeout; // what --statement-timeout is reset to after each statement
        const QList<MigrationStep> *plan = nullptr; // the steps run() is given, so each epilogue carries the next prologue
    };

    // runGuard: the run's transaction with --single-transaction (begun by the caller), else unused.
    StepRunner(const Context &context, TransactionGuard &runGuard, QObject *parent = nullptr);

    // Runs plan step `index` of `count`; on success moves *heads and counts the step in *result.
    bool run(int index, int count, const MigrationStep &step, QStringList *heads, RunResult *result);

    // A failed step left committed work that no recorded revision accounts for.
    bool leftovers() const { return m_leftovers; }
    // With --single-transaction: a script's COMMIT made the work before it permanent.
    bool runTransactionCommitted() const { return m_runCommitted; }
    // The last step failed at lock_timeout (SQLSTATE 55P03), so --lock-retries may try it again.
    bool lockTimedOut() const { return m_lockTimedOut; }
    // Before try attempt + 2 after a lock timeout: says so, then waits 1 s, 2 s, 4 s ... (at most 30 s).
    // False when the run was cancelled meanwhile (*result then says so).
    bool waitToRetry(int attempt, RunResult *result);

    // Behind a pooler, the run's lock_timeout and connection check as SET LOCAL, right after a BEGIN
    // (a session setting would land on a server session other clients share); nothing otherwise.
    static bool setTransactionSettings(PgConnection &connection, const RunOptions &options, bool pooled,
                                       SqlError *error);


Q_SIGNALS:
    void message(const QString &text);
    void stepStarted(int step, int stepCount, const QString &revision, bool upgrade);
    void statementStarted(int step, int statement, int statementCount, int line, const QString &sql);
    void statementFinished(int step, int statement, qint64 elapsedMs);
    void stepFinished(int step, bool ok, qint64 elapsedMs);
    // A lock timeout ended try attempt + 1; the next starts after pauseMs.
    void lockRetry(int attempt, int retries, int pauseMs);

private:
    bool runOnce(int index, const MigrationStep &step, const MigrationScript &script, QStringList *heads,
                 RunResult *result);
    bool runTransactional(int index, const MigrationStep &step, const MigrationScript &script, QStringList *heads,
                          RunResult *result);
    bool runNonTransactional(int index, const MigrationStep &step, const MigrationScript &script, QStringList *heads,
                             RunResult *result);
    // What a revision's bookkeeping sends before its statements; the next step's, for the epilogue to carry.
    RevisionBookkeeping::Prologue prologue(const MigrationStep &step, const MigrationScript &script) const;
    std::optional<RevisionBookkeeping::Prologue> nextPrologue(int index) const;
    // A statement ended the transaction the revision runs in: says what became of the work before it.
    QString transactionEnded(const MigrationStep &step, const MigrationScript &script, int statement, int line,
                             TransactionGuard &guard, RunResult *result);
    QString connectionLostText(const MigrationStep &step, int statement, bool recording, const SqlError &error,
                               const RunResult &result) const;
    // The first line of a failed step's message; statement -1: it failed while recording itself.
    QString describeFailure(const MigrationStep &step, const MigrationScript &script, int statement, int line,
                            const SqlError &error) const;
    // SQLSTATE 57014 from --statement-timeout rather than from the user's cancel.
    bool statementTimedOut(const SqlError &error) const;
    void completeStep(int index, const QStringList &newHeads, QStringList *heads, RunResult *result, qint64 elapsedMs);
    // Sets *result from a failed step, records the failed attempt in the history and reports it.
    bool failStep(int index, HistoryEntry history, const QElapsedTimer &timer, const SqlError &error,
                  const QString &text, RunResult *result, bool connectionLost = false);
    HistoryEntry historyEntry(const MigrationStep &step, const MigrationScript &script, const QDateTime &started) const;

    Context m_context;
    TransactionGuard &m_runGuard;
    RevisionBookkeeping m_revisionBooks; // knows, from one revision to the next, whether the version table exists
    bool m_leftovers = false;
    bool m_runCommitted = false;
    bool m_lockTimedOut = false;
    int m_attempt = 0;          // the try of the current step (or run, with --single-transaction), from 0
    int m_statementsDone = 0;   // of the last non-transactional revision that failed
};

} // namespace MigrationDesk
