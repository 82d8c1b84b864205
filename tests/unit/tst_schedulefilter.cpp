// The schedule filter panel's choices turned into server-side filters, with "today" pinned.
#include "scheduling/schedulefilter.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

using Range = ScheduleFilterState::DateRange;

class TestScheduleFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void presets_data()
    {
        QTest::addColumn<int>("range");
        QTest::addColumn<QDate>("today");
        QTest::addColumn<int>("firstDay");
        QTest::addColumn<QDate>("from");
        QTest::addColumn<QDate>("to");
        // 2026-11-25 is a Wednesday.
        QTest::newRow("today") << int(Range::Today) << QDate(2026, 11, 25) << int(Qt::Monday)
                               << QDate(2026, 11, 25) << QDate(2026, 11, 25);
        QTest::newRow("week from monday") << int(Range::ThisWeek) << QDate(2026, 11, 25) << int(Qt::Monday)
                                          << QDate(2026, 11, 23) << QDate(2026, 11, 29);
        QTest::newRow("week from sunday") << int(Range::ThisWeek) << QDate(2026, 11, 25) << int(Qt::Sunday)
                                          << QDate(2026, 11, 22) << QDate(2026, 11, 28);
        QTest::newRow("week on its first day") << int(Range::ThisWeek) << QDate(2026, 11, 23) << int(Qt::Monday)
                                               << QDate(2026, 11, 23) << QDate(2026, 11, 29);
        QTest::newRow("week on sunday, monday start") << int(Range::ThisWeek) << QDate(2026, 11, 29) << int(Qt::Monday)
                                                      << QDate(2026, 11, 23) << QDate(2026, 11, 29);
        QTest::newRow("week across a year") << int(Range::ThisWeek) << QDate(2027, 1, 1) << int(Qt::Monday)
                                            << QDate(2026, 12, 28) << QDate(2027, 1, 3);
        QTest::newRow("month") << int(Range::ThisMonth) << QDate(2026, 11, 25) << int(Qt::Monday)
                               << QDate(2026, 11, 1) << QDate(2026, 11, 30);
        QTest::newRow("leap february") << int(Range::ThisMonth) << QDate(2028, 2, 10) << int(Qt::Monday)
                                       << QDate(2028, 2, 1) << QDate(2028, 2, 29);
        QTest::newRow("december") << int(Range::ThisMonth) << QDate(2026, 12, 31) << int(Qt::Monday)
                                  << QDate(2026, 12, 1) << QDate(2026, 12, 31);
    }

    void presets()
    {
        QFETCH(int, range);
        QFETCH(QDate, today);
        QFETCH(int, firstDay);
        QFETCH(QDate, from);
        QFETCH(QDate, to);
        ScheduleFilterState state;
        state.dateRange = Range(range);
        const auto filters = ScheduleFilter::build(state, today, Qt::DayOfWeek(firstDay));
        QCOMPARE(filters.size(), 1);
        QCOMPARE(filters.first().column, u"schedule_date"_s);
        QCOMPARE(filters.first().op, ColumnFilter::Between);
        QCOMPARE(filters.first().value, from.toString(Qt::ISODate));
        QCOMPARE(filters.first().value2, to.toString(Qt::ISODate));
    }

    void customRangeIsInclusiveAndOrdered()
    {
        ScheduleFilterState state;
        state.dateRange = Range::Custom;
        state.customFrom = QDate(2026, 3, 10);
        state.customTo = QDate(2026, 3, 1);
        const auto range = ScheduleFilter::dateRange(state, QDate(2026, 11, 25));
        QCOMPARE(range.first, QDate(2026, 3, 1));
        QCOMPARE(range.second, QDate(2026, 3, 10));

        state.customTo = QDate();
        auto filters = ScheduleFilter::build(state, QDate(2026, 11, 25));
        QCOMPARE(filters.size(), 1);
        QCOMPARE(filters.first().op, ColumnFilter::Greater);
        QCOMPARE(filters.first().value, u"2026-03-09"_s);

        state.customFrom = QDate();
        state.customTo = QDate(2026, 3, 31);
        filters = ScheduleFilter::build(state, QDate(2026, 11, 25));
        QCOMPARE(filters.size(), 1);
        QCOMPARE(filters.first().op, ColumnFilter::Less);
        QCOMPARE(filters.first().value, u"2026-04-01"_s);
    }

    void emptyStateFiltersNothing()
    {
        ScheduleFilterState state;
        QVERIFY(state.isEmpty());
        QVERIFY(ScheduleFilter::build(state, QDate(2026, 11, 25)).isEmpty());
        state.search = u"   "_s;
        QVERIFY(state.isEmpty());
        QVERIFY(ScheduleFilter::build(state, QDate(2026, 11, 25)).isEmpty());
    }

    void everyChoiceBecomesOneFilter()
    {
        ScheduleFilterState state;
        state.employeeId = u"42"_s;
        state.department = u"영업"_s;
        state.scheduleTypes = {u"visit"_s};
        state.statuses = {u"completed"_s};
        state.priorities = {u"high"_s};
        state.search = u"  it's; DROP TABLE x %_ "_s;
        QVERIFY(!state.isEmpty());
        const auto filters = ScheduleFilter::build(state, QDate(2026, 11, 25));
        QCOMPARE(filters.size(), 6);
        auto find = [&filters](const QString &column) {
            for (const ColumnFilter &f : filters)
                if (f.column == column)
                    return f;
            return ColumnFilter{};
        };
        QCOMPARE(find(u"employee_id"_s).value, u"42"_s);
        QCOMPARE(find(u"employee_id"_s).op, ColumnFilter::Equal);
        QCOMPARE(find(u"department"_s).value, u"영업"_s);
        QCOMPARE(find(u"schedule_type"_s).value, u"visit"_s);
        QCOMPARE(find(u"status"_s).value, u"completed"_s);
        QCOMPARE(find(u"priority"_s).value, u"high"_s);
        const ColumnFilter search = find(u"title"_s);
        QCOMPARE(search.op, ColumnFilter::ContainsAny);
        QCOMPARE(search.value, u"it's; DROP TABLE x %_"_s); // trimmed, otherwise verbatim: it is bound
        QCOMPARE(search.otherColumns, QStringList{u"client_name"_s});
        QVERIFY(find(u"schedule_date"_s).column.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestScheduleFilter)
#include "tst_schedulefilter.moc"
