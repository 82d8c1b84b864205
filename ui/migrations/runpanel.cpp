#include "migrations/runpanel.h"

#include "migrations/plandialog.h"
#include "migrations/timelinedelegate.h"

#include <QCloseEvent>
#include <QCoreApplication>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QTime>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The failure box was the Migrations view's when its texts were translated; it keeps that context.
class ViewText
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MigrationsView)
};

QString oneLine(const QString &sql, int max = 120)
{
    QString s = sql.simplified();
    if (s.size() > max)
        s = s.left(max - 1) + u"…"_s;
    return s;
}

QString now()
{
    return QTime::currentTime().toString(u"HH:mm:ss.zzz"_s);
}

} // namespace

RunPanel::RunPanel(DatabaseWorker *worker, const PlanReview &plan, QWidget *parent)
    : QDialog(parent)
    , m_worker(worker)
    , m_op(plan.op)
{
    setObjectName(u"runPanel"_s);
    setWindowTitle(tr("Running: %1").arg(PlanDialog::kindTitle(plan)));
    auto *layout = new QVBoxLayout(this);

    m_status = new QLabel(tr("Starting…"), this);
    m_status->setObjectName(u"runStatus"_s);
    QFont bold = m_status->font();
    bold.setBold(true);
    m_status->setFont(bold);
    layout->addWidget(m_status);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_barsBox = new QWidget(scroll);
    m_barsLayout = new QVBoxLayout(m_barsBox);
    m_barsLayout->setContentsMargins(0, 0, 0, 0);
    scroll->setWidget(m_barsBox);
    scroll->setMaximumHeight(220);
    layout->addWidget(scroll);
    buildBars(plan);

    // Shown live while a statement waits for a lock someone else holds.
    m_blockers = new QLabel(this);
    m_blockers->setObjectName(u"runBlockers"_s);
    m_blockers->setWordWrap(true);
    m_blockers->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_blockers->setStyleSheet(
        u"QLabel { background: #fff4e0; color: #6b3d00; border: 1px solid #e0a040; border-radius: 4px; padding: 6px; }"_s);
    m_blockers->hide();
    layout->addWidget(m_blockers);

    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(u"runLog"_s);
    m_log->setReadOnly(true);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setMaximumBlockCount(20000);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_log, 1);

    m_summary = new QLabel(this);
    m_summary->setObjectName(u"runSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->hide();
    layout->addWidget(m_summary);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    m_cancel = new QPushButton(tr("Cancel migration"), this);
    m_cancel->setObjectName(u"cancelRunButton"_s);
    m_cancel->setAutoDefault(false);
    m_close = new QPushButton(tr("Close"), this);
    m_close->setObjectName(u"closeRunButton"_s);
    m_close->setEnabled(false);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_close);
    layout->addLayout(buttons);

    m_flushTimer = new QTimer(this);
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(100);
    connect(m_flushTimer, &QTimer::timeout, this, &RunPanel::flushLog);

    connect(m_cancel, &QPushButton::clicked, this, &RunPanel::requestCancel);
    connect(m_close, &QPushButton::clicked, this, &QDialog::accept);

    // The worker lives on another thread: these connections are queued.
    connect(worker, &DatabaseWorker::runStarted, this, &RunPanel::buildBars);
    connect(worker, &DatabaseWorker::stepStarted, this, &RunPanel::onStepStarted);
    connect(worker, &DatabaseWorker::statementStarted, this, &RunPanel::onStatementStarted);
    connect(worker, &DatabaseWorker::statementFinished, this, &RunPanel::onStatementFinished);
    connect(worker, &DatabaseWorker::stepFinished, this, &RunPanel::onStepFinished);
    connect(worker, &DatabaseWorker::logMessage, this, [this](const QString &text) { log(now() + u"  "_s + text); });
    connect(worker, &DatabaseWorker::runFinished, this, &RunPanel::onRunFinished);
    connect(worker, &DatabaseWorker::blockersChanged, this, &RunPanel::onBlockersChanged);
    resize(820, 560);
}

void RunPanel::buildBars(const PlanReview &plan)
{
    if (!m_running)
        return;
    qDeleteAll(m_barRows);
    m_barRows.clear();
    m_bars.clear();
    for (int i = 0; i < plan.steps.size(); ++i) {
        const PlanStepReview &s = plan.steps.at(i);
        auto *row = new QWidget(m_barsBox);
        auto *h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        const QString title = u"%1 %2  %3"_s.arg(s.step.isUpgrade() ? u"↑"_s : u"↓"_s, s.step.revision, s.message);
        auto *label = new QLabel(row);
        label->setObjectName(u"stepTitle%1"_s.arg(i));
        label->setFixedWidth(380);
        // A QLabel clips a long title wherever its width ends, mid-word: elide it with "…" instead, and
        // keep the whole title in the tooltip.
        label->setText(label->fontMetrics().elidedText(title, Qt::ElideRight, label->width() - 2));
        label->setToolTip(title);
        auto *bar = new QProgressBar(row);
        bar->setObjectName(u"stepProgress%1"_s.arg(i));
        bar->setRange(0, 1);
        bar->setValue(0);
        bar->setFormat(tr("waiting"));
        bar->setTextVisible(true);
        h->addWidget(label);
        h->addWidget(bar, 1);
        m_barsLayout->addWidget(row);
        m_barRows << row;
        m_bars << bar;
    }
    if (plan.steps.isEmpty() && plan.op == MigrationOp::Stamp)
        m_status->setText(tr("Stamping the version table…"));
}

void RunPanel::onStepStarted(int step, int stepCount, const QString &revision, bool upgrade)
{
    m_revision = revision;
    m_statement = -1;
    m_sql.clear();
    m_status->setText(tr("Step %1 of %2: %3 %4").arg(step + 1).arg(stepCount).arg(upgrade ? tr("upgrade") : tr("downgrade"), revision));
    if (QProgressBar *bar = m_bars.value(step)) {
        bar->setFormat(tr("running"));
        bar->setStyleSheet(QString()); // a try again after a lock timeout (--lock-retries) starts afresh
    }
}

void RunPanel::onStatementStarted(int step, int statement, int statementCount, int line, const QString &sql)
{
    m_statement = statement;
    m_statementCount = statementCount;
    m_sql = sql;
    if (QProgressBar *bar = m_bars.value(step)) {
        bar->setRange(0, qMax(1, statementCount));
        bar->setValue(statement);
        bar->setFormat(tr("%1 of %2 statements").arg(statement).arg(statementCount));
    }
    log(u"%1  [%2 #%3/%4, line %5] %6"_s
            .arg(now(), m_revision)
            .arg(statement + 1)
            .arg(statementCount)
            .arg(line)
            .arg(oneLine(sql)));
}

void RunPanel::onStatementFinished(int step, int statement, qint64 elapsedMs)
{
    if (QProgressBar *bar = m_bars.value(step)) {
        bar->setValue(statement + 1);
        bar->setFormat(tr("%1 of %2 statements").arg(statement + 1).arg(m_statementCount));
    }
    log(u"%1      done in %2"_s.arg(now(), TimelineDelegate::formatDuration(double(elapsedMs))));
}

void RunPanel::onStepFinished(int step, bool ok, qint64 elapsedMs)
{
    if (QProgressBar *bar = m_bars.value(step)) {
        if (ok) {
            bar->setValue(bar->maximum());
            bar->setFormat(tr("done in %1").arg(TimelineDelegate::formatDuration(double(elapsedMs))));
        } else {
            bar->setFormat(tr("rolled back after %1").arg(TimelineDelegate::formatDuration(double(elapsedMs))));
            bar->setStyleSheet(u"QProgressBar::chunk { background: #d9534f; }"_s);
        }
    }
}

void RunPanel::onRunFinished(const RunResult &result)
{
    if (!m_running)
        return;
    m_running = false;
    flushLog();
    QString text;
    QString style;
    switch (result.status) {
    case RunResult::Status::Ok:
        text = result.plan.isEmpty() && m_op != MigrationOp::Stamp
            ? tr("Nothing to do: the database was already at the target.")
            : result.stepsCompleted == 1 ? tr("Succeeded: 1 step applied.")
                                         : tr("Succeeded: %1 steps applied.").arg(result.stepsCompleted);
        style = u"background: #e6f4ea; color: #14532d; border: 1px solid #8fc79f;"_s;
        m_status->setText(tr("Finished"));
        break;
    case RunResult::Status::Cancelled:
        text = tr("Cancelled. %1").arg(result.error);
        style = u"background: #fff4e0; color: #6b3d00; border: 1px solid #e0a040;"_s;
        m_status->setText(tr("Cancelled"));
        break;
    case RunResult::Status::Failed:
    case RunResult::Status::ConnectionError:
    case RunResult::Status::Refused:
        text = tr("Failed: %1").arg(result.error);
        if (!m_sql.isEmpty() && result.status == RunResult::Status::Failed)
            text += QLatin1Char('\n') + tr("Statement %1: %2").arg(m_statement + 1).arg(oneLine(m_sql, 300));
        style = u"background: #fdecea; color: #8a1c1c; border: 1px solid #e0a0a0;"_s;
        m_status->setText(tr("Failed"));
        break;
    }
    text += QLatin1Char('\n') + tr("Version table now: %1")
                                    .arg(result.headsAfter.isEmpty() ? tr("base (empty)")
                                                                     : result.headsAfter.join(u", "_s));
    for (const QString &note : result.notes)
        text += QLatin1Char('\n') + note;
    m_blockers->hide();
    m_summary->setText(text);
    m_summary->setStyleSheet(u"QLabel { %1 border-radius: 4px; padding: 6px; }"_s.arg(style));
    m_summary->show();
    log(now() + u"  "_s + m_status->text());
    flushLog();
    m_cancel->setEnabled(false);
    m_close->setEnabled(true);
    m_close->setDefault(true);
    Q_EMIT runCompleted(result);
}

void RunPanel::onBlockersChanged(const QList<LockBlocker> &blockers)
{
    if (!m_running)
        return;
    QList<int> pids;
    for (const LockBlocker &b : blockers)
        pids << b.pid;
    if (blockers.isEmpty()) {
        m_blockers->hide();
        m_blockers->clear();
    } else {
        m_blockers->setText(BlockerWatcher::describe(blockers));
        m_blockers->show();
    }
    if (pids != m_loggedBlockers && !blockers.isEmpty())
        log(now() + u"  "_s + BlockerWatcher::describe(blockers));
    m_loggedBlockers = pids;
}

void RunPanel::requestCancel()
{
    if (!m_running)
        return;
    // Thread-safe by contract: libpq's cancel request goes out on its own socket, so there is no
    // need to queue behind the statement that is running.
    if (m_worker)
        m_worker->cancel();
    m_cancel->setEnabled(false);
    m_status->setText(tr("Cancelling… the server rolls the running revision back."));
    log(now() + u"  "_s + tr("Cancel requested."));
}

void RunPanel::reject()
{
    // Escape or the close button must not hide a run that is still changing the database.
    if (!m_running)
        QDialog::reject();
}

void RunPanel::closeEvent(QCloseEvent *event)
{
    if (m_running)
        event->ignore();
    else
        QDialog::closeEvent(event);
}

QString RunPanel::logText() const
{
    QString text = m_log->toPlainText();
    if (!m_pendingLog.isEmpty())
        text += QLatin1Char('\n') + m_pendingLog.join(QLatin1Char('\n'));
    return text;
}

QString RunPanel::blockersText() const
{
    return m_blockers->isHidden() ? QString() : m_blockers->text();
}

QString RunPanel::summaryText() const
{
    return m_summary->text();
}

void RunPanel::log(const QString &line)
{
    m_pendingLog << line;
    if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void RunPanel::flushLog()
{
    m_flushTimer->stop();
    if (m_pendingLog.isEmpty())
        return;
    m_log->appendPlainText(m_pendingLog.join(QLatin1Char('\n')));
    m_pendingLog.clear();
}

void RunPanel::showFailureBox(const RunResult &result, const RunPanel *panel, QWidget *parent)
{
    auto *box = new QMessageBox(QMessageBox::Critical, ViewText::tr("Migration failed"), QString(), QMessageBox::Ok, parent);
    box->setObjectName(u"migrationErrorBox"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const QString revision = panel ? panel->currentRevision() : QString();
    box->setText(revision.isEmpty() ? ViewText::tr("The migration did not run.")
                                    : ViewText::tr("The migration failed at revision %1.").arg(revision));
    QString info = result.error;
    if (panel && result.status == RunResult::Status::Failed && !panel->currentSql().isEmpty()) {
        QString sql = panel->currentSql().trimmed();
        if (sql.size() > 600)
            sql = sql.left(600) + u"…"_s;
        info += u"\n\n"_s + ViewText::tr("Statement %1:\n%2").arg(panel->currentStatement()).arg(sql);
        box->setDetailedText(panel->currentSql());
    }
    box->setInformativeText(info);
    box->open();
}

} // namespace MigrationDesk
