#include "scheduling/scheduleeditor.h"

#include "db/pgconnection.h"
#include "scheduling/enumlabels.h"
#include "scheduling/schedulename.h"
#include "scheduling/schedulerowreader.h"

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

QString nameOf(const ScheduleEdit &edit)
{
    return ScheduleName::of(edit.scheduleId, edit.title, edit.scheduleDate);
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
                   ScheduleEditor::tr("%1 could not be saved. Nothing was changed.\n%2").arg(nameOf(edit), error.toString()));
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

void ScheduleEditor::reload(const QString &scheduleId, const QString &name)
{
    if (!m_connection) {
        Q_EMIT reloaded(scheduleId, {}, tr("Not connected: %1 could not be read again.").arg(name));
        return;
    }
    QString error;
    const auto values = ScheduleRowReader::read(*m_connection, scheduleId, &error);
    if (!values) {
        Q_EMIT reloaded(scheduleId, {}, tr("%1 could not be read again.\n%2").arg(name, error));
        return;
    }
    Q_EMIT reloaded(scheduleId, *values, values->isEmpty() ? tr("%1 no longer exists.").arg(name) : QString());
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
        // What the pane shows next is what is stored (a trigger may have changed more than we sent).
        out.stored = ScheduleRowReader::read(connection, edit.scheduleId).value_or(QHash<QString, QString>());
        return out;
    }

    // Nothing matched: say why, from inside the same transaction.
    QString readError;
    const auto current = ScheduleRowReader::read(connection, edit.scheduleId, &readError);
    rollback();
    if (!current) {
        return outcome(ScheduleSaveOutcome::Failed, edit,
                       tr("%1 could not be saved. Nothing was changed.\n%2").arg(nameOf(edit), readError));
    }
    if (current->isEmpty()) {
        return outcome(ScheduleSaveOutcome::Missing, edit,
                       tr("%1 no longer exists. Nothing was saved.").arg(nameOf(edit)));
    }
    if (current->value(u"is_deleted"_s) == u"true"_s) {
        ScheduleSaveOutcome out = outcome(
            ScheduleSaveOutcome::Deleted, edit,
            tr("%1 was deleted meanwhile (it is in the trash). Nothing was saved.").arg(nameOf(edit)));
        out.stored = *current;
        return out;
    }
    const QString updatedAt = current->value(u"updated_at"_s);
    ScheduleSaveOutcome out = outcome(
        ScheduleSaveOutcome::Conflict, edit,
        tr("%1 was changed by someone else since you opened it (updated at %2 UTC). Nothing was saved; "
           "your edits are kept. Discard them to see the current values.")
            .arg(nameOf(edit), updatedAt.left(19)));
    out.currentUpdatedAt = updatedAt;
    out.stored = *current;
    return out;
}

} // namespace MigrationDesk
