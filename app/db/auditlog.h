#pragma once

#include <QString>

namespace MigrationDesk {

class PgConnection;
struct SqlError;

// One audited action: "restore", "purge" or "delete" (an undone restore) of one row, with the row's
// key and its values before the change as JSON text; or "unmask" of a sensitive column, the key {}
// and the values {"column": name}. A plain value.
struct AuditEntry
{
    QString action;
    QString schema;
    QString table;
    QString rowKey;   // e.g. {"id": 7}
    QString before;   // to_jsonb of the row before the change
    QString osUser;
};

// The audit trail, migrationdesk.audit: creates the table when first needed (and widens an older
// table's action list) and writes one row per audited action. Generic: the trash and the Tables
// view's unmasking both write through it. Runs on the thread that owns the connection.
class AuditLog
{
public:
    explicit AuditLog(PgConnection &connection);

    // The operating-system user recorded beside current_user: USER, LOGNAME, then the password database.
    static QString osUser();

    // Creates migrationdesk.audit (and its schema) when missing. Idempotent and safe when sessions
    // race; an existing table is used as it is, except that a table from before "unmask" and
    // "delete" existed gets those actions added to its CHECK. Runs in its own transaction: call it
    // outside one.
    bool ensureTable(SqlError *error);

    // One row, in the caller's transaction. Values of sensitive columns (SensitiveColumns) are
    // replaced by "(masked)" unless they are null.
    bool record(const AuditEntry &entry, SqlError *error);

private:
    PgConnection &m_connection;
};

} // namespace MigrationDesk
