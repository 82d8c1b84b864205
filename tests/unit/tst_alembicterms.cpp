// The Alembic vocabulary shared by the revision walk and the graph's commands (alembicterms) and how the
// commands word the walk's failures (revisionerrors), checked directly rather than through whole plans.
#include "migrations/alembicterms.h"
#include "migrations/revisionerrors.h"

#include <QtTest>

#include <limits>

using namespace Qt::StringLiterals;
using namespace MigrationDesk::Alembic;

class TestAlembicTerms : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pythonInt_data();
    void pythonInt();
    void pythonIntOverflowKeepsSign();
    void matchRelative_data();
    void matchRelative();
    void revArgTuplesAndTruth();
    void failThrowsRevisionFailure();
    void commandMessageWordsEachKind();
    void branchLabelsAreRefused();
};

void TestAlembicTerms::pythonInt_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("value");
    QTest::newRow("plain") << u"12"_s << true << qint64(12);
    QTest::newRow("plus") << u"+3"_s << true << qint64(3);
    QTest::newRow("minus") << u"-2"_s << true << qint64(-2);
    QTest::newRow("spaces") << u"  7 "_s << true << qint64(7);
    QTest::newRow("empty") << QString() << false << qint64(0);
    QTest::newRow("hex") << u"0x10"_s << false << qint64(0);
    QTest::newRow("word") << u"abc"_s << false << qint64(0);
    QTest::newRow("sign only") << u"-"_s << false << qint64(0);
}

void TestAlembicTerms::pythonInt()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(qint64, value);
    const std::optional<qint64> parsed = MigrationDesk::Alembic::pythonInt(text);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, value);
}

void TestAlembicTerms::pythonIntOverflowKeepsSign()
{
    const auto up = MigrationDesk::Alembic::pythonInt(u"99999999999999999999999"_s);
    const auto down = MigrationDesk::Alembic::pythonInt(u"-99999999999999999999999"_s);
    QVERIFY(up && down);
    QCOMPARE(*up, std::numeric_limits<qint64>::max() / 2);
    QCOMPARE(*down, std::numeric_limits<qint64>::min() / 2);
}

void TestAlembicTerms::matchRelative_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<bool>("matches");
    QTest::addColumn<QString>("symbol");
    QTest::addColumn<QString>("relative");
    QTest::addColumn<qint64>("value");
    QTest::newRow("-1") << u"-1"_s << true << QString() << u"-1"_s << qint64(-1);
    QTest::newRow("+2") << u"+2"_s << true << QString() << u"+2"_s << qint64(2);
    QTest::newRow("rev+3") << u"ae10+3"_s << true << u"ae10"_s << u"+3"_s << qint64(3);
    QTest::newRow("head-1") << u"head-1"_s << true << u"head"_s << u"-1"_s << qint64(-1);
    // Anchored at the start only, like Python's re.match: trailing text is ignored.
    QTest::newRow("trailing") << u"+1x"_s << true << QString() << u"+1"_s << qint64(1);
    QTest::newRow("plain id") << u"ae1027a6acf"_s << false << QString() << QString() << qint64(0);
    QTest::newRow("heads") << u"heads"_s << false << QString() << QString() << qint64(0);
}

void TestAlembicTerms::matchRelative()
{
    QFETCH(QString, target);
    QFETCH(bool, matches);
    QFETCH(QString, symbol);
    QFETCH(QString, relative);
    QFETCH(qint64, value);
    const std::optional<Relative> r = MigrationDesk::Alembic::matchRelative(target);
    QCOMPARE(r.has_value(), matches);
    if (!matches)
        return;
    QCOMPARE(r->symbol, symbol);
    QCOMPARE(r->symbol.isNull(), symbol.isNull());
    QCOMPARE(r->relative, relative);
    QCOMPARE(r->value, value);
}

void TestAlembicTerms::revArgTuplesAndTruth()
{
    QVERIFY(RevArg::none().isNone());
    QVERIFY(!RevArg::none().truthy());
    QCOMPARE(RevArg::none().toTuple(), QStringList());
    QVERIFY(!RevArg::str(u""_s).isNone());
    QVERIFY(!RevArg::str(u""_s).truthy());
    QCOMPARE(RevArg::str(u"a"_s).toTuple(), QStringList{u"a"_s});
    QVERIFY(!RevArg::tuple({}).truthy());
    QCOMPARE(RevArg::tuple({u"a"_s, u"b"_s}).display(), u"a, b"_s);
    QCOMPARE(joined({u"x"_s, u"y"_s, u"z"_s}), u"x, y, z"_s);
}

void TestAlembicTerms::failThrowsRevisionFailure()
{
    try {
        fail(u"broken"_s);
        QFAIL("fail() returned");
    } catch (const Failure &f) {
        QCOMPARE(f.kind, Failure::Kind::Revision);
        QCOMPARE(f.message, u"broken"_s);
    }
}

void TestAlembicTerms::commandMessageWordsEachKind()
{
    const CommandContext plain;
    // A plain revision error passes through unchanged.
    QCOMPARE(commandMessage(Failure{Failure::Kind::Revision, u"as said"_s, {}, {}, {}}, plain), u"as said"_s);
    // Resolution failures are reworded, except an ambiguous prefix, whose message names the candidates.
    QCOMPARE(commandMessage(Failure{Failure::Kind::Resolution, u"No such revision"_s, u"zz"_s, {}, {}}, plain),
             u"Can't locate revision identified by 'zz'"_s);
    const QString ambiguous = u"Multiple revisions start with 'ab': 'ab1', 'ab2'"_s;
    QCOMPARE(commandMessage(Failure{Failure::Kind::Resolution, ambiguous, u"ab"_s, {}, {}}, plain), ambiguous);
    // Range errors name the failure's own ends unless the command supplies its own.
    const Failure range{Failure::Kind::RangeNotAncestor, {}, {}, u"low"_s, u"high"_s};
    QCOMPARE(commandMessage(range, plain), u"Requested range low:high does not refer to ancestor/descendant "
                                           "revisions along the same branch"_s);
    CommandContext custom;
    custom.ancestor = u"Destination %end is not a valid downgrade target from current head(s)"_s;
    custom.end = u"target"_s;
    custom.hasEnd = true;
    QCOMPARE(commandMessage(range, custom),
             u"Destination target is not a valid downgrade target from current head(s)"_s);
    // Multiple heads: the command's end wins over the failure's argument when given.
    const Failure heads{Failure::Kind::MultipleHeads, {}, u"head"_s, {}, {}};
    const QString prefix = u"Multiple head revisions are present for given argument '%1';"_s;
    QVERIFY(commandMessage(heads, plain).startsWith(prefix.arg(u"head"_s)));
    QVERIFY(commandMessage(heads, custom).startsWith(prefix.arg(u"target"_s)));
}

void TestAlembicTerms::branchLabelsAreRefused()
{
    QVERIFY(containsBranchLabel(u"feature@head"_s));
    QVERIFY(!containsBranchLabel(u"ae1027"_s));
    QString error;
    QVERIFY(!refuseBranchLabels({u"heads"_s, u"ae1027"_s}, &error));
    QVERIFY(error.isEmpty());
    QVERIFY(refuseBranchLabels({u"heads"_s, u"x@y"_s}, &error));
    QCOMPARE(error, branchLabelError(u"x@y"_s));
    QVERIFY(error.contains(u"'x@y'"_s));
    QVERIFY(refuseBranchLabels({u"a@b"_s}, nullptr)); // no error wanted: still refused
}

QTEST_GUILESS_MAIN(TestAlembicTerms)
#include "tst_alembicterms.moc"
