#pragma once

#include "session/databaseworker.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTimer;
class QVBoxLayout;

namespace MigrationDesk {

// Shows a migration while the worker runs it: a progress bar per step, a live statement log,
// Cancel, and the summary at the end. GUI thread; it only listens to the worker's signals and
// calls its thread-safe cancel().
class RunPanel : public QDialog
{
    Q_OBJECT

public:
    // plan is the confirmed preview, so the bars exist before the worker reports back.
    RunPanel(DatabaseWorker *worker, const PlanReview &plan, QWidget *parent = nullptr);

    bool isRunning() const { return m_running; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *closeButton() const { return m_close; }
    QList<QProgressBar *> progressBars() const { return m_bars; }
    QString logText() const;
    QString summaryText() const;
    // Who holds the lock the running statement waits for, as shown; empty when it does not wait.
    QString blockersText() const;
    // Set when a statement is running or failed: the step's revision, the statement (1-based) and its SQL.
    QString currentRevision() const { return m_revision; }
    int currentStatement() const { return m_statement + 1; }
    QString currentSql() const { return m_sql; }
    // The box a failed run ends with: where it failed, the error and the failing statement (panel may be null).
    static void showFailureBox(const RunResult &result, const RunPanel *panel, QWidget *parent);

Q_SIGNALS:
    // After the summary is shown; result is the worker's.
    void runCompleted(const MigrationDesk::RunResult &result);

protected:
    void reject() override;
    void closeEvent(QCloseEvent *event) override;

private:
    void buildBars(const PlanReview &plan);
    void onStepStarted(int step, int stepCount, const QString &revision, bool upgrade);
    void onStatementStarted(int step, int statement, int statementCount, int line, const QString &sql);
    void onStatementFinished(int step, int statement, qint64 elapsedMs);
    void onStepFinished(int step, bool ok, qint64 elapsedMs);
    void onRunFinished(const RunResult &result);
    void onBlockersChanged(const QList<LockBlocker> &blockers);
    void requestCancel();
    void log(const QString &line);
    void flushLog();

    QPointer<DatabaseWorker> m_worker;
    MigrationOp m_op = MigrationOp::Upgrade;
    bool m_running = true;
    QLabel *m_status = nullptr;
    QWidget *m_barsBox = nullptr;
    QVBoxLayout *m_barsLayout = nullptr;
    QList<QProgressBar *> m_bars;
    QList<QWidget *> m_barRows;
    QPlainTextEdit *m_log = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_blockers = nullptr;
    QList<int> m_loggedBlockers; // pids last written to the log, so each wait is logged once
    QPushButton *m_cancel = nullptr;
    QPushButton *m_close = nullptr;
    // Statements can arrive by the thousand; the log is appended in batches so painting never
    // falls behind the event loop.
    QStringList m_pendingLog;
    QTimer *m_flushTimer = nullptr;
    QString m_revision;
    int m_statement = -1;
    int m_statementCount = 0;
    QString m_sql;
};

} // namespace MigrationDesk
