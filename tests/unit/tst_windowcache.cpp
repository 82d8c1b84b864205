#include "browse/windowcache.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using MigrationDesk::WindowCache;
using MigrationDesk::WindowRequest;

namespace {

// n rows whose single value is the row's number from first, e.g. {"10"}, {"11"}, ...
QList<QStringList> rowsFrom(int first, int n)
{
    QList<QStringList> rows;
    for (int i = 0; i < n; ++i)
        rows.append({QString::number(first + i)});
    return rows;
}

QStringList key(int row)
{
    return {QString::number(row)};
}

// Places rows [start, start + n) with keys naming their first and last row.
void put(WindowCache &cache, int start, int n, bool fromEnd = false)
{
    cache.place(start, rowsFrom(start, n), key(start), key(start + n - 1), fromEnd);
}

} // namespace

// The window cache of the lazy table model, without a model or a database.
class TestWindowCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void placedRowsAreFoundByRow()
    {
        WindowCache cache;
        put(cache, 10, 5);
        QVERIFY(!cache.at(9));
        QVERIFY(!cache.at(15));
        const WindowCache::Window *window = cache.at(12);
        QVERIFY(window);
        QCOMPARE(window->start, 10);
        QCOMPARE(window->rows.at(12 - window->start), QStringList{u"12"_s});
        QVERIFY(cache.startsAt(10));
        QVERIFY(!cache.startsAt(12));
    }

    void overlappingWindowsAreReplaced()
    {
        WindowCache cache;
        put(cache, 0, 10);
        put(cache, 20, 10);
        put(cache, 5, 20); // covers parts of both
        QCOMPARE(cache.size(), 1);
        QCOMPARE(cache.at(0), nullptr);
        QCOMPARE(cache.at(5)->start, 5);
        QCOMPARE(cache.at(29), nullptr);
    }

    void placeClampsToZeroAndIgnoresNoRows()
    {
        WindowCache cache;
        QCOMPARE(cache.place(-3, rowsFrom(0, 4), key(0), key(3), false), 0);
        QCOMPARE(cache.at(0)->start, 0);
        cache.place(50, {}, {}, {}, false);
        QCOMPARE(cache.size(), 1);
    }

    void leastRecentlyUsedIsEvicted()
    {
        WindowCache cache(2);
        put(cache, 0, 10);
        put(cache, 100, 10);
        QVERIFY(cache.at(5));           // the first window is now the more recently used
        put(cache, 200, 10);
        QCOMPARE(cache.size(), 2);
        QVERIFY(cache.at(5));
        QVERIFY(!cache.at(105));
        QVERIFY(cache.at(205));         // the window just placed always stays
        cache.setMaxWindows(1);
        put(cache, 300, 10);
        QCOMPARE(cache.size(), 1);
        QVERIFY(cache.at(300));
    }

    void firstMissingSkipsHeldRows()
    {
        WindowCache cache;
        put(cache, 0, 10);
        put(cache, 10, 10);
        put(cache, 30, 10);
        QCOMPARE(cache.firstMissing(0, 39), 20);
        QCOMPARE(cache.firstMissing(0, 19), -1);
        QCOMPARE(cache.firstMissing(-5, 5), -1);
        QCOMPARE(cache.firstMissing(25, 24), -1);
        QCOMPARE(cache.firstMissing(35, 45), 40);
    }

    void truncateCutsAndDrops()
    {
        WindowCache cache;
        put(cache, 0, 10);
        put(cache, 10, 10);
        put(cache, 30, 10);
        cache.truncate(15);
        QCOMPARE(cache.size(), 2);
        const WindowCache::Window *cut = cache.at(14);
        QVERIFY(cut);
        QCOMPARE(cut->end(), 15);
        QVERIFY(cut->lastKey.isEmpty());        // its last key was row 19's, no longer its end
        QCOMPARE(cache.at(0)->lastKey, key(9)); // a window ending before the cut keeps its key
        QVERIFY(!cache.at(30));
    }

    void removeLeadingShiftsTheRest()
    {
        WindowCache cache;
        put(cache, 0, 10);
        put(cache, 5 + 10, 10);
        cache.removeLeading(10);
        QCOMPARE(cache.size(), 1);
        QCOMPARE(cache.at(5)->start, 5);
        QCOMPARE(cache.at(5)->rows.first(), QStringList{u"15"_s});
        QVERIFY(!cache.at(0));
    }

    void dropFromEndReturnsRanges()
    {
        WindowCache cache;
        put(cache, 0, 10);
        put(cache, 80, 20, true);
        const auto dropped = cache.dropFromEnd();
        QCOMPARE(dropped.size(), 1);
        QCOMPARE(dropped.first(), std::make_pair(80, 100));
        QCOMPARE(cache.size(), 1);
        QVERIFY(cache.at(0));
    }

    void planFollowsNeighbours()
    {
        WindowCache cache;
        // Nothing held: the start, the end, or a jump.
        WindowCache::Plan plan = cache.plan(5, 1000, 100);
        QCOMPARE(plan.kind, WindowRequest::Start);
        QCOMPARE(plan.start, 0);
        QCOMPARE(plan.limit, 100);
        plan = cache.plan(950, 1000, 100);
        QCOMPARE(plan.kind, WindowRequest::End);
        QVERIFY(plan.fromEnd);
        QCOMPARE(plan.start, 900);
        QCOMPARE(plan.limit, 100);
        plan = cache.plan(500, 1000, 100);
        QCOMPARE(plan.kind, WindowRequest::Fraction);
        QCOMPARE(plan.fraction, 0.5);
        QCOMPARE(plan.start, 500);

        // Just after a window: continue from its last key, up to the next window.
        put(cache, 0, 100);
        put(cache, 150, 100, true);
        plan = cache.plan(100, 1000, 100);
        QCOMPARE(plan.kind, WindowRequest::After);
        QCOMPARE(plan.key, key(99));
        QCOMPARE(plan.start, 100);
        QCOMPARE(plan.limit, 50);
        QVERIFY(!plan.fromEnd);

        // Just before a window far from the previous one: read back from its first key.
        WindowCache gap;
        put(gap, 400, 100, true);
        plan = gap.plan(350, 1000, 100);
        QCOMPARE(plan.kind, WindowRequest::Before);
        QCOMPARE(plan.key, key(400));
        QCOMPARE(plan.start, 300);
        QCOMPARE(plan.limit, 100);
        QVERIFY(plan.fromEnd);          // inherits its neighbour's placement
    }
};

QTEST_GUILESS_MAIN(TestWindowCache)
#include "tst_windowcache.moc"
