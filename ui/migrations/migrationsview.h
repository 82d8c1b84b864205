#pragma once

#include "models/timelinemodel.h"
#include "session/databaseworker.h"

#include <QPointer>
#include <QWidget>

class QAbstractItemView;
class QAction;
class QLabel;
class QListView;
class QPlainTextEdit;
class QTabWidget;
class QToolBar;

namespace MigrationDesk {

class HistoryView;
class PlanDialog;
class RunPanel;

// The Migrations view a DBA uses instead of the Alembic CLI: the revision timeline with its detail
// pane, the run history, and the actions that plan, confirm and run migrations. GUI thread; it
// never touches the database itself: it queues calls to the DatabaseWorker and reacts to its signals.
class MigrationsView : public QWidget
{
    Q_OBJECT

public:
    explicit MigrationsView(QWidget *parent = nullptr);

    // The worker lives on another thread. Call before the worker connects, so scriptsLoaded is seen.
    void setWorker(DatabaseWorker *worker);
    void setConnected(bool connected);
    bool isConnected() const { return m_connected; }

    QAction *upgradeToHereAction() const { return m_upgradeToHere; }
    QAction *downgradeToHereAction() const { return m_downgradeToHere; }
    QAction *upgradeToHeadAction() const { return m_upgradeToHead; }
    QAction *downgradeOneStepAction() const { return m_downgradeOneStep; }
    QAction *stampAction() const { return m_stamp; }
    QAction *checkDriftAction() const { return m_checkDrift; }

    TimelineModel *timelineModel() const { return m_model; }
    QAbstractItemView *timelineView() const;
    HistoryView *historyView() const { return m_history; }
    QString selectedRevision() const;
    // The confirmation or run dialog currently shown by this view, if any (for tests and the main window).
    PlanDialog *planDialog() const;
    RunPanel *runPanel() const;

Q_SIGNALS:
    void driftChecked(bool drifted);

private:
    void setupActions();
    void updateActions();
    void updateDetails();
    void ensureDetailTabs();
    void reselect();
    void showContextMenu(const QPoint &pos);

    void onScriptsLoaded(const ScriptSet &scripts);
    void onStatus(const DatabaseStatus &status);
    void onBusy(bool busy);
    void onPlanReady(const PlanReview &plan);
    void onCheckFinished(const DriftReport &report, const QString &error);
    void onRunCompleted(const RunResult &result);

    void requestPlan(MigrationOp op, const QString &target);
    void startRun(const PlanReview &plan, const QString &backupFile);
    void askStampTarget();
    void checkDrift();

    QPointer<DatabaseWorker> m_worker;
    TimelineModel *m_model = nullptr; // also holds the scripts the worker loaded
    DatabaseStatus m_status;
    bool m_connected = false;
    bool m_busy = false;      // the worker says it is working
    bool m_planning = false;  // waiting for our planReady
    bool m_running = false;   // between Run and the run's end
    bool m_checking = false;  // waiting for our checkFinished
    MigrationOp m_planOp = MigrationOp::Upgrade;
    QString m_planTarget;
    QString m_selected;

    QTabWidget *m_tabs = nullptr;
    QToolBar *m_toolBar = nullptr;
    QLabel *m_banner = nullptr;
    QListView *m_timeline = nullptr;
    QLabel *m_detailHeader = nullptr;
    QTabWidget *m_detailTabs = nullptr;
    QPlainTextEdit *m_upgradeSql = nullptr;
    QPlainTextEdit *m_downgradeSql = nullptr;
    HistoryView *m_runs = nullptr;
    HistoryView *m_history = nullptr;

    QAction *m_upgradeToHere = nullptr;
    QAction *m_downgradeToHere = nullptr;
    QAction *m_upgradeToHead = nullptr;
    QAction *m_downgradeOneStep = nullptr;
    QAction *m_stamp = nullptr;
    QAction *m_checkDrift = nullptr;

    QPointer<PlanDialog> m_planDialog;
    QPointer<RunPanel> m_runPanel;
};

} // namespace MigrationDesk
