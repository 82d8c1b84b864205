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
    // The column the grid opens sorted by (ascending): the partial index ix_schedules_live_date_id serves it.
    static QString openingSortColumn();
    // The grid's first window with the filter panel untouched.
    static WarmUp openingWindow(const QDate &today, Qt::DayOfWeek firstDayOfWeek, int rows);
};

} // namespace MigrationDesk
