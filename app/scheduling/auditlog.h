#pragma once

#include <QString>

namespace MigrationDesk {

class PgConnection;
struct SqlError;

// What the Trash view did to one row: action "restore" or "purge", the row's key and its values
// before the change, both as JSON text. A plain value.
struct AuditEntry
{
    QString action;
    QString schema;
    QString table;
    QString rowKey;   // e.g. {"id": 7}
    QString before;   // to_jsonb of the row before the change
    QString osUser;
};

// The trash's audit trail, migrationdesk.audit: creates the table when first needed and writes one
// row per restored or purged row. Runs on the thread that owns the connection (TrashWorker's).
class AuditLog
{
public:
    explicit AuditLog(PgConnection &connection);

    // Creates migrationdesk.audit (and its schema) when missing. Idempotent and safe when sessions
    // race; an existing table is used as it is. Runs in its own transaction: call it outside one.
    bool ensureTable(SqlError *error);

    // One row, in the caller's transaction. Values of sensitive columns (SensitiveColumns) are
    // replaced by "(masked)" unless they are null.
    bool record(const AuditEntry &entry, SqlError *error);

private:
    PgConnection &m_connection;
};

} // namespace MigrationDesk
