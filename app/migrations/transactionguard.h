#pragma once

#include "db/pgpipeline.h"

#include <QCoreApplication>
#include <QString>

namespace MigrationDesk {

class PgConnection;
struct SqlError;

// Checks, after each statement of a script, that the statement left the runner's transaction as the
// runner expects it, using libpq's own transaction status (PQtransactionStatus): still open for a
// transactional revision, none for a non-transactional one. When a script ended the transaction
// anyway, it finds out from the server whether that transaction committed, so the runner reports what
// really happened. Uses the runner's connection on the runner's thread; shares the runner's context.
class TransactionGuard
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MigrationRunner)

public:
    enum class State { Open, Failed, Idle, ConnectionLost };
    enum class Outcome { Committed, RolledBack, Unknown };

    explicit TransactionGuard(PgConnection &connection);

    // Right after BEGIN: remembers the transaction's id (txid_current()).
    bool begin(SqlError *error);
    // begin() sent in a pipeline right after its BEGIN: the statement, then the row it read.
    static PgPipeline::Statement beginStatement();
    bool begun(const QList<QStringList> &rows);
    State state() const;
    // The transaction begin() saw is still the open one: false after, e.g., COMMIT AND CHAIN.
    bool sameTransaction(SqlError *error);
    // The same check as a statement for a pipeline: it fails on the server (SQLSTATE 22P02, see
    // RevisionBookkeeping) unless the open transaction is the one begin() saw, so nothing after it runs.
    PgPipeline::Statement sameTransactionCheck() const;
    // What became of the transaction begin() saw, asked of the server (txid_status).
    Outcome outcome();

private:
    PgConnection &m_connection;
    QString m_txid;
};

} // namespace MigrationDesk
