#include "migrations/migrationsview.h"

#include "migrations/driftdialog.h"
#include "migrations/historyview.h"
#include "migrations/plandialog.h"
#include "migrations/runpanel.h"
#include "migrations/sqlhighlighter.h"
#include "migrations/stampdialog.h"
#include "migrations/timelinedelegate.h"
#include "migrations/timelinelegend.h"
#include "icons.h"

#include <QAction>
#include <QDialog>
#include <QFontDatabase>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

QPlainTextEdit *sqlView(const QString &name, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new SqlHighlighter(edit->document());
    return edit;
}

} // namespace

MigrationsView::MigrationsView(QWidget *parent)
    : QWidget(parent)
    , m_model(new TimelineModel(this))
{
    setObjectName(u"migrationsView"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"migrationsTabs"_s);
    layout->addWidget(m_tabs);

    auto *timelinePage = new QWidget(m_tabs);
    auto *pageLayout = new QVBoxLayout(timelinePage);
    pageLayout->setContentsMargins(4, 4, 4, 4);
    m_toolBar = new QToolBar(tr("Migrations"), timelinePage);
    m_toolBar->setObjectName(u"migrationsToolBar"_s);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    // Small icons leave the text room, so every action fits a window half a 1920-pixel screen wide.
    m_toolBar->setIconSize(QSize(16, 16));
    pageLayout->addWidget(m_toolBar);

    m_banner = new QLabel(timelinePage);
    m_banner->setObjectName(u"migrationsBanner"_s);
    m_banner->setWordWrap(true);
    // Fixed warning colours in any palette, set as colours: a style sheet would load Qt's style sheet
    // engine at start-up for this one hidden label.
    QPalette warning = m_banner->palette();
    warning.setColor(QPalette::Window, QColor(0xff, 0xf4, 0xe0));
    warning.setColor(QPalette::WindowText, QColor(0x6b, 0x3d, 0x00));
    m_banner->setPalette(warning);
    m_banner->setAutoFillBackground(true);
    m_banner->setFrameStyle(QFrame::Box | QFrame::Plain);
    m_banner->setMargin(4);
    m_banner->hide();
    pageLayout->addWidget(m_banner);
    pageLayout->addWidget(new TimelineLegend(m_model, timelinePage));

    auto *splitter = new QSplitter(Qt::Horizontal, timelinePage);
    splitter->setObjectName(u"timelineSplitter"_s);
    m_timeline = new QListView(splitter);
    m_timeline->setObjectName(u"timelineView"_s);
    m_timeline->setModel(m_model);
    m_timeline->setItemDelegate(new TimelineDelegate(m_timeline));
    m_timeline->setSelectionMode(QAbstractItemView::SingleSelection);
    m_timeline->setUniformItemSizes(true);
    m_timeline->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_timeline->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_timeline->setContextMenuPolicy(Qt::CustomContextMenu);
    m_timeline->setMouseTracking(true);

    auto *detail = new QWidget(splitter);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    m_detailHeader = new QLabel(tr("Select a revision to see its SQL and its runs."), detail);
    m_detailHeader->setObjectName(u"detailHeader"_s);
    m_detailHeader->setWordWrap(true);
    m_detailHeader->setTextInteractionFlags(Qt::TextSelectableByMouse);
    detailLayout->addWidget(m_detailHeader);
    m_detailTabs = new QTabWidget(detail);
    m_detailTabs->setObjectName(u"detailTabs"_s);
    m_detailTabs->hide(); // filled on the first selection (ensureDetailTabs)
    detailLayout->addWidget(m_detailTabs, 1);
    detailLayout->addStretch(); // keeps the header at the top while the tabs are hidden
    splitter->addWidget(m_timeline);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    pageLayout->addWidget(splitter, 1);

    m_history = new HistoryView(m_tabs);
    m_history->setObjectName(u"historyView"_s);
    m_history->setFiltersEnabled(true);
    m_tabs->addTab(timelinePage, tr("Timeline"));
    m_tabs->addTab(m_history, tr("History"));

    setupActions();

    connect(m_timeline->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        m_selected = current.isValid() ? current.data(TimelineModel::RevisionRole).toString() : QString();
        updateDetails();
        updateActions();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &MigrationsView::reselect);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        updateDetails();
        updateActions();
    });
    connect(m_timeline, &QWidget::customContextMenuRequested, this, &MigrationsView::showContextMenu);
    setConnected(false);
}

void MigrationsView::ensureDetailTabs()
{
    // Built on the first selection, not with the window: nothing is selected at start-up, and two SQL
    // editors with their fixed-pitch font and a history table are memory the first paint does not need.
    if (m_upgradeSql)
        return;
    m_upgradeSql = sqlView(u"upgradeSqlEdit"_s, m_detailTabs);
    m_downgradeSql = sqlView(u"downgradeSqlEdit"_s, m_detailTabs);
    m_runs = new HistoryView(m_detailTabs);
    m_runs->setObjectName(u"revisionRunsView"_s);
    m_runs->setWorker(m_worker);
    m_runs->setEntries(m_status.history);
    m_detailTabs->addTab(m_upgradeSql, tr("Upgrade SQL"));
    m_detailTabs->addTab(m_downgradeSql, tr("Downgrade SQL"));
    m_detailTabs->addTab(m_runs, tr("Runs"));
    // The pane keeps room for every tab title (the splitter honours this), so the titles never scroll.
    m_detailTabs->setUsesScrollButtons(false);
}

void MigrationsView::setupActions()
{
    auto make = [this](const QString &name, const QString &text, const QString &tip) {
        auto *a = new QAction(text, this);
        a->setObjectName(name);
        a->setToolTip(tip);
        a->setStatusTip(tip);
        m_toolBar->addAction(a);
        return a;
    };
    m_upgradeToHere = make(u"upgradeToHereAction"_s, tr("Upgrade to here"),
                           tr("Apply every pending revision up to the selected one"));
    m_downgradeToHere = make(u"downgradeToHereAction"_s, tr("Downgrade to here"),
                             tr("Undo every applied revision above the selected one"));
    m_toolBar->addSeparator();
    m_upgradeToHead = make(u"upgradeToHeadAction"_s, tr("Upgrade to head"),
                           tr("Apply every pending revision (alembic upgrade heads)"));
    m_downgradeOneStep = make(u"downgradeOneStepAction"_s, tr("Downgrade one step"),
                              tr("Undo the most recent revision (alembic downgrade -1)"));
    m_stamp = make(u"stampAction"_s, tr("Stamp…"),
                   tr("Set the version table to a revision without running any SQL"));
    m_checkDrift = make(u"checkDriftAction"_s, tr("Check for drift"),
                        tr("Compare the live schema with the one recorded after the last run, and the scripts with "
                           "the ones that were applied"));
    // The main toolbar offers the drift check in every view; a second button right below it was one too many.
    m_toolBar->removeAction(m_checkDrift);

    m_upgradeToHere->setIcon(Icons::get(Icons::Upgrade));
    m_downgradeToHere->setIcon(Icons::get(Icons::Downgrade));
    m_upgradeToHead->setIcon(Icons::get(Icons::Upgrade));
    m_downgradeOneStep->setIcon(Icons::get(Icons::Downgrade));
    m_stamp->setIcon(Icons::get(Icons::Stamp));
    m_checkDrift->setIcon(Icons::get(Icons::CheckDrift));

    connect(m_upgradeToHere, &QAction::triggered, this, [this] {
        if (!m_selected.isEmpty())
            requestPlan(MigrationOp::Upgrade, m_selected);
    });
    connect(m_downgradeToHere, &QAction::triggered, this, [this] {
        if (!m_selected.isEmpty())
            requestPlan(MigrationOp::Downgrade, m_selected);
    });
    connect(m_upgradeToHead, &QAction::triggered, this, [this] { requestPlan(MigrationOp::Upgrade, u"heads"_s); });
    connect(m_downgradeOneStep, &QAction::triggered, this, [this] { requestPlan(MigrationOp::Downgrade, u"-1"_s); });
    connect(m_stamp, &QAction::triggered, this, &MigrationsView::askStampTarget);
    connect(m_checkDrift, &QAction::triggered, this, &MigrationsView::checkDrift);
}

QAbstractItemView *MigrationsView::timelineView() const
{
    return m_timeline;
}

PlanDialog *MigrationsView::planDialog() const
{
    return m_planDialog;
}

RunPanel *MigrationsView::runPanel() const
{
    return m_runPanel;
}

QString MigrationsView::selectedRevision() const
{
    return m_selected;
}

void MigrationsView::setWorker(DatabaseWorker *worker)
{
    if (m_worker)
        disconnect(m_worker, nullptr, this, nullptr);
    m_worker = worker;
    m_history->setWorker(worker);
    if (!worker)
        return;
    // Queued: the worker emits on its own thread.
    connect(worker, &DatabaseWorker::scriptsLoaded, this, &MigrationsView::onScriptsLoaded);
    connect(worker, &DatabaseWorker::connected, this, [this] { setConnected(true); });
    connect(worker, &DatabaseWorker::statusReady, this, &MigrationsView::onStatus);
    connect(worker, &DatabaseWorker::busyChanged, this, &MigrationsView::onBusy);
    connect(worker, &DatabaseWorker::planReady, this, &MigrationsView::onPlanReady);
    connect(worker, &DatabaseWorker::checkFinished, this, &MigrationsView::onCheckFinished);
}

void MigrationsView::setConnected(bool connected)
{
    m_connected = connected;
    if (!connected) {
        m_status = DatabaseStatus();
        m_model->clearStatus();
        m_history->setEntries({});
        if (m_runs)
            m_runs->setEntries({});
        m_history->setEmptyText(tr("Connect to a database to see its migration history."));
        m_planning = m_checking = false;
    } else {
        m_history->setEmptyText(tr("No runs recorded in this database yet."));
    }
    updateActions();
}

void MigrationsView::onScriptsLoaded(const ScriptSet &scripts)
{
    m_model->setScripts(scripts);
    updateDetails();
    updateActions();
}

void MigrationsView::onStatus(const DatabaseStatus &status)
{
    if (!m_connected)
        setConnected(true);
    m_status = status;
    m_model->setStatus(status);
    m_history->setEntries(status.history);
    if (m_runs)
        m_runs->setEntries(status.history);
    updateDetails();
    updateActions();
}

void MigrationsView::onBusy(bool busy)
{
    m_busy = busy;
    updateActions();
}

void MigrationsView::reselect()
{
    // The model rebuilds its rows on every status; keep the user's revision selected across that.
    const QModelIndex index = m_selected.isEmpty() ? QModelIndex() : m_model->indexOf(m_selected);
    if (index.isValid())
        m_timeline->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    else
        m_selected.clear();
    updateDetails();
    updateActions();
}

void MigrationsView::updateActions()
{
    // One thing at a time: no second plan while one waits for confirmation.
    const bool confirming = m_planDialog && m_planDialog->isVisible();
    const bool idle = m_connected && m_worker && !m_busy && !m_planning && !m_running && !confirming;
    const bool writable = idle && !m_status.readOnly && m_status.canMigrate && m_model->scripts().isValid();
    const bool selected = !m_selected.isEmpty();
    // The engine refuses a revision that needs review: the action says why instead of offering a plan.
    const auto gate = [this](QAction *action, bool enabled, MigrationOp op, const QString &target) {
        const QString blocker = target.isEmpty() ? QString() : m_model->reviewBlocker(op, target);
        action->setEnabled(enabled && blocker.isEmpty());
        action->setToolTip(blocker.isEmpty() ? action->statusTip() : blocker);
    };
    gate(m_upgradeToHere, writable && selected && m_model->canUpgradeTo(m_selected), MigrationOp::Upgrade, m_selected);
    gate(m_downgradeToHere, writable && selected && m_model->canDowngradeTo(m_selected), MigrationOp::Downgrade,
         m_selected);
    bool pending = false;
    for (int r = 0; r < m_model->rowCount() && !pending; ++r)
        pending = m_model->stateOf(m_model->revisionAt(r)) == TimelineModel::State::Pending;
    gate(m_upgradeToHead, writable && pending, MigrationOp::Upgrade, u"heads"_s);
    m_downgradeOneStep->setEnabled(writable && !m_status.heads.isEmpty());
    gate(m_stamp, writable && !m_model->scripts().isEmpty(), MigrationOp::Stamp, m_selected);
    m_checkDrift->setEnabled(idle);

    QString banner;
    if (m_connected && m_status.readOnly)
        banner = tr("This session is read-only (a hot standby or default_transaction_read_only): migrations are disabled.");
    else if (m_connected && !m_status.displayName.isEmpty() && !m_status.canMigrate)
        banner = tr("This role may not create objects in the database: migrations are disabled.");
    else if (!m_model->scripts().isValid())
        banner = tr("The migration scripts are invalid, so nothing can run:\n%1").arg(m_model->scripts().errorText());
    else if (!m_connected)
        banner = tr("Not connected: the timeline shows the scripts only.");
    m_banner->setText(banner);
    m_banner->setVisible(!banner.isEmpty());
}

void MigrationsView::updateDetails()
{
    if (m_selected.isEmpty()) {
        m_detailHeader->setText(tr("Select a revision to see its SQL and its runs."));
        m_detailTabs->hide();
        return;
    }
    ensureDetailTabs();
    m_detailTabs->show();
    const QModelIndex index = m_model->indexOf(m_selected);
    m_detailHeader->setText(index.isValid() ? TimelineDelegate::describe(index) : m_selected);
    const MigrationScript *script = m_model->scripts().script(m_selected);
    const QString missing = tr("-- No script for revision %1: the database records it, but the migrations folder "
                               "does not have it.")
                                .arg(m_selected);
    const QString upgrade = script ? script->upgradeSql : missing;
    const QString downgrade = script ? script->downgradeSql : missing;
    // setPlainText resets the scroll position; skip it when nothing changed (every status refresh).
    if (m_upgradeSql->toPlainText() != upgrade)
        m_upgradeSql->setPlainText(upgrade);
    if (m_downgradeSql->toPlainText() != downgrade)
        m_downgradeSql->setPlainText(downgrade);
    if (m_runs->model()->revisionFilter() != m_selected)
        m_runs->setRevisionFilter(m_selected);
}

void MigrationsView::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_timeline->indexAt(pos);
    if (index.isValid())
        m_timeline->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    auto *menu = new QMenu(this);
    menu->setObjectName(u"timelineContextMenu"_s);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(m_upgradeToHere);
    menu->addAction(m_downgradeToHere);
    menu->addSeparator();
    menu->addAction(m_upgradeToHead);
    menu->addAction(m_downgradeOneStep);
    menu->addAction(m_stamp);
    menu->addSeparator();
    menu->addAction(m_checkDrift);
    menu->popup(m_timeline->viewport()->mapToGlobal(pos));
}

void MigrationsView::requestPlan(MigrationOp op, const QString &target)
{
    if (!m_worker || m_planning || m_running)
        return;
    m_planning = true;
    m_planOp = op;
    m_planTarget = target;
    updateActions();
    QPointer<DatabaseWorker> worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker, op, target] {
            if (worker)
                worker->preparePlan(op, target);
        },
        Qt::QueuedConnection);
}

void MigrationsView::onPlanReady(const PlanReview &plan)
{
    // Plans are only shown for our own request; someone else may ask the worker too.
    if (!m_planning || plan.op != m_planOp || plan.target != m_planTarget)
        return;
    m_planning = false;
    updateActions();
    auto *dialog = new PlanDialog(plan, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_planDialog = dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog] { startRun(dialog->plan(), dialog->backupFile()); });
    connect(dialog, &QDialog::finished, this, &MigrationsView::updateActions);
    // open(), not exec(): no nested event loop, so the worker's signals keep flowing normally.
    dialog->open();
    updateActions();
}

void MigrationsView::startRun(const PlanReview &plan, const QString &backupFile)
{
    if (!m_worker || m_running)
        return;
    m_running = true;
    updateActions();
    if (m_runPanel)
        m_runPanel->deleteLater();
    auto *panel = new RunPanel(m_worker, plan, this);
    panel->setAttribute(Qt::WA_DeleteOnClose);
    panel->setWindowModality(Qt::NonModal);
    m_runPanel = panel;
    connect(panel, &RunPanel::runCompleted, this, &MigrationsView::onRunCompleted);
    panel->show();

    QPointer<DatabaseWorker> worker = m_worker;
    const MigrationOp op = plan.op;
    const QString target = plan.target;
    QMetaObject::invokeMethod(
        worker,
        [worker, op, target, backupFile] {
            if (worker)
                worker->runMigration(op, target, backupFile);
        },
        Qt::QueuedConnection);
}

void MigrationsView::onRunCompleted(const RunResult &result)
{
    m_running = false;
    updateActions();
    if (!result.ok() && result.status != RunResult::Status::Cancelled)
        RunPanel::showFailureBox(result, m_runPanel, this);
}

void MigrationsView::askStampTarget()
{
    auto *dialog = new StampDialog(*m_model, m_selected, this);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { requestPlan(MigrationOp::Stamp, dialog->target()); });
    dialog->open();
}

void MigrationsView::checkDrift()
{
    if (!m_worker || m_checking)
        return;
    m_checking = true;
    QPointer<DatabaseWorker> worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker] {
            if (worker)
                worker->runCheck();
        },
        Qt::QueuedConnection);
}

void MigrationsView::onCheckFinished(const DriftReport &report, const QString &error)
{
    if (error.isEmpty())
        Q_EMIT driftChecked(report.drifted());
    if (!m_checking)
        return;
    m_checking = false;

    auto *dialog = new DriftDialog(report, error, m_worker, this);
    dialog->open();
}

} // namespace MigrationDesk
