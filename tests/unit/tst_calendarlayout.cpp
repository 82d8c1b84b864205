// The calendar's pure parts: the visible range of a week or month, paging, how overlapping items share a
// day's width, the busiest day, and the range query's WHERE clause (values bound, never pasted).
#include "scheduling/calendarlayout.h"
#include "scheduling/calendarrangequery.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

class TestCalendarLayout : public QObject
{
    Q_OBJECT

private:
    static std::pair<QTime, QTime> span(int h1, int m1, int h2, int m2) { return {QTime(h1, m1), QTime(h2, m2)}; }

private Q_SLOTS:
    void weekRangeStartsOnTheLocalesFirstDay()
    {
        // Wednesday 9 December 2026.
        const QDate wednesday(2026, 12, 9);
        QCOMPARE(CalendarLayout::visibleRange(CalendarLayout::Mode::Week, wednesday, Qt::Monday),
                 std::make_pair(QDate(2026, 12, 7), QDate(2026, 12, 13)));
        QCOMPARE(CalendarLayout::visibleRange(CalendarLayout::Mode::Week, wednesday, Qt::Sunday),
                 std::make_pair(QDate(2026, 12, 6), QDate(2026, 12, 12)));
        // The first day itself starts its own week.
        QCOMPARE(CalendarLayout::weekStart(QDate(2026, 12, 7), Qt::Monday), QDate(2026, 12, 7));
    }

    void monthRangeCoversWholeWeeks()
    {
        // December 2026 begins on a Tuesday and ends on a Thursday.
        const auto [first, last] = CalendarLayout::visibleRange(CalendarLayout::Mode::Month, QDate(2026, 12, 20), Qt::Monday);
        QCOMPARE(first, QDate(2026, 11, 30));
        QCOMPARE(last, QDate(2027, 1, 3));
        QCOMPARE((first.daysTo(last) + 1) % 7, 0);
        QCOMPARE(first.dayOfWeek(), int(Qt::Monday));
    }

    void stepsByWeekOrMonth()
    {
        QCOMPARE(CalendarLayout::step(CalendarLayout::Mode::Week, QDate(2026, 12, 9), 1), QDate(2026, 12, 16));
        QCOMPARE(CalendarLayout::step(CalendarLayout::Mode::Week, QDate(2026, 12, 9), -1), QDate(2026, 12, 2));
        // The 31st of a month steps to the last day of a shorter one, never past it.
        QCOMPARE(CalendarLayout::step(CalendarLayout::Mode::Month, QDate(2027, 1, 31), 1), QDate(2027, 2, 28));
        QCOMPARE(CalendarLayout::step(CalendarLayout::Mode::Month, QDate(2027, 1, 15), -1), QDate(2026, 12, 15));
    }

    void overlappingItemsGetSideBySideColumns()
    {
        // 09:00-10:00 and 09:30-11:00 overlap; 11:00-12:00 starts as the second ends: a group of its own.
        const QList<CalendarPlacement> placed =
            CalendarLayout::placeDay({span(9, 0, 10, 0), span(9, 30, 11, 0), span(11, 0, 12, 0)});
        QCOMPARE(placed.size(), 3);
        QCOMPARE(placed.at(0).column, 0);
        QCOMPARE(placed.at(1).column, 1);
        QCOMPARE(placed.at(0).columns, 2);
        QCOMPARE(placed.at(1).columns, 2);
        QCOMPARE(placed.at(2).column, 0);
        QCOMPARE(placed.at(2).columns, 1);
    }

    void aFreedColumnIsReusedWithinTheGroup()
    {
        // A long item 08:00-12:00; 08:00-09:00 beside it; 09:00-10:00 takes the freed second column;
        // 08:30-09:30 overlaps both earlier short ones and needs a third.
        const QList<CalendarPlacement> placed = CalendarLayout::placeDay(
            {span(8, 0, 12, 0), span(8, 0, 9, 0), span(9, 0, 10, 0), span(8, 30, 9, 30)});
        QCOMPARE(placed.at(0).column, 0);
        QCOMPARE(placed.at(1).column, 1);
        QCOMPARE(placed.at(3).column, 2);
        QCOMPARE(placed.at(2).column, 1);
        for (const CalendarPlacement &p : placed)
            QCOMPARE(p.columns, 3);
    }

    void itemsWithoutAnEndLastHalfAnHour()
    {
        // No end, and an end before the start: both count as 30 minutes, so 10:00 and 10:20 overlap.
        const QList<CalendarPlacement> placed =
            CalendarLayout::placeDay({{QTime(10, 0), QTime()}, {QTime(10, 20), QTime(9, 0)}, span(10, 30, 11, 0)});
        QCOMPARE(placed.at(0).columns, 2);
        QCOMPARE(placed.at(1).column, 1);
        QCOMPARE(placed.at(2).column, 0);
    }

    void busiestDayIsTheEarliestOfTheMost()
    {
        CalendarResult result;
        QVERIFY(!result.busiestDay().isValid());
        result.dayCounts = {{QDate(2026, 12, 7), 3}, {QDate(2026, 12, 8), 9}, {QDate(2026, 12, 9), 9}};
        QCOMPARE(result.busiestDay(), QDate(2026, 12, 8));
    }

    void whereClauseBindsEveryValue()
    {
        CalendarRequest request;
        request.from = QDate(2026, 12, 7);
        request.to = QDate(2026, 12, 13);
        request.filters.department = u"Sales'; DROP TABLE schedules; --"_s;
        request.filters.statuses = {u"completed"_s, u"cancel\"led"_s};
        request.filters.search = u"50%_off"_s;
        request.filters.employeeId = u"42"_s;
        QStringList params;
        const QString where = CalendarRangeQuery::whereClause(request, &params);
        QVERIFY(!where.contains(u"DROP"_s));
        QVERIFY(!where.contains(u"completed"_s));
        QVERIFY(where.contains(u"s.schedule_date BETWEEN $1::date AND $2::date"_s));
        QVERIFY(where.contains(u"NOT s.is_deleted"_s));
        QVERIFY(where.contains(u"= ANY($5::text[])"_s));
        QCOMPARE(params.size(), 6);
        QCOMPARE(params.at(0), u"2026-12-07"_s);
        QCOMPARE(params.at(2), u"42"_s);
        QCOMPARE(params.at(3), request.filters.department);
        QCOMPARE(params.at(4), u"{\"completed\",\"cancel\\\"led\"}"_s);
        QCOMPARE(params.at(5), u"%50\\%\\_off%"_s);
    }
};

QTEST_GUILESS_MAIN(TestCalendarLayout)
#include "tst_calendarlayout.moc"
