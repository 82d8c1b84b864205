// The Tables view on the offscreen platform against the fixture's real server: click a table in the
// schema tree, filter by typed columns (a bad value, an injection attempt), show deleted rows, copy
// cells, export through the view, cancel a blocked sort and a blocked export, privileges, a missing
// table. The view is grabbed to PNG for a human to look at.
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include "data/datagrid.h"
#include "data/datetimecolumns.h"
#include "i18n/datetimeformat.h"
#include "data/filterbar.h"
#include "data/tablesview.h"

#include "browse/lazytablemodel.h"
#include "db/pgconnection.h"
#include "models/schematreemodel.h"
#include "session/appservices.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>
#include <QTimeZone>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

namespace {

const QString db = u"md_tablesview_test"_s;
const QString hostile = u"it's; DROP TABLE x"_s;
const QString weird = u"we\"ird"_s;
constexpr int kWait = 30000;

QString screensDir()
{
    const QString dir = u"/work/notes/screens"_s;
    QDir().mkpath(dir);
    return dir;
}

QStringList operatorTexts(const FilterBar *bar)
{
    QStringList texts;
    for (int i = 0; i < bar->operatorBox()->count(); ++i)
        texts.append(bar->operatorBox()->itemText(i));
    return texts;
}

QString rowsText(int n)
{
    return u"%1 rows"_s.arg(QLocale().toString(n));
}

const QString noMatch = u"0 rows  \u2014  No rows match the filters."_s;

} // namespace

class TestTablesView : public QObject
{
    Q_OBJECT

private:
    AppServices m_services; // the composition root: first in, last out
    std::unique_ptr<TablesView> m_view;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QTemporaryDir m_dir;

    // A shown view on the test database, its tree loaded.
    std::unique_ptr<TablesView> makeView(const ConnectionSettings &settings)
    {
        auto view = std::make_unique<TablesView>(m_services);
        view->resize(1280, 720);
        QSignalSpy loaded(view.get(), &TablesView::treeLoaded);
        view->setConnection(settings);
        view->show();
        if (!QTest::qWaitForWindowExposed(view.get()) || !loaded.wait(kWait))
            return nullptr;
        return view;
    }

    // Opens a table through the view and waits until its first row is on screen.
    bool open(const QString &schema, const QString &table)
    {
        m_view->openTable(schema, table);
        LazyTableModel *model = m_view->model();
        return model && QTest::qWaitFor([&] {
            return m_view->currentTable() == table && model->tableInfo().name == table && model->rowCount() > 0
                && model->isRowLoaded(0);
        }, kWait);
    }

    bool waitExactCount(const QString &text)
    {
        return QTest::qWaitFor([&] { return m_view->countText() == text; }, kWait);
    }

    void applyFilter(const QString &column, ColumnFilter::Op op, const QString &value, const QString &value2 = {},
                     const QString &fixed = {})
    {
        FilterBar *bar = m_view->filterBar();
        QVERIFY(bar->selectColumn(column));
        QVERIFY(bar->selectOperator(op, fixed));
        bar->valueEdit()->clear();
        bar->secondValueEdit()->clear();
        if (!value.isEmpty())
            QTest::keyClicks(bar->valueEdit(), value);
        if (!value2.isEmpty())
            QTest::keyClicks(bar->secondValueEdit(), value2);
        QTest::mouseClick(bar->applyButton(), Qt::LeftButton);
    }

    QString cell(int row, int column) const
    {
        return m_view->model()->index(row, column).data().toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(),
                 qPrintable(PgFixture::shared().errorString()));
        QVERIFY(m_dir.isValid());
        DbTest::freshDb(db);
        const QStringList url{u"--url"_s, PgFixture::shared().url(db)};
        const CliResult up = runCli(url + QStringList{u"upgrade"_s, u"head"_s}, PgFixture::shared().environment(db));
        QVERIFY2(up.exitCode == 0, qPrintable(up.all()));
        const CliResult demo = runCli(url + QStringList{u"demo-data"_s, u"--employees"_s, u"50"_s, u"--schedules"_s, u"100"_s},
                                      PgFixture::shared().environment(db));
        QVERIFY2(demo.exitCode == 0, qPrintable(demo.all()));
        bool ok = false;
        QString err;
        // moc cannot parse raw string literals, hence the escapes.
        PgFixture::shared().psql(db, QString::fromUtf8(
            "CREATE TABLE items (id integer PRIMARY KEY, name text, qty integer, price numeric(10,2), created date,\n"
            "                    active boolean, is_deleted boolean NOT NULL DEFAULT false, password_hash text);\n"
            "INSERT INTO items SELECT i, 'item ' || i, i, i * 1.5, date '2024-01-01' + i, i % 2 = 0, i % 10 = 0,\n"
            "                         'h' || i FROM generate_series(1, 1000) AS i;\n"
            "UPDATE items SET name = '김민준, \"팀장\"' WHERE id = 3;\n"
            "ANALYZE items;\n"
            "CREATE TABLE big (id integer PRIMARY KEY, payload text);\n"
            "INSERT INTO big SELECT i, 'p' || i FROM generate_series(1, 20000) AS i;\n"
            "ANALYZE big;\n"
            "CREATE SCHEMA \"it's; DROP TABLE x\";\n"
            "CREATE TABLE \"it's; DROP TABLE x\".\"we\"\"ird\" (id integer PRIMARY KEY, \"it's; DROP TABLE x\" text);\n"
            "INSERT INTO \"it's; DROP TABLE x\".\"we\"\"ird\" SELECT i, 'v' || i FROM generate_series(1, 300) AS i;\n"
            "ANALYZE \"it's; DROP TABLE x\".\"we\"\"ird\";\n"
            "CREATE TABLE hidden (id integer);\n"
            "DROP ROLE IF EXISTS md_tables_reader;\n"
            "CREATE ROLE md_tables_reader LOGIN PASSWORD 'reader-pw';\n"
            "GRANT SELECT ON items TO md_tables_reader;\n"), &ok, &err);
        QVERIFY2(ok, qPrintable(err));
        m_view = makeView(DbTest::settings(db));
        QVERIFY(m_view);
        m_tester = std::make_unique<QAbstractItemModelTester>(m_view->treeModel(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanupTestCase()
    {
        m_tester.reset();
        m_view.reset();
    }

    void treeListsSchemasAndClickOpensGrid()
    {
        SchemaTreeModel *tree = m_view->treeModel();
        QVERIFY(tree->indexOf(u"migrationdesk"_s).isValid());
        QVERIFY(tree->indexOf(u"public"_s, u"employees"_s).isValid());
        QVERIFY(tree->indexOf(hostile, weird).isValid());
        QVERIFY(!tree->indexOf(u"pg_catalog"_s).isValid());
        const QModelIndex items = tree->indexOf(u"public"_s, u"items"_s);
        QCOMPARE(items.siblingAtColumn(SchemaTreeModel::RowsColumn).data().toString(),
                 u"\u2248 "_s + QLocale().toString(1000));
        QVERIFY(!m_view->isShowingGrid());
        QCOMPARE(m_view->messageText(), u"Select a table or view in the tree."_s);

        QTreeView *view = m_view->tree();
        view->scrollTo(items);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(items).center());
        QVERIFY(m_view->isShowingGrid());
        QCOMPARE(m_view->currentTable(), u"items"_s);
        LazyTableModel *model = m_view->model();
        QVERIFY(model);
        QVERIFY(QTest::qWaitFor([&] { return model->rowCount() > 0 && model->isRowLoaded(0); }, kWait));
        QCOMPARE(cell(0, 0), u"1"_s);
        QCOMPARE(cell(0, 1), u"item 1"_s);
        QCOMPARE(cell(0, 7), LazyTableModel::maskText());
        // 1,000 rows, every tenth soft-deleted and hidden.
        QVERIFY(waitExactCount(rowsText(900)));
        QCOMPARE(m_view->filterBar()->columnBox()->count(), 8);
        QVERIFY(m_view->showDeletedBox()->isVisible());
        QVERIFY(!m_view->showDeletedBox()->isChecked());
        QVERIFY(m_view->exportButton()->isEnabled());
        QVERIFY(m_view->grab().save(screensDir() + u"/tables-view.png"_s));
    }

    void operatorsFollowTheColumnType()
    {
        QVERIFY(open(u"public"_s, u"items"_s));
        FilterBar *bar = m_view->filterBar();
        QVERIFY(bar->selectColumn(u"qty"_s));
        QCOMPARE(operatorTexts(bar), (QStringList{u"="_s, u"\u2260"_s, u"<"_s, u">"_s, u"between"_s, u"is null"_s,
                                                   u"is not null"_s}));
        QVERIFY(bar->selectColumn(u"created"_s));
        QCOMPARE(operatorTexts(bar).size(), 7);
        QCOMPARE(bar->valueEdit()->placeholderText(), u"e.g. 2024-01-31"_s);
        QVERIFY(bar->selectColumn(u"name"_s));
        QCOMPARE(operatorTexts(bar), (QStringList{u"contains"_s, u"="_s, u"\u2260"_s, u"is null"_s, u"is not null"_s}));
        QVERIFY(bar->selectColumn(u"active"_s));
        QCOMPARE(operatorTexts(bar), (QStringList{u"is true"_s, u"is false"_s, u"is null"_s, u"is not null"_s}));
        QVERIFY(!bar->valueEdit()->isVisible());
        QVERIFY(bar->selectColumn(u"qty"_s));
        QVERIFY(bar->selectOperator(ColumnFilter::Between));
        QVERIFY(bar->secondValueEdit()->isVisible());
        QVERIFY(bar->selectOperator(ColumnFilter::IsNull));
        QVERIFY(!bar->valueEdit()->isVisible());
        QVERIFY(!bar->secondValueEdit()->isVisible());
    }

    void filtersChangeTheCount()
    {
        QVERIFY(open(u"public"_s, u"items"_s));
        QVERIFY(waitExactCount(rowsText(900)));
        applyFilter(u"qty"_s, ColumnFilter::Between, u"10"_s, u"19"_s);
        QVERIFY(waitExactCount(rowsText(9))); // 10 is deleted
        QCOMPARE(m_view->model()->filters().size(), 1);
        QVERIFY(QTest::qWaitFor([&] { return m_view->model()->isRowLoaded(0); }, kWait));
        QCOMPARE(cell(0, 0), u"11"_s);

        applyFilter(u"active"_s, ColumnFilter::Equal, {}, {}, u"true"_s);
        QVERIFY(waitExactCount(rowsText(4))); // 12 14 16 18
        applyFilter(u"created"_s, ColumnFilter::Greater, u"2024-01-17"_s);
        QVERIFY(waitExactCount(rowsText(1))); // 18 (2024-01-19)
        applyFilter(u"name"_s, ColumnFilter::Contains, u"item 1_"_s); // _ is no wildcard
        QVERIFY(waitExactCount(noMatch));
        QVERIFY(m_view->grab().save(screensDir() + u"/tables-view-filtered.png"_s));

        // A chip removes its filter.
        const auto chips = m_view->filterBar()->findChildren<QToolButton *>(u"filterChip"_s);
        QCOMPARE(chips.size(), 4);
        QTest::mouseClick(chips.last(), Qt::LeftButton);
        QVERIFY(waitExactCount(rowsText(1)));
        QTest::mouseClick(m_view->filterBar()->findChild<QPushButton *>(u"filterClear"_s), Qt::LeftButton);
        QVERIFY(waitExactCount(rowsText(900)));
        QVERIFY(m_view->model()->filters().isEmpty());
    }

    void badValueShowsTheServerMessage()
    {
        QVERIFY(open(u"public"_s, u"items"_s));
        applyFilter(u"qty"_s, ColumnFilter::Equal, u"abc"_s);
        QVERIFY(QTest::qWaitFor([&] { return !m_view->errorText().isEmpty(); }, kWait));
        QVERIFY2(m_view->errorText().contains(u"invalid input syntax for type integer: \"abc\""_s),
                 qPrintable(m_view->errorText()));
        QCOMPARE(m_view->countText(), QString()); // no "0 rows": the query never ran
        QVERIFY(m_view->grab().save(screensDir() + u"/tables-view-bad-filter.png"_s));
        // Still usable: a good value replaces the bad one and the message goes.
        applyFilter(u"qty"_s, ColumnFilter::Less, u"5"_s);
        QVERIFY(waitExactCount(rowsText(4)));
        QVERIFY(m_view->errorText().isEmpty());
        m_view->filterBar()->clearFilters();
        QVERIFY(waitExactCount(rowsText(900)));
    }

    void injectionAttemptIsJustAValue()
    {
        const QString before = DbTest::q(db, u"SELECT count(*) FROM employees"_s);
        QCOMPARE(before, u"50"_s);
        QVERIFY(open(u"public"_s, u"employees"_s));
        const QString attack = u"'; DROP TABLE employees; --"_s;
        applyFilter(u"name"_s, ColumnFilter::Equal, attack);
        QVERIFY(waitExactCount(noMatch));
        applyFilter(u"name"_s, ColumnFilter::Contains, attack);
        QVERIFY(waitExactCount(noMatch));
        applyFilter(u"employee_id"_s, ColumnFilter::Equal, attack);
        QVERIFY(QTest::qWaitFor([&] { return m_view->errorText().contains(u"invalid input syntax"_s); }, kWait));
        QCOMPARE(DbTest::q(db, u"SELECT count(*) FROM employees"_s), before);
        QVERIFY(DbTest::relationExists(db, u"public.employees"_s));
        m_view->filterBar()->clearFilters();
    }

    void hostileNames()
    {
        QVERIFY(open(hostile, weird));
        QVERIFY(!m_view->showDeletedBox()->isVisible());
        QCOMPARE(m_view->model()->headerData(1, Qt::Horizontal).toString(), hostile);
        applyFilter(hostile, ColumnFilter::Contains, u"v2"_s);
        QVERIFY(waitExactCount(rowsText(1 + 10 + 100))); // v2, v20..v29, v200..v299
        applyFilter(hostile, ColumnFilter::Equal, u"it's; DROP TABLE x"_s);
        QVERIFY(waitExactCount(noMatch));
        QCOMPARE(DbTest::q(db, u"SELECT count(*) FROM \"it's; DROP TABLE x\".\"we\"\"ird\""_s), u"300"_s);
    }

    void showDeletedRows()
    {
        QVERIFY(open(u"public"_s, u"items"_s));
        QVERIFY(waitExactCount(rowsText(900)));
        QCheckBox *box = m_view->showDeletedBox();
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
        QVERIFY(box->isChecked());
        QVERIFY(waitExactCount(rowsText(1000)));
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
        QVERIFY(waitExactCount(rowsText(900)));
        // On for one table, off again for the next.
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
        QVERIFY(waitExactCount(rowsText(1000)));
        QVERIFY(open(u"public"_s, u"employees"_s));
        QVERIFY(!box->isChecked());
    }

    void datesAndTimestampsAreFormatted()
    {
        // The schema's timestamps (UTC) in local time to the second, times and dates as every view
        // writes them; the filters and the stored values keep the server's text.
        QVERIFY(open(u"public"_s, u"schedules"_s));
        LazyTableModel *model = m_view->model();
        const TableInfo &info = model->tableInfo();
        const int created = info.columnIndex(u"created_at"_s);
        const int date = info.columnIndex(u"schedule_date"_s);
        const QString raw = model->value(0, u"created_at"_s);
        const QDateTime utc(QDate::fromString(raw.left(10), Qt::ISODate), QTime::fromString(raw.mid(11, 8), u"HH:mm:ss"_s),
                            QTimeZone::utc());
        QCOMPARE(model->index(0, created).data().toString(),
                 QLocale().toString(utc.toLocalTime(), DateTimeFormat::timestampFormat()));
        QCOMPARE(model->index(0, date).data().toString(), model->value(0, u"schedule_date"_s));
        // Never cut off: the column is as wide as the widest timestamp the locale writes.
        DataGrid *grid = m_view->grid();
        QVERIFY(grid->columnWidth(created) >= grid->fontMetrics().horizontalAdvance(
                                                  DateTimeColumns::widestText(DateTimeColumns::Kind::Timestamp, grid->fontMetrics()))
                                                  + DateTimeColumns::padding);
    }

    void copyCells()
    {
        QVERIFY(open(u"public"_s, u"items"_s));
        DataGrid *grid = m_view->grid();
        QVERIFY(!m_view->copyButton()->isEnabled());
        QItemSelectionModel *selection = grid->selectionModel();
        const auto *model = m_view->model();
        selection->select(QItemSelection(model->index(1, 0), model->index(2, 1)), QItemSelectionModel::Select);
        QVERIFY(m_view->copyButton()->isEnabled());
        QApplication::clipboard()->clear();
        QTest::keyClick(grid, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), u"2\titem 2\n3\t김민준, \"팀장\""_s);

        QApplication::clipboard()->clear();
        QTest::mouseClick(m_view->copyButton(), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), u"2\titem 2\n3\t김민준, \"팀장\""_s);

        // The grid's context menu holds the same Copy.
        QAction *copy = grid->findChild<QAction *>(u"copyAction"_s);
        QVERIFY(copy && grid->actions().contains(copy));
        QApplication::clipboard()->clear();
        selection->clearSelection();
        selection->select(model->index(0, 7), QItemSelectionModel::Select);
        copy->trigger();
        // A masked cell is not copied at all (not even as bullets), and the view says why.
        QVERIFY(QApplication::clipboard()->text().isEmpty());
        QVERIFY2(m_view->errorText().contains(u"masked"_s), qPrintable(m_view->errorText()));
    }

    void exportWritesWhatTheGridShows()
    {
        QVERIFY(open(u"public"_s, u"items"_s));
        applyFilter(u"qty"_s, ColumnFilter::Less, u"6"_s);
        QVERIFY(waitExactCount(rowsText(5)));
        // Sort by name descending through the header, as a user would.
        QHeaderView *header = m_view->grid()->horizontalHeader();
        const QPoint nameHeader(header->sectionViewportPosition(1) + 10, header->height() / 2);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, nameHeader);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, nameHeader);
        QVERIFY(QTest::qWaitFor([&] { return m_view->model()->isRowLoaded(0) && cell(0, 0) == u"3"_s; }, kWait));

        const QString path = m_dir.filePath(u"items.csv"_s);
        QSignalSpy done(m_view.get(), &TablesView::exportFinished);
        QVERIFY(m_view->exportTo(path));
        QVERIFY(m_view->isExporting());
        QVERIFY(!m_view->exportButton()->isEnabled());
        QVERIFY(!m_view->exportTo(path)); // one at a time
        QVERIFY(done.wait(kWait));
        QCOMPARE(done.at(0).at(0).value<CsvExporter::Outcome>(), CsvExporter::Finished);
        QCOMPARE(done.at(0).at(1).toLongLong(), qint64(5));
        QVERIFY(m_view->exportButton()->isEnabled());
        QVERIFY(m_view->exportStatusText().contains(u"Exported 5 rows"_s));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()),
                 u"id,name,qty,price,created,active,is_deleted,password_hash\r\n"
                 "3,\"김민준, \"\"팀장\"\"\",3,4.50,2024-01-04,false,false,••••\r\n"
                 "5,item 5,5,7.50,2024-01-06,false,false,••••\r\n"
                 "4,item 4,4,6.00,2024-01-05,true,false,••••\r\n"
                 "2,item 2,2,3.00,2024-01-03,true,false,••••\r\n"
                 "1,item 1,1,1.50,2024-01-02,false,false,••••\r\n"_s);
        QVERIFY(m_view->grab().save(screensDir() + u"/tables-view-exported.png"_s));

        // Revealed in the grid, revealed in the file.
        // Revealing is recorded in the audit table first, then shown.
        m_view->grid()->setColumnRevealed(7, true, false);
        QVERIFY(QTest::qWaitFor([&] { return m_view->model()->isRevealed(7); }, kWait));
        done.clear();
        QVERIFY(m_view->exportTo(path));
        QVERIFY(done.wait(kWait));
        // The export replaced the file: read the new one.
        file.close();
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString revealed = QString::fromUtf8(file.readAll());
        QVERIFY2(revealed.contains(u",h3\r\n"_s) && !revealed.contains(LazyTableModel::maskText()), qPrintable(revealed));
        m_view->filterBar()->clearFilters();
    }

    void exportCancelLeavesNoFile()
    {
        QVERIFY(open(u"public"_s, u"big"_s));
        PgConnection locker;
        QString error;
        QVERIFY2(locker.open(DbTest::settings(db), &error), qPrintable(error));
        QVERIFY(locker.exec(u"BEGIN; LOCK TABLE big IN ACCESS EXCLUSIVE MODE"_s));
        const QString path = m_dir.filePath(u"big.csv"_s);
        QSignalSpy done(m_view.get(), &TablesView::exportFinished);
        QVERIFY(m_view->exportTo(path));
        QVERIFY(QTest::qWaitFor([] {
            return DbTest::q(db, u"SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                                 "'migrationdesk-export' AND wait_event_type = 'Lock'"_s) == u"1"_s;
        }, kWait));
        QPushButton *cancel = m_view->findChild<QPushButton *>(u"cancelExport"_s);
        QVERIFY(cancel && cancel->isVisible());
        QVERIFY(m_view->grab().save(screensDir() + u"/tables-view-exporting.png"_s));
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(done.wait(kWait));
        QCOMPARE(done.at(0).at(0).value<CsvExporter::Outcome>(), CsvExporter::Cancelled);
        QVERIFY(locker.exec(u"ROLLBACK"_s));
        QVERIFY(!QFile::exists(path));
        QVERIFY(QDir(m_dir.path()).entryList({u"big*"_s}, QDir::Files | QDir::Hidden).isEmpty());
        QCOMPARE(m_view->exportStatusText(), u"Export cancelled; no file was written."_s);
    }

    void slowSortShowsBusyAndCancels()
    {
        QVERIFY(open(u"public"_s, u"big"_s));
        QVERIFY(waitExactCount(rowsText(20000)));
        PgConnection locker;
        QString error;
        QVERIFY2(locker.open(DbTest::settings(db), &error), qPrintable(error));
        QVERIFY(locker.exec(u"BEGIN; LOCK TABLE big IN ACCESS EXCLUSIVE MODE"_s));
        QSignalSpy busy(m_view.get(), &TablesView::busyChanged);
        QHeaderView *header = m_view->grid()->horizontalHeader();
        QVERIFY(!m_view->model()->isInstantSort(1)); // payload has no index
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                          QPoint(header->sectionViewportPosition(1) + 10, header->height() / 2));
        // The read goes out once the click's event-loop turn ends (requests coalesce), then shows busy.
        QTRY_VERIFY_WITH_TIMEOUT(m_view->isBusyShown(), kWait);
        QCOMPARE(busy.size(), 1);
        QVERIFY(QTest::qWaitFor([] {
            return DbTest::q(db, u"SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                                 "'migrationdesk-browse' AND wait_event_type = 'Lock'"_s) == u"1"_s;
        }, kWait));
        QVERIFY(m_view->cancelFetchButton()->isVisible());
        QVERIFY(m_view->grab().save(screensDir() + u"/tables-view-busy.png"_s));
        QTest::mouseClick(m_view->cancelFetchButton(), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !m_view->isBusyShown(); }, kWait));
        QVERIFY2(m_view->errorText().startsWith(u"Cancelled."_s), qPrintable(m_view->errorText()));
        QVERIFY(locker.exec(u"ROLLBACK"_s));
        // Sorting again reads the rows: descending by payload puts p9999 first.
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                          QPoint(header->sectionViewportPosition(1) + 10, header->height() / 2));
        QVERIFY(QTest::qWaitFor([&] { return m_view->model()->isRowLoaded(0); }, kWait));
        QCOMPARE(cell(0, 1), u"p9999"_s);
        QVERIFY(m_view->errorText().isEmpty());
    }

    void missingTableSaysSo()
    {
        m_view->openTable(u"public"_s, u"no_such_table"_s);
        QVERIFY(!m_view->isShowingGrid());
        QCOMPARE(m_view->messageText(), u"The table public.no_such_table does not exist in this database."_s);
        QVERIFY(!m_view->exportTo(m_dir.filePath(u"none.csv"_s)));
        // The tree still works afterwards.
        QVERIFY(open(u"public"_s, u"items"_s));
    }

    void withoutSelectPrivilege()
    {
        ConnectionSettings reader = DbTest::settings(db);
        reader.user = u"md_tables_reader"_s;
        reader.password = u"reader-pw"_s;
        auto view = makeView(reader);
        QVERIFY(view);
        view->openTable(u"public"_s, u"hidden"_s);
        QVERIFY(!view->isShowingGrid());
        QVERIFY2(view->messageText().contains(u"no SELECT privilege on public.hidden"_s), qPrintable(view->messageText()));
        QVERIFY(!view->exportTo(m_dir.filePath(u"hidden.csv"_s)));
        QVERIFY(!QFile::exists(m_dir.filePath(u"hidden.csv"_s)));
        QVERIFY(view->grab().save(screensDir() + u"/tables-view-no-privilege.png"_s));
        view->openTable(u"public"_s, u"items"_s);
        QVERIFY(view->isShowingGrid());
        QVERIFY(QTest::qWaitFor([&] { return view->model()->tableInfo().isValid(); }, kWait));
        QVERIFY(view->exportButton()->isEnabled());
    }

    void reconnectKeepsTheTableAndDisconnectClears()
    {
        QVERIFY(open(u"public"_s, u"items"_s));
        QSignalSpy loaded(m_view.get(), &TablesView::treeLoaded);
        m_view->setConnection(DbTest::settings(db));
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(m_view->currentTable(), u"items"_s);
        QVERIFY(m_view->isShowingGrid());
        m_view->clearConnection();
        QVERIFY(!m_view->isShowingGrid());
        QCOMPARE(m_view->messageText(), u"Connect to a database to browse its tables."_s);
        QCOMPARE(m_view->treeModel()->rowCount(), 0);
        QVERIFY(!m_view->model());
        QVERIFY(m_view->grab().save(screensDir() + u"/tables-view-disconnected.png"_s));
        // Connected again, a table named before the tree arrives opens once it does.
        m_view->setConnection(DbTest::settings(db));
        m_view->openTable(hostile, weird);
        QVERIFY(QTest::qWaitFor([&] { return m_view->isShowingGrid() && m_view->currentTable() == weird; }, kWait));
    }
};

QTEST_MAIN(TestTablesView)
#include "tst_tablesview.moc"
