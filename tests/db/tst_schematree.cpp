// The schema listing and its tree model against the fixture's real server: system schemas left out,
// our own migrationdesk schema kept, hostile names intact, estimates and sizes, privileges, and the
// listing read on a worker thread.
#include "browse/schemacatalog.h"
#include "clirunner.h"
#include "db/pgconnection.h"
#include "dbtest.h"
#include "models/schematreemodel.h"
#include "pgfixture.h"
#include "base/workerthreads.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

namespace {

const QString db = u"md_schematree_test"_s;
const QString hostile = u"it's; DROP TABLE x"_s;
const QString weird = u"we\"ird"_s;

const RelationEntry *find(const SchemaListing &listing, const QString &schema, const QString &name)
{
    for (const RelationEntry &entry : listing.relations) {
        if (entry.schema == schema && entry.name == name)
            return &entry;
    }
    return nullptr;
}

} // namespace

class TestSchemaTree : public QObject
{
    Q_OBJECT

private:
    SchemaListing listAs(const ConnectionSettings &settings)
    {
        PgConnection connection;
        QString error;
        if (!connection.open(settings, &error)) {
            qWarning("open failed: %s", qPrintable(error));
            return {};
        }
        const auto listing = SchemaCatalog::list(connection, &error);
        if (!listing)
            qWarning("list failed: %s", qPrintable(error));
        return listing.value_or(SchemaListing());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(),
                 qPrintable(PgFixture::shared().errorString()));
        DbTest::freshDb(db);
        // The real migrations: public.employees/schedules and our own migrationdesk schema.
        const CliResult up = runCli({u"--url"_s, PgFixture::shared().url(db), u"upgrade"_s, u"head"_s},
                                    PgFixture::shared().environment(db));
        QVERIFY2(up.exitCode == 0, qPrintable(up.all()));
        bool ok = false;
        QString err;
        // moc cannot parse raw string literals, hence the escapes.
        PgFixture::shared().psql(db, QString::fromUtf8(
            "CREATE TABLE items (id integer PRIMARY KEY, name text);\n"
            "INSERT INTO items SELECT i, 'n' || i FROM generate_series(1, 1000) AS i;\n"
            "ANALYZE items;\n"
            "CREATE VIEW item_names AS SELECT name FROM items;\n"
            "CREATE TABLE never_analyzed (id integer);\n"
            "CREATE SCHEMA empty_one;\n"
            "CREATE SCHEMA \"it's; DROP TABLE x\";\n"
            "CREATE TABLE \"it's; DROP TABLE x\".\"we\"\"ird\" (id integer PRIMARY KEY, \"it's; DROP TABLE x\" text);\n"
            "INSERT INTO \"it's; DROP TABLE x\".\"we\"\"ird\" SELECT i, 'v' || i FROM generate_series(1, 300) AS i;\n"
            "ANALYZE \"it's; DROP TABLE x\".\"we\"\"ird\";\n"
            "CREATE TABLE hidden (id integer);\n"
            "DROP ROLE IF EXISTS md_tree_reader;\n"
            "CREATE ROLE md_tree_reader LOGIN PASSWORD 'reader-pw';\n"
            "GRANT SELECT ON items TO md_tree_reader;\n"), &ok, &err);
        QVERIFY2(ok, qPrintable(err));
    }

    void listsUserSchemasWithEstimates()
    {
        const SchemaListing listing = listAs(DbTest::settings(db));
        QVERIFY(listing.schemas.contains(u"public"_s));
        QVERIFY(listing.schemas.contains(u"migrationdesk"_s));
        QVERIFY(listing.schemas.contains(u"empty_one"_s));
        QVERIFY(listing.schemas.contains(hostile));
        for (const QString &system : {u"pg_catalog"_s, u"information_schema"_s, u"pg_toast"_s})
            QVERIFY2(!listing.schemas.contains(system), qPrintable(system));
        QVERIFY(!listing.relations.isEmpty()); // else the loop below checks nothing
        for (const RelationEntry &entry : listing.relations)
            QVERIFY2(!entry.schema.startsWith(u"pg_"_s) && entry.schema != u"information_schema"_s,
                     qPrintable(entry.schema));

        const RelationEntry *items = find(listing, u"public"_s, u"items"_s);
        QVERIFY(items);
        QCOMPARE(items->kind, RelationEntry::Table);
        QCOMPARE(qint64(items->estimatedRows), qint64(1000));
        QVERIFY(items->totalBytes > 0);
        QVERIFY(items->canSelect);

        const RelationEntry *odd = find(listing, hostile, weird);
        QVERIFY(odd);
        QCOMPARE(qint64(odd->estimatedRows), qint64(300));

        const RelationEntry *view = find(listing, u"public"_s, u"item_names"_s);
        QVERIFY(view);
        QCOMPARE(view->kind, RelationEntry::View);
        QVERIFY(view->isView());
        QCOMPARE(view->estimatedRows, -1.0);

        QCOMPARE(find(listing, u"public"_s, u"never_analyzed"_s)->estimatedRows, -1.0);
        QVERIFY(find(listing, u"public"_s, u"employees"_s));
        QVERIFY(find(listing, u"public"_s, u"schedules"_s));
        QVERIFY(find(listing, u"migrationdesk"_s, u"history"_s));
    }

    void privilegesOfTheConnectedRole()
    {
        ConnectionSettings reader = DbTest::settings(db);
        reader.user = u"md_tree_reader"_s;
        reader.password = u"reader-pw"_s;
        const SchemaListing listing = listAs(reader);
        QVERIFY(find(listing, u"public"_s, u"items"_s));
        QVERIFY(find(listing, u"public"_s, u"items"_s)->canSelect);
        QVERIFY(find(listing, u"public"_s, u"hidden"_s));
        QVERIFY(!find(listing, u"public"_s, u"hidden"_s)->canSelect);
    }

    void loaderRunsOnItsOwnThread()
    {
        WorkerThreads threads;
        SchemaCatalogLoader loader(threads);
        QCOMPARE(threads.names(), QStringList{u"SchemaCatalogLoader"_s});
        QSignalSpy spy(&loader, &SchemaCatalogLoader::loaded);
        loader.load(DbTest::settings(db));
        QVERIFY(loader.isLoading());
        QVERIFY(spy.wait(20000));
        QVERIFY(!loader.isLoading());
        QCOMPARE(spy.at(0).at(1).toString(), QString());
        const auto listing = spy.at(0).at(0).value<SchemaListing>();
        QVERIFY(find(listing, hostile, weird));

        // A newer request overtakes an older one: only its answer arrives.
        spy.clear();
        ConnectionSettings wrong = DbTest::settings(db);
        wrong.password = u"not the password"_s;
        loader.load(DbTest::settings(db));
        loader.load(wrong);
        QVERIFY(spy.wait(20000));
        QTest::qWait(200);
        QCOMPARE(spy.size(), 1);
        QVERIFY(!spy.at(0).at(1).toString().isEmpty());
        QVERIFY(!spy.at(0).at(1).toString().contains(u"not the password"_s));
        QVERIFY(spy.at(0).at(0).value<SchemaListing>().relations.isEmpty());
    }

    void treeModel()
    {
        SchemaTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.isEmpty());
        const SchemaListing listing = listAs(DbTest::settings(db));
        model.setListing(listing);
        QCOMPARE(model.rowCount(), int(listing.schemas.size()));
        QCOMPARE(model.columnCount(), int(SchemaTreeModel::ColumnCount));

        const QModelIndex publicRow = model.indexOf(u"public"_s);
        QVERIFY(publicRow.isValid());
        QVERIFY(!model.relationAt(publicRow));
        QCOMPARE(publicRow.data().toString(), u"public"_s);
        QCOMPARE(publicRow.siblingAtColumn(SchemaTreeModel::KindColumn).data().toString(), u"Schema"_s);

        const QModelIndex items = model.indexOf(u"public"_s, u"items"_s);
        QVERIFY(items.isValid());
        QCOMPARE(items.parent(), publicRow);
        QCOMPARE(model.relationAt(items)->name, u"items"_s);
        QCOMPARE(items.data(SchemaTreeModel::SchemaRole).toString(), u"public"_s);
        QCOMPARE(items.data(SchemaTreeModel::RelationRole).toString(), u"items"_s);
        QVERIFY(items.data(SchemaTreeModel::IsRelationRole).toBool());
        QCOMPARE(items.siblingAtColumn(SchemaTreeModel::RowsColumn).data().toString(),
                 u"\u2248 "_s + QLocale().toString(1000));
        QVERIFY(!items.siblingAtColumn(SchemaTreeModel::SizeColumn).data().toString().isEmpty());
        QCOMPARE(items.siblingAtColumn(SchemaTreeModel::KindColumn).data().toString(), u"Table"_s);
        QCOMPARE(model.rowCount(items), 0);

        const QModelIndex view = model.indexOf(u"public"_s, u"item_names"_s);
        QCOMPARE(view.siblingAtColumn(SchemaTreeModel::KindColumn).data().toString(), u"View"_s);
        QCOMPARE(view.siblingAtColumn(SchemaTreeModel::RowsColumn).data().toString(), QString());

        const QModelIndex odd = model.indexOf(hostile, weird);
        QVERIFY(odd.isValid());
        QCOMPARE(odd.data().toString(), weird);
        QCOMPARE(odd.parent().data().toString(), hostile);
        QCOMPARE(odd.siblingAtColumn(SchemaTreeModel::RowsColumn).data(SchemaTreeModel::SortRole).toDouble(), 300.0);

        // Schema rows sum their relations' estimates.
        const QModelIndex hostileRow = model.indexOf(hostile);
        QCOMPARE(hostileRow.siblingAtColumn(SchemaTreeModel::RowsColumn).data(SchemaTreeModel::SortRole).toDouble(),
                 300.0);
        QCOMPARE(model.rowCount(model.indexOf(u"empty_one"_s)), 0);
        // Nothing to sum in an empty schema: no "≈ 0".
        QCOMPARE(model.indexOf(u"empty_one"_s).siblingAtColumn(SchemaTreeModel::RowsColumn).data().toString(), QString());
        QVERIFY(model.indexOf(u"migrationdesk"_s, u"history"_s).isValid());
        QVERIFY(!model.indexOf(u"public"_s, u"nope"_s).isValid());
        QVERIFY(!model.indexOf(u"pg_catalog"_s).isValid());

        model.clear();
        QVERIFY(model.isEmpty());
        QVERIFY(!model.indexOf(u"public"_s).isValid());
    }
};

QTEST_GUILESS_MAIN(TestSchemaTree)
#include "tst_schematree.moc"
