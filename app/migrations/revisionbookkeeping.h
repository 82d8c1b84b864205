#pragma once

#include "db/pgpipeline.h"
#include "migrations/bookkeeping.h"

#include <QCoreApplication>

#include <optional>

namespace MigrationDesk {

class PgConnection;
class TransactionGuard;

// One revision's bookkeeping around its statements, each side in one round trip (libpq pipeline mode):
// before them the transaction, its settings, the search_path and the version table's state; after them
// the checks that the script left the transaction and the version table alone, the version writes, the
// history row and the COMMIT. Each check that decides the COMMIT runs on the server inside the pipeline
// and fails there (PgPipeline::failUnless), so nothing after a failed check runs. Made by StepRunner for
// one run, on the runner's thread; shares the runner's translation context.
class RevisionBookkeeping
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MigrationRunner)

public:
    struct Prologue
    {
        bool begin = false;                 // opens the revision's transaction; the guard remembers its id
        bool local = true;                  // the search_path until the transaction ends, else the session's
        QString searchPath;
        std::optional<QString> lockTimeout; // behind a pooler: the run's settings, SET LOCAL after the BEGIN
        std::optional<InterruptedRun> marker; // non-transactional: the progress marker, committed before it starts
    };
    struct Epilogue
    {
        bool begin = false;                  // the records get a transaction of their own (non-transactional)
        bool commit = false;
        const TransactionGuard *guard = nullptr; // checks that the open transaction is still the one it began
        QList<VersionOp> ops;
        HistoryEntry history;
        QString clearInterrupted;            // the revision whose progress marker goes with the records
    };
    enum class Outcome { Recorded, TransactionChanged, Failed };

    // versionTableExists: whether the table is expected to exist (its rows are read with its identity);
    // a wrong guess that it does not costs one more round trip, never a wrong answer.
    RevisionBookkeeping(PgConnection &connection, Bookkeeping &books, bool versionTableExists);

    // A history row for one revision of run runId, by whom and from where.
    static HistoryEntry historyEntry(const QString &runId, const QString &appVersion, const QString &revision,
                                     MigrationOp op, const QString &scriptSha256, const QDateTime &started);
    // The statement that applies the run's settings to a transaction behind a pooler.
    static PgPipeline::Statement transactionSettings(const QString &lockTimeout);

    // Sends the prologue, or reads what close() sent of it ahead; false with *error when any part failed
    // (the caller rolls back).
    bool open(const Prologue &prologue, TransactionGuard *guard, SqlError *error);
    // The version table's state that open() read (Bookkeeping::versionTableState's form).
    QString state() const { return Bookkeeping::stateOf(m_identity, m_rows); }
    // Sends the epilogue, and in the same round trip the next revision's prologue when there is one (its
    // open() then sends nothing). Failed (with *error) leaves the transaction failed or gone, never
    // committed, and nothing of the next prologue run; TransactionChanged: the guard's check found another
    // transaction open.
    Outcome close(const Epilogue &epilogue, const Prologue *next, SqlError *error);

private:
    QList<PgPipeline::Statement> prologueStatements(const Prologue &prologue, bool rowsRead) const;
    bool readPrologue(const Prologue &prologue, const QList<PgPipeline::Result> &results, bool rowsRead,
                      TransactionGuard *guard, SqlError *error);
    QList<PgPipeline::Statement> stateChecks() const;
    PgPipeline::Statement opCheck(const VersionOp &op) const;
    QString versionTableChanged() const;

    PgConnection &m_connection;
    Bookkeeping &m_books;
    bool m_tableExpected;
    QString m_identity; // null: the table did not exist
    QString m_rows;
    bool m_ahead = false; // the next prologue went with the last epilogue; its results wait for open()
    bool m_aheadBegin = false;
    QList<PgPipeline::Result> m_aheadResults;
};

} // namespace MigrationDesk
