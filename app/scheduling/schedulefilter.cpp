#include "scheduling/schedulefilter.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

bool ScheduleFilterState::isEmpty() const
{
    return employeeId.isEmpty() && department.isEmpty() && dateRange == DateRange::Any && scheduleTypes.isEmpty()
        && statuses.isEmpty() && priorities.isEmpty() && search.trimmed().isEmpty();
}

std::pair<QDate, QDate> ScheduleFilter::dateRange(const ScheduleFilterState &state, const QDate &today,
                                                  Qt::DayOfWeek firstDayOfWeek)
{
    switch (state.dateRange) {
    case ScheduleFilterState::DateRange::Any:
        return {};
    case ScheduleFilterState::DateRange::Today:
        return {today, today};
    case ScheduleFilterState::DateRange::ThisWeek: {
        const int back = (today.dayOfWeek() - int(firstDayOfWeek) + 7) % 7;
        const QDate first = today.addDays(-back);
        return {first, first.addDays(6)};
    }
    case ScheduleFilterState::DateRange::ThisMonth: {
        const QDate first(today.year(), today.month(), 1);
        return {first, first.addMonths(1).addDays(-1)};
    }
    case ScheduleFilterState::DateRange::Custom: {
        QDate from = state.customFrom;
        QDate to = state.customTo;
        if (from.isValid() && to.isValid() && from > to)
            std::swap(from, to);
        return {from, to};
    }
    }
    return {};
}

namespace {

void appendRest(QList<ColumnFilter> &filters, const ScheduleFilterState &state)
{
    auto oneOf = [&filters](const QString &column, const QStringList &values) {
        if (values.size() == 1)
            filters.append({column, ColumnFilter::Equal, values.first(), {}, {}});
        else if (values.size() > 1)
            filters.append({column, ColumnFilter::In, {}, {}, {}, values});
    };
    oneOf(u"schedule_type"_s, state.scheduleTypes);
    oneOf(u"status"_s, state.statuses);
    oneOf(u"priority"_s, state.priorities);

    const QString search = state.search.trimmed();
    if (!search.isEmpty())
        filters.append({u"title"_s, ColumnFilter::ContainsAny, search, {}, {u"client_name"_s}});
}

} // namespace

QList<ColumnFilter> ScheduleFilter::buildForRange(const ScheduleFilterState &state, const QDate &from, const QDate &to)
{
    ScheduleFilterState custom = state;
    custom.dateRange = ScheduleFilterState::DateRange::Custom;
    custom.customFrom = from;
    custom.customTo = to;
    return build(custom, from);
}

QList<ColumnFilter> ScheduleFilter::build(const ScheduleFilterState &state, const QDate &today,
                                          Qt::DayOfWeek firstDayOfWeek)
{
    QList<ColumnFilter> filters;
    auto equal = [&filters](const QString &column, const QString &value) {
        if (!value.isEmpty())
            filters.append({column, ColumnFilter::Equal, value, {}, {}});
    };
    equal(u"employee_id"_s, state.employeeId);
    equal(u"department"_s, state.department);

    // Dates travel as ISO text and are cast to date on the server, whatever the UI's locale shows.
    const auto [from, to] = dateRange(state, today, firstDayOfWeek);
    const QString iso = u"yyyy-MM-dd"_s;
    if (from.isValid() && to.isValid())
        filters.append({u"schedule_date"_s, ColumnFilter::Between, from.toString(iso), to.toString(iso), {}});
    else if (from.isValid()) // Less/Greater are strict: one day outside the bound keeps it inclusive
        filters.append({u"schedule_date"_s, ColumnFilter::Greater, from.addDays(-1).toString(iso), {}, {}});
    else if (to.isValid())
        filters.append({u"schedule_date"_s, ColumnFilter::Less, to.addDays(1).toString(iso), {}, {}});

    appendRest(filters, state);
    return filters;
}

} // namespace MigrationDesk
