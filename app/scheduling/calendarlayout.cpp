#include "scheduling/calendarlayout.h"

#include <algorithm>
#include <numeric>

namespace MigrationDesk {

QDate CalendarLayout::weekStart(const QDate &date, Qt::DayOfWeek firstDayOfWeek)
{
    return date.addDays(-((date.dayOfWeek() - int(firstDayOfWeek) + 7) % 7));
}

std::pair<QDate, QDate> CalendarLayout::visibleRange(Mode mode, const QDate &anchor, Qt::DayOfWeek firstDayOfWeek)
{
    if (mode == Mode::Week) {
        const QDate first = weekStart(anchor, firstDayOfWeek);
        return {first, first.addDays(6)};
    }
    const QDate monthFirst(anchor.year(), anchor.month(), 1);
    const QDate monthLast = monthFirst.addMonths(1).addDays(-1);
    const QDate first = weekStart(monthFirst, firstDayOfWeek);
    const QDate last = weekStart(monthLast, firstDayOfWeek).addDays(6);
    return {first, last};
}

QDate CalendarLayout::step(Mode mode, const QDate &anchor, int steps)
{
    return mode == Mode::Week ? anchor.addDays(7 * steps) : anchor.addMonths(steps);
}

QList<CalendarPlacement> CalendarLayout::placeDay(const QList<std::pair<QTime, QTime>> &items)
{
    const int n = int(items.size());
    QList<int> startMin(n), endMin(n);
    for (int i = 0; i < n; ++i) {
        startMin[i] = items.at(i).first.isValid() ? items.at(i).first.msecsSinceStartOfDay() / 60000 : 0;
        const QTime end = items.at(i).second;
        const int e = end.isValid() ? end.msecsSinceStartOfDay() / 60000 : -1;
        endMin[i] = e > startMin[i] ? e : startMin[i] + 30;
    }
    QList<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return startMin[a] != startMin[b] ? startMin[a] < startMin[b] : endMin[a] > endMin[b];
    });

    QList<CalendarPlacement> placements(n);
    QList<int> group;        // indexes of the current overlapping group
    QList<int> columnEnds;   // per column of the group: when its last item ends
    int groupEnd = -1;
    auto closeGroup = [&] {
        for (int i : std::as_const(group))
            placements[i].columns = int(columnEnds.size());
        group.clear();
        columnEnds.clear();
    };
    for (int i : std::as_const(order)) {
        if (!group.isEmpty() && startMin[i] >= groupEnd)
            closeGroup();
        int column = 0;
        while (column < columnEnds.size() && columnEnds.at(column) > startMin[i])
            ++column;
        if (column == columnEnds.size())
            columnEnds.append(endMin[i]);
        else
            columnEnds[column] = endMin[i];
        placements[i].column = column;
        group.append(i);
        groupEnd = group.size() == 1 ? endMin[i] : std::max(groupEnd, endMin[i]);
    }
    closeGroup();
    return placements;
}

} // namespace MigrationDesk
