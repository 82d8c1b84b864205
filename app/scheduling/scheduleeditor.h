#pragma once

#include "db/connectionsettings.h"

#include <QHash>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <memory>

namespace MigrationDesk {

class PgConnection;

// A manager's change to one schedule, with the updated_at it was read at (text, so microseconds
// survive). A null result/followUp stores SQL NULL. A plain value; any thread.
struct ScheduleEdit
{
    QString scheduleId;
    QString expectedUpdatedAt;  // null when the row had none
    QString status;
    QString result;
    QString followUp;
    QString title;         // for messages only
    QString scheduleDate;  // schedule_date (ISO), for messages only
};

// How a save ended. A plain value; any thread.
struct ScheduleSaveOutcome
{
    enum Kind {
        Saved,
        Invalid,          // refused before touching the database (e.g. an unknown status)
        Conflict,         // someone else changed the row since it was read
        Deleted,          // the row was moved to the trash meanwhile
        Missing,          // the row is gone
        PermissionDenied, // the role lacks UPDATE on the table or the columns
        Failed,           // anything else the server refused (read-only database, lost connection...)
    };
    Kind kind = Failed;
    QString scheduleId;
    QString message;          // for people; empty when saved
    QString newUpdatedAt;     // Saved: the value the trigger wrote
    QString currentUpdatedAt; // Conflict: the row's updated_at now
    // The row as stored after the save (Saved, Conflict, Deleted), read on the editor's connection:
    // what the detail pane shows next. Empty when the row is gone or could not be read.
    QHash<QString, QString> stored;

    bool ok() const { return kind == Saved; }
};

// Saves status, result and follow-up of one schedule in one transaction with an optimistic check on
// updated_at: nothing is overwritten when the row changed, was deleted or vanished since it was read.
// Lives on the QThread its owner starts, with its own writable connection; save() is invoked queued
// and answers with saved(); reload() reads a schedule as stored now and answers with reloaded().
// saveOn() does the same work as save() on any connection, on the caller's thread.
class ScheduleEditor : public QObject
{
    Q_OBJECT

public:
    explicit ScheduleEditor(QObject *parent = nullptr);
    ~ScheduleEditor() override;

    void open(const MigrationDesk::ConnectionSettings &settings);
    void close();
    void save(const MigrationDesk::ScheduleEdit &edit);
    // name: how messages name the schedule if it is gone (ScheduleName).
    void reload(const QString &scheduleId, const QString &name);

    static ScheduleSaveOutcome saveOn(PgConnection &connection, const ScheduleEdit &edit);

Q_SIGNALS:
    void opened(bool ok, const QString &error);
    void saved(const MigrationDesk::ScheduleSaveOutcome &outcome);
    // values: the row as stored (empty when it is gone or unread); error: for people, empty when read.
    void reloaded(const QString &scheduleId, const QHash<QString, QString> &values, const QString &error);

private:
    std::unique_ptr<PgConnection> m_connection;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::ScheduleEdit)
Q_DECLARE_METATYPE(MigrationDesk::ScheduleSaveOutcome)
