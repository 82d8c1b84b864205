#pragma once

#include "browse/keysetquery.h"

#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>

namespace MigrationDesk {

// What the schedule filter panel asks for. A plain value; any thread. Empty strings mean "any".
struct ScheduleFilterState
{
    enum class DateRange { Any, Today, ThisWeek, ThisMonth, Custom };

    QString employeeId;
    QString department;
    DateRange dateRange = DateRange::Any;
    QDate customFrom;   // Custom only; inclusive
    QDate customTo;     // Custom only; inclusive
    // Several values of one enum match any of them (bound as an array); empty means any.
    QStringList scheduleTypes;
    QStringList statuses;
    QStringList priorities;
    QString search;     // inside title or client_name

    bool isEmpty() const;
    bool operator==(const ScheduleFilterState &other) const
    {
        return employeeId == other.employeeId && department == other.department && dateRange == other.dateRange
               && customFrom == other.customFrom && customTo == other.customTo
               && scheduleTypes == other.scheduleTypes && statuses == other.statuses
               && priorities == other.priorities && search == other.search;
    }
    bool operator!=(const ScheduleFilterState &other) const { return !(*this == other); }
};

// Turns the panel's choices into the lazy model's server-side filters. Pure functions; any thread.
// "today" and the week's first day are parameters so that tests can pin them.
class ScheduleFilter
{
public:
    // The inclusive date range of a preset; invalid dates for Any. A reversed custom range is swapped.
    static std::pair<QDate, QDate> dateRange(const ScheduleFilterState &state, const QDate &today,
                                             Qt::DayOfWeek firstDayOfWeek = Qt::Monday);
    static QList<ColumnFilter> build(const ScheduleFilterState &state, const QDate &today,
                                     Qt::DayOfWeek firstDayOfWeek = Qt::Monday);
    // The same filters for an explicit visible range (the calendar): the state's own dates are ignored.
    static QList<ColumnFilter> buildForRange(const ScheduleFilterState &state, const QDate &from, const QDate &to);
};

} // namespace MigrationDesk
