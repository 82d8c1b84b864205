#include "migrations/plandialog.h"

#include "icons.h"
#include "migrations/sqlhighlighter.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTextBlock>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

QString headsText(const QStringList &heads)
{
    return heads.isEmpty() ? PlanDialog::tr("base (empty)") : heads.join(u", "_s);
}

} // namespace

QString PlanDialog::kindTitle(const PlanReview &plan)
{
    // "heads" is Alembic's word for the target; the action the user clicked says "head".
    const bool head = plan.target == QLatin1String("heads") || plan.target == QLatin1String("head");
    switch (plan.op) {
    case MigrationOp::Upgrade:
        return head ? tr("Upgrade to head") : tr("Upgrade to %1").arg(plan.target);
    case MigrationOp::Downgrade:
        return plan.target == QLatin1String("-1") ? tr("Downgrade one step") : tr("Downgrade to %1").arg(plan.target);
    case MigrationOp::Stamp:
        break;
    }
    return head ? tr("Stamp head") : tr("Stamp %1").arg(plan.target);
}

QString PlanDialog::actionName(MigrationOp op)
{
    switch (op) {
    case MigrationOp::Upgrade:
        return tr("Upgrade");
    case MigrationOp::Downgrade:
        return tr("Downgrade");
    case MigrationOp::Stamp:
        break;
    }
    return tr("Stamp");
}

bool PlanDialog::dropsData(const PlanReview &plan)
{
    for (const PlanStepReview &step : plan.steps) {
        for (const PlanFinding &f : step.findings) {
            if (f.rule == QLatin1String("drops-data"))
                return true;
        }
    }
    return false;
}

PlanDialog::PlanDialog(const PlanReview &plan, QWidget *parent)
    : QDialog(parent)
    , m_plan(plan)
{
    setObjectName(u"planDialog"_s);
    setWindowTitle(tr("Confirm: %1").arg(kindTitle(plan)));
    auto *layout = new QVBoxLayout(this);

    auto *title = new QLabel(kindTitle(plan), this);
    title->setObjectName(u"planTitle"_s);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(title);

    auto *buttons = new QDialogButtonBox(this);
    if (!plan.ok) {
        auto *error = new QLabel(tr("This cannot run:\n%1").arg(plan.error), this);
        error->setObjectName(u"planError"_s);
        error->setWordWrap(true);
        error->setTextInteractionFlags(Qt::TextSelectableByMouse);
        error->setStyleSheet(u"QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #e0a0a0;"
                                            " border-radius: 4px; padding: 8px; }"_s);
        layout->addWidget(error);
        layout->addStretch();
        buttons->addButton(QDialogButtonBox::Close);
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
        layout->addWidget(buttons);
        resize(560, 220);
        return;
    }

    const bool stamp = plan.op == MigrationOp::Stamp;
    QString summary = stamp ? tr("Only the version table changes; no migration SQL runs.")
                      : plan.steps.size() == 1 ? tr("1 step, in its own transaction unless marked otherwise.")
                                               : tr("%1 steps, each in its own transaction unless marked otherwise.")
                                                     .arg(plan.steps.size());
    summary += QLatin1Char('\n')
        + tr("Version table: %1  →  %2").arg(headsText(plan.headsBefore), headsText(plan.headsAfter));
    auto *summaryLabel = new QLabel(summary, this);
    summaryLabel->setObjectName(u"planSummary"_s);
    summaryLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(summaryLabel);

    // Risks first and loud: a DBA must not have to scroll through SQL to learn a table goes away.
    m_warnings = plan.warnings;
    for (int i = 0; i < plan.steps.size(); ++i) {
        for (const PlanFinding &f : plan.steps.at(i).findings) {
            m_warnings << tr("Step %1 (%2): %3").arg(i + 1).arg(plan.steps.at(i).step.revision, f.message);
            if (f.isAllowed())
                continue;
            m_hasDanger = m_hasDanger || f.severity == PlanFinding::Severity::Danger;
            if (f.severity == PlanFinding::Severity::Error && m_blockedBy.isEmpty())
                m_blockedBy = tr("Run is disabled: step %1 (%2) cannot run as written (%3, line %4). %5")
                                  .arg(i + 1)
                                  .arg(plan.steps.at(i).step.revision, f.rule)
                                  .arg(f.line)
                                  .arg(f.message);
        }
    }
    if (!m_warnings.isEmpty()) {
        QString html = u"<b>%1</b><ul style=\"margin-left:-20px\">"_s
                           .arg(tr("⚠ Read before running:").toHtmlEscaped());
        for (const QString &w : std::as_const(m_warnings))
            html += u"<li><b>%1</b></li>"_s.arg(w.toHtmlEscaped());
        html += u"</ul>"_s;
        auto *warnings = new QLabel(html, this);
        warnings->setObjectName(u"planWarnings"_s);
        warnings->setTextFormat(Qt::RichText);
        warnings->setWordWrap(true);
        warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);
        warnings->setStyleSheet(u"QLabel { background: #fff4e0; color: #6b3d00; border: 2px solid #e0a040;"
                                               " border-radius: 4px; padding: 6px; }"_s);
        auto *scroll = new QScrollArea(this);
        scroll->setWidget(warnings);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setMaximumHeight(160);
        layout->addWidget(scroll);
    }

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    m_steps = new QListWidget(splitter);
    m_steps->setObjectName(u"planStepList"_s);
    m_steps->setSpacing(3);
    m_steps->setWordWrap(true);
    m_sql = new QPlainTextEdit(splitter);
    m_sql->setObjectName(u"planSqlEdit"_s);
    m_sql->setReadOnly(true);
    m_sql->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_sql->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new SqlHighlighter(m_sql->document());

    QString text;
    int blocks = 0;
    for (int i = 0; i < plan.steps.size(); ++i) {
        const PlanStepReview &s = plan.steps.at(i);
        const bool up = s.step.isUpgrade();
        QString item = u"%1. %2 %3  %4\n    %5"_s
                           .arg(i + 1)
                           .arg(up ? u"↑"_s : u"↓"_s,
                                up ? tr("upgrade") : tr("downgrade"), s.step.revision, s.message);
        if (!s.transactional)
            item += QLatin1Char('\n') + tr("    non-transactional: each statement commits on its own");
        QStringList findings;
        for (const PlanFinding &f : s.findings)
            findings << f.message;
        if (!findings.isEmpty())
            item += QLatin1Char('\n') + tr("    ⚠ %n finding(s) below", nullptr, int(findings.size()));
        auto *listItem = new QListWidgetItem(item, m_steps);
        if (!findings.isEmpty())
            listItem->setForeground(QColor(0x9a, 0x4a, 0x00));
        listItem->setToolTip(findings.join(QLatin1Char('\n')));
        m_rows << std::pair<int, int>(i, -1);
        addFindingItems(i);

        const QString header = tr("-- Step %1 of %2: %3 %4 (%5)")
                                   .arg(i + 1)
                                   .arg(plan.steps.size())
                                   .arg(up ? tr("upgrade") : tr("downgrade"), s.step.revision, s.message);
        QString chunk = header + QLatin1Char('\n') + s.sql.trimmed() + u"\n\n"_s;
        m_stepBlocks << blocks;
        blocks += int(chunk.count(QLatin1Char('\n')));
        text += chunk;
    }
    if (stamp) {
        text = tr("-- Stamp: only the version table is rewritten.\n-- Before: %1\n-- After:  %2\n")
                   .arg(headsText(plan.headsBefore), headsText(plan.headsAfter));
        m_steps->hide();
    } else if (plan.steps.isEmpty()) {
        text = tr("-- Nothing to do: the database is already at the target.\n");
    }
    m_sql->setPlainText(text);
    splitter->addWidget(m_steps);
    splitter->addWidget(m_sql);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({260, 640});
    layout->addWidget(splitter, 1);
    connect(m_steps, &QListWidget::currentRowChanged, this, &PlanDialog::showRow);

    if (m_hasDanger) {
        m_understand = new QCheckBox(tr("I understand: a step above is marked danger (it locks, rewrites or "
                                        "drops a large live table)."),
                                     this);
        m_understand->setObjectName(u"understandCheck"_s);
        layout->addWidget(m_understand);
        connect(m_understand, &QCheckBox::toggled, this, &PlanDialog::updateRunButton);
    }
    if (!m_blockedBy.isEmpty()) {
        auto *blocked = new QLabel(m_blockedBy, this);
        blocked->setObjectName(u"planBlocked"_s);
        blocked->setWordWrap(true);
        blocked->setTextInteractionFlags(Qt::TextSelectableByMouse);
        blocked->setStyleSheet(u"QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #e0a0a0;"
                                " border-radius: 4px; padding: 6px; }"_s);
        layout->addWidget(blocked);
    }

    auto *backupRow = new QHBoxLayout;
    m_backup = new QCheckBox(tr("Back up first (pg_dump -Fc to):"), this);
    m_backup->setObjectName(u"backupCheck"_s);
    m_backupPath = new QLineEdit(this);
    m_backupPath->setObjectName(u"backupPathEdit"_s);
    m_backupPath->setPlaceholderText(tr("backup file"));
    m_backupPath->setText(QDir::home().filePath(
        u"migrationdesk-backup-%1.dump"_s.arg(QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s))));
    m_backupPath->setEnabled(false);
    auto *browse = new QToolButton(this);
    browse->setObjectName(u"backupBrowseButton"_s);
    browse->setText(tr("Choose…"));
    browse->setEnabled(false);
    backupRow->addWidget(m_backup);
    backupRow->addWidget(m_backupPath, 1);
    backupRow->addWidget(browse);
    layout->addLayout(backupRow);
    // Data about to be dropped is exactly what a backup is for; elsewhere the dump is an opt-in cost.
    m_backup->setChecked(!stamp && dropsData(plan));
    m_backupPath->setEnabled(m_backup->isChecked());
    browse->setEnabled(m_backup->isChecked());
    if (stamp || plan.steps.isEmpty()) {
        m_backup->hide();
        m_backupPath->hide();
        browse->hide();
    }
    connect(m_backup, &QCheckBox::toggled, this, [this, browse](bool on) {
        m_backupPath->setEnabled(on);
        browse->setEnabled(on);
        updateRunButton();
    });
    connect(m_backupPath, &QLineEdit::textChanged, this, &PlanDialog::updateRunButton);
    connect(browse, &QToolButton::clicked, this, &PlanDialog::chooseBackupFile);

    m_runButton = buttons->addButton(actionName(plan.op), QDialogButtonBox::AcceptRole);
    m_runButton->setObjectName(u"runButton"_s);
    if (plan.op != MigrationOp::Stamp && dropsData(plan)) {
        // Destructive: white on a dark red, set on the button's palette (no style sheet).
        QPalette danger = m_runButton->palette();
        danger.setColor(QPalette::Button, QColor(0xb0, 0x1e, 0x1e));
        danger.setColor(QPalette::ButtonText, Qt::white);
        m_runButton->setPalette(danger);
        m_runButton->setProperty("destructive", true);
    }
    auto *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(u"cancelPlanButton"_s);
    // Cancel is the default: Enter must never start a migration by accident.
    m_runButton->setAutoDefault(false);
    cancel->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    updateRunButton();
    if (!plan.steps.isEmpty())
        m_steps->setCurrentRow(0);
    resize(960, 640);
}

QString PlanDialog::backupFile() const
{
    return m_backup && m_backup->isChecked() ? m_backupPath->text().trimmed() : QString();
}

void PlanDialog::setBackupFile(const QString &path)
{
    if (!m_backup)
        return;
    m_backupPath->setText(path);
    m_backup->setChecked(!path.isEmpty());
}

QString PlanDialog::sqlText() const
{
    return m_sql ? m_sql->toPlainText() : QString();
}

QStringList PlanDialog::warnings() const
{
    return m_warnings;
}

void PlanDialog::chooseBackupFile()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Back up to"), m_backupPath->text(),
                                                      tr("pg_dump custom format (*.dump);;All files (*)"));
    if (!file.isEmpty())
        m_backupPath->setText(file);
}

void PlanDialog::updateRunButton()
{
    const bool nothingToDo = m_plan.op == MigrationOp::Stamp ? m_plan.headsBefore == m_plan.headsAfter
                                                                    : m_plan.steps.isEmpty();
    const bool backupOk = !m_backup->isChecked() || !m_backupPath->text().trimmed().isEmpty();
    const bool understood = !m_hasDanger || (m_understand && m_understand->isChecked());
    m_runButton->setEnabled(!nothingToDo && backupOk && understood && m_blockedBy.isEmpty());
    m_runButton->setToolTip(!m_blockedBy.isEmpty() ? m_blockedBy
                            : !understood          ? tr("Tick \"I understand\" first: a step is marked danger.")
                                                   : QString());
}

int PlanDialog::findingRow(int step, int finding) const
{
    return int(m_rows.indexOf(std::pair<int, int>(step, finding)));
}

void PlanDialog::addFindingItems(int step)
{
    const QLocale locale;
    const QList<PlanFinding> &findings = m_plan.steps.at(step).findings;
    for (int k = 0; k < findings.size(); ++k) {
        const PlanFinding &f = findings.at(k);
        QStringList parts{f.rule};
        if (!f.table.isEmpty()) {
            QStringList size;
            if (f.estimatedRows >= 0)
                size << (f.rowsAtLeast ? tr("more than %1 rows") : tr("≈ %1 rows")).arg(locale.toString(f.estimatedRows));
            if (f.tableBytes >= 0)
                size << locale.formattedDataSize(f.tableBytes, 1, QLocale::DataSizeTraditionalFormat);
            parts << (size.isEmpty() ? f.table : tr("%1 (%2)").arg(f.table, size.join(u", "_s)));
        }
        if (!f.lock.isEmpty())
            parts << tr("%1 lock").arg(f.lock);
        QString text = u"      "_s + parts.join(u" · "_s);
        if (f.isAllowed())
            text += QLatin1Char('\n') + u"      "_s + tr("allowed: %1").arg(f.allowed);
        static const Icons::Name icons[] = {Icons::FindingInfo, Icons::FindingWarning, Icons::FindingDanger,
                                            Icons::FindingError};
        auto *item = new QListWidgetItem(Icons::get(icons[int(f.severity)]), text, m_steps);
        item->setToolTip(u"%1: %2"_s.arg(PlanFinding::severityName(f.severity), f.message));
        if (!f.isAllowed() && f.severity >= PlanFinding::Severity::Danger)
            item->setForeground(QColor(0x8a, 0x1c, 0x1c));
        m_rows << std::pair<int, int>(step, k);
    }
}

void PlanDialog::showRow(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    const auto [step, finding] = m_rows.at(row);
    if (finding < 0)
        showStep(step);
    else
        selectStatement(step, m_plan.steps.at(step).findings.at(finding));
}

void PlanDialog::selectStatement(int step, const PlanFinding &finding)
{
    showStep(step);
    // The statement's first line, searched from the step's header: the SQL pane shows the section as written.
    const QStringList lines = finding.statement.split(u'\n');
    if (lines.isEmpty() || lines.first().trimmed().isEmpty())
        return;
    QTextDocument *doc = m_sql->document();
    const int end = step + 1 < m_stepBlocks.size() ? m_stepBlocks.at(step + 1) : doc->blockCount();
    for (int b = m_stepBlocks.at(step); b < end; ++b) {
        const QTextBlock block = doc->findBlockByNumber(b);
        const int column = int(block.text().indexOf(lines.first().trimmed()));
        if (column < 0)
            continue;
        QTextCursor cursor(block);
        cursor.setPosition(block.position() + column);
        // To the end of the statement's last line, without the ';' the splitter took off.
        const QTextBlock last = doc->findBlockByNumber(b + int(lines.size()) - 1);
        const QString lastLine = lines.size() == 1 ? lines.first().trimmed() : lines.last().trimmed();
        const QTextBlock endBlock = last.isValid() ? last : block;
        const int from = endBlock == block ? column : 0;
        const int at = int(endBlock.text().indexOf(lastLine, from));
        cursor.setPosition(at < 0 ? endBlock.position() + endBlock.length() - 1
                                  : endBlock.position() + at + int(lastLine.size()),
                           QTextCursor::KeepAnchor);
        m_sql->setTextCursor(cursor);
        m_sql->ensureCursorVisible();
        return;
    }
}

void PlanDialog::showStep(int step)
{
    if (step < 0 || step >= m_stepBlocks.size())
        return;
    // Put the step's header comment at the top of the SQL view.
    const QTextBlock block = m_sql->document()->findBlockByNumber(m_stepBlocks.at(step));
    QTextCursor cursor(block);
    m_sql->setTextCursor(cursor);
    m_sql->verticalScrollBar()->setValue(m_sql->verticalScrollBar()->maximum());
    m_sql->ensureCursorVisible();
}

} // namespace MigrationDesk
