#include "db/auditlog.h"

#include "db/pgconnection.h"
#include "db/sensitivecolumns.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <pwd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

AuditLog::AuditLog(PgConnection &connection)
    : m_connection(connection)
{
}

QString AuditLog::osUser()
{
    // Also the migration history's (RevisionBookkeeping). Services and CI jobs often run without USER;
    // the password database still knows us.
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("LOGNAME");
    if (user.isEmpty()) {
        if (const passwd *pw = getpwuid(geteuid()))
            user = QString::fromLocal8Bit(pw->pw_name);
    }
    return user;
}

bool AuditLog::ensureTable(SqlError *error)
{
    // One cheap look-up on every request; DDL only when the table is missing, so a role that may
    // write the audit but not create objects keeps working.
    // The third column: a table made before unmasking was audited still allows only restore/purge.
    const auto present = m_connection.query(
        u"SELECT to_regclass('migrationdesk.audit') IS NOT NULL, to_regnamespace('migrationdesk') IS NOT NULL, "
        "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass('migrationdesk.audit') "
        "AND conname = 'audit_action_check' AND pg_catalog.pg_get_constraintdef(oid) NOT LIKE '%unmask%')"_s,
        {}, error);
    if (!present)
        return false;
    if (!present->isEmpty() && present->first().value(0) == u"t"_s) {
        if (present->first().value(2) != u"t"_s)
            return true;
        // NOT VALID skips re-checking old rows (they all pass); the lock makes racing sessions take turns.
        if (m_connection.exec(u"BEGIN;\nSELECT pg_advisory_xact_lock(hashtext('migrationdesk.audit'));\n"
                                 "ALTER TABLE migrationdesk.audit DROP CONSTRAINT IF EXISTS audit_action_check;\n"
                                 "ALTER TABLE migrationdesk.audit ADD CONSTRAINT audit_action_check CHECK (action IN "
                                 "('restore', 'purge', 'delete', 'unmask')) NOT VALID;\nCOMMIT;"_s,
                              error))
            return true;
        if (m_connection.inTransaction())
            m_connection.exec(u"ROLLBACK"_s);
        return false;
    }
    const bool schemaExists = !present->isEmpty() && present->first().value(1) == u"t"_s;
    // Two sessions creating the table at once would collide in the catalog (IF NOT EXISTS checks
    // before it inserts): the transaction-level lock makes the second wait and then find the table.
    QString ddl = u"BEGIN;\nSELECT pg_advisory_xact_lock(hashtext('migrationdesk.audit'));\n"_s;
    // CREATE SCHEMA checks the database's CREATE privilege even with IF NOT EXISTS.
    if (!schemaExists)
        ddl += u"CREATE SCHEMA IF NOT EXISTS migrationdesk;\n"_s;
    ddl += uR"SQL(
-- Every restore, undone restore and permanent delete from the Trash view, written in the same
-- transaction as the change, with the row as it was before (to_jsonb), so a purge can still be
-- answered for; and every unmasking of a sensitive column in the Tables view.
CREATE TABLE IF NOT EXISTS migrationdesk.audit (
    id            bigserial PRIMARY KEY,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    db_user       text NOT NULL DEFAULT current_user,
    os_user       text,
    action        text NOT NULL CONSTRAINT audit_action_check
                  CHECK (action IN ('restore', 'purge', 'delete', 'unmask')),
    table_schema  text NOT NULL,
    table_name    text NOT NULL,
    row_key       jsonb NOT NULL,
    before_values jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_table_changed_idx ON migrationdesk.audit (table_schema, table_name, changed_at);
COMMIT;
)SQL"_s;
    // The runner creates the schema under a lock of its own: losing that race shows as a duplicate
    // error, and the second attempt finds the schema.
    for (int attempt = 0; attempt < 2; ++attempt) {
        SqlError failure;
        if (m_connection.exec(ddl, &failure))
            return true;
        if (m_connection.inTransaction())
            m_connection.exec(u"ROLLBACK"_s);
        const bool duplicate = failure.sqlState == u"23505"_s || failure.sqlState == u"42P06"_s
            || failure.sqlState == u"42P07"_s;
        if (!duplicate || attempt > 0) {
            if (error)
                *error = failure;
            return false;
        }
    }
    return false;
}

bool AuditLog::record(const AuditEntry &entry, SqlError *error)
{
    // A purge is often meant to make data go away: secrets (password hashes, tokens) are not kept
    // in the audit trail, only the fact that the column held a value.
    QJsonArray sensitive;
    const QJsonObject row = QJsonDocument::fromJson(entry.before.toUtf8()).object();
    for (auto it = row.begin(); it != row.end(); ++it) {
        if (SensitiveColumns::matches(it.key()))
            sensitive.append(it.key());
    }
    const QString keys = QString::fromUtf8(QJsonDocument(sensitive).toJson(QJsonDocument::Compact));
    return m_connection
        .query(u"INSERT INTO migrationdesk.audit (action, table_schema, table_name, row_key, "
               "before_values, os_user) SELECT $1, $2, $3, $4::jsonb, "
               "(SELECT coalesce(jsonb_object_agg(e.key, CASE WHEN e.key IN (SELECT jsonb_array_elements_text($7::jsonb)) "
               "AND e.value <> 'null'::jsonb THEN to_jsonb('(masked)'::text) ELSE e.value END), '{}'::jsonb) "
               "FROM jsonb_each($5::jsonb) AS e), $6"_s,
               {entry.action, entry.schema, entry.table, entry.rowKey, entry.before, entry.osUser, keys}, error)
        .has_value();
}

} // namespace MigrationDesk
