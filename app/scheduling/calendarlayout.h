#pragma once

#include <QDate>
#include <QList>
#include <QTime>

namespace MigrationDesk {

// Where one timed item of a day goes: its side-by-side column among the items it overlaps, and how
// many columns its group of overlapping items needs. A plain value; any thread.
struct CalendarPlacement
{
    int column = 0;
    int columns = 1;
};

// The calendar's pure arithmetic: the visible range of a week or a month, and how a day's overlapping
// items share its width. No widgets and no database; any thread (unit-tested on its own).
class CalendarLayout
{
public:
    enum class Mode { Week, Month };

    // The first day of `date`'s week.
    static QDate weekStart(const QDate &date, Qt::DayOfWeek firstDayOfWeek);
    // The inclusive range a mode shows around `anchor`: the week, or the whole weeks covering the month.
    static std::pair<QDate, QDate> visibleRange(Mode mode, const QDate &anchor, Qt::DayOfWeek firstDayOfWeek);
    // The anchor one page earlier (steps < 0) or later: a week, or a month (kept inside the month).
    static QDate step(Mode mode, const QDate &anchor, int steps);

    // Columns for one day's items, given as [start, end) in the input order; an item without a valid end
    // (or ending before it starts) lasts 30 minutes. Items that overlap, directly or through others, form
    // one group that shares the width: each gets the first column free at its start.
    static QList<CalendarPlacement> placeDay(const QList<std::pair<QTime, QTime>> &items);
};

} // namespace MigrationDesk
