#include "db/poolerprobe.h"

#include "db/pgconnection.h"

#include <libpq-fe.h>

#include <QStringList>

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

std::optional<bool> applyUnlessPooled(PGconn *conn, const QList<QPair<QString, QString>> &settings, SqlError *error)
{
    // CASE evaluates set_config only on the matching branch; names and values are bound, never pasted.
    QString sql = u"SELECT pg_backend_pid() <> $1::int"_s;
    QStringList params{QString::number(conn ? PQbackendPID(conn) : 0)};
    for (const auto &setting : settings) {
        sql += u", CASE WHEN pg_backend_pid() = $1::int THEN pg_catalog.set_config($%1, $%2, false) END"_s
                   .arg(params.size() + 1).arg(params.size() + 2);
        params << setting.first << setting.second;
    }
    const auto rows = PgConnection::queryOn(conn, sql, params, error);
    if (!rows || rows->isEmpty())
        return std::nullopt;
    return rows->first().value(0) == QLatin1String("t");
}

} // namespace MigrationDesk
