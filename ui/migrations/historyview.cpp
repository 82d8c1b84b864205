#include "migrations/historyview.h"

#include "migrations/historyfilterbar.h"
#include "migrations/runlogdialog.h"
#include "session/databaseworker.h"

#include <QColor>
#include <QFont>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

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
    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 4, 0);
    m_summary = new QLabel(this);
    m_summary->setContentsMargins(4, 4, 4, 2);
    m_summary->setObjectName(u"historySummary"_s);
    m_summary->setWordWrap(true);
    top->addWidget(m_summary, 1);
    layout->addLayout(top);

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
    // Room for a handful of runs even in the revision's detail pane, under its header and tabs.
    m_table->setMinimumHeight(m_table->verticalHeader()->defaultSectionSize() * 5
                              + m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth());
    auto *box = static_cast<QVBoxLayout *>(layout());
    box->addWidget(m_table, 1);
    if (m_filtersEnabled) {
        m_filterBar = new HistoryFilterBar(this);
        box->insertWidget(0, m_filterBar);
        connect(m_filterBar, &HistoryFilterBar::filterChanged, this, &HistoryView::applyFilter);
    }
    m_logButton = new QToolButton(this);
    m_logButton->setObjectName(u"historyLogButton"_s);
    m_logButton->setText(tr("Statements…"));
    m_logButton->setToolTip(tr("The statements the selected run ran, with their times and results (or double-click a run)"));
    m_logButton->setEnabled(false);
    static_cast<QHBoxLayout *>(box->itemAt(m_filterBar ? 1 : 0)->layout())->addWidget(m_logButton);
    connect(m_logButton, &QToolButton::clicked, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        if (current.isValid())
            openStatementLog(current.row());
    });
    connect(m_table, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex &index) { openStatementLog(index.row()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { m_logButton->setEnabled(current.isValid() && m_worker); });
    m_table->resizeColumnsToContents();
    // A child added to a widget already on screen (from showEvent) is not shown with it.
    if (isVisible()) {
        m_table->show();
        m_logButton->show();
        if (m_filterBar)
            m_filterBar->show();
        layout()->activate(); // placed now, not at the next turn of the event loop (a grab may come first)
    }
    return m_table;
}

void HistoryView::showEvent(QShowEvent *event)
{
    tableView();
    QWidget::showEvent(event);
}

void HistoryView::setWorker(DatabaseWorker *worker)
{
    if (m_worker)
        disconnect(m_worker, nullptr, this, nullptr);
    m_worker = worker;
    if (!worker)
        return;
    // Queued: the worker answers on its own thread. Answers to another view's requests are ignored.
    connect(worker, &DatabaseWorker::historyLoaded, this, &HistoryView::onHistoryLoaded);
    connect(worker, &DatabaseWorker::statementLogLoaded, this, &HistoryView::onStatementLogLoaded);
}

void HistoryView::setEntries(const QList<HistoryEntry> &entries)
{
    m_allEntries = entries;
    if (!m_filter.isEmpty() && m_worker && !entries.isEmpty()) {
        applyFilter(m_filter); // a run just ended: read the filtered rows again
        return;
    }
    if (entries.isEmpty() && m_filterBar)
        m_filterBar->clear(); // disconnected: a new database starts unfiltered
    m_filter = HistoryFilter();
    m_loadError.clear();
    m_model->setEntries(entries);
    if (m_table)
        m_table->resizeColumnsToContents();
}

void HistoryView::applyFilter(const HistoryFilter &filter)
{
    m_filter = filter;
    m_loadError.clear();
    if (filter.isEmpty() || !m_worker) {
        m_model->setEntries(m_allEntries);
        return;
    }
    // Read on the worker, with bound values and a limit: a history can be long.
    const int request = ++m_request;
    QPointer<DatabaseWorker> worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker, filter, request] {
            if (worker)
                worker->loadHistory(filter, request);
        },
        Qt::QueuedConnection);
}

void HistoryView::onHistoryLoaded(int request, const QList<HistoryEntry> &entries, const QString &error)
{
    if (request != m_request || m_filter.isEmpty())
        return; // an older filter's answer, or the filter was cleared meanwhile
    m_loadError = error;
    m_model->setEntries(entries);
    if (m_table)
        m_table->resizeColumnsToContents();
}

void HistoryView::openStatementLog(int row)
{
    if (!m_worker || !m_table)
        return;
    const QModelIndex source = m_proxy->mapToSource(m_proxy->index(row, 0));
    const HistoryEntry entry = m_model->entry(source.row());
    if (entry.id == 0)
        return;
    m_logRuns.append(entry);
    QPointer<DatabaseWorker> worker = m_worker;
    const qint64 id = entry.id;
    QMetaObject::invokeMethod(
        worker,
        [worker, id] {
            if (worker)
                worker->loadStatementLog(id);
        },
        Qt::QueuedConnection);
}

void HistoryView::onStatementLogLoaded(qint64 historyId, const QList<LoggedStatement> &statements, const QString &error)
{
    const auto it = std::find_if(m_logRuns.cbegin(), m_logRuns.cend(), [historyId](const HistoryEntry &e) { return e.id == historyId; });
    if (it == m_logRuns.cend())
        return; // asked for by another view
    const HistoryEntry run = *it;
    m_logRuns.erase(it);
    if (!error.isEmpty()) {
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Statements"),
                                    tr("The statements of this run could not be read: %1").arg(error), QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return;
    }
    auto *dialog = new RunLogDialog(run, statements, this);
    dialog->open();
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
    if (!m_loadError.isEmpty())
        m_summary->setText(tr("The history could not be read: %1").arg(m_loadError));
    else if (!m_filter.isEmpty())
        m_summary->setText(rows >= m_filter.limit ? tr("The newest %1 runs that match the filter.").arg(rows)
                                                  : tr("%n run(s) match the filter.", nullptr, rows));
    else if (rows == 0)
        m_summary->setText(m_emptyText);
    else if (failed == 0)
        m_summary->setText(rows == 1 ? tr("1 run recorded.") : tr("%1 runs recorded.").arg(rows));
    else
        m_summary->setText(rows == 1 ? tr("1 run recorded, and it failed.")
                                     : tr("%1 runs recorded, %2 failed.").arg(rows).arg(failed));
}

} // namespace MigrationDesk
