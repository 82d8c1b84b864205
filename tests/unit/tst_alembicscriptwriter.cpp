// AlembicScriptWriter and the script headers it writes (branch_labels, depends_on, needs_review),
// without Python: hand-made ImportedRevision values in, MigrationScript::parse and ScriptSet out.
#include "migrations/alembicproject.h"
#include "migrations/alembicscriptwriter.h"
#include "migrations/migrationscript.h"
#include "migrations/scriptset.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

ImportedRevision rev(const QString &id, const QStringList &down, const QString &message)
{
    ImportedRevision r;
    r.revision = id;
    r.downRevisions = down;
    r.message = message;
    r.path = u"/team/alembic/versions/"_s + id + u"_x.py"_s;
    r.upgrade = {u"CREATE TABLE t_"_s + id + u" (id int);"_s};
    r.downgrade = {u"DROP TABLE t_"_s + id + u";"_s};
    return r;
}

AlembicProject project()
{
    AlembicProject p;
    ImportedRevision a = rev(u"aaaa0001"_s, {}, u"base of core"_s);
    a.branchLabels = {u"core"_s};
    a.created = u"2025-01-15 09:00:00.000000"_s;
    ImportedRevision b = rev(u"bbbb0001"_s, {}, u"audit"_s);
    b.branchLabels = {u"audit"_s, u"audit_v1"_s};
    b.dependsOn = {u"core"_s};
    ImportedRevision c = rev(u"cccc0001"_s, {u"aaaa0001"_s, u"bbbb0001"_s}, u"merge, with\na second line"_s);
    c.transactional = false;
    ImportedRevision d = rev(u"dddd0001"_s, {u"cccc0001"_s}, u"reads rows"_s);
    d.needsReview = u"the module calls get_bind"_s;
    d.source = u"def upgrade():\n    conn = op.get_bind()\n\n    pass"_s;
    p.revisions = {a, b, c, d};
    p.heads = {u"dddd0001"_s};
    return p;
}

} // namespace

class TestAlembicScriptWriter : public QObject
{
    Q_OBJECT
private slots:
    void headersRoundTrip();
    void needsReviewKeepsThePythonAsComments();
    void fileNamesKeepAlembicsOrder();
    void writtenSetLoadsWithTheSameGraph();
    void refusesAndWritesNothing();
    void parserRefusesMalformedLists();
};

void TestAlembicScriptWriter::headersRoundTrip()
{
    const AlembicProject p = project();
    ScriptError error;
    const auto b = MigrationScript::parse(AlembicScriptWriter::scriptText(p.revisions.at(1)).toUtf8(), u"b.sql"_s, &error);
    QVERIFY2(b, qPrintable(error.toString()));
    QCOMPARE(b->revision, u"bbbb0001"_s);
    QCOMPARE(b->downRevisions, QStringList());
    QCOMPARE(b->branchLabels, (QStringList{u"audit"_s, u"audit_v1"_s}));
    QCOMPARE(b->dependsOn, QStringList{u"core"_s});
    QVERIFY(b->needsReview.isEmpty());
    QCOMPARE(b->upgradeSql.trimmed(), u"CREATE TABLE t_bbbb0001 (id int);"_s);

    const auto c = MigrationScript::parse(AlembicScriptWriter::scriptText(p.revisions.at(2)).toUtf8(), u"c.sql"_s, &error);
    QVERIFY2(c, qPrintable(error.toString()));
    QCOMPARE(c->downRevisions, (QStringList{u"aaaa0001"_s, u"bbbb0001"_s}));
    QCOMPARE(c->message, u"merge, with a second line"_s); // one header line
    QVERIFY(!c->transactional);

    const auto a = MigrationScript::parse(AlembicScriptWriter::scriptText(p.revisions.at(0)).toUtf8(), u"a.sql"_s, &error);
    QVERIFY2(a, qPrintable(error.toString()));
    QCOMPARE(a->created, u"2025-01-15 09:00:00.000000"_s);
}

void TestAlembicScriptWriter::needsReviewKeepsThePythonAsComments()
{
    const AlembicProject p = project();
    ScriptError error;
    const auto d = MigrationScript::parse(AlembicScriptWriter::scriptText(p.revisions.at(3)).toUtf8(), u"d.sql"_s, &error);
    QVERIFY2(d, qPrintable(error.toString()));
    QCOMPARE(d->needsReview, u"the module calls get_bind"_s);
    // nothing runnable: the rendered SQL is not there, the Python is, commented out
    QVERIFY(!d->upgradeSql.contains(u"CREATE TABLE"_s));
    QVERIFY(d->upgradeSql.contains(u"--     conn = op.get_bind()"_s));
    QVERIFY(d->downgradeSql.contains(u"-- def upgrade():"_s));
    for (const QString &line : d->upgradeSql.split(u'\n'))
        QVERIFY2(line.isEmpty() || line.startsWith(u"--"_s), qPrintable(line));
}

void TestAlembicScriptWriter::fileNamesKeepAlembicsOrder()
{
    AlembicProject p = project();
    // aaaa, bbbb, cccc, dddd sort as loaded: plain names
    QCOMPARE(AlembicScriptWriter::fileNames(p).first(), u"aaaa0001_base_of_core.sql"_s);
    // loaded in another order: numbered, so that sorting keeps it
    std::swap(p.revisions[0], p.revisions[3]);
    const QStringList names = AlembicScriptWriter::fileNames(p);
    QCOMPARE(names.first(), u"0001_dddd0001_reads_rows.sql"_s);
    QStringList sorted = names;
    sorted.sort();
    QCOMPARE(sorted, names);
}

void TestAlembicScriptWriter::writtenSetLoadsWithTheSameGraph()
{
    QTemporaryDir dir;
    QString error;
    const auto written = AlembicScriptWriter::write(project(), dir.filePath(u"out"_s), &error);
    QVERIFY2(written, qPrintable(error));
    QCOMPARE(written->size(), 4);
    const ScriptSet set = ScriptSet::load(dir.filePath(u"out"_s));
    QVERIFY2(set.isValid(), qPrintable(set.errorText()));
    QCOMPARE(set.graph().resolvedDependencies(u"bbbb0001"_s), QStringList{u"aaaa0001"_s});
    QCOMPARE(set.graph().labelRevision(u"audit_v1"_s), u"bbbb0001"_s);
    QCOMPARE(set.graph().heads(), QStringList{u"dddd0001"_s});
    // the plan through the flagged revision is refused by name and file
    const QString refusal = set.reviewRefusal({u"cccc0001"_s, u"dddd0001"_s});
    QVERIFY2(refusal.contains(u"dddd0001"_s) && refusal.contains(u"reads_rows.sql"_s), qPrintable(refusal));
    QVERIFY(set.reviewRefusal({u"aaaa0001"_s, u"cccc0001"_s}).isEmpty());
    // stamping from cccc0001 to dddd0001 passes through it; from base to cccc0001 does not
    QCOMPARE(set.stampedThrough({u"cccc0001"_s}, {u"dddd0001"_s}), QStringList{u"dddd0001"_s});
    QVERIFY(!set.stampedThrough({}, {u"cccc0001"_s}).contains(u"dddd0001"_s));
}

void TestAlembicScriptWriter::refusesAndWritesNothing()
{
    QTemporaryDir dir;
    QString error;
    AlembicProject bad = project();
    bad.revisions[2].revision = u"Has-Dash"_s;
    QVERIFY(!AlembicScriptWriter::write(bad, dir.filePath(u"out"_s), &error));
    QVERIFY2(error.contains(u"Has-Dash"_s) && error.contains(u"cccc0001_x.py"_s), qPrintable(error));
    QVERIFY(!QDir(dir.filePath(u"out"_s)).exists());

    // a folder that already holds scripts is left alone
    QVERIFY(QDir().mkpath(dir.filePath(u"busy"_s)));
    QFile existing(dir.filePath(u"busy/keep.sql"_s));
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.close();
    QVERIFY(!AlembicScriptWriter::write(project(), dir.filePath(u"busy"_s), &error));
    QCOMPARE(QDir(dir.filePath(u"busy"_s)).entryList(QDir::Files), QStringList{u"keep.sql"_s});
}

void TestAlembicScriptWriter::parserRefusesMalformedLists()
{
    const auto parse = [](const QByteArray &extra) {
        ScriptError error;
        const QByteArray text = "-- revision: abcd\n-- down_revision: none\n" + extra + "\n-- +upgrade\n-- +downgrade\n";
        const auto s = MigrationScript::parse(text, u"x.sql"_s, &error);
        return s ? QString() : error.message;
    };
    QVERIFY(parse("-- branch_labels: a, b").isEmpty());
    QVERIFY(!parse("-- branch_labels: a@b").isEmpty());
    QVERIFY(!parse("-- depends_on: x, x").isEmpty());
    QVERIFY(!parse("-- depends_on: abcd").isEmpty()); // itself
    QVERIFY(parse("-- needs_review: reads rows").isEmpty());
}

QTEST_APPLESS_MAIN(TestAlembicScriptWriter)
#include "tst_alembicscriptwriter.moc"
