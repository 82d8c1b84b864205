// Checks DependencyLanes, the layout of the timeline's dashed depends_on lines: each link's pieces on the
// rows it spans, overlapping links in separate lanes, a free lane reused, links to rows that do not exist
// (or to the row itself) left out.

#include "models/dependencylanes.h"

#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

// "lane:kind" for each piece of a row, e.g. "0U 1T"; U(pper), T(hrough), L(ower).
QString describe(const DependencyLanes &lanes, int row)
{
    QStringList out;
    for (int piece : lanes.pieces(row)) {
        const char kind = DependencyLanes::kind(piece) == DependencyLanes::Upper   ? 'U'
                          : DependencyLanes::kind(piece) == DependencyLanes::Lower ? 'L'
                                                                                   : 'T';
        out << u"%1%2"_s.arg(DependencyLanes::lane(piece)).arg(QLatin1Char(kind));
    }
    out.sort();
    return out.join(QLatin1Char(' '));
}

} // namespace

class TstDependencyLanes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneLinkSpansItsRows()
    {
        DependencyLanes lanes;
        // rows newest first: d depends on a
        lanes.layout({u"d"_s, u"c"_s, u"b"_s, u"a"_s}, {{u"d"_s, {u"a"_s}}});
        QCOMPARE(lanes.laneCount(), 1);
        QCOMPARE(describe(lanes, 0), u"0U"_s);
        QCOMPARE(describe(lanes, 1), u"0T"_s);
        QCOMPARE(describe(lanes, 2), u"0T"_s);
        QCOMPARE(describe(lanes, 3), u"0L"_s);
    }

    void overlappingLinksTakeTheirOwnLanes()
    {
        DependencyLanes lanes;
        // e -> b and d -> a overlap on rows d..b; the shorter one sits nearer the graph (lane 0)
        lanes.layout({u"e"_s, u"d"_s, u"c"_s, u"b"_s, u"a"_s}, {{u"e"_s, {u"b"_s}}, {u"d"_s, {u"a"_s}}});
        QCOMPARE(lanes.laneCount(), 2);
        QCOMPARE(describe(lanes, 0), u"0U"_s);
        QCOMPARE(describe(lanes, 1), u"0T 1U"_s);
        QCOMPARE(describe(lanes, 2), u"0T 1T"_s);
        QCOMPARE(describe(lanes, 3), u"0L 1T"_s);
        QCOMPARE(describe(lanes, 4), u"1L"_s);
    }

    void separateLinksShareALane()
    {
        DependencyLanes lanes;
        lanes.layout({u"d"_s, u"c"_s, u"b"_s, u"a"_s}, {{u"d"_s, {u"c"_s}}, {u"b"_s, {u"a"_s}}});
        QCOMPARE(lanes.laneCount(), 1);
        QCOMPARE(describe(lanes, 1), u"0L"_s);
        QCOMPARE(describe(lanes, 2), u"0U"_s);
    }

    void linksThatCannotBeDrawnAreLeftOut()
    {
        DependencyLanes lanes;
        lanes.layout({u"b"_s, u"a"_s}, {{u"b"_s, {u"missing"_s, u"b"_s}}});
        QCOMPARE(lanes.laneCount(), 0);
        QVERIFY(lanes.pieces(0).isEmpty());
        QVERIFY(lanes.pieces(1).isEmpty());
        QVERIFY(lanes.pieces(7).isEmpty()); // out of range: nothing, no crash
    }
};

QTEST_GUILESS_MAIN(TstDependencyLanes)
#include "tst_dependencylanes.moc"
