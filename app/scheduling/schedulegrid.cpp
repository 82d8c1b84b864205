#include "scheduling/schedulegrid.h"

#include "scheduling/schedulefilter.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

JoinSpec ScheduleGrid::employeeJoin()
{
    return {u"employee_id"_s, u"public"_s, u"employees"_s, u"employee_id"_s,
            {{u"name"_s, u"employee_name"_s}, {u"department"_s, u"department"_s}}};
}

QString ScheduleGrid::openingSortColumn()
{
    return u"schedule_date"_s;
}

QStringList ScheduleGrid::thenBy()
{
    return {u"start_time"_s};
}

QString ScheduleGrid::openingValue(const QDate &today)
{
    return today.toString(Qt::ISODate);
}

WarmUp ScheduleGrid::openingWindow(const QDate &today, Qt::DayOfWeek firstDayOfWeek, int rows)
{
    WarmUp warmUp;
    warmUp.schema = u"public"_s;
    warmUp.table = u"schedules"_s;
    warmUp.joins = {employeeJoin()};
    warmUp.sortColumn = openingSortColumn();
    warmUp.thenBy = thenBy();
    warmUp.seekValue = openingValue(today);
    warmUp.filters = ScheduleFilter::build(ScheduleFilterState(), today, firstDayOfWeek);
    warmUp.limit = rows;
    return warmUp;
}

} // namespace MigrationDesk
