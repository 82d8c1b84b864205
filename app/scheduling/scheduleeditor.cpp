#include "scheduling/scheduleeditor.h"

#include "db/pgconnection.h"
#include "scheduling/enumlabels.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

ScheduleSaveOutcome outcome(ScheduleSaveOutcome::Kind kind, const ScheduleEdit &edit, const QString &message)
{
    ScheduleSaveOutcome out;
    out.kind = kind;
    out.scheduleId = edit.scheduleId;
    out.message = message;
    return out;
}

// Turns a server refusal into words a manager can act on; the server's own text follows.
ScheduleSaveOutcome serverFailure(const ScheduleEdit &edit, const SqlError &error)
{
    if (error.sqlState == u"42501"_s) {
        return outcome(ScheduleSaveOutcome::PermissionDenied, edit,
                       ScheduleEditor::tr("Your database role may not change schedules (it lacks UPDATE on "
                                          "public.schedules or on its status, result and follow_up columns). "
                                          "Nothing was saved.\n%1").arg(error.toString()));
    }
    if (error.sqlState == u"25006"_s) {
        return outcome(ScheduleSaveOutcome::Failed, edit,
                       ScheduleEditor::tr("The database is read-only. Nothing was saved.\n%1").arg(error.toString()));
    }
    if (error.sqlState == u"23514"_s) {
        return outcome(ScheduleSaveOutcome::Invalid, edit,
                       ScheduleEditor::tr("The database refused the values. Nothing was saved.\n%1").arg(error.toString()));
    }
    return outcome(ScheduleSaveOutcome::Failed, edit,
                   ScheduleEditor::tr("The schedule could not be saved. Nothing was changed.\n%1").arg(error.toString()));
}

} // namespace

ScheduleEditor::ScheduleEditor(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<MigrationDesk::ScheduleEdit>();
    qRegisterMetaType<MigrationDesk::ScheduleSaveOutcome>();
}

ScheduleEditor::~ScheduleEditor() = default;

void ScheduleEditor::open(const ConnectionSettings &settings)
{
    close();
    auto connection = std::make_unique<PgConnection>();
    QString error;
    if (!connection->open(settings, &error, u"migrationdesk-edit"_s)) {
        Q_EMIT opened(false, error);
        return;
    }
    m_connection = std::move(connection);
    Q_EMIT opened(true, {});
}

void ScheduleEditor::close()
{
    m_connection.reset();
}

void ScheduleEditor::save(const ScheduleEdit &edit)
{
    if (!m_connection) {
        Q_EMIT saved(outcome(ScheduleSaveOutcome::Failed, edit, tr("Not connected. Nothing was saved.")));
        return;
    }
    Q_EMIT saved(saveOn(*m_connection, edit));
}

ScheduleSaveOutcome ScheduleEditor::saveOn(PgConnection &connection, const ScheduleEdit &edit)
{
    bool idOk = false;
    edit.scheduleId.toInt(&idOk);
    if (!idOk)
        return outcome(ScheduleSaveOutcome::Invalid, edit, tr("No schedule is selected. Nothing was saved."));
    // The CHECK constraint would refuse it too, but only after a round trip and with a less helpful text.
    if (!EnumLabels::statuses().contains(edit.status)) {
        QStringList allowed;
        for (const QString &value : EnumLabels::statuses())
            allowed.append(EnumLabels::status(value));
        return outcome(ScheduleSaveOutcome::Invalid, edit,
                       tr("\"%1\" is not a valid status. Choose one of: %2. Nothing was saved.")
                           .arg(edit.status, allowed.join(u", "_s)));
    }

    SqlError error;
    if (!connection.exec(u"BEGIN"_s, &error))
        return serverFailure(edit, error);
    auto rollback = [&connection] {
        SqlError ignored;
        connection.exec(u"ROLLBACK"_s, &ignored);
    };

    const auto updated = connection.query(
        u"UPDATE public.schedules SET status = $1, result = $2, follow_up = $3"_s
        u" WHERE schedule_id = $4::int AND updated_at IS NOT DISTINCT FROM $5::timestamp AND NOT is_deleted"_s
        u" RETURNING updated_at::text"_s,
        {edit.status, edit.result, edit.followUp, edit.scheduleId, edit.expectedUpdatedAt}, &error);
    if (!updated) {
        rollback();
        return serverFailure(edit, error);
    }
    if (!updated->isEmpty()) {
        if (!connection.exec(u"COMMIT"_s, &error)) {
            rollback();
            return serverFailure(edit, error);
        }
        ScheduleSaveOutcome out = outcome(ScheduleSaveOutcome::Saved, edit, {});
        out.newUpdatedAt = updated->first().value(0);
        return out;
    }

    // Nothing matched: say why, from inside the same transaction.
    const auto current = connection.query(
        u"SELECT is_deleted::text, updated_at::text FROM public.schedules WHERE schedule_id = $1::int"_s,
        {edit.scheduleId}, &error);
    rollback();
    if (!current)
        return serverFailure(edit, error);
    if (current->isEmpty()) {
        return outcome(ScheduleSaveOutcome::Missing, edit,
                       tr("Schedule %1 no longer exists. Nothing was saved.").arg(edit.scheduleId));
    }
    if (current->first().value(0) == u"true"_s) {
        return outcome(ScheduleSaveOutcome::Deleted, edit,
                       tr("Schedule %1 was deleted meanwhile (it is in the trash). Nothing was saved.")
                           .arg(edit.scheduleId));
    }
    ScheduleSaveOutcome out = outcome(
        ScheduleSaveOutcome::Conflict, edit,
        tr("Schedule %1 was changed by someone else since you opened it (updated at %2). Nothing was saved; "
           "your edits are kept. Discard them to see the current values.")
            .arg(edit.scheduleId, current->first().value(1)));
    out.currentUpdatedAt = current->first().value(1);
    return out;
}

} // namespace MigrationDesk
