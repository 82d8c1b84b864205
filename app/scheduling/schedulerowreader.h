#pragma once

#include <QHash>
#include <QString>

#include <optional>

namespace MigrationDesk {

class PgConnection;

// Reads one schedule as it is stored now, the way the Schedules grid reads it: every column of
// public.schedules as text (a null QString is SQL NULL) plus its employee's name and department.
// Used after a save and on Discard so the detail pane shows the database, not what was sent. Runs on
// the caller's connection and thread (the editor's worker).
class ScheduleRowReader
{
public:
    // An empty hash when the row does not exist; nullopt (and *error) when the query failed.
    static std::optional<QHash<QString, QString>> read(PgConnection &connection, const QString &scheduleId,
                                                        QString *error = nullptr);
};

} // namespace MigrationDesk
