// Checks TimelineModel: row order, the lane layout a delegate draws from (exact lanes on small graphs,
// a replay of every edge on larger ones), revision states for several head sets, rows for revisions
// missing from the scripts, run info and checksum marks from the history, the upgrade/downgrade
// actions, and the model contract through QAbstractItemModelTester.

#include "clirunner.h"
#include "models/timelinemodel.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

struct Rev
{
    QString id;
    QString parents; // "none" or "p1, p2"
    bool transactional = true;
};

using State = TimelineModel::State;

// Writes one script per revision, named so that the load order is the list's order.
ScriptSet makeSet(const QTemporaryDir &dir, const QList<Rev> &revs)
{
    for (int i = 0; i < revs.size(); ++i) {
        const Rev &r = revs.at(i);
        writeScript(dir.path(), u"%1_%2.sql"_s.arg(i + 1, 3, 10, QLatin1Char('0')).arg(r.id), r.id, r.parents,
                    u"CREATE TABLE t_%1 (id int);"_s.arg(r.id), u"DROP TABLE t_%1;"_s.arg(r.id), r.transactional,
                    u"message of %1"_s.arg(r.id));
    }
    return ScriptSet::load(dir.path());
}

// a -> b -> (c1 -> d1, c2) -> m
QList<Rev> branchedMerged()
{
    return {{u"a"_s, u"none"_s}, {u"b"_s, u"a"_s}, {u"c1"_s, u"b"_s}, {u"d1"_s, u"c1"_s},
            {u"c2"_s, u"b"_s, false}, {u"m"_s, u"d1, c2"_s}};
}

QList<Rev> linearChain()
{
    return {{u"a"_s, u"none"_s}, {u"b"_s, u"a"_s}, {u"c"_s, u"b"_s}, {u"d"_s, u"c"_s}};
}

QList<Rev> twoRoots()
{
    return {{u"a1"_s, u"none"_s}, {u"b1"_s, u"a1"_s}, {u"a2"_s, u"none"_s}, {u"b2"_s, u"a2"_s}};
}

// A larger, irregular graph: several roots, branches and merges, fixed seed so it never changes.
QList<Rev> tangled()
{
    QRandomGenerator rng(20250120);
    QList<Rev> revs;
    for (int i = 0; i < 40; ++i) {
        const QString id = u"r%1"_s.arg(i, 2, 10, QLatin1Char('0'));
        QStringList parents;
        if (i > 0 && (i < 3 || rng.bounded(8) != 0)) {
            parents << revs.at(int(rng.bounded(i))).id;
            if (i > 3 && rng.bounded(4) == 0) {
                const QString other = revs.at(int(rng.bounded(i))).id;
                if (!parents.contains(other))
                    parents << other;
            }
        }
        revs << Rev{id, parents.isEmpty() ? u"none"_s : parents.join(u", "_s)};
    }
    return revs;
}

QList<int> ints(const QVariant &v)
{
    QList<int> out;
    for (const QVariant &x : v.toList())
        out << x.toInt();
    return out;
}

QList<int> lanes(const TimelineModel &m, int row, int role)
{
    return ints(m.index(row).data(role));
}

QStringList rowOrder(const TimelineModel &m)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << m.revisionAt(r);
    return out;
}

// Replays the layout row by row the way a delegate draws it and reports the first inconsistency:
// every edge must leave its child's dot in the lane it then keeps, pass every row between in that
// lane and arrive at its parent's dot; no two edges to different revisions may share a lane.
QString layoutError(const TimelineModel &m, const RevisionGraph &graph)
{
    QStringList active; // lane -> revision the edge in it heads for
    for (int r = 0; r < m.rowCount(); ++r) {
        const QModelIndex idx = m.index(r);
        const QString rev = m.revisionAt(r);
        const int lane = idx.data(TimelineModel::LaneRole).toInt();
        const QList<int> children = lanes(m, r, TimelineModel::ChildLanesRole);
        const QList<int> parents = lanes(m, r, TimelineModel::ParentLanesRole);
        const QList<int> pass = lanes(m, r, TimelineModel::PassThroughLanesRole);
        const auto where = [&](const QString &what) { return u"row %1 (%2): %3"_s.arg(r).arg(rev, what); };

        QList<int> expectedChildren;
        for (int l = 0; l < active.size(); ++l)
            if (active.at(l) == rev)
                expectedChildren << l;
        if (children != expectedChildren)
            return where(u"child lanes differ from the edges arriving"_s);
        if (children.isEmpty() ? (lane < active.size() && !active.at(lane).isEmpty()) : lane != children.first())
            return where(u"dot not on its incoming edge or on an occupied lane"_s);
        for (int l : children)
            active[l].clear();
        QList<int> expectedPass;
        for (int l = 0; l < active.size(); ++l)
            if (!active.at(l).isEmpty())
                expectedPass << l;
        if (pass != expectedPass)
            return where(u"pass-through lanes differ from the edges passing"_s);

        const QStringList declared = graph.parents(rev);
        if (parents.size() != declared.size())
            return where(u"one parent lane per parent expected"_s);
        for (int i = 0; i < declared.size(); ++i) {
            const int l = parents.at(i);
            while (active.size() <= l)
                active << QString();
            if (!active.at(l).isEmpty() && active.at(l) != declared.at(i))
                return where(u"edge to %1 put on a lane already heading for %2"_s.arg(declared.at(i), active.at(l)));
            active[l] = declared.at(i);
        }

        int widest = lane;
        for (int l : children + parents + pass)
            widest = std::max(widest, l);
        if (idx.data(TimelineModel::LaneCountRole).toInt() != widest + 1)
            return where(u"lane count"_s);
        if (widest + 1 > m.maxLaneCount())
            return where(u"wider than maxLaneCount()"_s);
    }
    for (const QString &open : std::as_const(active))
        if (!open.isEmpty())
            return u"an edge to %1 never arrives"_s.arg(open);
    return {};
}

HistoryEntry run(const QString &rev, const QString &direction, bool success, const QString &isoUtc, double ms,
                 const QString &dbUser = u"alice"_s)
{
    HistoryEntry e;
    e.revision = rev;
    e.direction = direction;
    e.success = success;
    e.startedAt = QDateTime::fromString(isoUtc, Qt::ISODate);
    e.durationMs = ms;
    e.dbUser = dbUser;
    e.osUser = u"bob"_s;
    e.clientHost = u"ws1"_s;
    if (!success)
        e.error = u"relation \"t\" already exists"_s;
    return e;
}

DatabaseStatus statusWithHeads(const QStringList &heads)
{
    DatabaseStatus s;
    s.heads = heads;
    return s;
}

} // namespace

Q_DECLARE_METATYPE(QList<Rev>)

class TestTimelineModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modelTesterThroughResets();
    void linearChainIsOneLane();
    void branchedAndMergedLanes();
    void independentRootsReuseTheLane();
    void layoutReplays_data();
    void layoutReplays();
    void bundledScripts();
    void states_data();
    void states();
    void missingScriptRows();
    void rowRoles();
    void runInfo();
    void checksumChanged();
    void upgradeAndDowngradeActions();
    void statusRefreshKeepsRows();
};

void TestTimelineModel::modelTesterThroughResets()
{
    QTemporaryDir d1, d2;
    const ScriptSet branched = makeSet(d1, branchedMerged());
    const ScriptSet linear = makeSet(d2, linearChain());
    QVERIFY2(branched.isValid(), qPrintable(branched.errorText()));
    QVERIFY2(linear.isValid(), qPrintable(linear.errorText()));

    TimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setScripts(branched);
    QCOMPARE(model.rowCount(), 6);
    model.setStatus(statusWithHeads({u"d1"_s, u"c2"_s}));
    model.setStatus(statusWithHeads({u"zz9"_s, u"b"_s})); // a missing head adds a row
    QCOMPARE(model.rowCount(), 7);
    model.setScripts(linear);
    QCOMPARE(model.rowCount(), 5);
    model.clearStatus();
    QCOMPARE(model.rowCount(), 4);
    model.setScripts(ScriptSet());
    QCOMPARE(model.rowCount(), 0);
    model.setStatus(statusWithHeads({u"zz9"_s}));
    QCOMPARE(model.rowCount(), 1);
    model.clearStatus();
    QCOMPARE(model.rowCount(), 0);
}

void TestTimelineModel::linearChainIsOneLane()
{
    QTemporaryDir dir;
    TimelineModel model;
    model.setScripts(makeSet(dir, linearChain()));
    QCOMPARE(rowOrder(model), (QStringList{u"d"_s, u"c"_s, u"b"_s, u"a"_s}));
    for (int r = 0; r < model.rowCount(); ++r) {
        QCOMPARE(model.index(r).data(TimelineModel::LaneRole).toInt(), 0);
        QCOMPARE(model.index(r).data(TimelineModel::LaneCountRole).toInt(), 1);
        QCOMPARE(lanes(model, r, TimelineModel::PassThroughLanesRole), QList<int>());
        QCOMPARE(lanes(model, r, TimelineModel::ChildLanesRole), r == 0 ? QList<int>() : QList<int>{0});
        QCOMPARE(lanes(model, r, TimelineModel::ParentLanesRole), r == 3 ? QList<int>() : QList<int>{0});
    }
    QCOMPARE(model.maxLaneCount(), 1);
}

void TestTimelineModel::branchedAndMergedLanes()
{
    QTemporaryDir dir;
    TimelineModel model;
    model.setScripts(makeSet(dir, branchedMerged()));
    // Children above parents, and the d1 branch walked to its end before c2 (Alembic's order).
    QCOMPARE(rowOrder(model), (QStringList{u"m"_s, u"d1"_s, u"c1"_s, u"c2"_s, u"b"_s, u"a"_s}));

    struct Expected { int lane; QList<int> children, parents, pass; int count; };
    const QList<Expected> expected = {
        {0, {}, {0, 1}, {}, 2},  // m: merge, edges to d1 (straight down) and c2 (new lane 1)
        {0, {0}, {0}, {1}, 2},   // d1: the edge to c2 passes on lane 1
        {0, {0}, {0}, {1}, 2},   // c1
        {1, {1}, {0}, {0}, 2},   // c2: its edge to b joins lane 0, which already heads for b
        {0, {0}, {0}, {}, 1},    // b: branch point, lane 1 is free again
        {0, {0}, {}, {}, 1},     // a: base
    };
    for (int r = 0; r < expected.size(); ++r) {
        const Expected &e = expected.at(r);
        const QByteArray row = model.revisionAt(r).toUtf8();
        QVERIFY2(model.index(r).data(TimelineModel::LaneRole).toInt() == e.lane, row.constData());
        QVERIFY2(lanes(model, r, TimelineModel::ChildLanesRole) == e.children, row.constData());
        QVERIFY2(lanes(model, r, TimelineModel::ParentLanesRole) == e.parents, row.constData());
        QVERIFY2(lanes(model, r, TimelineModel::PassThroughLanesRole) == e.pass, row.constData());
        QVERIFY2(model.index(r).data(TimelineModel::LaneCountRole).toInt() == e.count, row.constData());
    }
    QCOMPARE(model.maxLaneCount(), 2);
}

void TestTimelineModel::independentRootsReuseTheLane()
{
    QTemporaryDir dir;
    TimelineModel model;
    model.setScripts(makeSet(dir, twoRoots()));
    QCOMPARE(rowOrder(model), (QStringList{u"b1"_s, u"a1"_s, u"b2"_s, u"a2"_s}));
    // a1 ends its chain, so b2 starts a new one in the freed lane 0, with no line joining them.
    const QList<QList<int>> children = {{}, {0}, {}, {0}};
    const QList<QList<int>> parents = {{0}, {}, {0}, {}};
    for (int r = 0; r < 4; ++r) {
        QCOMPARE(model.index(r).data(TimelineModel::LaneRole).toInt(), 0);
        QCOMPARE(lanes(model, r, TimelineModel::ChildLanesRole), children.at(r));
        QCOMPARE(lanes(model, r, TimelineModel::ParentLanesRole), parents.at(r));
        QCOMPARE(lanes(model, r, TimelineModel::PassThroughLanesRole), QList<int>());
    }
    QCOMPARE(model.maxLaneCount(), 1);
}

void TestTimelineModel::layoutReplays_data()
{
    QTest::addColumn<QList<Rev>>("revs");
    QTest::addColumn<QStringList>("heads");
    QTest::addColumn<int>("maxLanes");
    QTest::newRow("linear") << linearChain() << QStringList() << 1;
    QTest::newRow("branched") << branchedMerged() << QStringList() << 2;
    QTest::newRow("two roots") << twoRoots() << QStringList() << 1;
    QTest::newRow("three heads") << QList<Rev>{{u"a"_s, u"none"_s}, {u"x"_s, u"a"_s}, {u"y"_s, u"a"_s},
                                               {u"z"_s, u"a"_s}, {u"x2"_s, u"x"_s}}
                                 << QStringList() << 2; // z's lane is free again for x2
    // Missing heads sit on top and must not disturb the graph's edges.
    QTest::newRow("tangled") << tangled() << QStringList{u"zz1"_s, u"zz2"_s} << -1;
}

void TestTimelineModel::layoutReplays()
{
    QFETCH(QList<Rev>, revs);
    QFETCH(QStringList, heads);
    QFETCH(int, maxLanes);
    QTemporaryDir dir;
    const ScriptSet set = makeSet(dir, revs);
    QVERIFY2(set.isValid(), qPrintable(set.errorText()));
    TimelineModel model;
    model.setScripts(set);
    if (!heads.isEmpty())
        model.setStatus(statusWithHeads(heads));
    QCOMPARE(model.rowCount(), revs.size() + heads.size());
    const QString error = layoutError(model, set.graph());
    QVERIFY2(error.isEmpty(), qPrintable(error));
    if (maxLanes > 0)
        QCOMPARE(model.maxLaneCount(), maxLanes);
    else
        QVERIFY(model.maxLaneCount() < revs.size() / 2); // compact: freed lanes are reused
    // Newest first: every revision's row is above each of its parents' rows.
    for (const Rev &r : std::as_const(revs))
        for (const QString &p : set.graph().parents(r.id))
            QVERIFY(model.indexOf(r.id).row() < model.indexOf(p).row());
}

void TestTimelineModel::bundledScripts()
{
    const ScriptSet set = ScriptSet::load(ScriptSet::bundledLocation());
    QVERIFY2(set.isValid(), qPrintable(set.errorText()));
    TimelineModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setScripts(set);
    QCOMPARE(model.rowCount(), set.scripts().size());
    const QString error = layoutError(model, set.graph());
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList newestFirst = set.graph().revisions();
    std::reverse(newestFirst.begin(), newestFirst.end());
    QCOMPARE(rowOrder(model), newestFirst);

    const QString head = set.graph().heads().constFirst();
    model.setStatus(statusWithHeads({head}));
    QCOMPARE(model.stateOf(head), State::Current);
    const QSet<QString> ancestors = set.graph().ancestors(head, false);
    QVERIFY(!ancestors.isEmpty()); // else the loop below checks nothing
    for (const QString &rev : ancestors)
        QCOMPARE(model.stateOf(rev), State::Applied);
}

void TestTimelineModel::states_data()
{
    QTest::addColumn<bool>("connected");
    QTest::addColumn<QStringList>("heads");
    QTest::addColumn<QString>("expected"); // states of a b c1 d1 c2 m: P(ending), A(pplied), C(urrent)
    QTest::newRow("disconnected") << false << QStringList() << u"PPPPPP"_s;
    QTest::newRow("empty database") << true << QStringList() << u"PPPPPP"_s;
    QTest::newRow("at b") << true << QStringList{u"b"_s} << u"ACPPPP"_s;
    QTest::newRow("one branch") << true << QStringList{u"c1"_s} << u"AACPPP"_s;
    QTest::newRow("branched heads") << true << QStringList{u"d1"_s, u"c2"_s} << u"AAACCP"_s;
    QTest::newRow("other branch") << true << QStringList{u"c2"_s} << u"AAPPCP"_s;
    QTest::newRow("merged") << true << QStringList{u"m"_s} << u"AAAAAC"_s;
}

void TestTimelineModel::states()
{
    QFETCH(bool, connected);
    QFETCH(QStringList, heads);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    TimelineModel model;
    model.setScripts(makeSet(dir, branchedMerged()));
    model.setStatus(statusWithHeads({u"m"_s})); // something else first: states must be recomputed
    if (connected)
        model.setStatus(statusWithHeads(heads));
    else
        model.clearStatus();
    QCOMPARE(model.hasStatus(), connected);

    const QStringList revs = {u"a"_s, u"b"_s, u"c1"_s, u"d1"_s, u"c2"_s, u"m"_s};
    const QHash<QChar, State> code = {{u'P', State::Pending}, {u'A', State::Applied}, {u'C', State::Current}};
    for (int i = 0; i < revs.size(); ++i) {
        const State want = code.value(expected.at(i));
        QVERIFY2(model.stateOf(revs.at(i)) == want, qPrintable(revs.at(i)));
        QCOMPARE(model.indexOf(revs.at(i)).data(TimelineModel::StateRole).toInt(), int(want));
        QCOMPARE(model.indexOf(revs.at(i)).data(TimelineModel::StateTextRole).toString(), TimelineModel::stateText(want));
    }
}

void TestTimelineModel::missingScriptRows()
{
    QTemporaryDir dir;
    TimelineModel model;
    model.setScripts(makeSet(dir, branchedMerged()));
    model.setStatus(statusWithHeads({u"zz9"_s, u"b"_s, u"yy1"_s}));

    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(rowOrder(model).mid(0, 3), (QStringList{u"zz9"_s, u"yy1"_s, u"m"_s}));
    for (const QString &rev : {u"zz9"_s, u"yy1"_s}) {
        const QModelIndex idx = model.indexOf(rev);
        QVERIFY(idx.isValid());
        QCOMPARE(model.stateOf(rev), State::MissingScript);
        QCOMPARE(idx.data(TimelineModel::LaneRole).toInt(), 0);
        QCOMPARE(lanes(model, idx.row(), TimelineModel::ParentLanesRole), QList<int>());
        QCOMPARE(lanes(model, idx.row(), TimelineModel::ChildLanesRole), QList<int>());
        QCOMPARE(lanes(model, idx.row(), TimelineModel::PassThroughLanesRole), QList<int>());
        QCOMPARE(idx.data(Qt::DisplayRole).toString(), rev);
        QCOMPARE(idx.data(TimelineModel::FileNameRole).toString(), QString());
        QVERIFY(idx.data(Qt::ToolTipRole).toString().contains(u"missing from the scripts"_s));
        QVERIFY(!model.canUpgradeTo(rev));
        QVERIFY(!model.canDowngradeTo(rev));
    }
    // The known head still counts.
    QCOMPARE(model.stateOf(u"b"_s), State::Current);
    QCOMPARE(model.stateOf(u"a"_s), State::Applied);
    QCOMPARE(model.stateOf(u"c1"_s), State::Pending);
    // The engine cannot plan from a head it has no script for, so nothing is offered.
    QVERIFY(!model.canUpgradeTo(u"c1"_s));
    QVERIFY(!model.canDowngradeTo(u"a"_s));
    QVERIFY(!model.canDowngradeToBase());

    // The graph's rows below keep the layout they have without the extra rows.
    QCOMPARE(model.indexOf(u"c2"_s).data(TimelineModel::LaneRole).toInt(), 1);

    // Gone from the database, gone from the model.
    model.setStatus(statusWithHeads({u"b"_s}));
    QCOMPARE(model.rowCount(), 6);
    QVERIFY(!model.indexOf(u"zz9"_s).isValid());
    QCOMPARE(model.revisionAt(0), u"m"_s);
}

void TestTimelineModel::rowRoles()
{
    QTemporaryDir dir;
    TimelineModel model;
    const ScriptSet set = makeSet(dir, branchedMerged());
    model.setScripts(set);

    const QModelIndex m = model.indexOf(u"m"_s);
    QCOMPARE(m.data(Qt::DisplayRole).toString(), u"m  message of m"_s);
    QCOMPARE(m.data(TimelineModel::RevisionRole).toString(), u"m"_s);
    QCOMPARE(m.data(TimelineModel::MessageRole).toString(), u"message of m"_s);
    QCOMPARE(m.data(TimelineModel::CreatedRole).toString(), u"2025-01-20 10:00:00"_s);
    QCOMPARE(m.data(TimelineModel::ParentsRole).toStringList(), (QStringList{u"d1"_s, u"c2"_s}));
    QCOMPARE(m.data(TimelineModel::FileNameRole).toString(), set.script(u"m"_s)->fileName);
    QVERIFY(m.data(TimelineModel::IsHeadRole).toBool());
    QVERIFY(m.data(TimelineModel::IsMergePointRole).toBool());
    QVERIFY(!m.data(TimelineModel::IsBranchPointRole).toBool());
    QVERIFY(m.data(TimelineModel::TransactionalRole).toBool());

    const QModelIndex b = model.indexOf(u"b"_s);
    QVERIFY(b.data(TimelineModel::IsBranchPointRole).toBool());
    QVERIFY(!b.data(TimelineModel::IsHeadRole).toBool());
    QVERIFY(!b.data(TimelineModel::IsMergePointRole).toBool());
    QVERIFY(!model.indexOf(u"c2"_s).data(TimelineModel::TransactionalRole).toBool());

    const QString tip = m.data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(u"message of m"_s) && tip.contains(u"d1, c2"_s) && tip.contains(u"Pending"_s), qPrintable(tip));
    QVERIFY(model.indexOf(u"c2"_s).data(Qt::ToolTipRole).toString().contains(u"outside a transaction"_s));
    QVERIFY(model.indexOf(u"a"_s).data(Qt::ToolTipRole).toString().contains(u"no parent"_s));

    QCOMPARE(model.revisionAt(-1), QString());
    QCOMPARE(model.revisionAt(model.rowCount()), QString());
    QVERIFY(!model.indexOf(u"nope"_s).isValid());
    QCOMPARE(model.stateOf(u"nope"_s), State::Pending);

    const QHash<int, QByteArray> names = model.roleNames();
    QCOMPARE(names.value(TimelineModel::ParentLanesRole), QByteArray("parentLanes"));
    QCOMPARE(names.value(Qt::DisplayRole), QByteArray("display"));
}

void TestTimelineModel::runInfo()
{
    QTemporaryDir dir;
    TimelineModel model;
    model.setScripts(makeSet(dir, branchedMerged()));

    DatabaseStatus s = statusWithHeads({u"c1"_s});
    // Newest first, as the worker delivers it.
    s.history = {
        run(u"c2"_s, u"downgrade"_s, true, u"2025-03-01T12:00:00Z"_s, 15),
        run(u"c1"_s, u"upgrade"_s, false, u"2025-02-01T09:30:00Z"_s, 80),
        run(u"c1"_s, u"upgrade"_s, true, u"2025-02-01T09:00:00Z"_s, 420.5, u"carol"_s),
        run(u"c2"_s, u"upgrade"_s, true, u"2025-01-25T08:00:00Z"_s, 12),
        run(u"c2"_s, u"upgrade"_s, false, u"2025-01-25T07:00:00Z"_s, 3),
        run(u"c1"_s, u"upgrade"_s, true, u"2025-01-21T09:00:00Z"_s, 999),
        run(u"b"_s, u"stamp"_s, true, u"2025-01-20T10:00:00Z"_s, 1.5),
    };
    model.setStatus(s);

    const QModelIndex c1 = model.indexOf(u"c1"_s);
    QVERIFY(c1.data(TimelineModel::HasLastRunRole).toBool());
    QCOMPARE(c1.data(TimelineModel::LastRunAtRole).toDateTime(),
             QDateTime::fromString(u"2025-02-01T09:00:00Z"_s, Qt::ISODate));
    QCOMPARE(c1.data(TimelineModel::LastRunAtRole).toDateTime().timeSpec(), Qt::UTC);
    QCOMPARE(c1.data(TimelineModel::LastRunByRole).toString(), u"carol (bob@ws1)"_s);
    QCOMPARE(c1.data(TimelineModel::LastRunDurationRole).toDouble(), 420.5);
    QCOMPARE(c1.data(TimelineModel::FailedRunsRole).toInt(), 1);
    const QString tip = c1.data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(u"carol (bob@ws1)"_s) && tip.contains(u"1 failed run"_s), qPrintable(tip));

    // A stamp counts as the run that put the revision there.
    const QModelIndex b = model.indexOf(u"b"_s);
    QVERIFY(b.data(TimelineModel::HasLastRunRole).toBool());
    QCOMPARE(b.data(TimelineModel::LastRunAtRole).toDateTime(),
             QDateTime::fromString(u"2025-01-20T10:00:00Z"_s, Qt::ISODate));
    QCOMPARE(b.data(TimelineModel::LastRunDurationRole).toDouble(), 1.5);
    QCOMPARE(b.data(TimelineModel::FailedRunsRole).toInt(), 0);

    // Applied without a recorded run (e.g. before MigrationDesk was used): no run info.
    const QModelIndex a = model.indexOf(u"a"_s);
    QVERIFY(!a.data(TimelineModel::HasLastRunRole).toBool());
    QVERIFY(!a.data(TimelineModel::LastRunAtRole).toDateTime().isValid());
    QCOMPARE(a.data(TimelineModel::LastRunByRole).toString(), QString());

    // c2 was upgraded, then downgraded: pending, so its old upgrade is not shown; failures still are.
    const QModelIndex c2 = model.indexOf(u"c2"_s);
    QCOMPARE(model.stateOf(u"c2"_s), State::Pending);
    QVERIFY(!c2.data(TimelineModel::HasLastRunRole).toBool());
    QVERIFY(!c2.data(TimelineModel::LastRunAtRole).toDateTime().isValid());
    QCOMPARE(c2.data(TimelineModel::FailedRunsRole).toInt(), 1);

    // Disconnected: no run info at all.
    model.clearStatus();
    QVERIFY(!model.indexOf(u"c1"_s).data(TimelineModel::HasLastRunRole).toBool());
    QCOMPARE(model.indexOf(u"c1"_s).data(TimelineModel::FailedRunsRole).toInt(), 0);
}

void TestTimelineModel::checksumChanged()
{
    QTemporaryDir dir;
    TimelineModel model;
    const ScriptSet set = makeSet(dir, branchedMerged());
    model.setScripts(set);

    DatabaseStatus s = statusWithHeads({u"c1"_s});
    s.appliedChecksums.insert(u"a"_s, set.script(u"a"_s)->sha256);           // unchanged
    s.appliedChecksums.insert(u"b"_s, QString(64, u'0'));                    // edited since applied
    s.appliedChecksums.insert(u"c1"_s, set.script(u"c1"_s)->sha256.toUpper()); // same hash, other case
    s.appliedChecksums.insert(u"c2"_s, QString(64, u'1'));                   // pending: no longer applied
    model.setStatus(s);

    QVERIFY(!model.indexOf(u"a"_s).data(TimelineModel::ChecksumChangedRole).toBool());
    QVERIFY(model.indexOf(u"b"_s).data(TimelineModel::ChecksumChangedRole).toBool());
    QVERIFY(model.indexOf(u"b"_s).data(Qt::ToolTipRole).toString().contains(u"changed"_s));
    QVERIFY(!model.indexOf(u"c1"_s).data(TimelineModel::ChecksumChangedRole).toBool());
    QVERIFY(!model.indexOf(u"c2"_s).data(TimelineModel::ChecksumChangedRole).toBool());
    QVERIFY(!model.indexOf(u"d1"_s).data(TimelineModel::ChecksumChangedRole).toBool()); // nothing recorded

    model.clearStatus();
    QVERIFY(!model.indexOf(u"b"_s).data(TimelineModel::ChecksumChangedRole).toBool());
}

void TestTimelineModel::upgradeAndDowngradeActions()
{
    QTemporaryDir dir;
    TimelineModel model;
    model.setScripts(makeSet(dir, branchedMerged()));
    const QStringList all = {u"a"_s, u"b"_s, u"c1"_s, u"d1"_s, u"c2"_s, u"m"_s};
    const auto offered = [&](bool upgrade) {
        QStringList out;
        for (const QString &rev : all)
            if (upgrade ? model.canUpgradeTo(rev) : model.canDowngradeTo(rev))
                out << rev;
        return out;
    };

    // Disconnected: nothing to run against.
    QCOMPARE(offered(true), QStringList());
    QCOMPARE(offered(false), QStringList());
    QVERIFY(!model.canDowngradeToBase());

    model.setStatus(statusWithHeads({}));
    QCOMPARE(offered(true), all);
    QCOMPARE(offered(false), QStringList());
    QVERIFY(!model.canDowngradeToBase());

    model.setStatus(statusWithHeads({u"c1"_s}));
    QCOMPARE(offered(true), (QStringList{u"d1"_s, u"c2"_s, u"m"_s}));
    QCOMPARE(offered(false), (QStringList{u"a"_s, u"b"_s})); // not c1 itself: that would do nothing
    QVERIFY(model.canDowngradeToBase());

    model.setStatus(statusWithHeads({u"d1"_s, u"c2"_s}));
    QCOMPARE(offered(true), QStringList{u"m"_s});
    QVERIFY(model.canDowngradeTo(u"b"_s));
    QVERIFY(model.canDowngradeTo(u"a"_s));
    QVERIFY(!model.canDowngradeTo(u"d1"_s));
    QVERIFY(!model.canDowngradeTo(u"c2"_s));

    model.setStatus(statusWithHeads({u"m"_s}));
    QCOMPARE(offered(true), QStringList());
    QCOMPARE(offered(false), (QStringList{u"a"_s, u"b"_s, u"c1"_s, u"d1"_s, u"c2"_s}));
    QVERIFY(!model.canUpgradeTo(u"nope"_s));
    QVERIFY(!model.canDowngradeTo(u"nope"_s));

    model.clearStatus();
    QCOMPARE(offered(false), QStringList());
}

void TestTimelineModel::statusRefreshKeepsRows()
{
    QTemporaryDir dir;
    TimelineModel model;
    model.setScripts(makeSet(dir, branchedMerged()));
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);

    // Same rows, new states: dataChanged over every row, so a view keeps its selection.
    model.setStatus(statusWithHeads({u"b"_s}));
    QCOMPARE(resets.count(), 0);
    QCOMPARE(changes.count(), 1);
    QCOMPARE(changes.at(0).at(0).toModelIndex().row(), 0);
    QCOMPARE(changes.at(0).at(1).toModelIndex().row(), 5);
    QCOMPARE(model.stateOf(u"b"_s), State::Current);

    // A missing head adds a row: reset.
    model.setStatus(statusWithHeads({u"zz9"_s}));
    QCOMPARE(resets.count(), 1);
    model.clearStatus();
    QCOMPARE(resets.count(), 2);
    QCOMPARE(model.rowCount(), 6);
    model.clearStatus();
    QCOMPARE(resets.count(), 2);
    QCOMPARE(changes.count(), 2);

    const ScriptSet same = model.scripts();
    model.setScripts(same);
    QCOMPARE(resets.count(), 3);
}

QTEST_GUILESS_MAIN(TestTimelineModel)
#include "tst_timelinemodel.moc"
