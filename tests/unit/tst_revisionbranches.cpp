// Checks RevisionGraph's branch labels and depends_on against Alembic 1.8. Every expected plan and
// version-table state below was produced by Alembic's own RevisionMap and HeadMaintainer
// (alembic 1.8.1, the Debian package) on the same hand-written graph, one command after another.

#include "migrations/revisiongraph.h"

#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

struct Rev
{
    QString id;
    QStringList parents;
    QStringList deps;
    QStringList labels;
};

// a -> b -> c1 (c1lib) -> d1 ; b -> c2 (c2lib) -> d2 ; (d1, d2) -> m
// x1 (other) -> x2 (depends on c1lib) -> x3
RevisionGraph labelled()
{
    const QList<Rev> revs = {
        {u"a"_s, {}, {}, {}},
        {u"b"_s, {u"a"_s}, {}, {}},
        {u"c1"_s, {u"b"_s}, {}, {u"c1lib"_s}},
        {u"d1"_s, {u"c1"_s}, {}, {}},
        {u"c2"_s, {u"b"_s}, {}, {u"c2lib"_s}},
        {u"d2"_s, {u"c2"_s}, {}, {}},
        {u"x1"_s, {}, {}, {u"other"_s}},
        {u"x2"_s, {u"x1"_s}, {u"c1lib"_s}, {}},
        {u"x3"_s, {u"x2"_s}, {}, {}},
        {u"m"_s, {u"d1"_s, u"d2"_s}, {}, {}},
    };
    RevisionGraph g;
    for (const Rev &r : revs)
        g.addRevision(r.id, r.parents, r.deps, r.labels);
    return g;
}

// "up TARGET" or "down TARGET", then the steps Alembic runs and the version rows after them
// (sorted), or "error" when Alembic refuses.
struct Command
{
    QString verb;
    QString target;
    QStringList steps;
    QStringList rowsAfter;
    bool refused = false;
};

Command ok(const QString &verb, const QString &target, const QStringList &steps, const QStringList &rows)
{
    return {verb, target, steps, rows, false};
}

Command refused(const QString &verb, const QString &target)
{
    return {verb, target, {}, {}, true};
}

} // namespace

Q_DECLARE_METATYPE(QList<Command>)

class TestRevisionBranches : public QObject
{
    Q_OBJECT
private slots:
    void shape();
    void labelTargets();
    void sequences_data();
    void sequences();
    void stampThroughLabel();
    void historyWalkAcrossDependency();
    void validateRefusesLabelAndDependencyProblems();
    void graphWithoutExtrasIsUnchanged();
};

void TestRevisionBranches::shape()
{
    const RevisionGraph g = labelled();
    QVERIFY2(g.validate().isEmpty(), qPrintable(g.validate().value(0).message));
    // x3 and m are Alembic's heads; c1 is no head although nothing lists it as down_revision
    // but x2 depends on it
    QCOMPARE(g.heads(), (QStringList{u"m"_s, u"x3"_s}));
    QVERIFY(!g.isHead(u"d1"_s));
    // labels spread over their branch, down to the branch point; m carries both
    QCOMPARE(g.branchLabels(u"d1"_s), QStringList{u"c1lib"_s});
    QCOMPARE(g.branchLabels(u"b"_s), QStringList());
    QCOMPARE(g.branchLabels(u"x3"_s), QStringList{u"other"_s});
    QCOMPARE(g.branchLabels(u"m"_s), (QStringList{u"c1lib"_s, u"c2lib"_s}));
    QCOMPARE(g.ownBranchLabels(u"c1"_s), QStringList{u"c1lib"_s});
    QCOMPARE(g.allBranchLabels(), (QStringList{u"c1lib"_s, u"c2lib"_s, u"other"_s}));
    QCOMPARE(g.labelRevision(u"c2lib"_s), u"c2"_s);
    QCOMPARE(g.dependsOn(u"x2"_s), QStringList{u"c1lib"_s});
    QCOMPARE(g.resolvedDependencies(u"x2"_s), QStringList{u"c1"_s});
    QCOMPARE(g.dependents(u"c1"_s), QStringList{u"x2"_s});
    // the dependency is an ancestor: upgrading x2 needs c1
    QVERIFY(g.ancestors(u"x2"_s).contains(u"c1"_s));
}

void TestRevisionBranches::labelTargets()
{
    const RevisionGraph g = labelled();
    QString error;
    QCOMPARE(g.resolveRevision(u"c2lib"_s, &error), std::optional<QString>(u"c2"_s));
    QCOMPARE(g.resolveRevision(u"c1lib@d1"_s, &error), std::optional<QString>(u"d1"_s));
    QVERIFY(!g.resolveRevision(u"c1lib@d2"_s, &error));
    QCOMPARE(error, u"Revision d2 is not a member of branch 'c1lib'"_s);
    QVERIFY(!g.resolveRevision(u"nolabel@d2"_s, &error));
    QVERIFY2(error.contains(u"nolabel"_s), qPrintable(error)); // Alembic: No such branch: 'nolabel'
    QCOMPARE(g.resolveTarget(u"other@head"_s, {}, &error), std::optional<QStringList>(QStringList{u"x3"_s}));
    QCOMPARE(g.resolveTarget(u"c2lib@heads"_s, {}, &error), std::optional<QStringList>(QStringList{u"m"_s}));
    QCOMPARE(g.resolveTarget(u"other@x2"_s, {}, &error), std::optional<QStringList>(QStringList{u"x2"_s}));
    // relative to what is applied, as `alembic downgrade other@-1` reads it
    QCOMPARE(g.resolveTarget(u"other@-1"_s, {u"m"_s, u"x3"_s}, &error), std::optional<QStringList>(QStringList{u"x2"_s}));
    QVERIFY(!g.resolveTarget(u"other@-1"_s, {}, &error));
    QCOMPARE(g.resolveTarget(u"c1lib@c1+1"_s, {}, &error), std::optional<QStringList>(QStringList{u"d1"_s}));
}

void TestRevisionBranches::sequences_data()
{
    QTest::addColumn<QList<Command>>("commands");
    const QStringList none;
    QTest::newRow("labels up, then down by label")
        << QList<Command>{
               ok(u"up"_s, u"c1lib@head"_s, {u"a"_s, u"b"_s, u"c2"_s, u"d2"_s, u"c1"_s, u"d1"_s, u"m"_s}, {u"m"_s}),
               refused(u"up"_s, u"c2lib@+1"_s),
               ok(u"up"_s, u"other@x2"_s, {u"x1"_s, u"x2"_s}, {u"m"_s, u"x2"_s}),
               ok(u"up"_s, u"heads"_s, {u"x3"_s}, {u"m"_s, u"x3"_s}),
               ok(u"down"_s, u"c2lib@c2"_s, {u"m"_s, u"d2"_s}, {u"c2"_s, u"d1"_s, u"x3"_s}),
               ok(u"down"_s, u"c1lib@base"_s, {u"d1"_s, u"x3"_s, u"x2"_s, u"c2"_s, u"c1"_s, u"b"_s, u"a"_s}, {u"x1"_s}),
               ok(u"down"_s, u"base"_s, {u"x1"_s}, none),
           };
    QTest::newRow("a dependency pulled in, then dropped with its dependent")
        << QList<Command>{
               ok(u"up"_s, u"x3"_s, {u"a"_s, u"b"_s, u"c1"_s, u"x1"_s, u"x2"_s, u"x3"_s}, {u"x3"_s}),
               ok(u"down"_s, u"c1lib@b"_s, {u"x3"_s, u"x2"_s, u"c1"_s}, {u"b"_s, u"x1"_s}),
               ok(u"down"_s, u"other@-1"_s, {u"x1"_s}, {u"b"_s}),
               ok(u"up"_s, u"c2lib@head"_s, {u"c2"_s, u"d2"_s, u"c1"_s, u"d1"_s, u"m"_s}, {u"m"_s}),
               ok(u"up"_s, u"heads"_s, {u"x1"_s, u"x2"_s, u"x3"_s}, {u"m"_s, u"x3"_s}),
               ok(u"down"_s, u"other@base"_s, {u"x3"_s, u"x2"_s, u"x1"_s}, {u"m"_s}),
               refused(u"down"_s, u"-1"_s),
           };
    QTest::newRow("relative label steps")
        << QList<Command>{
               ok(u"up"_s, u"other@+2"_s, {u"a"_s, u"b"_s, u"c1"_s, u"x1"_s, u"x2"_s}, {u"x2"_s}),
               ok(u"up"_s, u"c1lib@+1"_s, {u"d1"_s}, {u"d1"_s, u"x2"_s}),
               ok(u"down"_s, u"c1"_s, {u"d1"_s}, {u"x2"_s}),
               ok(u"down"_s, u"x1"_s, {u"x2"_s}, {u"c1"_s, u"x1"_s}),
               ok(u"up"_s, u"c2lib@+2"_s, {u"c2"_s, u"d2"_s}, {u"c1"_s, u"d2"_s, u"x1"_s}),
               ok(u"up"_s, u"c1lib"_s, none, {u"c1"_s, u"d2"_s, u"x1"_s}),
           };
    QTest::newRow("merge across labelled branches")
        << QList<Command>{
               ok(u"up"_s, u"d2"_s, {u"a"_s, u"b"_s, u"c2"_s, u"d2"_s}, {u"d2"_s}),
               refused(u"up"_s, u"c1lib@-1"_s),
               ok(u"up"_s, u"x1"_s, {u"x1"_s}, {u"d2"_s, u"x1"_s}),
               ok(u"up"_s, u"m"_s, {u"c1"_s, u"d1"_s, u"m"_s}, {u"m"_s, u"x1"_s}),
               refused(u"down"_s, u"c1lib@-1"_s),
               ok(u"down"_s, u"base"_s, {u"x1"_s, u"m"_s, u"d1"_s, u"c1"_s, u"d2"_s, u"c2"_s, u"b"_s, u"a"_s}, none),
           };
}

void TestRevisionBranches::sequences()
{
    QFETCH(QList<Command>, commands);
    const RevisionGraph g = labelled();
    QStringList rows;
    for (const Command &c : commands) {
        const QString where = c.verb + u' ' + c.target;
        QString error;
        const auto plan = c.verb == QLatin1String("up") ? g.upgradePlan(rows, c.target, &error)
                                                         : g.downgradePlan(rows, c.target, &error);
        if (c.refused) {
            QVERIFY2(!plan, qPrintable(where + u": Alembic refuses this"_s));
            QVERIFY2(!error.isEmpty(), qPrintable(where));
            continue;
        }
        QVERIFY2(plan, qPrintable(where + u": "_s + error));
        QStringList steps;
        for (const MigrationStep &s : *plan) {
            steps.append(s.revision);
            g.versionOps(s, &rows);
        }
        QCOMPARE(steps, c.steps);
        QStringList sorted = rows;
        sorted.sort();
        QVERIFY2(sorted == c.rowsAfter, qPrintable(where + u": rows "_s + sorted.join(u',')));
    }
}

void TestRevisionBranches::stampThroughLabel()
{
    // alembic stamp other@head on an empty table; stamp c1lib@c1 then counts x3 as a head of
    // c1's lineage (x2 depends on c1) and moves it down to c1; stamp x2 moves it up again
    const RevisionGraph g = labelled();
    QString error;
    QStringList rows;
    QVERIFY2(g.stampOps({}, u"other@head"_s, &rows, &error), qPrintable(error));
    QCOMPARE(rows, QStringList{u"x3"_s});
    QVERIFY2(g.stampOps(rows, u"c1lib@c1"_s, &rows, &error), qPrintable(error));
    QCOMPARE(rows, QStringList{u"c1"_s});
    QVERIFY2(g.stampOps(rows, u"x2"_s, &rows, &error), qPrintable(error));
    QCOMPARE(rows, QStringList{u"x2"_s});
}

void TestRevisionBranches::historyWalkAcrossDependency()
{
    // alembic history -r c1lib@base:other@head would fail; base:x3 lists what upgrading x3 needs
    const RevisionGraph g = labelled();
    QString error;
    const auto revs = g.walk(u"base"_s, u"x3"_s, {}, &error);
    QVERIFY2(revs, qPrintable(error));
    QCOMPARE(*revs, (QStringList{u"x3"_s, u"x2"_s, u"x1"_s, u"c1"_s, u"b"_s, u"a"_s}));
}

void TestRevisionBranches::validateRefusesLabelAndDependencyProblems()
{
    {
        RevisionGraph g;
        g.addRevision(u"a"_s, {}, {}, {u"lib"_s});
        g.addRevision(u"b"_s, {}, {}, {u"lib"_s});
        const auto errors = g.validate();
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().message, u"Branch name 'lib' in revision b already used by revision a"_s);
    }
    {
        RevisionGraph g;
        g.addRevision(u"a"_s, {}, {u"nowhere"_s}, {});
        const auto errors = g.validate();
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().message.contains(u"nowhere"_s), qPrintable(errors.first().message));
        QString error;
        QVERIFY(!g.upgradePlan({}, u"heads"_s, &error));
    }
    {
        // a depends on b, b depends on a: Alembic's DependencyCycleDetected
        RevisionGraph g;
        g.addRevision(u"a"_s, {}, {u"b"_s}, {});
        g.addRevision(u"b"_s, {}, {u"a"_s}, {});
        const auto errors = g.validate();
        QVERIFY(!errors.isEmpty());
        QVERIFY2(errors.first().message.startsWith(u"Dependency cycle is detected"_s),
                 qPrintable(errors.first().message));
    }
}

void TestRevisionBranches::graphWithoutExtrasIsUnchanged()
{
    // the same shape without labels or dependencies: x2 no longer needs c1
    RevisionGraph g;
    g.addRevision(u"a"_s, {});
    g.addRevision(u"c1"_s, {u"a"_s});
    g.addRevision(u"x1"_s, {});
    g.addRevision(u"x2"_s, {u"x1"_s});
    QString error;
    const auto plan = g.upgradePlan({}, u"x2"_s, &error);
    QVERIFY2(plan, qPrintable(error));
    QCOMPARE(plan->size(), 2);
    QVERIFY(!g.resolveTarget(u"lib@head"_s, {}, &error));
    QVERIFY2(error.contains(u"lib"_s), qPrintable(error));
}

QTEST_APPLESS_MAIN(TestRevisionBranches)
#include "tst_revisionbranches.moc"
