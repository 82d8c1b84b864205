#include "scheduling/trashstore.h"

#include "db/pgconnection.h"
#include "i18n/datetimeformat.h"
#include "db/sqlident.h"
#include "db/auditlog.h"

#include <QDate>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

const QString kTrue = u"true"_s;

// The ids as an integer[] literal for ANY($1::integer[]): built from numbers only, then bound.
QString idArray(const QList<qint64> &ids)
{
    QStringList parts;
    for (qint64 id : ids)
        parts.append(QString::number(id));
    return u"{"_s + parts.join(u',') + u"}"_s;
}

// The constraint a 23514/23503 names: the last double-quoted name in the server's message
// (`new row for relation "schedules" violates check constraint "ck_x"`). SqlError carries no
// constraint field; when the server speaks another language the whole message is shown anyway.
QString constraintName(const QString &message)
{
    static const QRegularExpression quoted(u"\"([^\"]+)\"[^\"]*$"_s);
    const auto match = quoted.match(message);
    return match.hasMatch() ? match.captured(1) : QString();
}

// The server's error for a message box. "Failing row contains (...)" details are left out: they
// list every column, the employee's password hash included.
QString serverText(const SqlError &error)
{
    SqlError shown = error;
    if (shown.detail.startsWith(u"Failing row contains"_s))
        shown.detail.clear();
    shown.context.clear();
    return shown.toString();
}

} // namespace

TrashStore::TrashStore(PgConnection &connection)
    : m_connection(connection)
    , m_osUser(osUser())
{
}

QString TrashStore::schema()
{
    return u"public"_s;
}

QString TrashStore::tableName(TrashTable table)
{
    return table == TrashTable::Schedules ? u"schedules"_s : u"employees"_s;
}

QString TrashStore::keyColumn(TrashTable table)
{
    return table == TrashTable::Schedules ? u"schedule_id"_s : u"employee_id"_s;
}

QString TrashStore::osUser()
{
    return AuditLog::osUser();
}

bool TrashStore::ensureAudit(QString *error)
{
    SqlError sqlError;
    if (AuditLog(m_connection).ensureTable(&sqlError))
        return true;
    if (error) {
        *error = tr("The audit table migrationdesk.audit is missing or not usable, and this role cannot create it: "
                    "%1\nRestores and permanent deletes are refused until it exists (run an upgrade with "
                    "MigrationDesk as the database owner, or ask them to grant access).")
                     .arg(sqlError.toString());
    }
    return false;
}

std::optional<QList<TrashOwner>> TrashStore::deletedOwners(const QList<qint64> &scheduleIds, QString *error)
{
    SqlError sqlError;
    const auto rows = m_connection.query(
        u"SELECT DISTINCT e.employee_id, e.name FROM public.employees e "
        "JOIN public.schedules s ON s.employee_id = e.employee_id "
        "WHERE s.schedule_id = ANY($1::integer[]) AND e.is_deleted ORDER BY e.employee_id"_s,
        {idArray(scheduleIds)}, &sqlError);
    if (!rows) {
        if (error)
            *error = sqlError.toString();
        return std::nullopt;
    }
    QList<TrashOwner> owners;
    for (const QStringList &row : *rows)
        owners.append({row.value(0).toLongLong(), row.value(1)});
    return owners;
}

TrashOutcome TrashStore::restore(TrashTable table, const QList<TrashRow> &rows, bool withOwners)
{
    return run(table, rows, Action::Restore, withOwners && table == TrashTable::Schedules);
}

TrashOutcome TrashStore::purge(TrashTable table, const QList<TrashRow> &rows)
{
    return run(table, rows, Action::Purge, false);
}

QString TrashStore::rowName(TrashTable table, const TrashRow &row)
{
    if (table == TrashTable::Employees)
        return row.label.isEmpty() ? tr("Employee %1").arg(row.id) : row.label;
    const QString title = row.label.isEmpty() ? tr("Schedule %1").arg(row.id) : u"\u201c%1\u201d"_s.arg(row.label);
    const QDate date = QDate::fromString(row.date, Qt::ISODate);
    return date.isValid() ? tr("%1 (%2)").arg(title, DateTimeFormat::date(date)) : title;
}

QString TrashStore::rowNames(TrashTable table, const QList<TrashRow> &rows)
{
    constexpr int shown = 3;
    QStringList names;
    for (const TrashRow &row : rows.mid(0, shown))
        names.append(rowName(table, row));
    QString text = names.join(u", "_s);
    if (rows.size() > shown)
        text = tr("%1 and %n more", nullptr, int(rows.size() - shown)).arg(text);
    return text;
}

QString TrashStore::describe(TrashTable table, const TrashRow &row) const
{
    if (table == TrashTable::Schedules) {
        return row.label.isEmpty() ? tr("Schedule %1").arg(row.id)
                                   : tr("Schedule %1 (\u201c%2\u201d)").arg(row.id).arg(row.label);
    }
    return row.label.isEmpty() ? tr("Employee %1").arg(row.id) : tr("Employee %1 (%2)").arg(row.id).arg(row.label);
}

TrashOutcome TrashStore::refuse(const QString &message, const SqlError *error)
{
    if (m_connection.inTransaction())
        m_connection.exec(u"ROLLBACK"_s);
    TrashOutcome outcome;
    outcome.ok = false;
    outcome.message = message + u"\n"_s + tr("Nothing was changed.");
    if (error)
        outcome.sqlState = error->sqlState;
    return outcome;
}

QString TrashStore::serverRefusal(const QString &what, const SqlError &error, TrashTable table) const
{
    const QString qualified = schema() + u'.' + tableName(table);
    if (error.sqlState == u"42501"_s)
        return tr("%1: your role may not change %2 (permission denied).\n%3").arg(what, qualified, serverText(error));
    if (error.sqlState == u"25006"_s)
        return tr("%1: the session is read-only (default_transaction_read_only or a standby server).").arg(what);
    if (error.sqlState == u"55P03"_s)
        return tr("%1 is locked by another session; try again when it has finished.\n%2").arg(what, serverText(error));
    if (error.sqlState == u"23514"_s) {
        const QString name = constraintName(error.message);
        return tr("%1 violates the check constraint %2, which was probably added after it was deleted. "
                  "Fix the row's values first.\n%3")
            .arg(what, name.isEmpty() ? tr("(unnamed)") : name, serverText(error));
    }
    if (error.sqlState == u"23503"_s) {
        return tr("%1 is still referenced through the foreign key %2, which blocks deleting it.\n%3")
            .arg(what, constraintName(error.message), serverText(error));
    }
    return tr("%1: %2").arg(what, serverText(error));
}

std::optional<TrashStore::Locked> TrashStore::lockRow(TrashTable table, const TrashRow &row, Action action,
                                                      TrashOutcome *refusal)
{
    const QString qualified = quoteQualified(schema(), tableName(table));
    const QString key = quoteIdentifier(keyColumn(table));
    // Schedules carry updated_at (kept by a trigger); employees have none, so deleted_at and
    // is_deleted as the grid read them stand in for it.
    const QString unchanged = table == TrashTable::Schedules
        ? u"t.updated_at IS NOT DISTINCT FROM $2::timestamp"_s
        : u"t.is_deleted IS NOT DISTINCT FROM $2::boolean AND t.deleted_at IS NOT DISTINCT FROM $3::timestamp"_s;
    QStringList params{QString::number(row.id)};
    if (table == TrashTable::Schedules)
        params << row.updatedAt;
    else
        params << row.isDeleted << row.deletedAt;
    SqlError error;
    const auto rows = m_connection.query(
        u"SELECT t.is_deleted::text, (%1)::text, to_jsonb(t)::text, t.deleted_at::text FROM %2 AS t "
        "WHERE t.%3 = $1::integer FOR UPDATE"_s
            .arg(unchanged, qualified, key),
        params, &error);
    const QString what = describe(table, row);
    if (!rows) {
        *refusal = refuse(serverRefusal(what, error, table), &error);
        return std::nullopt;
    }
    if (rows->isEmpty()) {
        *refusal = refuse(tr("%1 is no longer in the trash: someone deleted it permanently.").arg(what));
        return std::nullopt;
    }
    const QStringList &r = rows->first();
    if (r.value(0) != kTrue) {
        *refusal = refuse(action == Action::Restore
                              ? tr("%1 was already restored by someone else.").arg(what)
                              : tr("%1 was restored by someone else; only rows still in the trash are deleted.")
                                    .arg(what));
        return std::nullopt;
    }
    if (r.value(1) != kTrue) {
        *refusal = refuse(tr("%1 was changed by someone else after the list was read. Refresh the trash and "
                             "check the row again.")
                              .arg(what));
        return std::nullopt;
    }
    return Locked{r.value(2), r.value(3)};
}

bool TrashStore::audit(Action action, TrashTable table, qint64 id, const QString &before, TrashOutcome *refusal)
{
    SqlError error;
    AuditEntry entry;
    entry.action = action == Action::Restore ? u"restore"_s : action == Action::Purge ? u"purge"_s : u"delete"_s;
    entry.schema = schema();
    entry.table = tableName(table);
    entry.rowKey = u"{\"%1\": %2}"_s.arg(keyColumn(table)).arg(id);
    entry.before = before;
    entry.osUser = m_osUser;
    if (AuditLog(m_connection).record(entry, &error))
        return true;
    *refusal = refuse(tr("The change could not be recorded in the audit table migrationdesk.audit, so it was "
                         "not made.\n%1")
                          .arg(serverText(error)),
                      &error);
    return false;
}

bool TrashStore::restoreOwners(const QList<TrashRow> &schedules, QList<TrashRow> *restored, TrashOutcome *refusal)
{
    QList<qint64> ids;
    for (const TrashRow &row : schedules)
        ids.append(row.id);
    SqlError error;
    const auto owners = m_connection.query(
        u"SELECT e.employee_id::text, e.name, to_jsonb(e)::text, e.deleted_at::text FROM public.employees AS e "
        "WHERE e.is_deleted AND e.employee_id IN (SELECT s.employee_id FROM public.schedules AS s "
        "WHERE s.schedule_id = ANY($1::integer[])) ORDER BY e.employee_id FOR UPDATE OF e"_s,
        {idArray(ids)}, &error);
    if (!owners) {
        *refusal = refuse(serverRefusal(tr("The schedules' employees"), error, TrashTable::Employees), &error);
        return false;
    }
    for (const QStringList &owner : *owners) {
        TrashRow row;
        row.id = owner.value(0).toLongLong();
        row.label = owner.value(1);
        if (!m_connection.query(u"UPDATE public.employees SET is_deleted = false, deleted_at = NULL "
                                "WHERE employee_id = $1::integer"_s,
                                {owner.value(0)}, &error)) {
            *refusal = refuse(serverRefusal(describe(TrashTable::Employees, row), error, TrashTable::Employees),
                              &error);
            return false;
        }
        if (!audit(Action::Restore, TrashTable::Employees, row.id, owner.value(2), refusal))
            return false;
        row.deletedAt = owner.value(3);
        restored->append(row);
    }
    return true;
}

TrashOutcome TrashStore::run(TrashTable table, const QList<TrashRow> &requested, Action action, bool withOwners)
{
    QList<TrashRow> rows;
    QSet<qint64> seen;
    for (const TrashRow &row : requested) {
        if (!seen.contains(row.id)) {
            seen.insert(row.id);
            rows.append(row);
        }
    }
    if (rows.isEmpty())
        return refuse(tr("Select at least one row."));

    QString auditError;
    if (!ensureAudit(&auditError))
        return refuse(auditError);

    SqlError error;
    // A row another session holds would otherwise make the user wait without end.
    if (!m_connection.exec(u"BEGIN; SET LOCAL lock_timeout = '5s'"_s, &error))
        return refuse(error.toString(), &error);

    TrashOutcome refusal;
    TrashOutcome outcome;
    if (withOwners && !restoreOwners(rows, &outcome.undo.owners, &refusal))
        return refusal;
    outcome.ownersRestored = int(outcome.undo.owners.size());
    outcome.undo.table = table;

    const QString qualified = quoteQualified(schema(), tableName(table));
    const QString key = quoteIdentifier(keyColumn(table));
    const QString change = action == Action::Restore
        ? u"UPDATE %1 SET is_deleted = false, deleted_at = NULL WHERE %2 = $1::integer RETURNING %3"_s.arg(
              qualified, key, table == TrashTable::Schedules ? u"updated_at::text"_s : u"NULL::text"_s)
        : u"DELETE FROM %1 WHERE %2 = $1::integer AND is_deleted"_s.arg(qualified, key);

    for (const TrashRow &row : std::as_const(rows)) {
        const auto locked = lockRow(table, row, action, &refusal);
        if (!locked)
            return refusal;
        const QString what = describe(table, row);
        if (action == Action::Purge && table == TrashTable::Employees) {
            // Say which schedules block it rather than only relaying the foreign key error.
            const auto owned = m_connection.query(
                u"SELECT count(*) FROM public.schedules WHERE employee_id = $1::integer"_s, {QString::number(row.id)},
                &error);
            if (!owned)
                return refuse(serverRefusal(what, error, table), &error);
            const int count = owned->value(0).value(0).toInt();
            if (count > 0) {
                return refuse(tr("%1 still has %n schedule(s) (live or in the trash). The foreign key from "
                                 "schedules blocks deleting the employee permanently; restore or delete those "
                                 "schedules first.",
                                 nullptr, count)
                                  .arg(what));
            }
        }
        const auto changed = m_connection.query(change, {QString::number(row.id)}, &error);
        if (!changed)
            return refuse(serverRefusal(what, error, table), &error);
        if (!audit(action, table, row.id, locked->before, &refusal))
            return refusal;
        ++outcome.rowsChanged;
        if (action == Action::Restore) {
            // What Undo must find unchanged (updated_at as the trigger set it) and put back (deleted_at).
            TrashRow restored = row;
            restored.updatedAt = changed->value(0).value(0);
            restored.deletedAt = locked->deletedAt;
            outcome.undo.rows.append(restored);
        }
    }
    if (!m_connection.exec(u"COMMIT"_s, &error))
        return refuse(error.toString(), &error);

    outcome.ok = true;
    const QString names = rowNames(table, rows);
    if (action == Action::Restore) {
        outcome.message = table == TrashTable::Schedules
            ? tr("Restored %n schedule(s): %1.", nullptr, outcome.rowsChanged).arg(names)
            : tr("Restored %n employee(s): %1.", nullptr, outcome.rowsChanged).arg(names);
        if (outcome.ownersRestored > 0) {
            outcome.message += u' '
                + tr("Also restored %n employee(s): %1.", nullptr, outcome.ownersRestored)
                      .arg(rowNames(TrashTable::Employees, outcome.undo.owners));
        }
    } else {
        outcome.message = table == TrashTable::Schedules
            ? tr("Deleted %n schedule(s) permanently: %1.", nullptr, outcome.rowsChanged).arg(names)
            : tr("Deleted %n employee(s) permanently: %1.", nullptr, outcome.rowsChanged).arg(names);
    }
    return outcome;
}

bool TrashStore::undoOne(TrashTable table, const TrashRow &row, TrashOutcome *refusal)
{
    const QString qualified = quoteQualified(schema(), tableName(table));
    const QString key = quoteIdentifier(keyColumn(table));
    // The restore's own check turned round: the row must be live and just as the restore left it.
    const QString unchanged = table == TrashTable::Schedules
        ? u"t.updated_at IS NOT DISTINCT FROM $2::timestamp"_s
        : u"t.deleted_at IS NULL"_s;
    SqlError error;
    const auto rows = m_connection.query(
        u"SELECT t.is_deleted::text, (%1)::text, to_jsonb(t)::text FROM %2 AS t WHERE t.%3 = $1::integer FOR UPDATE"_s
            .arg(unchanged, qualified, key),
        table == TrashTable::Schedules ? QStringList{QString::number(row.id), row.updatedAt}
                                       : QStringList{QString::number(row.id)},
        &error);
    const QString what = describe(table, row);
    if (!rows) {
        *refusal = refuse(serverRefusal(what, error, table), &error);
        return false;
    }
    if (rows->isEmpty()) {
        *refusal = refuse(tr("%1 no longer exists: someone deleted it permanently.").arg(what));
        return false;
    }
    const QStringList &r = rows->first();
    if (r.value(0) == kTrue) {
        *refusal = refuse(tr("%1 is already back in the trash.").arg(what));
        return false;
    }
    if (r.value(1) != kTrue) {
        *refusal = refuse(tr("%1 was changed by someone else after the restore, so the restore cannot be undone. "
                             "Delete it again from its own view if that is still wanted.")
                              .arg(what));
        return false;
    }
    // Back with its old deletion time, so it returns to the same place in the trash.
    if (!m_connection.query(u"UPDATE %1 SET is_deleted = true, deleted_at = coalesce($2::timestamp, now()) "
                            "WHERE %2 = $1::integer"_s.arg(qualified, key),
                            {QString::number(row.id), row.deletedAt}, &error)) {
        *refusal = refuse(serverRefusal(what, error, table), &error);
        return false;
    }
    return audit(Action::Undo, table, row.id, r.value(2), refusal);
}

TrashOutcome TrashStore::undoRestore(const TrashUndo &undo)
{
    if (undo.isEmpty())
        return refuse(tr("There is no restore to undo."));
    QString auditError;
    if (!ensureAudit(&auditError))
        return refuse(auditError);
    SqlError error;
    if (!m_connection.exec(u"BEGIN; SET LOCAL lock_timeout = '5s'"_s, &error))
        return refuse(error.toString(), &error);
    TrashOutcome refusal;
    for (const TrashRow &row : undo.rows) {
        if (!undoOne(undo.table, row, &refusal))
            return refusal;
    }
    for (const TrashRow &owner : undo.owners) {
        if (!undoOne(TrashTable::Employees, owner, &refusal))
            return refusal;
    }
    if (!m_connection.exec(u"COMMIT"_s, &error))
        return refuse(error.toString(), &error);
    TrashOutcome outcome;
    outcome.ok = true;
    outcome.rowsChanged = int(undo.rows.size());
    outcome.message = tr("Restore undone: %1 moved back to the trash.").arg(rowNames(undo.table, undo.rows));
    if (!undo.owners.isEmpty())
        outcome.message += u' ' + tr("Their employees went back too: %1.").arg(rowNames(TrashTable::Employees, undo.owners));
    return outcome;
}

} // namespace MigrationDesk
