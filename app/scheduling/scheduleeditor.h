#pragma once

#include "db/connectionsettings.h"

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

    bool ok() const { return kind == Saved; }
};

// Saves status, result and follow-up of one schedule in one transaction with an optimistic check on
// updated_at: nothing is overwritten when the row changed, was deleted or vanished since it was read.
// Lives on the QThread its owner starts, with its own writable connection; save() is invoked queued
// and answers with saved(). saveOn() does the same work on any connection, on the caller's thread.
class ScheduleEditor : public QObject
{
    Q_OBJECT

public:
    explicit ScheduleEditor(QObject *parent = nullptr);
    ~ScheduleEditor() override;

    void open(const MigrationDesk::ConnectionSettings &settings);
    void close();
    void save(const MigrationDesk::ScheduleEdit &edit);

    static ScheduleSaveOutcome saveOn(PgConnection &connection, const ScheduleEdit &edit);

Q_SIGNALS:
    void opened(bool ok, const QString &error);
    void saved(const MigrationDesk::ScheduleSaveOutcome &outcome);

private:
    std::unique_ptr<PgConnection> m_connection;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::ScheduleEdit)
Q_DECLARE_METATYPE(MigrationDesk::ScheduleSaveOutcome)
