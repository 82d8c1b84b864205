// The Migrations view on the offscreen platform against the fixture's real server, wired to a real
// DatabaseWorker on its own thread the way the main window does it: select a revision, plan, confirm,
// run, check the database; drop warnings; cancel a pg_sleep; a failing revision; stamp; drift; a
// read-only session. Widgets are grabbed to PNG for a human to look at.
#include "bundledrevisions.h"
#include "clirunner.h"
#include "i18n/datetimeformat.h"
#include "pgfixture.h"

#include "migrations/historyview.h"
#include "migrations/migrationsview.h"
#include "migrations/plandialog.h"
#include "migrations/runpanel.h"
#include "migrations/timelinedelegate.h"

#include "db/connectionsettings.h"
#include "session/databaseworker.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCheckBox>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

const QString kBase = u"317093d76fd2"_s;
const QString kSecond = u"ce3d30390578"_s;
const QString kHead = Test::bundledHead();
constexpr int kDbTimeout = 60000;

QString screensDir()
{
    const QString dir = u"/work/notes/screens"_s;
    QDir().mkpath(dir);
    return dir;
}

ConnectionSettings fixtureSettings(const QString &db)
{
    QString error;
    const auto settings = ConnectionSettings::fromUrl(PgFixture::shared().url(db), &error);
    if (!settings)
        qFatal("fixture URL rejected: %s", qPrintable(error));
    return *settings;
}

// Fails the test (at the caller's line) if the SQL fails.
QString psql(const QString &db, const QString &sql, const char *file = __builtin_FILE(), int line = __builtin_LINE())
{
    return PgFixture::shared().psql(db, sql, nullptr, nullptr, file, line);
}

QMessageBox *errorBox()
{
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (w->objectName() == QLatin1String("migrationErrorBox") && w->isVisible())
            return qobject_cast<QMessageBox *>(w);
    }
    return nullptr;
}

// One desktop session: a DatabaseWorker on its own QThread and a MigrationsView on it. The GUI
// thread only queues calls and listens, as in the app.
class Session
{
public:
    explicit Session(const QString &db, const QString &migrationsDir = QString())
        : worker(new DatabaseWorker)
    {
        worker->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start();
        view.setWorker(worker);
        // Queued to the GUI thread, so the test reads them without racing the worker.
        QObject::connect(worker, &DatabaseWorker::runFinished, &context,
                         [this](const RunResult &r) { results << r; });
        QObject::connect(worker, &DatabaseWorker::connectionFailed, &context,
                         [this](const QString &m) { connectError = m; });
        DatabaseWorker *w = worker;
        if (!migrationsDir.isEmpty())
            QMetaObject::invokeMethod(w, [w, migrationsDir] { w->setScripts(migrationsDir, QString()); },
                                      Qt::QueuedConnection);
        const ConnectionSettings settings = fixtureSettings(db);
        QMetaObject::invokeMethod(w, [w, settings] { w->connectTo(settings); }, Qt::QueuedConnection);
        view.resize(1280, 640);
        view.show();
    }
    ~Session()
    {
        // A failed test must not leave the worker blocked in a pg_sleep.
        worker->cancel();
        thread.quit();
        thread.wait();
    }
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    TimelineModel *model() const { return view.timelineModel(); }

    QThread thread;
    DatabaseWorker *worker;
    MigrationsView view;
    QObject context;
    QList<RunResult> results;
    QString connectError;
};

} // namespace

class TestMigrationsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void upgradeAndDowngradeThroughTheDialogs();
    void cancelSlowMigration();
    void failingRevisionShowsTheError();
    void stampHeads();
    void readOnlySessionDisablesActions();
    void branchesAndStatesRender();

private:
    bool waitConnected(Session &s, int rows);
    bool selectRevision(Session &s, const QString &revision);
    PlanDialog *openPlan(Session &s, QAction *action);
    bool runPlan(Session &s, PlanDialog *dialog, int expectedResults);
};

void TestMigrationsView::initTestCase()
{
    QVERIFY2(PgFixture::shared().isRunning(), qPrintable(PgFixture::shared().errorString()));
}

bool TestMigrationsView::waitConnected(Session &s, int rows)
{
    const auto ready = [&] {
        return s.view.isConnected() && s.model()->hasStatus() && s.model()->rowCount() == rows
            && s.view.checkDriftAction()->isEnabled();
    };
    if (!QTest::qWaitFor([&] { return ready() || !s.connectError.isEmpty(); }, kDbTimeout) || !s.connectError.isEmpty()) {
        qWarning("not connected: %s", qPrintable(s.connectError));
        return false;
    }
    return ready();
}

// Clicks the revision's row, as a user would.
bool TestMigrationsView::selectRevision(Session &s, const QString &revision)
{
    QAbstractItemView *timeline = s.view.timelineView();
    const QModelIndex index = s.model()->indexOf(revision);
    if (!index.isValid())
        return false;
    timeline->scrollTo(index);
    QTest::mouseClick(timeline->viewport(), Qt::LeftButton, {}, timeline->visualRect(index).center());
    return s.view.selectedRevision() == revision;
}

PlanDialog *TestMigrationsView::openPlan(Session &s, QAction *action)
{
    if (!action->isEnabled())
        return nullptr;
    action->trigger();
    // The plan is computed on the worker; the dialog opens window-modal when it arrives.
    if (!QTest::qWaitFor([&] { return qobject_cast<PlanDialog *>(QApplication::activeModalWidget()) != nullptr; },
                         kDbTimeout))
        return nullptr;
    auto *dialog = qobject_cast<PlanDialog *>(QApplication::activeModalWidget());
    if (dialog && dialog != s.view.planDialog())
        return nullptr;
    return dialog;
}

bool TestMigrationsView::runPlan(Session &s, PlanDialog *dialog, int expectedResults)
{
    if (!dialog->runButton() || !dialog->runButton()->isEnabled())
        return false;
    QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
    return QTest::qWaitFor([&] { return s.results.size() == expectedResults; }, kDbTimeout);
}

void TestMigrationsView::upgradeAndDowngradeThroughTheDialogs()
{
    const QString db = u"mv_updown"_s;
    QVERIFY(PgFixture::shared().createDatabase(db));
    Session s(db);
    QVERIFY(QTest::qWaitForWindowExposed(&s.view));
    QVERIFY(waitConnected(s, int(Test::bundledRevisions().size())));

    // Newest at the top.
    QCOMPARE(s.model()->revisionAt(0), kHead);
    QCOMPARE(s.model()->revisionAt(int(Test::bundledRevisions().size()) - 1), kBase);
    // Nothing applied: nothing to downgrade.
    QVERIFY(!s.view.downgradeOneStepAction()->isEnabled());
    QVERIFY(s.view.upgradeToHeadAction()->isEnabled());

    QVERIFY(selectRevision(s, kSecond));
    auto *upgradeSql = s.view.findChild<QPlainTextEdit *>(u"upgradeSqlEdit"_s);
    QVERIFY(upgradeSql);
    QVERIFY(upgradeSql->toPlainText().contains(u"ALTER TABLE employees ADD COLUMN department VARCHAR"_s));
    QVERIFY(s.view.findChild<QPlainTextEdit *>(u"downgradeSqlEdit"_s)->toPlainText().contains(u"DROP COLUMN department"_s));
    QVERIFY(s.view.upgradeToHereAction()->isEnabled());
    QVERIFY(!s.view.downgradeToHereAction()->isEnabled());

    PlanDialog *plan = openPlan(s, s.view.upgradeToHereAction());
    QVERIFY(plan);
    QVERIFY(plan->plan().ok);
    QCOMPARE(plan->plan().steps.size(), 2);
    QCOMPARE(plan->plan().steps.at(0).step.revision, kBase);
    QCOMPARE(plan->plan().steps.at(1).step.revision, kSecond);
    for (const PlanStepReview &step : plan->plan().steps)
        QVERIFY(plan->sqlText().contains(step.sql.trimmed()));
    QVERIFY(plan->sqlText().contains(u"ALTER TABLE employees ADD COLUMN department VARCHAR"_s));
    QVERIFY(plan->sqlText().contains(u"CREATE TABLE employees"_s));
    QVERIFY(plan->warnings().isEmpty());
    // While the plan waits for confirmation nothing else may start.
    QVERIFY(!s.view.upgradeToHeadAction()->isEnabled());
    QVERIFY(plan->grab().save(screensDir() + u"/plan-upgrade.png"_s));

    QVERIFY(runPlan(s, plan, 1));
    QVERIFY2(s.results.at(0).ok(), qPrintable(s.results.at(0).error));
    QCOMPARE(psql(db, u"SELECT version_num FROM alembic_version"_s), kSecond);
    QCOMPARE(psql(db, u"SELECT count(*) FROM information_schema.columns WHERE table_name = 'employees' "
                      "AND column_name = 'department'"_s),
             u"1"_s);

    RunPanel *panel = s.view.runPanel();
    QVERIFY(panel);
    QCOMPARE(panel->progressBars().size(), 2);
    for (QProgressBar *bar : panel->progressBars()) {
        QVERIFY(bar->maximum() > 0);
        QCOMPARE(bar->value(), bar->maximum());
    }
    QVERIFY(panel->logText().contains(u"ADD COLUMN department"_s));
    QVERIFY(panel->summaryText().contains(u"Succeeded"_s));
    QVERIFY(panel->grab().save(screensDir() + u"/run-panel.png"_s));
    QTest::mouseClick(panel->closeButton(), Qt::LeftButton);

    // The worker refreshes the status after the run; the timeline follows.
    QTRY_COMPARE_WITH_TIMEOUT(s.model()->stateOf(kSecond), TimelineModel::State::Current, kDbTimeout);
    QCOMPARE(s.model()->stateOf(kBase), TimelineModel::State::Applied);
    QCOMPARE(s.model()->stateOf(kHead), TimelineModel::State::Pending);
    QTRY_VERIFY_WITH_TIMEOUT(s.view.downgradeOneStepAction()->isEnabled(), kDbTimeout);
    QVERIFY(s.model()->data(s.model()->indexOf(kSecond), TimelineModel::LastRunAtRole).toDateTime().isValid());
    // History tab: both runs, with who and the direction.
    HistoryModel *history = s.view.historyView()->model();
    QCOMPARE(history->rowCount(), 2);
    QCOMPARE(history->entry(0).direction, u"upgrade"_s);
    QVERIFY(history->entry(0).success);
    // The Runs tab shows the selected revision's runs only.
    auto *runs = s.view.findChild<HistoryView *>(u"revisionRunsView"_s);
    QVERIFY(runs);
    QCOMPARE(runs->model()->rowCount(), 1);
    QCOMPARE(runs->model()->entry(0).revision, kSecond);

    QVERIFY(s.view.grab().save(screensDir() + u"/timeline.png"_s));
    auto *tabs = s.view.findChild<QTabWidget *>(u"migrationsTabs"_s);
    tabs->setCurrentWidget(s.view.historyView());
    QVERIFY(s.view.grab().save(screensDir() + u"/history.png"_s));
    tabs->setCurrentIndex(0);

    // Drift: none right after a run; a table created behind the tool's back is found.
    QSignalSpy drift(&s.view, &MigrationsView::driftChecked);
    s.view.checkDriftAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(drift.size(), 1, kDbTimeout);
    QCOMPARE(drift.at(0).at(0).toBool(), false);
    QTRY_VERIFY(s.view.findChild<QDialog *>(u"driftDialog"_s));
    s.view.findChild<QDialog *>(u"driftDialog"_s)->close();
    psql(db, u"CREATE TABLE sneaky (id int)"_s);
    QTRY_VERIFY_WITH_TIMEOUT(s.view.checkDriftAction()->isEnabled(), kDbTimeout);
    s.view.checkDriftAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(drift.size(), 2, kDbTimeout);
    QCOMPARE(drift.at(1).at(0).toBool(), true);
    QDialog *driftDialog = nullptr;
    QTRY_VERIFY((driftDialog = s.view.findChild<QDialog *>(u"driftDialog"_s)) && driftDialog->isVisible());
    QVERIFY(driftDialog->findChild<QPlainTextEdit *>(u"driftText"_s)->toPlainText().contains(u"sneaky"_s));
    driftDialog->close();
    psql(db, u"DROP TABLE sneaky"_s);

    // Rows in the column a downgrade drops: the dialog must say so, with the count.
    psql(db, u"INSERT INTO employees (email, username, password, name, role, department) VALUES "
             "('a@x', 'a', 'p', 'A', 'staff', 'ops'), ('b@x', 'b', 'p', 'B', 'staff', 'ops'), "
             "('c@x', 'c', 'p', 'C', 'staff', 'dev'); ANALYZE employees"_s);
    QVERIFY(selectRevision(s, kBase));
    QTRY_VERIFY_WITH_TIMEOUT(s.view.downgradeToHereAction()->isEnabled(), kDbTimeout);
    QVERIFY(!s.view.upgradeToHereAction()->isEnabled());
    plan = openPlan(s, s.view.downgradeToHereAction());
    QVERIFY(plan);
    QCOMPARE(plan->plan().steps.size(), 1);
    QVERIFY(!plan->plan().steps.at(0).step.isUpgrade());
    QVERIFY(plan->sqlText().contains(u"ALTER TABLE employees DROP COLUMN department"_s));
    const QString warnings = plan->warnings().join(u'\n');
    QVERIFY2(warnings.contains(u"department"_s) && warnings.contains(u"3 rows"_s), qPrintable(warnings));
    auto *warningLabel = plan->findChild<QLabel *>(u"planWarnings"_s);
    QVERIFY(warningLabel && warningLabel->isVisible());
    QVERIFY(warningLabel->text().contains(u"3 rows"_s));
    QVERIFY(plan->grab().save(screensDir() + u"/plan-downgrade.png"_s));

    // Back up first: the worker runs pg_dump -Fc to the chosen file before it drops anything.
    QTemporaryDir backupDir;
    QVERIFY(backupDir.isValid());
    const QString backup = backupDir.filePath(u"before-downgrade.dump"_s);
    auto *backupCheck = plan->findChild<QCheckBox *>(u"backupCheck"_s);
    QVERIFY(backupCheck && backupCheck->isChecked()); // the plan drops a column with rows: ticked by default
    plan->setBackupFile(backup);
    QVERIFY(backupCheck->isChecked());
    QCOMPARE(plan->backupFile(), backup);

    QVERIFY(runPlan(s, plan, 2));
    QFile dump(backup);
    QVERIFY2(dump.open(QIODevice::ReadOnly), qPrintable(backup));
    QCOMPARE(dump.read(5), QByteArray("PGDMP")); // pg_dump's custom format
    QVERIFY2(s.results.at(1).ok(), qPrintable(s.results.at(1).error));
    QCOMPARE(psql(db, u"SELECT version_num FROM alembic_version"_s), kBase);
    QCOMPARE(psql(db, u"SELECT count(*) FROM information_schema.columns WHERE table_name = 'employees' "
                      "AND column_name = 'department'"_s),
             u"0"_s);
    QTRY_COMPARE_WITH_TIMEOUT(s.model()->stateOf(kBase), TimelineModel::State::Current, kDbTimeout);
    QCOMPARE(s.model()->stateOf(kSecond), TimelineModel::State::Pending);
    QTRY_COMPARE_WITH_TIMEOUT(history->rowCount(), 3, kDbTimeout);
    QCOMPARE(history->entry(0).direction, u"downgrade"_s);
}

void TestMigrationsView::cancelSlowMigration()
{
    const QString db = u"mv_cancel"_s;
    QVERIFY(PgFixture::shared().createDatabase(db));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeScript(dir.path(), u"0001_base.sql"_s, u"aaa000000001"_s, u"none"_s, u"CREATE TABLE slow_base (id int);"_s,
                u"DROP TABLE slow_base;"_s, true, u"Base table"_s);
    writeScript(dir.path(), u"0002_slow.sql"_s, u"bbb000000002"_s, u"aaa000000001"_s,
                u"CREATE TABLE slow_t (id int);\nINSERT INTO slow_t VALUES (1);\nSELECT pg_sleep(30);"_s,
                u"DROP TABLE slow_t;"_s, true, u"Slow backfill"_s);

    Session s(db, dir.path());
    QVERIFY(QTest::qWaitForWindowExposed(&s.view));
    QVERIFY(waitConnected(s, 2));
    QCOMPARE(s.model()->revisionAt(0), u"bbb000000002"_s);

    QVERIFY(selectRevision(s, u"aaa000000001"_s));
    PlanDialog *plan = openPlan(s, s.view.upgradeToHereAction());
    QVERIFY(plan);
    QVERIFY(runPlan(s, plan, 1));
    QVERIFY(s.results.at(0).ok());
    QTRY_COMPARE_WITH_TIMEOUT(s.model()->stateOf(u"aaa000000001"_s), TimelineModel::State::Current, kDbTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(s.view.upgradeToHeadAction()->isEnabled(), kDbTimeout);
    s.view.runPanel()->close();

    QVERIFY(selectRevision(s, u"bbb000000002"_s));
    plan = openPlan(s, s.view.upgradeToHereAction());
    QVERIFY(plan);
    QVERIFY(plan->sqlText().contains(u"SELECT pg_sleep(30)"_s));

    // The GUI thread's event loop while the worker runs: a 10 ms timer records the largest gap.
    int ticks = 0;
    qint64 maxGap = 0;
    QElapsedTimer sinceTick;
    QTimer ticker;
    ticker.setInterval(10);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        if (ticks > 0)
            maxGap = std::max(maxGap, sinceTick.elapsed());
        sinceTick.restart();
        ++ticks;
    });
    ticker.start();
    sinceTick.start();

    QTest::mouseClick(plan->runButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(s.view.runPanel() && s.view.runPanel()->currentSql().contains(u"pg_sleep"_s), kDbTimeout);
    RunPanel *panel = s.view.runPanel();
    // Nothing else may start while a run is busy.
    for (QAction *a : {s.view.upgradeToHereAction(), s.view.downgradeToHereAction(), s.view.upgradeToHeadAction(),
                       s.view.downgradeOneStepAction(), s.view.stampAction(), s.view.checkDriftAction()})
        QVERIFY2(!a->isEnabled(), qPrintable(a->objectName()));
    QVERIFY(panel->cancelButton()->isEnabled());
    QVERIFY(!panel->closeButton()->isEnabled());
    QTest::qWait(2000); // a multi-second run for the event loop measurement
    QVERIFY(panel->grab().save(screensDir() + u"/run-panel-running.png"_s));
    sinceTick.restart(); // the grab is the test's own work, not the app's
    QCOMPARE(s.results.size(), 1); // still sleeping

    QElapsedTimer cancelTimer;
    cancelTimer.start();
    QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(s.results.size(), 2, 15000);
    const qint64 cancelMs = cancelTimer.elapsed();
    ticker.stop();
    qInfo("GUI event loop during the run: %d ticks of a 10 ms timer, largest gap %lld ms; cancel took %lld ms",
          ticks, maxGap, cancelMs);
    // No timing threshold (shared machine): only that the loop kept running the whole time.
    QVERIFY2(ticks > 50, qPrintable(QString::number(ticks)));

    QCOMPARE(s.results.at(1).status, RunResult::Status::Cancelled);
    QVERIFY(panel->summaryText().contains(u"Cancelled"_s));
    QVERIFY(panel->closeButton()->isEnabled());
    QVERIFY(!errorBox()); // a cancel is not an error
    QCOMPARE(psql(db, u"SELECT version_num FROM alembic_version"_s), u"aaa000000001"_s);
    QCOMPARE(psql(db, u"SELECT to_regclass('slow_t') IS NULL"_s), u"t"_s);
    QTRY_VERIFY_WITH_TIMEOUT(s.view.upgradeToHereAction()->isEnabled(), kDbTimeout);
    QCOMPARE(s.model()->stateOf(u"bbb000000002"_s), TimelineModel::State::Pending);
}

void TestMigrationsView::failingRevisionShowsTheError()
{
    const QString db = u"mv_fail"_s;
    QVERIFY(PgFixture::shared().createDatabase(db));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeScript(dir.path(), u"0001_base.sql"_s, u"ccc000000001"_s, u"none"_s, u"CREATE TABLE f_base (id int);"_s,
                u"DROP TABLE f_base;"_s, true, u"Base table"_s);
    writeScript(dir.path(), u"0002_broken.sql"_s, u"ddd000000002"_s, u"ccc000000001"_s,
                u"CREATE TABLE f_t (id int);\nINSERT INTO f_t VALUES (1);\nSELECT 1 / 0;"_s, u"DROP TABLE f_t;"_s, true,
                u"Broken backfill"_s);

    Session s(db, dir.path());
    QVERIFY(QTest::qWaitForWindowExposed(&s.view));
    QVERIFY(waitConnected(s, 2));
    QVERIFY(selectRevision(s, u"ccc000000001"_s));
    PlanDialog *plan = openPlan(s, s.view.upgradeToHereAction());
    QVERIFY(plan);
    QVERIFY(runPlan(s, plan, 1));
    QVERIFY(s.results.at(0).ok());
    QTRY_COMPARE_WITH_TIMEOUT(s.model()->stateOf(u"ccc000000001"_s), TimelineModel::State::Current, kDbTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(s.view.upgradeToHeadAction()->isEnabled(), kDbTimeout);

    plan = openPlan(s, s.view.upgradeToHeadAction());
    QVERIFY(plan);
    QCOMPARE(plan->plan().steps.size(), 1);
    QVERIFY(runPlan(s, plan, 2));
    QCOMPARE(s.results.at(1).status, RunResult::Status::Failed);

    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = errorBox()) != nullptr);
    const QString text = box->text() + u'\n' + box->informativeText();
    QVERIFY2(text.contains(u"ddd000000002"_s), qPrintable(text));
    QVERIFY2(text.contains(u"division by zero"_s), qPrintable(text));
    QVERIFY2(text.contains(u"SELECT 1 / 0"_s), qPrintable(text));
    QVERIFY(box->grab().save(screensDir() + u"/error-box.png"_s));
    QVERIFY(s.view.runPanel()->summaryText().contains(u"division by zero"_s));
    box->button(QMessageBox::Ok)->click();
    QTRY_VERIFY(!errorBox());

    // Nothing half-applied: the revision's transaction rolled back.
    QCOMPARE(psql(db, u"SELECT version_num FROM alembic_version"_s), u"ccc000000001"_s);
    QCOMPARE(psql(db, u"SELECT to_regclass('f_t') IS NULL"_s), u"t"_s);
    // The failure is history, and the timeline counts it.
    QTRY_COMPARE_WITH_TIMEOUT(s.model()->data(s.model()->indexOf(u"ddd000000002"_s), TimelineModel::FailedRunsRole).toInt(),
                              1, kDbTimeout);
    QCOMPARE(s.model()->stateOf(u"ddd000000002"_s), TimelineModel::State::Pending);
    QVERIFY(selectRevision(s, u"ddd000000002"_s));
    auto *runs = s.view.findChild<HistoryView *>(u"revisionRunsView"_s);
    QCOMPARE(runs->model()->rowCount(), 1);
    QVERIFY(!runs->model()->entry(0).success);
    QVERIFY(runs->model()->entry(0).error.contains(u"division by zero"_s));
}

void TestMigrationsView::stampHeads()
{
    const QString db = u"mv_stamp"_s;
    QVERIFY(PgFixture::shared().createDatabase(db));
    Session s(db);
    QVERIFY(QTest::qWaitForWindowExposed(&s.view));
    QVERIFY(waitConnected(s, int(Test::bundledRevisions().size())));
    QVERIFY(s.view.stampAction()->isEnabled());
    s.view.stampAction()->trigger();
    QDialog *stamp = nullptr;
    QTRY_VERIFY((stamp = qobject_cast<QDialog *>(QApplication::activeModalWidget())) != nullptr);
    QCOMPARE(stamp->objectName(), u"stampDialog"_s);
    auto *combo = stamp->findChild<QComboBox *>(u"stampTargetCombo"_s);
    QVERIFY(combo);
    QVERIFY(combo->findData(u"base"_s) >= 0);
    QVERIFY(combo->findData(kSecond) >= 0);
    combo->setCurrentIndex(combo->findData(u"heads"_s));
    stamp->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();

    PlanDialog *plan = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((plan = qobject_cast<PlanDialog *>(QApplication::activeModalWidget())) != nullptr, kDbTimeout);
    QCOMPARE(plan->plan().op, MigrationOp::Stamp);
    QCOMPARE(plan->plan().headsAfter, QStringList{kHead});
    QVERIFY(runPlan(s, plan, 1));
    QVERIFY2(s.results.at(0).ok(), qPrintable(s.results.at(0).error));
    QCOMPARE(psql(db, u"SELECT version_num FROM alembic_version"_s), kHead);
    QCOMPARE(psql(db, u"SELECT to_regclass('employees') IS NULL"_s), u"t"_s); // no SQL ran
    QTRY_COMPARE_WITH_TIMEOUT(s.model()->stateOf(kHead), TimelineModel::State::Current, kDbTimeout);
}

void TestMigrationsView::readOnlySessionDisablesActions()
{
    const QString db = u"mv_readonly"_s;
    QVERIFY(PgFixture::shared().createDatabase(db));
    psql(db, u"ALTER DATABASE mv_readonly SET default_transaction_read_only = on"_s);
    Session s(db);
    QVERIFY(QTest::qWaitForWindowExposed(&s.view));
    QVERIFY(waitConnected(s, int(Test::bundledRevisions().size())));
    QVERIFY(selectRevision(s, kSecond));
    for (QAction *a : {s.view.upgradeToHereAction(), s.view.downgradeToHereAction(), s.view.upgradeToHeadAction(),
                       s.view.downgradeOneStepAction(), s.view.stampAction()})
        QVERIFY2(!a->isEnabled(), qPrintable(a->objectName()));
    QVERIFY(s.view.checkDriftAction()->isEnabled()); // reading is fine
    auto *banner = s.view.findChild<QLabel *>(u"migrationsBanner"_s);
    QVERIFY(banner && banner->isVisible() && banner->text().contains(u"read-only"_s));

    // Disconnected: nothing at all.
    s.view.setConnected(false);
    QVERIFY(!s.view.checkDriftAction()->isEnabled());
    QVERIFY(!s.view.upgradeToHereAction()->isEnabled());
}

// No database: a branched graph and every state, fed to the model directly, to check what the
// delegate draws (lines in every lane, the legend's shapes, run info, the checksum mark).
void TestMigrationsView::branchesAndStatesRender()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeScript(dir.path(), u"0001.sql"_s, u"a00000000001"_s, u"none"_s, u"CREATE TABLE accounts (id int);"_s,
                u"DROP TABLE accounts;"_s, true, u"Create accounts"_s);
    writeScript(dir.path(), u"0002.sql"_s, u"b00000000002"_s, u"a00000000001"_s,
                u"ALTER TABLE accounts ADD COLUMN email text;"_s, u"ALTER TABLE accounts DROP COLUMN email;"_s, true,
                u"Add email to accounts"_s);
    writeScript(dir.path(), u"0003.sql"_s, u"c00000000003"_s, u"a00000000001"_s, u"CREATE TABLE audit (id int);"_s,
                u"DROP TABLE audit;"_s, true, u"Audit log (feature branch)"_s);
    writeScript(dir.path(), u"0004.sql"_s, u"d00000000004"_s, u"b00000000002, c00000000003"_s, u"SELECT 1;"_s,
                u"SELECT 1;"_s, true, u"Merge the audit branch"_s);
    writeScript(dir.path(), u"0005.sql"_s, u"e00000000005"_s, u"d00000000004"_s,
                u"CREATE INDEX CONCURRENTLY accounts_email ON accounts (email);"_s,
                u"DROP INDEX CONCURRENTLY accounts_email;"_s, false, u"Index emails"_s);
    const ScriptSet scripts = ScriptSet::load(dir.path());
    QVERIFY2(scripts.isValid(), qPrintable(scripts.errorText()));

    MigrationsView view;
    view.resize(1280, 520);
    view.timelineModel()->setScripts(scripts);
    DatabaseStatus status;
    status.displayName = u"postgres@127.0.0.1:5432/demo"_s;
    status.canMigrate = true;
    status.heads = {u"b00000000002"_s, u"f0000000dead"_s}; // the second has no script
    HistoryEntry run;
    run.revision = u"a00000000001"_s;
    run.direction = u"upgrade"_s;
    run.success = true;
    run.startedAt = QDateTime(QDate(2025, 3, 1), QTime(9, 30), Qt::UTC);
    run.durationMs = 1840;
    run.dbUser = u"postgres"_s;
    run.osUser = u"alice"_s;
    run.clientHost = u"ops-laptop"_s;
    HistoryEntry runB = run;
    runB.revision = u"b00000000002"_s;
    runB.startedAt = run.startedAt.addDays(2);
    runB.durationMs = 35;
    HistoryEntry failed = runB;
    failed.revision = u"c00000000003"_s;
    failed.success = false;
    failed.error = u"ERROR: relation \"audit\" already exists"_s;
    status.history = {failed, runB, run};
    status.appliedChecksums = {{u"a00000000001"_s, u"0000"_s}, {u"b00000000002"_s, scripts.script(u"b00000000002"_s)->sha256}};
    view.timelineModel()->setStatus(status);
    view.historyView()->setEntries(status.history);
    view.setConnected(true);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    TimelineModel *model = view.timelineModel();
    QCOMPARE(model->rowCount(), 6);
    QCOMPARE(model->stateOf(u"f0000000dead"_s), TimelineModel::State::MissingScript);
    QCOMPARE(model->stateOf(u"b00000000002"_s), TimelineModel::State::Current);
    QCOMPARE(model->stateOf(u"a00000000001"_s), TimelineModel::State::Applied);
    QCOMPARE(model->stateOf(u"c00000000003"_s), TimelineModel::State::Pending);

    const QString a = TimelineDelegate::describe(model->indexOf(u"a00000000001"_s));
    QVERIFY2(a.contains(u"⚠"_s) && a.contains(u"alice@ops-laptop"_s) && a.contains(u"1.8 s"_s), qPrintable(a));
    const QString b = TimelineDelegate::describe(model->indexOf(u"b00000000002"_s));
    QVERIFY2(!b.contains(u"⚠"_s) && b.contains(u"35 ms"_s), qPrintable(b));
    // The script's "created" header is written as every other time is, in the language's short form.
    const QString created = DateTimeFormat::fromDbWallClock(u"2025-01-20 10:00:00"_s);
    QVERIFY2(created != u"2025-01-20 10:00:00"_s && b.contains(created), qPrintable(b));
    QVERIFY(TimelineDelegate::describe(model->indexOf(u"c00000000003"_s)).contains(u"1 failed attempt"_s));
    QVERIFY(TimelineDelegate::describe(model->indexOf(u"f0000000dead"_s)).contains(u"no script"_s));

    // Every lane an edge occupies is drawn: sample the pixel where each lane crosses the top edge of
    // the merge's and the branch point's rows.
    QAbstractItemView *timeline = view.timelineView();
    const QImage image = timeline->viewport()->grab().toImage();
    const QColor background = timeline->viewport()->palette().color(QPalette::Base);
    int sampled = 0;
    for (const QString &rev : {u"d00000000004"_s, u"a00000000001"_s}) {
        const QModelIndex index = model->indexOf(rev);
        const QRect rect = timeline->visualRect(index);
        const QVariantList lanes = index.data(TimelineModel::ChildLanesRole).toList()
            + index.data(TimelineModel::ParentLanesRole).toList();
        for (const QVariant &lane : lanes) {
            const int x = rect.left() + 6 + lane.toInt() * 18 + 9;
            const bool top = index.data(TimelineModel::ChildLanesRole).toList().contains(lane);
            const QColor c = image.pixelColor(x, top ? rect.top() + 1 : rect.bottom() - 1);
            QVERIFY2(c != background, qPrintable(u"%1 lane %2"_s.arg(rev).arg(lane.toInt())));
            ++sampled;
        }
    }
    QVERIFY(sampled >= 4); // the merge has two parents, the branch point two children

    // Selecting a row shows its SQL and only its runs, the failed one included.
    // Nothing selected yet: no SQL panes at all (they are built on the first selection), only the hint.
    QVERIFY(!view.findChild<QTabWidget *>(u"detailTabs"_s)->isVisible());
    QVERIFY(!view.findChild<QPlainTextEdit *>(u"upgradeSqlEdit"_s));
    timeline->setCurrentIndex(model->indexOf(u"c00000000003"_s));
    QCOMPARE(view.selectedRevision(), u"c00000000003"_s);
    QVERIFY(view.findChild<QPlainTextEdit *>(u"upgradeSqlEdit"_s)->toPlainText().contains(u"CREATE TABLE audit"_s));
    auto *runs = view.findChild<HistoryView *>(u"revisionRunsView"_s);
    runs->setEntries(status.history); // what the view does on every status from the worker
    QCOMPARE(runs->model()->rowCount(), 1);
    QVERIFY(!runs->model()->entry(0).success);
    timeline->setCurrentIndex(model->indexOf(u"f0000000dead"_s));
    QVERIFY(view.findChild<QPlainTextEdit *>(u"downgradeSqlEdit"_s)->toPlainText().contains(u"No script"_s));
    QVERIFY(view.grab().save(screensDir() + u"/timeline-branches.png"_s));
    view.findChild<QTabWidget *>(u"migrationsTabs"_s)->setCurrentWidget(view.historyView());
    QCOMPARE(view.historyView()->tableView()->model()->rowCount(), 3);
    QVERIFY(view.grab().save(screensDir() + u"/history-sample.png"_s));
}

QTEST_MAIN(TestMigrationsView)
#include "tst_migrationsview.moc"
