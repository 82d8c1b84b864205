#pragma once

#include "browse/warmup.h"

#include <QDate>

namespace MigrationDesk {

// What the Schedules grid reads: the table, its employee join, and the first window it opens on, so
// that the connection's pooled sessions can be warmed for it before the view is shown. Any thread.
class ScheduleGrid
{
public:
    // Each schedule's employee name and department, read beside it.
    static JoinSpec employeeJoin();
    // The column the grid opens sorted by (ascending), and the order within a day: start time, for
    // every filter. The partial index ix_schedules_live_date_start_id (0005) serves both directions.
    static QString openingSortColumn();
    static QStringList thenBy();
    // The sort value the grid jumps to once open: today (the next day with schedules if today has none).
    static QString openingValue(const QDate &today);
    // The grid's reads on opening with the filter panel untouched: the first window, then today's.
    static WarmUp openingWindow(const QDate &today, Qt::DayOfWeek firstDayOfWeek, int rows);
};

} // namespace MigrationDesk
