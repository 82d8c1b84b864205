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

WarmUp ScheduleGrid::openingWindow(const QDate &today, Qt::DayOfWeek firstDayOfWeek, int rows)
{
    WarmUp warmUp;
    warmUp.schema = u"public"_s;
    warmUp.table = u"schedules"_s;
    warmUp.joins = {employeeJoin()};
    warmUp.sortColumn = openingSortColumn();
    warmUp.filters = ScheduleFilter::build(ScheduleFilterState(), today, firstDayOfWeek);
    warmUp.limit = rows;
    return warmUp;
}

} // namespace MigrationDesk
