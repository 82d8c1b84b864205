#include "db/bulkload.h"

#include "db/pgconnection.h"

#include <libpq-fe.h>
#include <poll.h>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

bool BulkLoad::execCancellable(PgConnection &connection, const QString &sql, const std::atomic_bool *cancel,
                               QString *error)
{
    PGconn *conn = connection.pgconn();
    if (!conn || PQsendQuery(conn, sql.toUtf8().constData()) != 1) {
        *error = conn ? QString::fromUtf8(PQerrorMessage(conn)).trimmed() : tr("Not connected to a database.");
        return false;
    }
    bool cancelSent = false;
    while (PQisBusy(conn)) {
        if (!cancelSent && cancel && cancel->load()) {
            if (const auto canceller = connection.canceller())
                canceller->cancel();
            cancelSent = true;
        }
        pollfd socket{PQsocket(conn), POLLIN, 0};
        ::poll(&socket, 1, 100);
        if (PQconsumeInput(conn) != 1)
            break;
    }
    QString serverError;
    while (PGresult *result = PQgetResult(conn)) {
        const ExecStatusType status = PQresultStatus(result);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && serverError.isEmpty())
            serverError = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
        PQclear(result);
    }
    if (cancelSent) {
        *error = tr("Cancelled.");
        return false;
    }
    if (serverError.isEmpty() && PQstatus(conn) != CONNECTION_OK)
        serverError = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
    if (!serverError.isEmpty()) {
        *error = serverError;
        return false;
    }
    return true;
}

bool BulkLoad::detachIndexesAndForeignKeys(PgConnection &connection, const QString &table,
                                           const std::atomic_bool *cancel, QStringList *rebuild, QString *error)
{
    SqlError sqlError;
    const auto rows = connection.query(u"SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid), 1 AS kind, ic.relname "
        "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
        "WHERE i.indrelid = $1::regclass AND i.indisvalid AND i.indisready AND i.indislive "
        "  AND NOT i.indisclustered AND NOT i.indisreplident AND ic.reltablespace = 0 "
        "  AND obj_description(i.indexrelid, 'pg_class') IS NULL "
        "  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
        "  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.refclassid = 'pg_class'::regclass "
        "                  AND d.refobjid = i.indexrelid) "
        "  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
        "                  AND d.objid = i.indexrelid AND d.deptype = 'e') "
        "  AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indexrelid AND a.attstattarget >= 0) "
        "UNION ALL "
        "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname), "
        "       format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname, pg_get_constraintdef(k.oid)), "
        "       2, k.conname "
        "FROM pg_constraint k "
        "WHERE k.conrelid = $1::regclass AND k.contype = 'f' AND k.conparentid = 0 "
        "  AND obj_description(k.oid, 'pg_constraint') IS NULL "
        "  AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgconstraint = k.oid AND t.tgenabled <> 'O') "
        "ORDER BY 3, 4"_s,
        {table}, &sqlError);
    if (!rows) {
        *error = tr("Could not read the indexes and foreign keys of %1: %2").arg(table, sqlError.toString());
        return false;
    }
    for (const QStringList &row : *rows) {
        if (!execCancellable(connection, row.at(0), cancel, error))
            return false;
        rebuild->append(row.at(1));
    }
    return true;
}

} // namespace MigrationDesk
