#include "db/poolerprobe.h"

#include "db/pgconnection.h"

#include <libpq-fe.h>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

std::optional<bool> isBehindPooler(PGconn *conn, SqlError *error)
{
    // PgBouncer 1.18 sends random BackendKeyData (its own cancel key), never the server's pid: the server
    // session behind a client may change, so a pooler must route cancel requests itself.
    const auto rows = PgConnection::queryOn(conn, u"SELECT pg_backend_pid()"_s, {}, error);
    if (!rows || rows->isEmpty())
        return std::nullopt;
    return rows->first().value(0).toInt() != PQbackendPID(conn);
}

} // namespace MigrationDesk
