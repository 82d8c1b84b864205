#include "migrations/historyview.h"

#include <QColor>
#include <QFont>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Sorts by the model's raw values and paints failed runs red, so they stand out in a long history.
class HistoryProxy : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    QVariant data(const QModelIndex &index, int role) const override
    {
        const QVariant value = QSortFilterProxyModel::data(index, role);
        if (role == Qt::ForegroundRole && !value.isValid() && !index.data(HistoryModel::SucceededRole).toBool())
            return QColor(0xb0, 0x1e, 0x1e);
        if (role == Qt::FontRole && !value.isValid() && index.column() == HistoryModel::ResultColumn
            && !index.data(HistoryModel::SucceededRole).toBool()) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return value;
    }
};

} // namespace

HistoryView::HistoryView(QWidget *parent)
    : QWidget(parent)
    , m_model(new HistoryModel(this))
    , m_proxy(new HistoryProxy(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(this);
    m_summary->setContentsMargins(4, 4, 4, 2);
    m_summary->setObjectName(u"historySummary"_s);
    layout->addWidget(m_summary);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(HistoryModel::SortRole);

    m_emptyText = tr("No runs recorded.");
    connect(m_model, &QAbstractItemModel::modelReset, this, &HistoryView::updateSummary);
    updateSummary();
}

QTableView *HistoryView::tableView()
{
    // Built when first shown: both of the Migrations view's history tables start hidden, and a table
    // view with its headers is a good part of the window's memory before the first paint.
    if (m_table)
        return m_table;
    m_table = new QTableView(this);
    m_table->setObjectName(u"historyTable"_s);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(HistoryModel::WhenColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    static_cast<QVBoxLayout *>(layout())->addWidget(m_table, 1);
    m_table->resizeColumnsToContents();
    // A child added to a widget already on screen (from showEvent) is not shown with it.
    if (isVisible()) {
        m_table->show();
        layout()->activate(); // placed now, not at the next turn of the event loop (a grab may come first)
    }
    return m_table;
}

void HistoryView::showEvent(QShowEvent *event)
{
    tableView();
    QWidget::showEvent(event);
}

void HistoryView::setEntries(const QList<HistoryEntry> &entries)
{
    m_model->setEntries(entries);
    if (m_table)
        m_table->resizeColumnsToContents();
}

void HistoryView::setRevisionFilter(const QString &revision)
{
    m_model->setRevisionFilter(revision);
    updateSummary();
}

void HistoryView::setEmptyText(const QString &text)
{
    m_emptyText = text;
    updateSummary();
}

void HistoryView::updateSummary()
{
    const int rows = m_model->rowCount();
    int failed = 0;
    for (int r = 0; r < rows; ++r)
        failed += m_model->entry(r).success ? 0 : 1;
    if (rows == 0)
        m_summary->setText(m_emptyText);
    else if (failed == 0)
        m_summary->setText(rows == 1 ? tr("1 run recorded.") : tr("%1 runs recorded.").arg(rows));
    else
        m_summary->setText(rows == 1 ? tr("1 run recorded, and it failed.")
                                     : tr("%1 runs recorded, %2 failed.").arg(rows).arg(failed));
}

} // namespace MigrationDesk
