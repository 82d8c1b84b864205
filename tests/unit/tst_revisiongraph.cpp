// Checks RevisionGraph against Alembic 1.8: graph shape, target resolution, upgrade/downgrade
// plans, version-table bookkeeping, stamps and history walks. Expected values are Alembic's own
// (ported from sqlalchemy/alembic tests/test_version_traversal.py and tests/test_revision.py)
// or traced by hand through Alembic's RevisionMap / HeadMaintainer code.

#include "migrations/revisiongraph.h"

#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

struct Rev
{
    QString id;
    QStringList parents;
};

RevisionGraph build(const QList<Rev> &revs)
{
    RevisionGraph g;
    for (const Rev &r : revs)
        g.addRevision(r.id, r.parents);
    return g;
}

// a -> b -> c, c -> d1 -> e1, c -> d2 -> e2, (e1, e2) -> m -> n
RevisionGraph branched()
{
    return build({{u"a"_s, {}}, {u"b"_s, {u"a"_s}}, {u"c"_s, {u"b"_s}},
                  {u"d1"_s, {u"c"_s}}, {u"e1"_s, {u"d1"_s}},
                  {u"d2"_s, {u"c"_s}}, {u"e2"_s, {u"d2"_s}},
                  {u"m"_s, {u"e1"_s, u"e2"_s}}, {u"n"_s, {u"m"_s}}});
}

// The same graph before the merge: two heads.
RevisionGraph unmerged()
{
    return build({{u"a"_s, {}}, {u"b"_s, {u"a"_s}}, {u"c"_s, {u"b"_s}},
                  {u"d1"_s, {u"c"_s}}, {u"e1"_s, {u"d1"_s}},
                  {u"d2"_s, {u"c"_s}}, {u"e2"_s, {u"d2"_s}}});
}

// Alembic's RevisionPathTest: a linear chain with real-looking ids.
const QString A = u"e6239818bb3a"_s, B = u"548bbb905360"_s, C = u"b7ea43dc85e4"_s, D = u"1bbe33445780"_s,
              E = u"3975fb1a0125"_s;
RevisionGraph linear()
{
    return build({{A, {}}, {B, {A}}, {C, {B}}, {D, {C}}, {E, {D}}});
}

// Alembic's BranchedPathTest without the branch labels.
RevisionGraph branchedPath()
{
    return build({{u"a"_s, {}}, {u"b"_s, {u"a"_s}}, {u"c1"_s, {u"b"_s}}, {u"d1"_s, {u"c1"_s}},
                  {u"c2"_s, {u"b"_s}}, {u"d2"_s, {u"c2"_s}}});
}

// Alembic's MergedPathTest.
RevisionGraph mergedPath()
{
    return build({{u"a"_s, {}}, {u"b"_s, {u"a"_s}}, {u"c1"_s, {u"b"_s}}, {u"d1"_s, {u"c1"_s}},
                  {u"c2"_s, {u"b"_s}}, {u"d2"_s, {u"c2"_s}}, {u"e"_s, {u"d1"_s, u"d2"_s}},
                  {u"f"_s, {u"e"_s}}});
}

// Alembic's ForestTest: two independent roots.
RevisionGraph forest()
{
    return build({{u"a1"_s, {}}, {u"b1"_s, {u"a1"_s}}, {u"a2"_s, {}}, {u"b2"_s, {u"a2"_s}}});
}

// Alembic's BranchFrom3WayMergepointTest without the cross-root dependencies.
RevisionGraph threeWay()
{
    return build({{u"a1"_s, {}}, {u"b1"_s, {u"a1"_s}}, {u"c1"_s, {u"b1"_s}},
                  {u"a2"_s, {}}, {u"b2"_s, {u"a2"_s}}, {u"c2"_s, {u"b2"_s}},
                  {u"a3"_s, {}}, {u"b3"_s, {u"a3"_s}}, {u"c3"_s, {u"b3"_s}},
                  {u"d1"_s, {u"c1"_s, u"c2"_s, u"c3"_s}}, {u"d2"_s, {u"c2"_s}}, {u"d3"_s, {u"c3"_s}}});
}

// Alembic's BranchTravellingTest (test_revision.py).
RevisionGraph travelling()
{
    return build({{u"a1"_s, {}}, {u"a2"_s, {u"a1"_s}}, {u"a3"_s, {u"a2"_s}}, {u"b1"_s, {u"a3"_s}},
                  {u"b2"_s, {u"a3"_s}}, {u"cb1"_s, {u"b1"_s}}, {u"cb2"_s, {u"b2"_s}},
                  {u"db1"_s, {u"cb1"_s}}, {u"db2"_s, {u"cb2"_s}}, {u"e1b1"_s, {u"db1"_s}},
                  {u"fe1b1"_s, {u"e1b1"_s}}, {u"e2b1"_s, {u"db1"_s}}, {u"e2b2"_s, {u"db2"_s}},
                  {u"merge"_s, {u"e2b1"_s, u"e2b2"_s}}});
}

// Alembic's MultipleBaseTest (test_revision.py).
RevisionGraph multipleBase()
{
    return build({{u"base1"_s, {}}, {u"base2"_s, {}}, {u"base3"_s, {}}, {u"a1a"_s, {u"base1"_s}},
                  {u"a1b"_s, {u"base1"_s}}, {u"a2"_s, {u"base2"_s}}, {u"a3"_s, {u"base3"_s}},
                  {u"b1a"_s, {u"a1a"_s}}, {u"b1b"_s, {u"a1b"_s}}, {u"b2"_s, {u"a2"_s}},
                  {u"b3"_s, {u"a3"_s}}, {u"c2"_s, {u"b2"_s}}, {u"d2"_s, {u"c2"_s}},
                  {u"mergeb3d2"_s, {u"b3"_s, u"d2"_s}}});
}

// Alembic's LongShortBranchTest, MultipleBranchTest and DiamondTest.
RevisionGraph longShort()
{
    return build({{u"a"_s, {}}, {u"b1"_s, {u"a"_s}}, {u"b2"_s, {u"a"_s}}, {u"c1"_s, {u"b1"_s}},
                  {u"d11"_s, {u"c1"_s}}, {u"d12"_s, {u"c1"_s}}});
}

RevisionGraph multipleBranch()
{
    return build({{u"a"_s, {}}, {u"b1"_s, {u"a"_s}}, {u"b2"_s, {u"a"_s}}, {u"cb1"_s, {u"b1"_s}},
                  {u"cb2"_s, {u"b2"_s}}, {u"d1cb1"_s, {u"cb1"_s}}, {u"d2cb1"_s, {u"cb1"_s}},
                  {u"d1cb2"_s, {u"cb2"_s}}, {u"d2cb2"_s, {u"cb2"_s}}, {u"d3cb2"_s, {u"cb2"_s}},
                  {u"d1d2cb2"_s, {u"d1cb2"_s, u"d2cb2"_s}}});
}

RevisionGraph diamond()
{
    return build({{u"a"_s, {}}, {u"b1"_s, {u"a"_s}}, {u"b2"_s, {u"a"_s}}, {u"c"_s, {u"b1"_s, u"b2"_s}},
                  {u"d"_s, {u"c"_s}}});
}

// Ids that share prefixes, for exact-versus-prefix resolution.
RevisionGraph prefixes()
{
    return build({{u"abcd"_s, {}}, {u"abcdef12"_s, {u"abcd"_s}}, {u"abcdef34"_s, {u"abcdef12"_s}},
                  {u"fedcba98"_s, {u"abcdef34"_s}}, {u"xyz"_s, {}}});
}

RevisionGraph graphNamed(const QString &name)
{
    if (name == u"branched")
        return branched();
    if (name == u"unmerged")
        return unmerged();
    if (name == u"linear")
        return linear();
    if (name == u"branchedPath")
        return branchedPath();
    if (name == u"mergedPath")
        return mergedPath();
    if (name == u"forest")
        return forest();
    if (name == u"threeWay")
        return threeWay();
    if (name == u"travelling")
        return travelling();
    if (name == u"multipleBase")
        return multipleBase();
    if (name == u"longShort")
        return longShort();
    if (name == u"multipleBranch")
        return multipleBranch();
    if (name == u"diamond")
        return diamond();
    if (name == u"prefixes")
        return prefixes();
    if (name == u"empty")
        return RevisionGraph();
    qFatal("unknown graph");
    return {};
}

QStringList revisionsOf(const QList<MigrationStep> &steps)
{
    QStringList out;
    for (const MigrationStep &s : steps)
        out.append(s.revision);
    return out;
}

QString describe(const VersionOp &op)
{
    switch (op.kind) {
    case VersionOp::Kind::Insert:
        return u"insert "_s + op.to;
    case VersionOp::Kind::Delete:
        return u"delete "_s + op.from;
    case VersionOp::Kind::Update:
        return u"update "_s + op.from + u"->"_s + op.to;
    }
    return {};
}

QStringList describe(const QList<VersionOp> &ops)
{
    QStringList out;
    for (const VersionOp &op : ops)
        out.append(describe(op));
    return out;
}

QStringList sorted(QStringList l)
{
    l.sort();
    return l;
}

QSet<QString> setOf(const QStringList &l)
{
    return QSet<QString>(l.cbegin(), l.cend());
}

// Runs every step through versionOps(), as the runner does, and returns the final heads.
QStringList applySteps(const RevisionGraph &g, QStringList heads, const QList<MigrationStep> &steps,
                       QStringList *ops = nullptr)
{
    for (const MigrationStep &s : steps) {
        const QList<VersionOp> stepOps = g.versionOps(s, &heads);
        if (ops)
            *ops += describe(stepOps);
    }
    return heads;
}

const QString multipleHeadsMessage =
    u"Multiple head revisions are present for given argument 'head'; please specify a specific target "
    "revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads"_s;

} // namespace

class TestRevisionGraph : public QObject
{
    Q_OBJECT

private slots:
    void shape();
    void shapeOfForestAndMultipleBases();
    void revisionsOrder_data();
    void revisionsOrder();
    void validateAcceptsGoodGraphs();
    void validateReportsProblems_data();
    void validateReportsProblems();
    void resolveRevision_data();
    void resolveRevision();
    void resolveTarget_data();
    void resolveTarget();
    void upgradePlan_data();
    void upgradePlan();
    void downgradePlan_data();
    void downgradePlan();
    void refusals_data();
    void refusals();
    void downgradeWarning();
    void versionOpsThroughBranchAndMerge();
    void versionOpsBackDownThroughMerge();
    void versionOpsTwinMerges();
    void versionOpsNotQuiteTwinMerges();
    void versionOpsUnknownRevisionLeavesHeads();
    void stampOps_data();
    void stampOps();
    void stampRefusals_data();
    void stampRefusals();
    void walk_data();
    void walk();
};

void TestRevisionGraph::shape()
{
    const RevisionGraph g = branched();
    QVERIFY(g.validate().isEmpty());
    QCOMPARE(g.heads(), QStringList{u"n"_s});
    QCOMPARE(g.bases(), QStringList{u"a"_s});
    QVERIFY(g.contains(u"d1"_s));
    QVERIFY(!g.contains(u"d"_s)); // no prefix matching here
    QCOMPARE(g.parents(u"m"_s), (QStringList{u"e1"_s, u"e2"_s}));
    QCOMPARE(g.parents(u"a"_s), QStringList());
    QCOMPARE(g.children(u"c"_s), (QStringList{u"d1"_s, u"d2"_s}));
    QCOMPARE(g.children(u"n"_s), QStringList());
    QCOMPARE(g.children(u"nope"_s), QStringList());

    QVERIFY(g.isHead(u"n"_s));
    QVERIFY(!g.isHead(u"m"_s));
    QVERIFY(g.isBase(u"a"_s));
    QVERIFY(!g.isBase(u"b"_s));
    QVERIFY(g.isBranchPoint(u"c"_s));
    QVERIFY(!g.isBranchPoint(u"d1"_s));
    QVERIFY(!g.isBranchPoint(u"m"_s));
    QVERIFY(g.isMergePoint(u"m"_s));
    QVERIFY(!g.isMergePoint(u"c"_s));
    QVERIFY(!g.isHead(u"nope"_s));

    QCOMPARE(g.ancestors(u"e1"_s), setOf({u"e1"_s, u"d1"_s, u"c"_s, u"b"_s, u"a"_s}));
    QCOMPARE(g.ancestors(u"e1"_s, false), setOf({u"d1"_s, u"c"_s, u"b"_s, u"a"_s}));
    QCOMPARE(g.ancestors(u"m"_s, false),
             setOf({u"e1"_s, u"d1"_s, u"e2"_s, u"d2"_s, u"c"_s, u"b"_s, u"a"_s}));
    QCOMPARE(g.descendants(u"d2"_s), setOf({u"d2"_s, u"e2"_s, u"m"_s, u"n"_s}));
    QCOMPARE(g.descendants(u"d2"_s, false), setOf({u"e2"_s, u"m"_s, u"n"_s}));
    QCOMPARE(g.ancestors(u"nope"_s), QSet<QString>());

    const RevisionGraph two = unmerged();
    QCOMPARE(two.heads(), (QStringList{u"e1"_s, u"e2"_s}));
}

void TestRevisionGraph::shapeOfForestAndMultipleBases()
{
    const RevisionGraph f = forest();
    QCOMPARE(f.bases(), (QStringList{u"a1"_s, u"a2"_s}));
    QCOMPARE(f.heads(), (QStringList{u"b1"_s, u"b2"_s}));

    const RevisionGraph mb = multipleBase();
    QCOMPARE(mb.bases(), (QStringList{u"base1"_s, u"base2"_s, u"base3"_s}));
    QCOMPARE(mb.heads(), (QStringList{u"b1a"_s, u"b1b"_s, u"mergeb3d2"_s}));
    QVERIFY(mb.isBranchPoint(u"base1"_s));
    QVERIFY(mb.isMergePoint(u"mergeb3d2"_s));

    // children stay in load order even when a child is added before its parent
    RevisionGraph g;
    g.addRevision(u"x2"_s, {u"x1"_s});
    g.addRevision(u"x1"_s, {});
    g.addRevision(u"x3"_s, {u"x1"_s});
    QVERIFY(g.validate().isEmpty());
    QCOMPARE(g.children(u"x1"_s), (QStringList{u"x2"_s, u"x3"_s}));
    QCOMPARE(g.revisions(), (QStringList{u"x1"_s, u"x3"_s, u"x2"_s}));
}

void TestRevisionGraph::revisionsOrder_data()
{
    QTest::addColumn<QString>("graph");
    QTest::addColumn<QStringList>("expected");
    // reversed `alembic history` order, i.e. what `upgrade heads` applies from an empty database
    QTest::newRow("branched") << u"branched"_s
                              << QStringList{u"a"_s, u"b"_s, u"c"_s, u"d2"_s, u"e2"_s, u"d1"_s, u"e1"_s,
                                             u"m"_s, u"n"_s};
    QTest::newRow("forest") << u"forest"_s << QStringList{u"a2"_s, u"b2"_s, u"a1"_s, u"b1"_s};
    QTest::newRow("linear") << u"linear"_s << QStringList{A, B, C, D, E};
    QTest::newRow("empty") << u"empty"_s << QStringList();
}

void TestRevisionGraph::revisionsOrder()
{
    QFETCH(QString, graph);
    QFETCH(QStringList, expected);
    QCOMPARE(graphNamed(graph).revisions(), expected);
}

void TestRevisionGraph::validateAcceptsGoodGraphs()
{
    for (const QString &name : {u"branched"_s, u"unmerged"_s, u"linear"_s, u"forest"_s, u"threeWay"_s,
                                u"travelling"_s, u"multipleBase"_s, u"prefixes"_s, u"empty"_s})
        QVERIFY2(graphNamed(name).validate().isEmpty(), qPrintable(name));
}

void TestRevisionGraph::validateReportsProblems_data()
{
    QTest::addColumn<QList<QStringList>>("revisions"); // id, then parents
    QTest::addColumn<QStringList>("errorRevisions");
    QTest::addColumn<QString>("message"); // message of the first error

    QTest::newRow("missing parent")
        << QList<QStringList>{{u"a"_s}, {u"b"_s, u"a"_s}, {u"c"_s, u"zz"_s}} << QStringList{u"c"_s}
        << u"Revision zz referenced from c is not present"_s;
    QTest::newRow("simple cycle, no base")
        << QList<QStringList>{{u"a"_s, u"c"_s}, {u"b"_s, u"a"_s}, {u"c"_s, u"b"_s}}
        << QStringList{u"a"_s, u"b"_s, u"c"_s} << u"Cycle is detected in revisions (a, b, c)"_s;
    QTest::newRow("cycle beside a healthy root")
        << QList<QStringList>{{u"a"_s, u"c"_s}, {u"b"_s, u"a"_s}, {u"c"_s, u"b"_s}, {u"d"_s}, {u"e"_s, u"d"_s}}
        << QStringList{u"a"_s, u"b"_s, u"c"_s} << u"Cycle is detected in revisions (a, b, c)"_s;
    QTest::newRow("cycle above a base")
        << QList<QStringList>{{u"a"_s}, {u"b"_s, u"a"_s}, {u"c"_s, u"b"_s, u"e"_s}, {u"d"_s, u"c"_s},
                              {u"e"_s, u"d"_s}}
        << QStringList{u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s}
        << u"Cycle is detected in revisions (a, b, c, d, e)"_s;
    QTest::newRow("self loop") << QList<QStringList>{{u"a"_s}, {u"b"_s, u"a"_s, u"b"_s}} << QStringList{u"b"_s}
                               << u"Self-loop is detected in revisions (b)"_s;
    QTest::newRow("duplicate id") << QList<QStringList>{{u"a"_s}, {u"a"_s}} << QStringList{u"a"_s}
                                  << u"Revision a is present more than once"_s;
    QTest::newRow("illegal characters") << QList<QStringList>{{u"a-b:c"_s}} << QStringList{u"a-b:c"_s}
                                        << u"Character(s) '-, :' not allowed in revision identifier 'a-b:c'"_s;
}

void TestRevisionGraph::validateReportsProblems()
{
    QFETCH(QList<QStringList>, revisions);
    QFETCH(QStringList, errorRevisions);
    QFETCH(QString, message);
    RevisionGraph g;
    for (const QStringList &r : revisions)
        g.addRevision(r.first(), r.mid(1));
    const QList<RevisionGraph::GraphError> errors = g.validate();
    QStringList named;
    for (const RevisionGraph::GraphError &e : errors)
        named.append(e.revision);
    QCOMPARE(named, errorRevisions);
    QCOMPARE(errors.first().message, message);

    // nothing is planned on a broken graph
    QString error;
    QVERIFY(!g.upgradePlan({}, u"heads"_s, &error));
    QVERIFY(error.contains(message));
}

void TestRevisionGraph::resolveRevision_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");
    QTest::newRow("exact id that is also a prefix") << u"abcd"_s << u"abcd"_s << QString();
    QTest::newRow("unique prefix") << u"abcdef1"_s << u"abcdef12"_s << QString();
    QTest::newRow("full id") << u"abcdef34"_s << u"abcdef34"_s << QString();
    QTest::newRow("three-character prefix of a long id") << u"fed"_s << u"fedcba98"_s << QString();
    QTest::newRow("ambiguous prefix") << u"abcde"_s << QString()
                                      << u"Multiple revisions start with 'abcde': 'abcdef12', 'abcdef34'..."_s;
    QTest::newRow("ambiguous prefix, three shown")
        << u"abc"_s << QString() << u"Multiple revisions start with 'abc': 'abcd', 'abcdef12', 'abcdef34'..."_s;
    QTest::newRow("unknown") << u"zzzzz"_s << QString() << u"No such revision or branch 'zzzzz'"_s;
    QTest::newRow("unknown and short")
        << u"zz"_s << QString()
        << u"No such revision or branch 'zz'; please ensure at least four characters are present for partial "
           "revision identifier matches"_s;
    QTest::newRow("short id is only matched exactly") << u"xyz"_s << u"xyz"_s << QString();
    QTest::newRow("short id is never a prefix match")
        << u"xy"_s << QString()
        << u"No such revision or branch 'xy'; please ensure at least four characters are present for partial "
           "revision identifier matches"_s;
    QTest::newRow("empty") << QString() << QString() << u"No such revision or branch ''"_s;
    QTest::newRow("unknown branch label") << u"lib@abcd"_s << QString()
                                  << u"No such branch: 'lib'"_s;
}

void TestRevisionGraph::resolveRevision()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    const RevisionGraph g = prefixes();
    QString actualError;
    const std::optional<QString> r = g.resolveRevision(name, &actualError);
    if (error.isEmpty()) {
        QVERIFY2(r.has_value(), qPrintable(actualError));
        QCOMPARE(*r, expected);
    } else {
        QVERIFY(!r.has_value());
        QCOMPARE(actualError, error);
    }
}

void TestRevisionGraph::resolveTarget_data()
{
    QTest::addColumn<QString>("graph");
    QTest::addColumn<QStringList>("current");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("error");

    const QStringList e1{u"e1"_s};
    QTest::newRow("head") << u"branched"_s << e1 << u"head"_s << QStringList{u"n"_s} << QString();
    QTest::newRow("heads") << u"unmerged"_s << e1 << u"heads"_s << QStringList{u"e1"_s, u"e2"_s} << QString();
    QTest::newRow("base") << u"branched"_s << e1 << u"base"_s << QStringList() << QString();
    QTest::newRow("id") << u"branched"_s << e1 << u"d2"_s << QStringList{u"d2"_s} << QString();
    QTest::newRow("prefix") << u"linear"_s << QStringList() << u"b7ea"_s << QStringList{C} << QString();
    QTest::newRow("current") << u"unmerged"_s << QStringList{u"e2"_s, u"d1"_s} << u"current"_s
                             << QStringList{u"e2"_s, u"d1"_s} << QString();
    QTest::newRow("current, empty database") << u"branched"_s << QStringList() << u"current"_s << QStringList()
                                              << QString();
    QTest::newRow("-1") << u"branched"_s << e1 << u"-1"_s << QStringList{u"d1"_s} << QString();
    QTest::newRow("-2") << u"branched"_s << e1 << u"-2"_s << QStringList{u"c"_s} << QString();
    QTest::newRow("-5 reaches base") << u"branched"_s << e1 << u"-5"_s << QStringList() << QString();
    QTest::newRow("-6 walks off") << u"branched"_s << e1 << u"-6"_s << QStringList()
                                  << u"Relative revision -6 didn't produce 6 migrations"_s;
    QTest::newRow("-1 from a merge point") << u"branched"_s << QStringList{u"m"_s} << u"-1"_s << QStringList()
                                           << u"Ambiguous walk"_s;
    QTest::newRow("+1") << u"branched"_s << e1 << u"+1"_s << QStringList{u"m"_s} << QString();
    QTest::newRow("+2") << u"branched"_s << e1 << u"+2"_s << QStringList{u"n"_s} << QString();
    QTest::newRow("+1 from empty") << u"branched"_s << QStringList() << u"+1"_s << QStringList{u"a"_s} << QString();
    QTest::newRow("+9 walks off") << u"branched"_s << e1 << u"+9"_s << QStringList()
                                  << u"Relative revision +9 didn't produce 9 migrations"_s;
    QTest::newRow("+1 across a branch point") << u"branched"_s << QStringList{u"c"_s} << u"+1"_s << QStringList()
                                              << u"Ambiguous walk"_s;
    QTest::newRow("+1 from two heads") << u"unmerged"_s << QStringList{u"e1"_s, u"e2"_s} << u"+1"_s
                                       << QStringList() << u"Ambiguous upgrade from multiple current revisions"_s;
    QTest::newRow("REV+N") << u"branched"_s << e1 << u"d1+1"_s << QStringList{u"e1"_s} << QString();
    QTest::newRow("REV-N") << u"branched"_s << e1 << u"e2-2"_s << QStringList{u"c"_s} << QString();
    QTest::newRow("REV-N to base") << u"branched"_s << e1 << u"b-2"_s << QStringList() << QString();
    QTest::newRow("REV-N past base") << u"branched"_s << e1 << u"b-3"_s << QStringList() << u"Walked too far"_s;
    QTest::newRow("REV+N across a branch point") << u"branched"_s << e1 << u"c+1"_s << QStringList()
                                                 << u"Ambiguous walk"_s;
    QTest::newRow("REV-N from a merge point") << u"branched"_s << e1 << u"m-1"_s << QStringList()
                                              << u"Ambiguous walk"_s;
    QTest::newRow("prefix+N") << u"linear"_s << QStringList() << u"548b+2"_s << QStringList{D} << QString();
    QTest::newRow("base+2") << u"linear"_s << QStringList() << u"base+2"_s << QStringList{B} << QString();
    QTest::newRow("head with two heads") << u"unmerged"_s << e1 << u"head"_s << QStringList()
                                         << multipleHeadsMessage;
    QTest::newRow("unknown") << u"branched"_s << e1 << u"zzzz"_s << QStringList()
                             << u"Can't locate revision identified by 'zzzz'"_s;
    QTest::newRow("unknown branch label") << u"branched"_s << e1 << u"x@head"_s << QStringList()
                                  << u"Can't locate revision identified by 'x'"_s;
}

void TestRevisionGraph::resolveTarget()
{
    QFETCH(QString, graph);
    QFETCH(QStringList, current);
    QFETCH(QString, target);
    QFETCH(QStringList, expected);
    QFETCH(QString, error);
    QString actualError;
    const std::optional<QStringList> r = graphNamed(graph).resolveTarget(target, current, &actualError);
    if (error.isEmpty()) {
        QVERIFY2(r.has_value(), qPrintable(actualError));
        QCOMPARE(*r, expected);
    } else {
        QVERIFY(!r.has_value());
        QCOMPARE(actualError, error);
    }
}

void TestRevisionGraph::upgradePlan_data()
{
    QTest::addColumn<QString>("graph");
    QTest::addColumn<QStringList>("current");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QStringList>("finalHeads"); // sorted

    // the branched/merged graph
    QTest::newRow("heads from empty")
        << u"branched"_s << QStringList() << u"heads"_s
        << QStringList{u"a"_s, u"b"_s, u"c"_s, u"d2"_s, u"e2"_s, u"d1"_s, u"e1"_s, u"m"_s, u"n"_s}
        << QStringList{u"n"_s};
    QTest::newRow("head from empty")
        << u"branched"_s << QStringList() << u"head"_s
        << QStringList{u"a"_s, u"b"_s, u"c"_s, u"d2"_s, u"e2"_s, u"d1"_s, u"e1"_s, u"m"_s, u"n"_s}
        << QStringList{u"n"_s};
    QTest::newRow("one branch") << u"branched"_s << QStringList() << u"e1"_s
                                << QStringList{u"a"_s, u"b"_s, u"c"_s, u"d1"_s, u"e1"_s} << QStringList{u"e1"_s};
    QTest::newRow("second branch from the branch point")
        << u"branched"_s << QStringList{u"e1"_s} << u"e2"_s << QStringList{u"d2"_s, u"e2"_s}
        << QStringList{u"e1"_s, u"e2"_s};
    QTest::newRow("merge point from one side") << u"branched"_s << QStringList{u"e1"_s} << u"m"_s
                                               << QStringList{u"d2"_s, u"e2"_s, u"m"_s} << QStringList{u"m"_s};
    QTest::newRow("heads from both branches") << u"branched"_s << QStringList{u"e1"_s, u"e2"_s} << u"heads"_s
                                              << QStringList{u"m"_s, u"n"_s} << QStringList{u"n"_s};
    QTest::newRow("ancestor of current is a no-op") << u"branched"_s << QStringList{u"e1"_s} << u"c"_s
                                                    << QStringList() << QStringList{u"e1"_s};
    QTest::newRow("base is a no-op") << u"branched"_s << QStringList{u"n"_s} << u"base"_s << QStringList()
                                     << QStringList{u"n"_s};
    QTest::newRow("current target") << u"branched"_s << QStringList{u"n"_s} << u"n"_s << QStringList()
                                    << QStringList{u"n"_s};
    QTest::newRow("+2") << u"branched"_s << QStringList{u"a"_s} << u"+2"_s << QStringList{u"b"_s, u"c"_s}
                        << QStringList{u"c"_s};
    QTest::newRow("+1 from empty") << u"branched"_s << QStringList() << u"+1"_s << QStringList{u"a"_s}
                                   << QStringList{u"a"_s};
    QTest::newRow("REV+N") << u"branched"_s << QStringList{u"c"_s} << u"d1+1"_s
                           << QStringList{u"d1"_s, u"e1"_s} << QStringList{u"e1"_s};
    QTest::newRow("REV-N") << u"branched"_s << QStringList{u"c"_s} << u"e2-1"_s << QStringList{u"d2"_s}
                           << QStringList{u"d2"_s};
    QTest::newRow("empty graph") << u"empty"_s << QStringList() << u"heads"_s << QStringList() << QStringList();

    // Alembic's RevisionPathTest
    QTest::newRow("linear c to e") << u"linear"_s << QStringList{C} << E << QStringList{D, E} << QStringList{E};
    QTest::newRow("linear none to c") << u"linear"_s << QStringList() << C << QStringList{A, B, C}
                                      << QStringList{C};
    QTest::newRow("linear +2") << u"linear"_s << QStringList{A} << u"+2"_s << QStringList{B, C} << QStringList{C};
    QTest::newRow("linear +1") << u"linear"_s << QStringList{A} << u"+1"_s << QStringList{B} << QStringList{B};
    QTest::newRow("linear +3") << u"linear"_s << QStringList{B} << u"+3"_s << QStringList{C, D, E}
                               << QStringList{E};
    QTest::newRow("linear b+2") << u"linear"_s << QStringList{A} << B + u"+2"_s << QStringList{B, C, D}
                                << QStringList{D};
    QTest::newRow("linear d-2") << u"linear"_s << QStringList{A} << D + u"-2"_s << QStringList{B}
                                << QStringList{B};
    QTest::newRow("linear by prefix") << u"linear"_s << QStringList{A} << u"b7ea"_s << QStringList{B, C}
                                      << QStringList{C};

    // Alembic's BranchedPathTest
    QTest::newRow("single branch") << u"branchedPath"_s << QStringList{u"b"_s} << u"d1"_s
                                   << QStringList{u"c1"_s, u"d1"_s} << QStringList{u"d1"_s};
    QTest::newRow("multiple branches") << u"branchedPath"_s << QStringList{u"a"_s} << u"heads"_s
                                       << QStringList{u"b"_s, u"c2"_s, u"d2"_s, u"c1"_s, u"d1"_s}
                                       << QStringList{u"d1"_s, u"d2"_s};
    QTest::newRow("base+1") << u"branchedPath"_s << QStringList() << u"base+1"_s << QStringList{u"a"_s}
                            << QStringList{u"a"_s};

    // Alembic's MergedPathTest, ForestTest, BranchFrom3WayMergepointTest, BranchTravellingTest
    QTest::newRow("across merge point")
        << u"mergedPath"_s << QStringList{u"b"_s} << u"f"_s
        << QStringList{u"c2"_s, u"d2"_s, u"c1"_s, u"d1"_s, u"e"_s, u"f"_s} << QStringList{u"f"_s};
    QTest::newRow("forest base to heads") << u"forest"_s << QStringList() << u"heads"_s
                                          << QStringList{u"a2"_s, u"b2"_s, u"a1"_s, u"b1"_s}
                                          << QStringList{u"b1"_s, u"b2"_s};
    QTest::newRow("3-way merge, one side") << u"threeWay"_s << QStringList{u"d3"_s, u"d2"_s, u"b1"_s} << u"d1"_s
                                           << QStringList{u"c1"_s, u"d1"_s}
                                           << QStringList{u"d1"_s, u"d2"_s, u"d3"_s};
    QTest::newRow("3-way merge, two sides") << u"threeWay"_s << QStringList{u"d3"_s, u"b2"_s, u"b1"_s} << u"d1"_s
                                            << QStringList{u"c2"_s, u"c1"_s, u"d1"_s}
                                            << QStringList{u"d1"_s, u"d3"_s};
    QTest::newRow("3-way merge, branch out again") << u"threeWay"_s << QStringList{u"d3"_s, u"d1"_s} << u"d2"_s
                                                   << QStringList{u"d2"_s}
                                                   << QStringList{u"d1"_s, u"d2"_s, u"d3"_s};
    QTest::newRow("one branch into a merge")
        << u"travelling"_s << QStringList{u"db1"_s} << u"merge"_s
        << QStringList{u"b2"_s, u"cb2"_s, u"db2"_s, u"e2b2"_s, u"e2b1"_s, u"merge"_s} << QStringList{u"merge"_s};
}

void TestRevisionGraph::upgradePlan()
{
    QFETCH(QString, graph);
    QFETCH(QStringList, current);
    QFETCH(QString, target);
    QFETCH(QStringList, steps);
    QFETCH(QStringList, finalHeads);
    const RevisionGraph g = graphNamed(graph);
    QString error;
    const std::optional<QList<MigrationStep>> plan = g.upgradePlan(current, target, &error);
    QVERIFY2(plan.has_value(), qPrintable(error));
    QCOMPARE(revisionsOf(*plan), steps);
    for (const MigrationStep &s : *plan)
        QVERIFY(s.isUpgrade());
    QCOMPARE(sorted(applySteps(g, current, *plan)), finalHeads);
}

void TestRevisionGraph::downgradePlan_data()
{
    QTest::addColumn<QString>("graph");
    QTest::addColumn<QStringList>("current");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QStringList>("finalHeads"); // sorted

    QTest::newRow("base removes everything")
        << u"branched"_s << QStringList{u"n"_s} << u"base"_s
        << QStringList{u"n"_s, u"m"_s, u"e1"_s, u"d1"_s, u"e2"_s, u"d2"_s, u"c"_s, u"b"_s, u"a"_s} << QStringList();
    QTest::newRow("back to the branch point")
        << u"branched"_s << QStringList{u"n"_s} << u"c"_s
        << QStringList{u"n"_s, u"m"_s, u"e1"_s, u"d1"_s, u"e2"_s, u"d2"_s} << QStringList{u"c"_s};
    QTest::newRow("below the merge point") << u"branched"_s << QStringList{u"n"_s} << u"e2"_s
                                           << QStringList{u"n"_s, u"m"_s} << QStringList{u"e1"_s, u"e2"_s};
    QTest::newRow("one branch only") << u"branched"_s << QStringList{u"e1"_s, u"e2"_s} << u"d1"_s
                                     << QStringList{u"e1"_s} << QStringList{u"d1"_s, u"e2"_s};
    QTest::newRow("other branch stays") << u"branched"_s << QStringList{u"e1"_s, u"e2"_s} << u"d2"_s
                                        << QStringList{u"e2"_s} << QStringList{u"d2"_s, u"e1"_s};
    QTest::newRow("both branches to the branch point")
        << u"branched"_s << QStringList{u"e1"_s, u"e2"_s} << u"c"_s
        << QStringList{u"e1"_s, u"d1"_s, u"e2"_s, u"d2"_s} << QStringList{u"c"_s};
    QTest::newRow("uneven branches to the branch point") << u"branched"_s << QStringList{u"e1"_s, u"d2"_s} << u"c"_s
                                                         << QStringList{u"e1"_s, u"d1"_s, u"d2"_s}
                                                         << QStringList{u"c"_s};
    QTest::newRow("-1") << u"branched"_s << QStringList{u"n"_s} << u"-1"_s << QStringList{u"n"_s}
                        << QStringList{u"m"_s};
    QTest::newRow("-2 down one branch") << u"branched"_s << QStringList{u"e1"_s} << u"-2"_s
                                                << QStringList{u"e1"_s, u"d1"_s} << QStringList{u"c"_s};
    QTest::newRow("to the current head") << u"branched"_s << QStringList{u"n"_s} << u"n"_s << QStringList()
                                         << QStringList{u"n"_s};
    QTest::newRow("base of an empty database") << u"branched"_s << QStringList() << u"base"_s << QStringList()
                                               << QStringList();

    // Alembic's RevisionPathTest
    QTest::newRow("linear e to c") << u"linear"_s << QStringList{E} << C << QStringList{E, D} << QStringList{C};
    QTest::newRow("linear c to base") << u"linear"_s << QStringList{C} << u"base"_s << QStringList{C, B, A}
                                      << QStringList();
    QTest::newRow("linear -1") << u"linear"_s << QStringList{C} << u"-1"_s << QStringList{C} << QStringList{B};
    QTest::newRow("linear -3") << u"linear"_s << QStringList{E} << u"-3"_s << QStringList{E, D, C}
                               << QStringList{B};
    QTest::newRow("linear a+2") << u"linear"_s << QStringList{D} << A + u"+2"_s << QStringList{D}
                                << QStringList{C};
    QTest::newRow("linear c-2") << u"linear"_s << QStringList{D} << C + u"-2"_s << QStringList{D, C, B}
                                << QStringList{A};
    QTest::newRow("linear to existing") << u"linear"_s << QStringList{A} << A << QStringList() << QStringList{A};
    QTest::newRow("linear to existing head") << u"linear"_s << QStringList{E} << E << QStringList()
                                             << QStringList{E};

    // Alembic's BranchedPathTest (the "-1" cases warn, see downgradeWarning())
    QTest::newRow("multiple branches to a") << u"branchedPath"_s << QStringList{u"d1"_s, u"d2"_s} << u"a"_s
                                            << QStringList{u"d1"_s, u"c1"_s, u"d2"_s, u"c2"_s, u"b"_s}
                                            << QStringList{u"a"_s};
    QTest::newRow("base+2") << u"branchedPath"_s << QStringList{u"d2"_s, u"d1"_s} << u"base+2"_s
                            << QStringList{u"d1"_s, u"c1"_s, u"d2"_s, u"c2"_s} << QStringList{u"b"_s};
    QTest::newRow("one branch to its own revision") << u"branchedPath"_s << QStringList{u"d2"_s, u"d1"_s} << u"c2"_s
                                                    << QStringList{u"d2"_s} << QStringList{u"c2"_s, u"d1"_s};
    QTest::newRow("-1 order right") << u"branchedPath"_s << QStringList{u"d2"_s, u"d1"_s} << u"-1"_s
                                    << QStringList{u"d2"_s} << QStringList{u"c2"_s, u"d1"_s};
    QTest::newRow("-1 order right unbalanced") << u"branchedPath"_s << QStringList{u"c2"_s, u"d1"_s} << u"-1"_s
                                               << QStringList{u"c2"_s} << QStringList{u"d1"_s};
    QTest::newRow("-1 order left") << u"branchedPath"_s << QStringList{u"d1"_s, u"d2"_s} << u"-1"_s
                                   << QStringList{u"d1"_s} << QStringList{u"c1"_s, u"d2"_s};
    QTest::newRow("-1 order left unbalanced") << u"branchedPath"_s << QStringList{u"c1"_s, u"d2"_s} << u"-1"_s
                                              << QStringList{u"c1"_s} << QStringList{u"d2"_s};
    QTest::newRow("REV-1 order right") << u"branchedPath"_s << QStringList{u"d2"_s, u"c1"_s} << u"d2-1"_s
                                       << QStringList{u"d2"_s} << QStringList{u"c1"_s, u"c2"_s};
    QTest::newRow("REV-1 order left") << u"branchedPath"_s << QStringList{u"c1"_s, u"d2"_s} << u"d2-1"_s
                                      << QStringList{u"d2"_s} << QStringList{u"c1"_s, u"c2"_s};
    QTest::newRow("-1 to base") << u"branchedPath"_s << QStringList{u"a"_s} << u"-1"_s << QStringList{u"a"_s}
                                << QStringList();
    QTest::newRow("no effect, branched") << u"branchedPath"_s << QStringList{u"d1"_s, u"c2"_s} << u"c2"_s
                                         << QStringList() << QStringList{u"c2"_s, u"d1"_s};
    QTest::newRow("no effect, branched, other side") << u"branchedPath"_s << QStringList{u"d1"_s, u"c2"_s}
                                                     << u"d1"_s << QStringList() << QStringList{u"c2"_s, u"d1"_s};

    // Alembic's MergedPathTest, ForestTest-like forest and BranchFrom3WayMergepointTest
    QTest::newRow("across merge point") << u"mergedPath"_s << QStringList{u"f"_s} << u"b"_s
                                        << QStringList{u"f"_s, u"e"_s, u"d1"_s, u"c1"_s, u"d2"_s, u"c2"_s}
                                        << QStringList{u"b"_s};
    QTest::newRow("forest, one root") << u"forest"_s << QStringList{u"b1"_s, u"b2"_s} << u"a1"_s
                                      << QStringList{u"b1"_s} << QStringList{u"a1"_s, u"b2"_s};
    QTest::newRow("forest to base") << u"forest"_s << QStringList{u"a1"_s, u"b2"_s} << u"base"_s
                                    << QStringList{u"a1"_s, u"b2"_s, u"a2"_s} << QStringList();
    QTest::newRow("3-way merge, one side") << u"threeWay"_s << QStringList{u"d3"_s, u"d2"_s, u"d1"_s} << u"b1"_s
                                           << QStringList{u"d1"_s, u"c1"_s}
                                           << QStringList{u"b1"_s, u"d2"_s, u"d3"_s};
}

void TestRevisionGraph::downgradePlan()
{
    QFETCH(QString, graph);
    QFETCH(QStringList, current);
    QFETCH(QString, target);
    QFETCH(QStringList, steps);
    QFETCH(QStringList, finalHeads);
    const RevisionGraph g = graphNamed(graph);
    QString error;
    const std::optional<QList<MigrationStep>> plan = g.downgradePlan(current, target, &error);
    QVERIFY2(plan.has_value(), qPrintable(error));
    QCOMPARE(revisionsOf(*plan), steps);
    for (const MigrationStep &s : *plan)
        QVERIFY(!s.isUpgrade());
    QCOMPARE(sorted(applySteps(g, current, *plan)), finalHeads);
}

void TestRevisionGraph::refusals_data()
{
    QTest::addColumn<QString>("graph");
    QTest::addColumn<bool>("upgrade");
    QTest::addColumn<QStringList>("current");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("error");

    QTest::newRow("upgrade head with two heads") << u"unmerged"_s << true << QStringList() << u"head"_s
                                                 << multipleHeadsMessage;
    QTest::newRow("downgrade head with two heads")
        << u"unmerged"_s << false << QStringList{u"e1"_s, u"e2"_s} << u"heads"_s
        << u"Multiple head revisions are present for given argument 'heads'; please specify a specific target "
           "revision, '<branchname>@heads' to narrow to a specific head, or 'heads' for all heads"_s;
    QTest::newRow("downgrade -1 from a merge point") << u"branched"_s << false << QStringList{u"m"_s} << u"-1"_s
                                                     << u"Ambiguous walk"_s;
    QTest::newRow("downgrade REV-1 from a merge point") << u"branched"_s << false << QStringList{u"n"_s}
                                                        << u"m-1"_s << u"Ambiguous walk"_s;
    QTest::newRow("upgrade +1 across a branch point") << u"branched"_s << true << QStringList{u"c"_s} << u"+1"_s
                                                      << u"Ambiguous walk"_s;
    QTest::newRow("upgrade +3 across a branch point") << u"branched"_s << true << QStringList{u"b"_s} << u"+3"_s
                                                      << u"Ambiguous walk"_s;
    QTest::newRow("upgrade REV+N across a branch point") << u"branched"_s << true << QStringList{u"a"_s}
                                                         << u"b+2"_s << u"Ambiguous walk"_s;
    QTest::newRow("upgrade +1 with two current heads")
        << u"branchedPath"_s << true << QStringList{u"c1"_s, u"c2"_s} << u"+1"_s
        << u"Ambiguous upgrade from multiple current revisions"_s;
    QTest::newRow("upgrade +1 with two bases") << u"forest"_s << true << QStringList() << u"+1"_s
                                                           << u"Ambiguous walk"_s;
    QTest::newRow("upgrade -2") << u"linear"_s << true << QStringList{B} << u"-2"_s
                                << u"Relative revision -2 didn't produce 2 migrations"_s;
    QTest::newRow("upgrade +5") << u"linear"_s << true << QStringList{B} << u"+5"_s
                                << u"Relative revision +5 didn't produce 5 migrations"_s;
    QTest::newRow("upgrade REV+N past the head") << u"linear"_s << true << QStringList{B} << D + u"+2"_s
                                                 << u"Walked too far"_s;
    QTest::newRow("downgrade -5") << u"linear"_s << false << QStringList{B} << u"-5"_s
                                  << u"Relative revision -5 didn't produce 5 migrations"_s;
    QTest::newRow("downgrade +2") << u"linear"_s << false << QStringList{B} << u"+2"_s
                                  << u"Relative revision +2 didn't produce 2 migrations"_s;
    QTest::newRow("downgrade -1 from empty") << u"branchedPath"_s << false << QStringList() << u"-1"_s
                                             << u"Relative revision -1 didn't produce 1 migrations"_s;
    QTest::newRow("downgrade REV+N past the head") << u"linear"_s << false << QStringList{E} << D + u"+2"_s
                                                   << u"Walked too far"_s;
    QTest::newRow("downgrade to an unapplied revision (prefix)")
        << u"linear"_s << false << QStringList() << u"548"_s
        << u"Destination 548 is not a valid downgrade target from current head(s)"_s;
    QTest::newRow("downgrade higher to lower") << u"linear"_s << false << QStringList{B} << u"b7ea"_s
                                               << u"Destination b7ea is not a valid downgrade target from current "
                                                  "head(s)"_s;
    QTest::newRow("downgrade to the other branch") << u"branched"_s << false << QStringList{u"e1"_s} << u"e2"_s
                                                   << u"Destination e2 is not a valid downgrade target from "
                                                      "current head(s)"_s;
    QTest::newRow("upgrade to an unknown revision") << u"branched"_s << true << QStringList() << u"zzzz"_s
                                                    << u"Can't locate revision identified by 'zzzz'"_s;
    QTest::newRow("unknown current revision") << u"branched"_s << true << QStringList{u"gone1234"_s} << u"heads"_s
                                              << u"Can't locate revision identified by 'gone1234'"_s;
    QTest::newRow("ambiguous prefix") << u"prefixes"_s << true << QStringList() << u"abcde"_s
                                      << u"Multiple revisions start with 'abcde': 'abcdef12', 'abcdef34'..."_s;
    QTest::newRow("unknown branch label") << u"branched"_s << true << QStringList() << u"lib@head"_s
                                  << u"Can't locate revision identified by 'lib'"_s;
    QTest::newRow("unknown branch label, downgrade") << u"branched"_s << false << QStringList{u"n"_s} << u"lib@-1"_s
                                             << u"Can't locate revision identified by 'lib'"_s;
}

void TestRevisionGraph::refusals()
{
    QFETCH(QString, graph);
    QFETCH(bool, upgrade);
    QFETCH(QStringList, current);
    QFETCH(QString, target);
    QFETCH(QString, error);
    const RevisionGraph g = graphNamed(graph);
    QString actual;
    const std::optional<QList<MigrationStep>> plan =
        upgrade ? g.upgradePlan(current, target, &actual) : g.downgradePlan(current, target, &actual);
    QVERIFY2(!plan.has_value(), qPrintable(revisionsOf(plan.value_or(QList<MigrationStep>())).join(u' ')));
    QCOMPARE(actual, error);
}

void TestRevisionGraph::downgradeWarning()
{
    const RevisionGraph g = branchedPath();
    const QString warning =
        u"downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release."_s;
    QCOMPARE(g.downgradeWarning({u"d2"_s, u"d1"_s}, u"-1"_s), warning);
    QCOMPARE(g.downgradeWarning({u"d2"_s, u"d1"_s}, u"-2"_s), warning);
    QCOMPARE(g.downgradeWarning({u"d2"_s}, u"-1"_s), QString());
    QCOMPARE(g.downgradeWarning({u"d2"_s, u"d2"_s}, u"-1"_s), QString());
    QCOMPARE(g.downgradeWarning({u"d2"_s, u"d1"_s}, u"d2-1"_s), QString());
    QCOMPARE(g.downgradeWarning({u"d2"_s, u"d1"_s}, u"b"_s), QString());
}

void TestRevisionGraph::versionOpsThroughBranchAndMerge()
{
    const RevisionGraph g = branched();
    QString error;
    const std::optional<QList<MigrationStep>> plan = g.upgradePlan({}, u"heads"_s, &error);
    QVERIFY2(plan, qPrintable(error));

    const QList<QPair<QStringList, QStringList>> expected = {
        {{u"insert a"_s}, {u"a"_s}},                           // a base: new row
        {{u"update a->b"_s}, {u"b"_s}},
        {{u"update b->c"_s}, {u"c"_s}},
        {{u"update c->d2"_s}, {u"d2"_s}},                      // first child of the branch point
        {{u"update d2->e2"_s}, {u"e2"_s}},
        {{u"insert d1"_s}, {u"e2"_s, u"d1"_s}},                // other child: c is gone, new row
        {{u"update d1->e1"_s}, {u"e2"_s, u"e1"_s}},
        {{u"delete e2"_s, u"update e1->m"_s}, {u"m"_s}},       // merge: delete one row, update the other
        {{u"update m->n"_s}, {u"n"_s}},
    };
    QCOMPARE(plan->size(), expected.size());
    QStringList heads;
    for (int i = 0; i < plan->size(); ++i) {
        const QList<VersionOp> ops = g.versionOps(plan->at(i), &heads);
        QCOMPARE(describe(ops), expected.at(i).first);
        QCOMPARE(heads, expected.at(i).second);
    }

    // the raw op fields, once
    QStringList h{u"e1"_s, u"e2"_s};
    const QList<VersionOp> merge = g.versionOps({u"m"_s, MigrationStep::Direction::Upgrade}, &h);
    QCOMPARE(merge.size(), 2);
    QCOMPARE(merge.at(0).kind, VersionOp::Kind::Delete);
    QCOMPARE(merge.at(0).from, u"e2"_s);
    QVERIFY(merge.at(0).to.isEmpty());
    QCOMPARE(merge.at(1), (VersionOp{VersionOp::Kind::Update, u"e1"_s, u"m"_s}));
}

void TestRevisionGraph::versionOpsBackDownThroughMerge()
{
    const RevisionGraph g = branched();
    QString error;
    const std::optional<QList<MigrationStep>> plan = g.downgradePlan({u"n"_s}, u"base"_s, &error);
    QVERIFY2(plan, qPrintable(error));
    const QList<QPair<QStringList, QStringList>> expected = {
        {{u"update n->m"_s}, {u"m"_s}},
        {{u"insert e2"_s, u"update m->e1"_s}, {u"e1"_s, u"e2"_s}}, // unmerge: re-insert one parent
        {{u"update e1->d1"_s}, {u"d1"_s, u"e2"_s}},
        {{u"delete d1"_s}, {u"e2"_s}},                             // c is still implied by e2
        {{u"update e2->d2"_s}, {u"d2"_s}},
        {{u"update d2->c"_s}, {u"c"_s}},
        {{u"update c->b"_s}, {u"b"_s}},
        {{u"update b->a"_s}, {u"a"_s}},
        {{u"delete a"_s}, {}},                                     // a base: row deleted
    };
    QCOMPARE(plan->size(), expected.size());
    QStringList heads{u"n"_s};
    for (int i = 0; i < plan->size(); ++i) {
        QCOMPARE(describe(g.versionOps(plan->at(i), &heads)), expected.at(i).first);
        QCOMPARE(heads, expected.at(i).second);
    }

    // Alembic's MergedPathTest comments: merge is "DELETE d2, UPDATE d1->e", unmerge "UPDATE e->d1, INSERT d2"
    const RevisionGraph mp = mergedPath();
    QStringList ops;
    const QStringList up = applySteps(mp, {u"b"_s}, *mp.upgradePlan({u"b"_s}, u"f"_s, &error), &ops);
    QCOMPARE(up, QStringList{u"f"_s});
    QCOMPARE(ops, (QStringList{u"update b->c2"_s, u"update c2->d2"_s, u"insert c1"_s, u"update c1->d1"_s,
                               u"delete d2"_s, u"update d1->e"_s, u"update e->f"_s}));
    ops.clear();
    const QStringList down = applySteps(mp, {u"f"_s}, *mp.downgradePlan({u"f"_s}, u"b"_s, &error), &ops);
    QCOMPARE(down, QStringList{u"b"_s});
    QCOMPARE(ops, (QStringList{u"update f->e"_s, u"insert d2"_s, u"update e->d1"_s, u"update d1->c1"_s,
                               u"delete c1"_s, u"update d2->c2"_s, u"update c2->b"_s}));
}

void TestRevisionGraph::versionOpsTwinMerges()
{
    // Alembic's TwinMergeTest (#297): two merge points over the same three branches
    const RevisionGraph g = build({{u"a"_s, {}}, {u"b1"_s, {u"a"_s}}, {u"b2"_s, {u"a"_s}}, {u"b3"_s, {u"a"_s}},
                                   {u"c1"_s, {u"b1"_s, u"b2"_s, u"b3"_s}}, {u"c2"_s, {u"b1"_s, u"b2"_s, u"b3"_s}},
                                   {u"d1"_s, {u"c1"_s}}, {u"d2"_s, {u"c2"_s}}});
    QVERIFY(g.validate().isEmpty());
    const QList<QPair<QString, QStringList>> steps = {
        {u"b3"_s, {u"b3"_s}}, {u"b1"_s, {u"b1"_s, u"b3"_s}}, {u"b2"_s, {u"b1"_s, u"b2"_s, u"b3"_s}},
        {u"c2"_s, {u"c2"_s}}, {u"d2"_s, {u"d2"_s}}, {u"c1"_s, {u"c1"_s, u"d2"_s}}, {u"d1"_s, {u"d1"_s, u"d2"_s}},
    };
    QStringList heads{u"a"_s};
    QStringList ops;
    for (const auto &[rev, expectedHeads] : steps) {
        ops += describe(g.versionOps({rev, MigrationStep::Direction::Upgrade}, &heads));
        QCOMPARE(sorted(heads), expectedHeads);
    }
    QCOMPARE(ops, (QStringList{u"update a->b3"_s, u"insert b1"_s, u"insert b2"_s, u"delete b2"_s, u"delete b3"_s,
                               u"update b1->c2"_s, u"update c2->d2"_s, u"insert c1"_s, u"update c1->d1"_s}));
}

void TestRevisionGraph::versionOpsNotQuiteTwinMerges()
{
    // Alembic's NotQuiteTwinMergeTest: a merge with only one parent applied is a plain update
    const RevisionGraph g = build({{u"a"_s, {}}, {u"b1"_s, {u"a"_s}}, {u"b2"_s, {u"a"_s}}, {u"b3"_s, {u"a"_s}},
                                   {u"c1"_s, {u"b1"_s, u"b2"_s}}, {u"c2"_s, {u"b2"_s, u"b3"_s}},
                                   {u"d1"_s, {u"c1"_s}}, {u"d2"_s, {u"c2"_s}}});
    const QList<QPair<QString, QStringList>> steps = {
        {u"b2"_s, {u"b2"_s}}, {u"b3"_s, {u"b2"_s, u"b3"_s}}, {u"c2"_s, {u"c2"_s}}, {u"d2"_s, {u"d2"_s}},
        {u"b1"_s, {u"b1"_s, u"d2"_s}}, {u"c1"_s, {u"c1"_s, u"d2"_s}}, {u"d1"_s, {u"d1"_s, u"d2"_s}},
    };
    QStringList heads{u"a"_s};
    QStringList ops;
    for (const auto &[rev, expectedHeads] : steps) {
        ops += describe(g.versionOps({rev, MigrationStep::Direction::Upgrade}, &heads));
        QCOMPARE(sorted(heads), expectedHeads);
    }
    QCOMPARE(ops, (QStringList{u"update a->b2"_s, u"insert b3"_s, u"delete b3"_s, u"update b2->c2"_s,
                               u"update c2->d2"_s, u"insert b1"_s, u"update b1->c1"_s, u"update c1->d1"_s}));
}

void TestRevisionGraph::versionOpsUnknownRevisionLeavesHeads()
{
    const RevisionGraph g = branched();
    QStringList heads{u"c"_s};
    QVERIFY(g.versionOps({u"nope"_s, MigrationStep::Direction::Upgrade}, &heads).isEmpty());
    QCOMPARE(heads, QStringList{u"c"_s});
}

void TestRevisionGraph::stampOps_data()
{
    QTest::addColumn<QString>("graph");
    QTest::addColumn<QStringList>("current");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QStringList>("ops");
    QTest::addColumn<QStringList>("finalHeads"); // in row order

    QTest::newRow("base") << u"branched"_s << QStringList{u"n"_s} << u"base"_s << QStringList{u"delete n"_s}
                          << QStringList();
    QTest::newRow("base, two heads") << u"branched"_s << QStringList{u"e1"_s, u"d2"_s} << u"base"_s
                                     << QStringList{u"delete e1"_s, u"delete d2"_s} << QStringList();
    QTest::newRow("empty target means base") << u"branched"_s << QStringList{u"n"_s} << QString()
                                             << QStringList{u"delete n"_s} << QStringList();
    QTest::newRow("heads from empty") << u"branched"_s << QStringList() << u"heads"_s << QStringList{u"insert n"_s}
                                      << QStringList{u"n"_s};
    QTest::newRow("head from empty") << u"branched"_s << QStringList() << u"head"_s << QStringList{u"insert n"_s}
                                     << QStringList{u"n"_s};
    QTest::newRow("already there") << u"branched"_s << QStringList{u"n"_s} << u"n"_s << QStringList()
                                   << QStringList{u"n"_s};
    QTest::newRow("down to the branch point") << u"branched"_s << QStringList{u"n"_s} << u"c"_s
                                              << QStringList{u"update n->c"_s} << QStringList{u"c"_s};
    QTest::newRow("down across both branches") << u"branched"_s << QStringList{u"e1"_s, u"e2"_s} << u"c"_s
                                               << QStringList{u"delete e1"_s, u"update e2->c"_s}
                                               << QStringList{u"c"_s};
    QTest::newRow("up across a merge") << u"branched"_s << QStringList{u"d1"_s, u"e2"_s} << u"m"_s
                                       << QStringList{u"delete d1"_s, u"update e2->m"_s} << QStringList{u"m"_s};
    QTest::newRow("up by prefix") << u"linear"_s << QStringList{A} << u"3975"_s
                                  << QStringList{u"update "_s + A + u"->"_s + E} << QStringList{E};
    QTest::newRow("new branch") << u"branched"_s << QStringList{u"e1"_s} << u"e2"_s << QStringList{u"insert e2"_s}
                                << QStringList{u"e1"_s, u"e2"_s};
    QTest::newRow("down the same branch") << u"branched"_s << QStringList{u"e1"_s} << u"a"_s
                                          << QStringList{u"update e1->a"_s} << QStringList{u"a"_s};
    QTest::newRow("heads from a branch point") << u"unmerged"_s << QStringList{u"c"_s} << u"heads"_s
                                               << QStringList{u"update c->e1"_s, u"insert e2"_s}
                                               << QStringList{u"e1"_s, u"e2"_s};

    // Alembic's ForestTest, RevisionPathTest, MergedPathTest and BranchedPathTest stamps
    QTest::newRow("forest heads") << u"forest"_s << QStringList() << u"heads"_s
                                  << QStringList{u"insert b1"_s, u"insert b2"_s} << QStringList{u"b1"_s, u"b2"_s};
    QTest::newRow("forest heads, no moves") << u"forest"_s << QStringList{u"b1"_s, u"b2"_s} << u"heads"_s
                                            << QStringList() << QStringList{u"b1"_s, u"b2"_s};
    QTest::newRow("forest base") << u"forest"_s << QStringList{u"a1"_s, u"b2"_s} << u"base"_s
                                 << QStringList{u"delete a1"_s, u"delete b2"_s} << QStringList();
    QTest::newRow("forest one root") << u"forest"_s << QStringList{u"b1"_s} << u"a2"_s
                                     << QStringList{u"insert a2"_s} << QStringList{u"b1"_s, u"a2"_s};
    QTest::newRow("linear to base") << u"linear"_s << QStringList{D} << u"base"_s
                                    << QStringList{u"delete "_s + D} << QStringList();
    QTest::newRow("down across merge point branch") << u"mergedPath"_s << QStringList{u"e"_s} << u"c2"_s
                                                    << QStringList{u"update e->c2"_s} << QStringList{u"c2"_s};
    QTest::newRow("down across merge prior branching") << u"mergedPath"_s << QStringList{u"e"_s} << u"a"_s
                                                       << QStringList{u"update e->a"_s} << QStringList{u"a"_s};
    QTest::newRow("up across merge from single branch") << u"mergedPath"_s << QStringList{u"c2"_s} << u"e"_s
                                                         << QStringList{u"update c2->e"_s} << QStringList{u"e"_s};
    QTest::newRow("up across merge from multiple branches")
        << u"mergedPath"_s << QStringList{u"d1"_s, u"c2"_s} << u"e"_s
        << QStringList{u"delete d1"_s, u"update c2->e"_s} << QStringList{u"e"_s};
    QTest::newRow("up across merge prior branching") << u"mergedPath"_s << QStringList{u"b"_s} << u"e"_s
                                                     << QStringList{u"update b->e"_s} << QStringList{u"e"_s};
    QTest::newRow("down across multiple branches to the branch point")
        << u"branchedPath"_s << QStringList{u"d1"_s, u"c2"_s} << u"b"_s
        << QStringList{u"delete d1"_s, u"update c2->b"_s} << QStringList{u"b"_s};
}

void TestRevisionGraph::stampOps()
{
    QFETCH(QString, graph);
    QFETCH(QStringList, current);
    QFETCH(QString, target);
    QFETCH(QStringList, ops);
    QFETCH(QStringList, finalHeads);
    QStringList heads{u"untouched"_s};
    QString error;
    const std::optional<QList<VersionOp>> r = graphNamed(graph).stampOps(current, target, &heads, &error);
    QVERIFY2(r.has_value(), qPrintable(error));
    QCOMPARE(describe(*r), ops);
    QCOMPARE(heads, finalHeads);
}

void TestRevisionGraph::stampRefusals_data()
{
    QTest::addColumn<QString>("graph");
    QTest::addColumn<QStringList>("current");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("error");
    QTest::newRow("head with two heads") << u"unmerged"_s << QStringList() << u"head"_s
                                         << u"Multiple heads are present; please specify a single target revision"_s;
    QTest::newRow("unknown") << u"branched"_s << QStringList{u"c"_s} << u"zzzz"_s
                             << u"Can't locate revision identified by 'zzzz'"_s;
    QTest::newRow("unknown branch label") << u"branched"_s << QStringList() << u"lib@head"_s
                                  << u"Can't locate revision identified by 'lib'"_s;
}

void TestRevisionGraph::stampRefusals()
{
    QFETCH(QString, graph);
    QFETCH(QStringList, current);
    QFETCH(QString, target);
    QFETCH(QString, error);
    QStringList heads = current;
    QString actual;
    QVERIFY(!graphNamed(graph).stampOps(current, target, &heads, &actual).has_value());
    QCOMPARE(actual, error);
    QCOMPARE(heads, current);
}

void TestRevisionGraph::walk_data()
{
    QTest::addColumn<QString>("graph");
    QTest::addColumn<QString>("lower");
    QTest::addColumn<QString>("upper");
    QTest::addColumn<QStringList>("current");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("error");

    QTest::newRow("everything") << u"branched"_s << QString() << QString() << QStringList()
                                << QStringList{u"n"_s, u"m"_s, u"e1"_s, u"d1"_s, u"e2"_s, u"d2"_s, u"c"_s, u"b"_s,
                                               u"a"_s}
                                << QString();
    QTest::newRow("base:heads") << u"branched"_s << u"base"_s << u"heads"_s << QStringList()
                                << QStringList{u"n"_s, u"m"_s, u"e1"_s, u"d1"_s, u"e2"_s, u"d2"_s, u"c"_s, u"b"_s,
                                               u"a"_s}
                                << QString();
    QTest::newRow("c:e1") << u"branched"_s << u"c"_s << u"e1"_s << QStringList()
                          << QStringList{u"e1"_s, u"d1"_s, u"c"_s} << QString();
    QTest::newRow("current:") << u"branched"_s << u"current"_s << QString() << QStringList{u"c"_s}
                              << QStringList{u"n"_s, u"m"_s, u"e1"_s, u"d1"_s, u"e2"_s, u"d2"_s, u"c"_s} << QString();
    QTest::newRow(":current") << u"branched"_s << QString() << u"current"_s << QStringList{u"e1"_s}
                              << QStringList{u"e1"_s, u"d1"_s, u"c"_s, u"b"_s, u"a"_s} << QString();
    QTest::newRow(":current, two heads") << u"unmerged"_s << QString() << u"current"_s
                                         << QStringList{u"d1"_s, u"e2"_s}
                                         << QStringList{u"d1"_s, u"e2"_s, u"d2"_s, u"c"_s, u"b"_s, u"a"_s}
                                         << QString();
    QTest::newRow("current: on an empty database") << u"linear"_s << u"current"_s << QString() << QStringList()
                                                   << QStringList{E, D, C, B, A} << QString();
    QTest::newRow("-2:") << u"linear"_s << u"-2"_s << QString() << QStringList() << QStringList{E, D, C}
                         << QString();
    QTest::newRow(":REV+N") << u"linear"_s << QString() << B + u"+2"_s << QStringList() << QStringList{D, C, B, A}
                            << QString();
    QTest::newRow("base:+2") << u"linear"_s << u"base"_s << u"+2"_s << QStringList() << QStringList{B, A}
                             << QString();
    QTest::newRow("prefixes") << u"linear"_s << u"548b"_s << u"1bbe"_s << QStringList() << QStringList{D, C, B}
                              << QString();
    QTest::newRow("empty graph") << u"empty"_s << QString() << QString() << QStringList() << QStringList()
                                 << QString();

    // Alembic's test_revision.py iterations (inclusive, as walk_revisions is)
    QTest::newRow("diamond") << u"diamond"_s << u"a"_s << u"d"_s << QStringList()
                             << QStringList{u"d"_s, u"c"_s, u"b1"_s, u"b2"_s, u"a"_s} << QString();
    QTest::newRow("long short branch") << u"longShort"_s << QString() << QString() << QStringList()
                                       << QStringList{u"b2"_s, u"d11"_s, u"d12"_s, u"c1"_s, u"b1"_s, u"a"_s}
                                       << QString();
    QTest::newRow("from merge point") << u"multipleBranch"_s << u"a"_s << u"d1d2cb2"_s << QStringList()
                                      << QStringList{u"d1d2cb2"_s, u"d1cb2"_s, u"d2cb2"_s, u"cb2"_s, u"b2"_s, u"a"_s}
                                      << QString();
    QTest::newRow("single branch to base") << u"multipleBranch"_s << u"base"_s << u"d3cb2"_s << QStringList()
                                           << QStringList{u"d3cb2"_s, u"cb2"_s, u"b2"_s, u"a"_s} << QString();
    QTest::newRow("three branches end in single branch")
        << u"travelling"_s << u"a3"_s << QString() << QStringList()
        << QStringList{u"fe1b1"_s, u"e1b1"_s, u"merge"_s, u"e2b1"_s, u"db1"_s, u"cb1"_s, u"b1"_s, u"e2b2"_s,
                       u"db2"_s, u"cb2"_s, u"b2"_s, u"a3"_s}
        << QString();
    QTest::newRow("two branches to root")
        << u"travelling"_s << u"a1"_s << u"merge"_s << QStringList()
        << QStringList{u"merge"_s, u"e2b1"_s, u"db1"_s, u"cb1"_s, u"b1"_s, u"e2b2"_s, u"db2"_s, u"cb2"_s, u"b2"_s,
                       u"a3"_s, u"a2"_s, u"a1"_s}
        << QString();
    QTest::newRow("two branches end in branch")
        << u"travelling"_s << u"b1"_s << u"merge"_s << QStringList()
        << QStringList{u"merge"_s, u"e2b1"_s, u"db1"_s, u"cb1"_s, u"b1"_s} << QString();
    QTest::newRow("two branches end behind branch")
        << u"travelling"_s << u"a2"_s << u"merge"_s << QStringList()
        << QStringList{u"merge"_s, u"e2b1"_s, u"db1"_s, u"cb1"_s, u"b1"_s, u"e2b2"_s, u"db2"_s, u"cb2"_s, u"b2"_s,
                       u"a3"_s, u"a2"_s}
        << QString();
    QTest::newRow("three branches to root")
        << u"travelling"_s << u"a1"_s << QString() << QStringList()
        << QStringList{u"fe1b1"_s, u"e1b1"_s, u"merge"_s, u"e2b1"_s, u"db1"_s, u"cb1"_s, u"b1"_s, u"e2b2"_s,
                       u"db2"_s, u"cb2"_s, u"b2"_s, u"a3"_s, u"a2"_s, u"a1"_s}
        << QString();
    QTest::newRow("multiple bases, heads to base")
        << u"multipleBase"_s << u"base"_s << u"heads"_s << QStringList()
        << QStringList{u"b1a"_s, u"a1a"_s, u"b1b"_s, u"a1b"_s, u"base1"_s, u"mergeb3d2"_s, u"b3"_s, u"a3"_s,
                       u"base3"_s, u"d2"_s, u"c2"_s, u"b2"_s, u"a2"_s, u"base2"_s}
        << QString();
    QTest::newRow("multiple bases, specific path") << u"multipleBase"_s << u"base3"_s << u"b3"_s << QStringList()
                                                   << QStringList{u"b3"_s, u"a3"_s, u"base3"_s} << QString();
    QTest::newRow("multiple bases, heads above c2") << u"multipleBase"_s << u"c2"_s << QString() << QStringList()
                                                    << QStringList{u"mergeb3d2"_s, u"d2"_s, u"c2"_s} << QString();

    QTest::newRow("wrong direction") << u"multipleBranch"_s << u"d1cb1"_s << u"b1"_s << QStringList()
                                     << QStringList()
                                     << u"Requested range d1cb1:b1 does not refer to ancestor/descendant revisions "
                                        "along the same branch"_s;
    QTest::newRow("distinct branches") << u"multipleBranch"_s << u"b1"_s << u"d2cb2"_s << QStringList()
                                       << QStringList()
                                       << u"Requested range b1:d2cb2 does not refer to ancestor/descendant "
                                          "revisions along the same branch"_s;
    QTest::newRow("head with two heads") << u"unmerged"_s << QString() << u"head"_s << QStringList()
                                         << QStringList() << multipleHeadsMessage;
    QTest::newRow("unknown") << u"branched"_s << u"zzzz"_s << QString() << QStringList() << QStringList()
                             << u"Can't locate revision identified by 'zzzz'"_s;
    QTest::newRow("unknown branch label") << u"branched"_s << u"x@base"_s << QString() << QStringList() << QStringList()
                                  << u"Can't locate revision identified by 'x'"_s;
}

void TestRevisionGraph::walk()
{
    QFETCH(QString, graph);
    QFETCH(QString, lower);
    QFETCH(QString, upper);
    QFETCH(QStringList, current);
    QFETCH(QStringList, expected);
    QFETCH(QString, error);
    QString actual;
    const std::optional<QStringList> r = graphNamed(graph).walk(lower, upper, current, &actual);
    if (error.isEmpty()) {
        QVERIFY2(r.has_value(), qPrintable(actual));
        QCOMPARE(*r, expected);
    } else {
        QVERIFY(!r.has_value());
        QCOMPARE(actual, error);
    }
}

QTEST_APPLESS_MAIN(TestRevisionGraph)

#include "tst_revisiongraph.moc"
