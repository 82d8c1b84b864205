#include "migrations/transactionguard.h"

#include "db/pgconnection.h"

#include <libpq-fe.h>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

TransactionGuard::TransactionGuard(PgConnection &connection)
    : m_connection(connection)
{
}

bool TransactionGuard::begin(SqlError *error)
{
    const PgPipeline::Statement read = beginStatement();
    const auto rows = m_connection.query(read.sql, read.params, error);
    return rows && begun(*rows);
}

PgPipeline::Statement TransactionGuard::beginStatement()
{
    return {u"SELECT pg_catalog.txid_current()::text"_s, {}};
}

bool TransactionGuard::begun(const QList<QStringList> &rows)
{
    m_txid = rows.value(0).value(0);
    return !m_txid.isEmpty();
}

TransactionGuard::State TransactionGuard::state() const
{
    PGconn *conn = m_connection.pgconn();
    if (!conn || PQstatus(conn) != CONNECTION_OK)
        return State::ConnectionLost;
    switch (PQtransactionStatus(conn)) {
    case PQTRANS_INTRANS:
        return State::Open;
    case PQTRANS_INERROR:
        return State::Failed;
    case PQTRANS_IDLE:
        return State::Idle;
    default:
        // ACTIVE cannot be seen between statements; UNKNOWN means the connection is gone.
        return State::ConnectionLost;
    }
}

bool TransactionGuard::sameTransaction(SqlError *error)
{
    // txid_current_if_assigned(): no new id is spent on a chained transaction that has none yet.
    const auto rows = m_connection.query(u"SELECT coalesce(pg_catalog.txid_current_if_assigned()::text, '')"_s, {}, error);
    return rows && !rows->isEmpty() && rows->first().value(0) == m_txid;
}

PgPipeline::Statement TransactionGuard::sameTransactionCheck() const
{
    const QString now = u"coalesce(pg_catalog.txid_current_if_assigned()::text, '')"_s;
    return {u"SELECT "_s + PgPipeline::failUnless(now + u" = $1"_s, u"the transaction the runner began ended"_s, now),
            {m_txid}};
}

TransactionGuard::Outcome TransactionGuard::outcome()
{
    if (m_txid.isEmpty())
        return Outcome::Unknown;
    const auto rows = m_connection.query(u"SELECT pg_catalog.txid_status($1::bigint)"_s, {m_txid}, nullptr);
    if (!rows || rows->isEmpty())
        return Outcome::Unknown;
    const QString status = rows->first().value(0);
    if (status == QLatin1String("committed"))
        return Outcome::Committed;
    if (status == QLatin1String("aborted"))
        return Outcome::RolledBack;
    return Outcome::Unknown;
}

} // namespace MigrationDesk
