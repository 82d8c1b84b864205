#pragma once

#include <QCoreApplication>
#include <QString>

namespace MigrationDesk {

// How messages name a schedule: its title in quotes and its date ("“Quarterly review” (5/12/26)"),
// or "Schedule 6153" when the title is unknown. Pure; any thread, after the translator is installed.
class ScheduleName
{
    Q_DECLARE_TR_FUNCTIONS(ScheduleName)

public:
    // isoDate: schedule_date as the database prints it (yyyy-MM-dd); anything else is left out.
    static QString of(const QString &id, const QString &title, const QString &isoDate);
};

} // namespace MigrationDesk
