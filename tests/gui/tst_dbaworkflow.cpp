// The DBA's Migrations view after its first week of use (issue 14), offscreen against the fixture's real
// server: the confirmation names the action in its title and button, a data-dropping plan ticks "Back up
// first" and its path lands in the history row, a selected row's badges stay readable, the run panel
// elides long step titles, the History filters narrow the rows and a past run's statements open, the drift
// check is offered once per place, and the status bar's connection label is short. With MD_SCREENSHOT_DIR
// set, the plan dialog, the filtered History and the log dialog are kept as PNGs in English and Korean.
#include "pgfixture.h"

#include "mainwindow.h"
#include "migrations/historyfilterbar.h"
#include "migrations/historyview.h"
#include "migrations/migrationsview.h"
#include "migrations/plandialog.h"
#include "migrations/runlogdialog.h"
#include "migrations/runpanel.h"
#include "migrations/timelinedelegate.h"
#include "statusfields.h"

#include "db/connectionsettings.h"
#include "i18n/translator.h"
#include "session/appservices.h"
#include "session/databaseworker.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QToolBar>
#include <QToolButton>
#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

const QString kBase = u"317093d76fd2"_s;
const QString kSecond = u"ce3d30390578"_s;
constexpr int kDbTimeout = 60000;

ConnectionSettings fixtureSettings(const QString &db)
{
    QString error;
    const auto settings = ConnectionSettings::fromUrl(PgFixture::shared().url(db), &error);
    if (!settings)
        qFatal("fixture URL rejected: %s", qPrintable(error));
    return *settings;
}

QString psql(const QString &db, const QString &sql, const char *file = __builtin_FILE(), int line = __builtin_LINE())
{
    return PgFixture::shared().psql(db, sql, nullptr, nullptr, file, line);
}

// Keeps a PNG for a human to look at when MD_SCREENSHOT_DIR is set; never part of an assertion.
void screenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("MD_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    widget->grab().save(dir + QLatin1Char('/') + name + u".png"_s);
}

// Both review sizes, in the current language.
void screenshots(QWidget *widget, const QString &name, const QString &language)
{
    for (const QSize size : {QSize(1180, 760), QSize(900, 700)}) {
        widget->resize(size);
        QCoreApplication::processEvents();
        screenshot(widget, u"%1-%2-%3"_s.arg(name, language).arg(size.width()));
    }
}

double contrast(const QColor &a, const QColor &b)
{
    auto lum = [](const QColor &c) {
        auto ch = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF());
    };
    const double x = lum(a), y = lum(b);
    return (std::max(x, y) + 0.05) / (std::min(x, y) + 0.05);
}

PlanReview plan(MigrationOp op, const QString &target, int steps = 1)
{
    PlanReview p;
    p.ok = true;
    p.op = op;
    p.target = target;
    p.headsBefore = {kBase};
    p.headsAfter = {kSecond};
    for (int i = 0; i < steps; ++i) {
        PlanStepReview s;
        s.step.revision = i == 0 ? kSecond : kBase;
        s.step.direction = op;
        s.message = u"step %1"_s.arg(i);
        s.sql = u"SELECT 1;"_s;
        p.steps << s;
    }
    return p;
}

// A DatabaseWorker on its own thread with a MigrationsView on it, as the app wires them.
class Session
{
public:
    explicit Session(const QString &db)
        : worker(new DatabaseWorker)
    {
        worker->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start();
        view.setWorker(worker);
        QObject::connect(worker, &DatabaseWorker::runFinished, &context, [this](const RunResult &r) { results << r; });
        DatabaseWorker *w = worker;
        const ConnectionSettings settings = fixtureSettings(db);
        QMetaObject::invokeMethod(w, [w, settings] { w->connectTo(settings); }, Qt::QueuedConnection);
        view.resize(1280, 640);
        view.show();
    }
    ~Session()
    {
        worker->cancel();
        thread.quit();
        thread.wait();
    }
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    bool waitConnected()
    {
        return QTest::qWaitFor([&] { return view.isConnected() && view.timelineModel()->hasStatus()
                                            && view.checkDriftAction()->isEnabled(); }, kDbTimeout);
    }
    PlanDialog *openPlan(QAction *action)
    {
        if (!action->isEnabled())
            return nullptr;
        action->trigger();
        if (!QTest::qWaitFor([&] { return view.planDialog() && view.planDialog()->isVisible(); }, kDbTimeout))
            return nullptr;
        return view.planDialog();
    }
    bool run(PlanDialog *dialog)
    {
        const qsizetype before = results.size();
        if (!dialog->runButton()->isEnabled())
            return false;
        QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return results.size() > before; }, kDbTimeout))
            return false;
        if (RunPanel *panel = view.runPanel())
            panel->close();
        // The status refresh after the run re-enables the actions.
        return results.last().ok() && QTest::qWaitFor([&] { return view.checkDriftAction()->isEnabled(); }, kDbTimeout);
    }
    bool select(const QString &revision)
    {
        QAbstractItemView *timeline = view.timelineView();
        const QModelIndex index = view.timelineModel()->indexOf(revision);
        timeline->scrollTo(index);
        QTest::mouseClick(timeline->viewport(), Qt::LeftButton, {}, timeline->visualRect(index).center());
        return view.selectedRevision() == revision;
    }

    QThread thread;
    DatabaseWorker *worker;
    MigrationsView view;
    QObject context;
    QList<RunResult> results;
};

} // namespace

class TestDbaWorkflow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void titleAndButtonNameTheAction();
    void droppingPlanBacksUpFirstAndRecordsThePath();
    void selectedBadgesAreReadable();
    void runPanelElidesLongStepTitles();
    void historyFiltersAndStatementLog();
    void driftOnceAndShortConnectionLabel();

private:
    AppServices m_services; // for the main window, as the GUI main builds it
};

void TestDbaWorkflow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"MigrationDesk"_s);
    QCoreApplication::setApplicationName(u"tst_dbaworkflow"_s);
    QSettings().clear();
    QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(), qPrintable(PgFixture::shared().errorString()));
}

void TestDbaWorkflow::titleAndButtonNameTheAction()
{
    struct Case
    {
        MigrationOp op;
        QString target;
        QString title;
        QString button;
    };
    const QList<Case> cases = {
        {MigrationOp::Upgrade, u"heads"_s, u"Upgrade to head"_s, u"Upgrade"_s},
        {MigrationOp::Upgrade, kSecond, u"Upgrade to "_s + kSecond, u"Upgrade"_s},
        {MigrationOp::Downgrade, u"base"_s, u"Downgrade to base"_s, u"Downgrade"_s},
        {MigrationOp::Downgrade, u"-1"_s, u"Downgrade one step"_s, u"Downgrade"_s},
        {MigrationOp::Stamp, kBase, u"Stamp "_s + kBase, u"Stamp"_s},
    };
    for (const Case &c : cases) {
        PlanDialog dialog(plan(c.op, c.target, c.op == MigrationOp::Stamp ? 0 : 1));
        QCOMPARE(dialog.findChild<QLabel *>(u"planTitle"_s)->text(), c.title);
        QCOMPARE(dialog.windowTitle(), u"Confirm: "_s + c.title);
        QCOMPARE(dialog.runButton()->text(), c.button);
        // Nothing here drops data: no backup by default, no destructive button.
        QVERIFY(!dialog.findChild<QCheckBox *>(u"backupCheck"_s)->isChecked());
        QVERIFY(!dialog.runButton()->property("destructive").toBool());
    }
}

void TestDbaWorkflow::droppingPlanBacksUpFirstAndRecordsThePath()
{
    const QString db = u"dba_backup"_s;
    QVERIFY(PgFixture::shared().createDatabase(db));
    Session s(db);
    QVERIFY(s.waitConnected());

    // The real Upgrade to head: the title says head (not Alembic's "heads"), the button says Upgrade.
    PlanDialog *up = s.openPlan(s.view.upgradeToHeadAction());
    QVERIFY(up);
    QCOMPARE(up->findChild<QLabel *>(u"planTitle"_s)->text(), u"Upgrade to head"_s);
    QCOMPARE(up->runButton()->text(), u"Upgrade"_s);
    QVERIFY(!up->findChild<QCheckBox *>(u"backupCheck"_s)->isChecked()); // creates tables only
    QVERIFY(s.run(up));

    psql(db, u"INSERT INTO employees (email, username, password, name, role, department) VALUES "
             "('a@x', 'a', 'p', 'A', 'user', 'ops'), ('b@x', 'b', 'p', 'B', 'user', 'ops')"_s);
    QVERIFY(s.select(kBase));
    PlanDialog *down = s.openPlan(s.view.downgradeToHereAction());
    QVERIFY(down);
    QVERIFY(PlanDialog::dropsData(down->plan()));
    QCOMPARE(down->findChild<QLabel *>(u"planTitle"_s)->text(), u"Downgrade to "_s + kBase);
    QCOMPARE(down->runButton()->text(), u"Downgrade"_s);
    // Ticked by default, as the plan drops data; the button is destructive and still readable.
    auto *backup = down->findChild<QCheckBox *>(u"backupCheck"_s);
    QVERIFY(backup->isVisible());
    QVERIFY(backup->isChecked());
    QVERIFY(down->findChild<QLineEdit *>(u"backupPathEdit"_s)->isEnabled());
    QVERIFY(down->runButton()->property("destructive").toBool());
    const QPalette palette = down->runButton()->palette();
    const QColor button = palette.color(QPalette::Button);
    QVERIFY2(button.red() > 2 * button.green() && button.red() > 2 * button.blue(), qPrintable(button.name()));
    QVERIFY(contrast(palette.color(QPalette::ButtonText), button) >= 4.5);
    QVERIFY(!down->runButton()->isDefault()); // Enter still cancels
    screenshots(down, u"plan-dialog-downgrade"_s, u"en"_s);

    QTemporaryDir dir;
    const QString file = dir.filePath(u"before-downgrade.dump"_s);
    down->setBackupFile(file);
    if (QCheckBox *understand = down->understandCheck())
        understand->setChecked(true);
    QVERIFY(s.run(down));
    QVERIFY(QFile::exists(file));
    QCOMPARE(psql(db, u"SELECT string_agg(DISTINCT coalesce(backup_path, '<none>'), ',') FROM migrationdesk.history "
                      "WHERE direction = 'downgrade'"_s),
             file);
    QCOMPARE(psql(db, u"SELECT count(*) FROM migrationdesk.history WHERE direction = 'upgrade' AND backup_path IS NULL"_s),
             psql(db, u"SELECT count(*) FROM migrationdesk.history WHERE direction = 'upgrade'"_s));
    // The History tab shows it.
    HistoryModel *history = s.view.historyView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(history->rowCount() > 0 && history->entry(0).direction == u"downgrade"_s, kDbTimeout);
    QCOMPARE(history->index(0, HistoryModel::BackupColumn).data().toString(), file);
}

void TestDbaWorkflow::selectedBadgesAreReadable()
{
    const QString db = u"dba_badge"_s;
    QVERIFY(PgFixture::shared().createDatabase(db));
    Session s(db);
    QVERIFY(s.waitConnected());
    QVERIFY(s.run(s.openPlan(s.view.upgradeToHeadAction())));
    QTRY_COMPARE_WITH_TIMEOUT(s.view.timelineModel()->stateOf(kBase), TimelineModel::State::Applied, kDbTimeout);
    QVERIFY(s.select(kBase));

    QAbstractItemView *timeline = s.view.timelineView();
    const QPalette palette = timeline->palette();
    using State = TimelineModel::State;
    for (const State state : {State::Applied, State::Current, State::Pending, State::MissingScript}) {
        for (const bool filled : {false, true}) {
            const auto c = TimelineDelegate::badgeColors(TimelineDelegate::stateColor(state), filled, true, palette);
            const QColor behind = c.background.alpha() == 0 ? palette.color(QPalette::Highlight) : c.background;
            QVERIFY2(contrast(c.text, behind) >= 4.5,
                     qPrintable(u"%1 on %2"_s.arg(c.text.name(), behind.name())));
        }
    }
    // As painted by the view: the selected applied row carries the badge's text colour on its chip.
    const QModelIndex index = s.view.timelineModel()->indexOf(kBase);
    QCoreApplication::processEvents();
    const QImage image = timeline->viewport()->grab(timeline->visualRect(index)).toImage();
    const auto applied = TimelineDelegate::badgeColors(TimelineDelegate::stateColor(State::Applied), false, true, palette);
    int textPixels = 0;
    int highlightPixels = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QRgb px = image.pixel(x, y) | 0xff000000;
            textPixels += px == applied.text.rgb() ? 1 : 0;
            highlightPixels += px == palette.color(QPalette::Highlight).rgb() ? 1 : 0;
        }
    }
    QVERIFY2(highlightPixels > image.width(), qPrintable(QString::number(highlightPixels))); // painted selected
    QVERIFY2(textPixels > 5, qPrintable(QString::number(textPixels)));
    screenshot(timeline, u"timeline-selected-applied"_s);
}

void TestDbaWorkflow::runPanelElidesLongStepTitles()
{
    DatabaseWorker worker; // never asked to run: the panel only listens
    PlanReview p = plan(MigrationOp::Upgrade, u"heads"_s, 2);
    p.steps[0].message = u"Add the department column to employees and backfill it from the legacy organisation "
                         "chart that the support team maintained by hand"_s;
    RunPanel panel(&worker, p);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto *title = panel.findChild<QLabel *>(u"stepTitle0"_s);
    QVERIFY(title);
    const QString full = u"↑ %1  %2"_s.arg(kSecond, p.steps[0].message);
    QVERIFY2(title->text().endsWith(u"…"_s), qPrintable(title->text()));
    QVERIFY(full.startsWith(title->text().chopped(1)));
    QCOMPARE(title->toolTip(), full);
    QVERIFY(title->fontMetrics().horizontalAdvance(title->text()) <= title->contentsRect().width());
    // A short title stays whole.
    auto *second = panel.findChild<QLabel *>(u"stepTitle1"_s);
    QCOMPARE(second->text(), u"↑ %1  step 1"_s.arg(kBase));
    panel.close();
}

void TestDbaWorkflow::historyFiltersAndStatementLog()
{
    const QString db = u"dba_history"_s;
    QVERIFY(PgFixture::shared().createDatabase(db));
    Session s(db);
    QVERIFY(s.waitConnected());
    QVERIFY(s.run(s.openPlan(s.view.upgradeToHeadAction())));
    // Other people's runs on other days, one failed.
    psql(db, u"INSERT INTO migrationdesk.history (run_id, version_table, revision, direction, started_at, duration_ms, "
             "db_user, os_user, success, error) VALUES "
             "(gen_random_uuid(), 'alembic_version', 'feed01', 'upgrade', '2025-03-01 10:00+00', 5, 'carol', 'carol', "
             "false, 'ERROR: boom'), "
             "(gen_random_uuid(), 'alembic_version', 'feed02', 'downgrade', '2025-03-05 10:00+00', 5, 'dave', 'dave', "
             "true, NULL)"_s);
    const int ours = psql(db, u"SELECT count(*) FROM migrationdesk.history"_s).toInt() - 2;
    // A refresh brings the two in.
    QMetaObject::invokeMethod(s.worker, [w = s.worker] { w->refreshStatus(); }, Qt::QueuedConnection);
    HistoryView *history = s.view.historyView();
    QTRY_COMPARE_WITH_TIMEOUT(history->model()->rowCount(), ours + 2, kDbTimeout);

    auto *tabs = s.view.findChild<QTabWidget *>(u"migrationsTabs"_s);
    tabs->setCurrentWidget(history);
    HistoryFilterBar *bar = history->filterBar();
    QVERIFY(bar && bar->isVisible());
    auto rows = [&] { return history->model()->rowCount(); };

    QTest::keyClicks(bar->revisionEdit(), kSecond.left(5));
    QTRY_COMPARE_WITH_TIMEOUT(rows(), 1, kDbTimeout);
    QCOMPARE(history->model()->entry(0).revision, kSecond);
    bar->clear();
    QTRY_COMPARE_WITH_TIMEOUT(rows(), ours + 2, kDbTimeout);

    QTest::keyClicks(bar->userEdit(), u"CAR"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rows(), 1, kDbTimeout);
    QCOMPARE(history->model()->entry(0).revision, u"feed01"_s);
    bar->clear();

    bar->resultCombo()->setCurrentIndex(bar->resultCombo()->findData(int(HistoryFilter::Result::Failed)));
    QTRY_COMPARE_WITH_TIMEOUT(rows(), 1, kDbTimeout);
    QVERIFY(!history->model()->entry(0).success);
    bar->clear();
    QTRY_COMPARE_WITH_TIMEOUT(rows(), ours + 2, kDbTimeout);

    // Local days: 3 to 6 March finds the run of the 5th, whatever the time zone.
    bar->fromEdit()->setDate(QDate(2025, 3, 3));
    bar->toEdit()->setDate(QDate(2025, 3, 6));
    QTRY_COMPARE_WITH_TIMEOUT(rows(), 1, kDbTimeout);
    QCOMPARE(history->model()->entry(0).revision, u"feed02"_s);
    auto *summary = history->findChild<QLabel *>(u"historySummary"_s);
    QVERIFY2(summary->text().contains(u"match"_s), qPrintable(summary->text()));
    screenshots(s.view.window(), u"history-filtered"_s, u"en"_s);
    s.view.resize(1280, 640);
    bar->clear();
    QTRY_COMPARE_WITH_TIMEOUT(rows(), ours + 2, kDbTimeout);

    // A past run's statements: the base revision's upgrade created the employees table.
    QTableView *table = history->tableView();
    int row = -1;
    for (int r = 0; r < table->model()->rowCount() && row < 0; ++r) {
        const QModelIndex i = table->model()->index(r, HistoryModel::RevisionColumn);
        if (i.data().toString() == kBase)
            row = r;
    }
    QVERIFY(row >= 0);
    table->selectRow(row);
    auto *logButton = history->findChild<QToolButton *>(u"historyLogButton"_s);
    QVERIFY(logButton->isEnabled());
    QTest::mouseClick(logButton, Qt::LeftButton);
    RunLogDialog *log = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((log = history->findChild<RunLogDialog *>()) && log->isVisible(), kDbTimeout);
    QVERIFY(log->statementTable()->rowCount() > 0);
    bool found = false;
    for (int r = 0; r < log->statementTable()->rowCount(); ++r)
        found = found || log->statementTable()->item(r, 4)->text().contains(u"CREATE TABLE employees"_s);
    QVERIFY(found);
    QCOMPARE(log->statementTable()->item(0, 3)->text(), u"OK"_s);
    QVERIFY(!log->sqlView()->toPlainText().isEmpty());
    screenshots(log, u"run-log"_s, u"en"_s);
    log->close();
    QTRY_VERIFY(!history->findChild<RunLogDialog *>());

    // Double-click opens it too.
    const QRect cell = table->visualRect(table->model()->index(row, 0));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QTRY_VERIFY_WITH_TIMEOUT((log = history->findChild<RunLogDialog *>()) && log->isVisible(), kDbTimeout);
    log->close();

    // The Runs table in the detail pane has room for several runs.
    QVERIFY(s.select(kSecond));
    auto *runs = s.view.findChild<HistoryView *>(u"revisionRunsView"_s);
    QVERIFY(runs);
    QVERIFY(runs->tableView()->minimumHeight() >= 5 * runs->tableView()->verticalHeader()->defaultSectionSize());

    // Korean: the same screens, for a look.
    Translator::install(u"ko"_s);
    auto restore = qScopeGuard([] { Translator::install(u"en"_s); });
    {
        Session k(db);
        QVERIFY(k.waitConnected());
        auto *ktabs = k.view.findChild<QTabWidget *>(u"migrationsTabs"_s);
        ktabs->setCurrentWidget(k.view.historyView());
        k.view.historyView()->filterBar()->userEdit()->setText(u"dave"_s);
        QTRY_COMPARE_WITH_TIMEOUT(k.view.historyView()->model()->rowCount(), 1, kDbTimeout);
        screenshots(&k.view, u"history-filtered"_s, u"ko"_s);
        PlanReview dropping = plan(MigrationOp::Downgrade, u"base"_s, 2);
        PlanFinding drop;
        drop.rule = u"drops-data"_s;
        drop.message = u"Drops column employees.department and its values (≈ 2 rows)."_s;
        drop.table = u"employees"_s;
        drop.estimatedRows = 2;
        dropping.steps[0].findings << drop;
        PlanDialog dialog(dropping);
        QVERIFY(dialog.findChild<QCheckBox *>(u"backupCheck"_s)->isChecked());
        screenshots(&dialog, u"plan-dialog-downgrade"_s, u"ko"_s);
        RunLogDialog logDialog(history->model()->entry(0), {{0, 12, u"CREATE TABLE employees (id serial PRIMARY KEY);"_s, 4, {}},
                                                            {1, 20, u"INSERT INTO employees VALUES ('x');"_s, 1, u"ERROR: invalid input syntax"_s}});
        screenshots(&logDialog, u"run-log"_s, u"ko"_s);
    }
}

void TestDbaWorkflow::driftOnceAndShortConnectionLabel()
{
    // A socket connection is named without its directory; the port goes to the tooltip.
    QCOMPARE(StatusFields::shortConnectionName(u"ann@[local:/var/run/postgresql]:5433/sales"_s), u"ann@local/sales"_s);
    QCOMPARE(StatusFields::shortConnectionName(u"ann@db.example.com:5432/sales"_s), u"ann@db.example.com/sales"_s);
    QCOMPARE(StatusFields::shortConnectionName(u"ann@[::1]:5432/sales"_s), u"ann@[::1]/sales"_s);

    const QString db = u"dba_shell"_s;
    QVERIFY(PgFixture::shared().createDatabase(db));
    MainWindow window(m_services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.connectToDatabase(fixtureSettings(db));
    QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), kDbTimeout);

    QAction *drift = window.migrationsView()->checkDriftAction();
    int inToolBars = 0;
    for (QToolBar *bar : window.findChildren<QToolBar *>())
        inToolBars += int(bar->actions().count(drift));
    QCOMPARE(inToolBars, 1);
    int inMenus = 0;
    for (QAction *menu : window.menuBar()->actions()) {
        if (menu->menu())
            inMenus += int(menu->menu()->actions().count(drift));
    }
    QCOMPARE(inMenus, 1);

    const PgFixture &pg = PgFixture::shared();
    auto *connection = window.findChild<QLabel *>(u"connectionLabel"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!connection->toolTip().isEmpty(), kDbTimeout);
    const QString shortName = u"%1@%2/%3"_s.arg(pg.superuser(), pg.host(), db);
    QVERIFY2(connection->text().startsWith(shortName + u" · PostgreSQL "_s), qPrintable(connection->text()));
    QVERIFY(!connection->text().contains(u":%1"_s.arg(pg.port())));
    const QString full = u"%1@%2:%3/%4"_s.arg(pg.superuser(), pg.host()).arg(pg.port()).arg(db);
    QVERIFY2(connection->toolTip().contains(full), qPrintable(connection->toolTip()));
    QVERIFY(connection->toolTip().contains(u"Server version"_s));
    screenshot(&window, u"status-bar-en"_s);
}

QTEST_MAIN(TestDbaWorkflow)
#include "tst_dbaworkflow.moc"
