#include "migrations/runlogdialog.h"

#include "migrations/plandialog.h"
#include "migrations/sqlhighlighter.h"
#include "models/historymodel.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

enum Column { NumberColumn, LineColumn, TimeColumn, ResultColumn, SqlColumn, ColumnCount };

// "Upgrade" rather than the stored "upgrade"; a direction of a newer version as stored.
QString directionText(const QString &direction)
{
    const auto op = migrationOpFromName(direction);
    return op ? PlanDialog::actionName(*op) : direction;
}

QString firstLine(const QString &sql)
{
    const QString trimmed = sql.trimmed();
    const qsizetype newline = trimmed.indexOf(QLatin1Char('\n'));
    return newline < 0 ? trimmed : trimmed.left(newline) + u" …"_s;
}

} // namespace

RunLogDialog::RunLogDialog(const HistoryEntry &run, const QList<LoggedStatement> &statements, QWidget *parent)
    : QDialog(parent)
    , m_statements(statements)
{
    setObjectName(u"runLogDialog"_s);
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Statements of %1 %2").arg(directionText(run.direction), run.revision));
    auto *layout = new QVBoxLayout(this);

    QStringList facts;
    facts << tr("%1 %2, started %3 by %4")
                 .arg(directionText(run.direction), run.revision,
                      QLocale().toString(run.startedAt.toLocalTime(), QLocale::ShortFormat), run.dbUser);
    facts << (run.success ? tr("Succeeded in %1.") : tr("Failed after %1.")).arg(HistoryModel::formatDuration(run.durationMs));
    if (!run.backupPath.isEmpty())
        facts << tr("Backup written first: %1").arg(run.backupPath);
    if (statements.isEmpty())
        facts << tr("No statements were recorded for this run (a stamp, or a run recorded by an older version).");
    auto *header = new QLabel(facts.join(QLatin1Char('\n')), this);
    header->setObjectName(u"runLogHeader"_s);
    header->setWordWrap(true);
    header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(header);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_table = new QTableWidget(int(statements.size()), ColumnCount, splitter);
    m_table->setObjectName(u"runLogTable"_s);
    m_table->setHorizontalHeaderLabels({tr("#"), tr("Line"), tr("Time"), tr("Result"), tr("Statement")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    const QLocale locale;
    for (int r = 0; r < statements.size(); ++r) {
        const LoggedStatement &s = statements.at(r);
        const QString result = !s.error.isEmpty() ? tr("Failed") : s.elapsedMs < 0 ? tr("Not finished") : tr("OK");
        const QString time = s.elapsedMs < 0 ? QString() : tr("%1 ms").arg(locale.toString(s.elapsedMs));
        const QStringList cells = {locale.toString(s.index + 1), locale.toString(s.line), time, result, firstLine(s.sql)};
        for (int c = 0; c < ColumnCount; ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            if (c <= TimeColumn)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (!s.error.isEmpty())
                item->setForeground(QColor(0xb0, 0x1e, 0x1e));
            if (c == SqlColumn || c == ResultColumn)
                item->setToolTip(s.error.isEmpty() ? s.sql : s.error);
            m_table->setItem(r, c, item);
        }
    }
    m_table->resizeColumnsToContents();

    m_sql = new QPlainTextEdit(splitter);
    m_sql->setObjectName(u"runLogSql"_s);
    m_sql->setReadOnly(true);
    m_sql->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_sql->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new SqlHighlighter(m_sql->document());
    splitter->addWidget(m_table);
    splitter->addWidget(m_sql);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { showStatement(row); });
    // The failed statement first, when there is one: that is what a past run's log is opened for.
    int start = 0;
    for (int r = 0; r < statements.size(); ++r) {
        if (!statements.at(r).error.isEmpty())
            start = r;
    }
    if (!statements.isEmpty())
        m_table->setCurrentCell(start, 0);
    resize(880, 560);
}

void RunLogDialog::showStatement(int row)
{
    if (row < 0 || row >= m_statements.size()) {
        m_sql->clear();
        return;
    }
    const LoggedStatement &s = m_statements.at(row);
    QString text = s.sql;
    if (!s.error.isEmpty())
        text += u"\n\n-- "_s + tr("Failed: %1").arg(s.error).replace(QLatin1Char('\n'), u"\n-- "_s);
    m_sql->setPlainText(text);
}

} // namespace MigrationDesk
