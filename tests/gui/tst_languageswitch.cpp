// A language switch against the fixture's real server: the window is rebuilt in the new language, and
// the Tables view comes back on the same table with the same filter, sort, selected row and scroll position,
// both ways (English -> Korean -> English).
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include "data/datagrid.h"
#include "data/filterbar.h"
#include "data/tablesview.h"
#include "scheduling/schedulefilterpanel.h"
#include "scheduling/schedulegridmodel.h"
#include "scheduling/schedulesview.h"
#include "scheduling/enumfiltercombo.h"
#include "mainwindow.h"

#include "browse/lazytablemodel.h"
#include "i18n/translator.h"
#include "session/appservices.h"

#include <QAction>
#include <QComboBox>
#include <QToolButton>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

namespace {

const QString db = u"md_languageswitch_test"_s;
constexpr int kWait = 60000;

ConnectionSettings fixtureSettings()
{
    QString error;
    const auto settings = ConnectionSettings::fromUrl(PgFixture::shared().url(db), &error);
    if (!settings)
        qFatal("fixture URL rejected: %s", qPrintable(error));
    return *settings;
}

// What the user sees in the Tables view, beyond its texts.
struct Seen
{
    QString table;
    QList<ColumnFilter> filters;
    int sortColumn = -1;
    int sortOrder = -1;
    int currentRow = -1;
    QString currentId;
    QList<int> selectedRows;
    int scroll = -1;
};

Seen seen(TablesView *view)
{
    Seen s;
    s.table = view->currentSchema() + u'.' + view->currentTable();
    s.filters = view->filterBar()->filters();
    s.sortColumn = view->model()->sortColumn();
    s.sortOrder = int(view->model()->sortOrder());
    const QModelIndex current = view->grid()->currentIndex();
    s.currentRow = current.row();
    s.currentId = view->model()->index(current.row(), 0).data().toString();
    for (const QModelIndex &index : view->grid()->selectionModel()->selectedRows())
        s.selectedRows.append(index.row());
    s.scroll = view->grid()->verticalScrollBar()->value();
    return s;
}

QString describe(const Seen &s)
{
    QStringList filters;
    for (const ColumnFilter &f : s.filters)
        filters << u"%1 %2 %3"_s.arg(f.column).arg(int(f.op)).arg(f.value);
    QStringList rows;
    for (int r : s.selectedRows)
        rows << QString::number(r);
    return u"%1 [%2] sort %3/%4 current %5 (id %6) selected {%7} scroll %8"_s.arg(s.table, filters.join(u", "_s))
            .arg(s.sortColumn)
            .arg(s.sortOrder)
            .arg(s.currentRow)
            .arg(s.currentId, rows.join(u","_s))
            .arg(s.scroll);
}

} // namespace

class TestLanguageSwitch : public QObject
{
    Q_OBJECT

private:
    AppServices m_services;

    // A shown window (deleted on close) connected to the fixture's database; nullptr when it did not connect.
    MainWindow *openConnectedWindow()
    {
        auto window = new MainWindow(m_services);
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->resize(1180, 760);
        window->show();
        window->connectToDatabase(fixtureSettings());
        if (!QTest::qWaitForWindowExposed(window) || !QTest::qWaitFor([window] { return window->isConnected(); }, kWait)) {
            delete window;
            return nullptr;
        }
        return window;
    }

    // Switches language from window's menu; the window that replaced it.
    MainWindow *switchTo(MainWindow *window, const QString &code)
    {
        QPointer<MainWindow> next;
        connect(window, &MainWindow::replacedBy, this, [&next](MainWindow *w) { next = w; });
        window->findChild<QAction *>(u"languageAction_%1"_s.arg(code))->trigger();
        return next.data();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(),
                 qPrintable(PgFixture::shared().errorString()));
        DbTest::freshDb(db);
        const QStringList url{u"--url"_s, PgFixture::shared().url(db)};
        const CliResult up = runCli(url + QStringList{u"upgrade"_s, u"head"_s}, PgFixture::shared().environment(db));
        QVERIFY2(up.exitCode == 0, qPrintable(up.all()));
        const CliResult demo = runCli(url + QStringList{u"demo-data"_s, u"--employees"_s, u"30"_s, u"--schedules"_s,
                                                        u"3000"_s},
                                      PgFixture::shared().environment(db));
        QVERIFY2(demo.exitCode == 0, qPrintable(demo.all()));
    }

    // Each test ends in English, whatever it switched to.
    void cleanup()
    {
        Translator::install(u"en"_s);
        QSettings().remove(Translator::settingsKey());
    }

    void tablesViewKeepsItsStateAcrossALanguageSwitch()
    {
        MainWindow *window = openConnectedWindow();
        QVERIFY(window);
        window->openTable(u"public"_s, u"schedules"_s);
        TablesView *view = window->tablesView();
        QTRY_VERIFY_WITH_TIMEOUT(view->isShowingGrid() && view->currentTable() == u"schedules"_s, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() > 100, kWait);

        // A filter as the user sets one: schedule_id above 500.
        FilterBar *bar = view->filterBar();
        QVERIFY(bar->selectColumn(u"schedule_id"_s));
        QVERIFY(bar->selectOperator(ColumnFilter::Greater));
        QTest::keyClicks(bar->valueEdit(), u"500"_s);
        QTest::mouseClick(bar->applyButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(view->model()->filters().size(), 1, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(!view->model()->isFetching() && view->model()->rowCount() > 200, kWait);

        // Newest date first, as the user sorts: two clicks on the column's header.
        DataGrid *grid = view->grid();
        const int dateColumn = view->model()->tableInfo().columnIndex(u"schedule_date"_s);
        QVERIFY(dateColumn >= 0);
        QHeaderView *header = grid->horizontalHeader();
        grid->scrollTo(view->model()->index(0, dateColumn));
        for (int click = 0; click < 2; ++click) {
            const QPoint at(header->sectionViewportPosition(dateColumn) + header->sectionSize(dateColumn) / 2,
                            header->height() / 2);
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
        }
        QCOMPARE(view->model()->sortColumn(), dateColumn);
        QCOMPARE(view->model()->sortOrder(), Qt::DescendingOrder);
        grid->horizontalScrollBar()->setValue(0);
        QTRY_VERIFY_WITH_TIMEOUT(!view->model()->isFetching() && view->model()->rowCount() > 200, kWait);

        // A selected row further down, and the grid scrolled.
        const int row = 120;
        QTRY_VERIFY_WITH_TIMEOUT(view->model()->index(row, 0).data().toString() != LazyTableModel::placeholder()
                                     && !view->model()->index(row, 0).data().toString().isEmpty(),
                                 kWait);
        grid->selectionModel()->setCurrentIndex(view->model()->index(row, 1),
                                                QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        grid->verticalScrollBar()->setValue(100);
        const Seen before = seen(view);
        QCOMPARE(before.selectedRows, QList<int>{row});
        QCOMPARE(before.scroll, 100);
        QVERIFY(!before.currentId.isEmpty());
        QVERIFY2(before.currentId.toInt() > 500, qPrintable(describe(before)));

        MainWindow *current = window;
        for (const QString &language : {u"ko"_s, u"en"_s}) {
            MainWindow *next = switchTo(current, language);
            QVERIFY(next);
            QVERIFY(next != current);
            current = next;
            QTRY_VERIFY_WITH_TIMEOUT(current->isConnected(), kWait);
            QCOMPARE(current->currentView(), MainWindow::View::Tables);
            const QString migrations = current->findChild<QListWidget *>(u"navigation"_s)->item(0)->text();
            QCOMPARE(migrations, language == u"ko"_s ? u"마이그레이션"_s : u"Migrations"_s);
            TablesView *after = current->tablesView();
            QTRY_VERIFY_WITH_TIMEOUT(after->isShowingGrid() && after->currentTable() == u"schedules"_s, kWait);
            QTRY_COMPARE_WITH_TIMEOUT(after->model()->filters().size(), 1, kWait);
            QTRY_VERIFY2_WITH_TIMEOUT(describe(seen(after)) == describe(before),
                                      qPrintable(language + u": "_s + describe(seen(after)) + u" != "_s
                                                 + describe(before)),
                                      kWait);
            // The filter's chip is back too, not only the model's filter.
            QCOMPARE(after->filterBar()->filters().size(), 1);
            QCOMPARE(after->filterBar()->filters().first().value, u"500"_s);
        }
        current->close();
    }

    void schedulesViewKeepsItsModeAndFilters()
    {
        MainWindow *window = openConnectedWindow();
        QVERIFY(window);
        window->setCurrentView(MainWindow::View::Schedules);
        SchedulesView *view = window->schedulesView();
        QTRY_VERIFY_WITH_TIMEOUT(view->model() && view->model()->tableInfo().isValid(), kWait);

        // Filters as the user sets them: a department, two statuses, a search; then the Week page.
        auto *department = view->findChild<QComboBox *>(u"departmentFilter"_s);
        QTRY_VERIFY_WITH_TIMEOUT(department->count() > 2, kWait);
        department->setFocus();
        QTest::keyClick(department, Qt::Key_Down);
        QTest::keyClick(department, Qt::Key_Down);
        QVERIFY(!department->currentData().toString().isEmpty());
        view->filterPanel()->statusCombo()->toggleValue(u"completed"_s);
        view->filterPanel()->statusCombo()->toggleValue(u"scheduled"_s);
        QTest::keyClicks(view->findChild<QLineEdit *>(u"searchFilter"_s), u"Demo"_s);
        QTest::mouseClick(view->findChild<QToolButton *>(u"weekMode"_s), Qt::LeftButton);
        QCOMPARE(view->mode(), SchedulesView::Mode::Week);
        const ScheduleFilterState before = view->filterPanel()->state();
        QCOMPARE(before.statuses.size(), 2);
        QCOMPARE(before.search, u"Demo"_s);

        MainWindow *current = window;
        for (const QString &language : {u"ko"_s, u"en"_s}) {
            MainWindow *next = switchTo(current, language);
            QVERIFY(next);
            current = next;
            QCOMPARE(current->currentView(), MainWindow::View::Schedules);
            SchedulesView *after = current->schedulesView();
            QCOMPARE(after->mode(), SchedulesView::Mode::Week);
            QVERIFY(after->filterPanel()->state() == before);
            // The department's name is still chosen once the server's list has come in again.
            QTRY_VERIFY_WITH_TIMEOUT(current->isConnected(), kWait);
            auto *departmentAfter = after->findChild<QComboBox *>(u"departmentFilter"_s);
            QTRY_VERIFY_WITH_TIMEOUT(departmentAfter->count() > 2, kWait);
            QCOMPARE(departmentAfter->currentData().toString(), before.department);
            QVERIFY(after->filterPanel()->state() == before);
        }
        current->close();
    }
};

QTEST_MAIN(TestLanguageSwitch)
#include "tst_languageswitch.moc"
