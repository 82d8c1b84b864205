#pragma once

#include <QCoreApplication>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

class PgConnection;
struct SqlError;

// Which trash a row comes from: public.schedules or public.employees.
enum class TrashTable { Schedules, Employees };

// One soft-deleted row as the grid read it. The version fields are the text the grid showed, bound
// back as $n::timestamp / $n::boolean so that a row changed since then is recognised. A plain value.
struct TrashRow
{
    qint64 id = 0;
    QString label;       // title or name, for messages only
    QString date;        // schedules: schedule_date (ISO), for messages only
    QString updatedAt;   // schedules: updated_at as read (null = SQL NULL); after a restore, as restored
    QString deletedAt;   // employees: deleted_at as read; after a restore, the deleted_at an undo puts back
    QString isDeleted;   // employees: is_deleted as read ("true")
};

// A soft-deleted employee who owns some of the schedules about to be restored.
struct TrashOwner
{
    qint64 id = 0;
    QString name;
};

// What a successful restore changed, so that Undo can put exactly those rows back in the trash: each
// row with the updated_at the restore left (schedules) and the deleted_at it cleared. A plain value.
struct TrashUndo
{
    TrashTable table = TrashTable::Schedules;
    QList<TrashRow> rows;
    QList<TrashRow> owners;    // employees restored with the schedules
    bool isEmpty() const { return rows.isEmpty(); }
};

// What one restore, undo or purge did. On refusal nothing was changed and message says why.
struct TrashOutcome
{
    bool ok = false;
    QString message;
    QString sqlState;          // of the failing statement, when the server refused
    int rowsChanged = 0;       // rows of the requested table
    int ownersRestored = 0;    // employees restored together with their schedules
    TrashUndo undo;            // a successful restore: what Undo puts back
};

// Restores and permanently deletes soft-deleted rows, each request in one transaction with its
// audit rows (migrationdesk.audit). Every value is bound; names are our constants, quoted.
// Runs on the thread that owns the connection (TrashWorker's).
class TrashStore
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::TrashStore)

public:
    explicit TrashStore(PgConnection &connection);

    static QString schema();                    // "public"
    static QString tableName(TrashTable table); // "schedules" / "employees"
    static QString keyColumn(TrashTable table); // "schedule_id" / "employee_id"

    // Creates migrationdesk.audit when missing (AuditLog's idempotent DDL); false with *error when
    // the role cannot, so no change ever goes unaudited.
    bool ensureAudit(QString *error);

    // The soft-deleted employees owning any of these schedules, by id; nullopt on a server error.
    std::optional<QList<TrashOwner>> deletedOwners(const QList<qint64> &scheduleIds, QString *error);

    // Sets is_deleted = false and deleted_at = NULL on every row, or on none. withOwners (schedules
    // only) restores their soft-deleted employees too, in the same transaction.
    TrashOutcome restore(TrashTable table, const QList<TrashRow> &rows, bool withOwners = false);
    // DELETEs every row, or none; only rows still soft-deleted and unchanged since they were read.
    TrashOutcome purge(TrashTable table, const QList<TrashRow> &rows);
    // Undoes a restore: soft-deletes the rows (and owners) again with their old deleted_at, every
    // one or none, and only while each is still exactly as the restore left it (the same "changed
    // meanwhile" check as a restore). Audited as "delete".
    TrashOutcome undoRestore(const TrashUndo &undo);

    // "“Title” (date)" for a schedule, the name for an employee: how messages name a row.
    static QString rowName(TrashTable table, const TrashRow &row);
    // Up to three row names, then "and N more".
    static QString rowNames(TrashTable table, const QList<TrashRow> &rows);

    // The operating-system user recorded beside current_user in the audit.
    static QString osUser();

private:
    enum class Action { Restore, Purge, Undo };
    struct Locked
    {
        QString before;    // to_jsonb(row)
        QString deletedAt; // deleted_at::text before the change
    };

    TrashOutcome run(TrashTable table, const QList<TrashRow> &rows, Action action, bool withOwners);
    // Locks the row and checks it is still soft-deleted and unchanged; *refusal says why not.
    std::optional<Locked> lockRow(TrashTable table, const TrashRow &row, Action action, TrashOutcome *refusal);
    bool restoreOwners(const QList<TrashRow> &schedules, QList<TrashRow> *restored, TrashOutcome *refusal);
    bool undoOne(TrashTable table, const TrashRow &row, TrashOutcome *refusal);
    bool audit(Action action, TrashTable table, qint64 id, const QString &before, TrashOutcome *refusal);
    QString describe(TrashTable table, const TrashRow &row) const;
    TrashOutcome refuse(const QString &message, const SqlError *error = nullptr);
    QString serverRefusal(const QString &what, const SqlError &error, TrashTable table) const;

    PgConnection &m_connection;
    QString m_osUser;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::TrashRow)
Q_DECLARE_METATYPE(MigrationDesk::TrashOutcome)
Q_DECLARE_METATYPE(MigrationDesk::TrashOwner)
Q_DECLARE_METATYPE(MigrationDesk::TrashUndo)
