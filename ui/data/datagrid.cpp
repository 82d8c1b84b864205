#include "data/datagrid.h"

#include "browse/keysetquery.h"
#include "browse/lazytablemodel.h"
#include "data/datetimecolumns.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QKeyEvent>
#include <QMenu>
#include <QMessageBox>
#include <QEvent>
#include <QScrollBar>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

DataGrid::DataGrid(QWidget *parent)
    : QTableView(parent)
{
    setSelectionBehavior(QAbstractItemView::SelectItems);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Fixed row heights: a per-row size hint would ask the model for every row of millions.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    horizontalHeader()->setSectionsClickable(true);
    horizontalHeader()->setSortIndicatorShown(false);
    horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    horizontalHeader()->setDefaultSectionSize(140);
    connect(horizontalHeader(), &QHeaderView::sectionClicked, this, &DataGrid::onSectionClicked);
    connect(horizontalHeader(), &QHeaderView::customContextMenuRequested, this, &DataGrid::showHeaderMenu);
}

void DataGrid::setLazyModel(LazyTableModel *model)
{
    m_model = model;
    setModel(model);
    horizontalHeader()->setSortIndicatorShown(false);
    if (!model)
        return;
    auto later = [this] { QTimer::singleShot(0, this, &DataGrid::requestVisibleRows); };
    connect(model, &QAbstractItemModel::modelReset, this, later);
    connect(model, &QAbstractItemModel::rowsInserted, this, later);
    connect(model, &QAbstractItemModel::rowsRemoved, this, later);
    // A new table starts in its key order, unless a view sorted it in its own tableReady handler first.
    connect(model, &LazyTableModel::tableReady, this, &DataGrid::showSortIndicator);
    // After the view's own layout (connected first): dates and times are never cut off.
    connect(model, &LazyTableModel::tableReady, this, [this] { DateTimeColumns::fit(this, m_model->tableInfo()); });
    requestVisibleRows();
}

void DataGrid::requestVisibleRows()
{
    if (!m_model || m_model->rowCount() == 0)
        return;
    int first = rowAt(0);
    int last = rowAt(viewport()->height() - 1);
    if (first < 0)
        first = 0;
    if (last < 0)
        last = std::min(m_model->rowCount() - 1, first + viewport()->height() / std::max(1, rowHeight(first)));
    m_model->requestRows(first, last);
}

void DataGrid::changeEvent(QEvent *event)
{
    QTableView::changeEvent(event);
    if ((event->type() == QEvent::FontChange || event->type() == QEvent::LocaleChange
         || event->type() == QEvent::LanguageChange) && m_model && m_model->tableInfo().isValid())
        DateTimeColumns::fit(this, m_model->tableInfo(), true);
}

void DataGrid::resizeEvent(QResizeEvent *event)
{
    QTableView::resizeEvent(event);
    requestVisibleRows();
}

void DataGrid::scrollContentsBy(int dx, int dy)
{
    QTableView::scrollContentsBy(dx, dy);
    if (dy != 0)
        requestVisibleRows();
}

void DataGrid::sortBy(int column, Qt::SortOrder order)
{
    if (!m_model)
        return;
    if (m_model->isColumnSensitive(column) && !m_model->isRevealed(column)) {
        Q_EMIT refused(KeysetQuery::maskedError(m_model->tableInfo().columns.at(column).name));
        showSortIndicator();
        return;
    }
    m_model->sort(column, order);
    showSortIndicator();
}

void DataGrid::showSortIndicator()
{
    const int column = m_model ? m_model->sortColumn() : -1;
    horizontalHeader()->setSortIndicatorShown(column >= 0);
    if (column >= 0)
        horizontalHeader()->setSortIndicator(column, m_model->sortOrder());
}

void DataGrid::onSectionClicked(int section)
{
    if (!m_model)
        return;
    // First click ascending, second descending, third back to the key order.
    if (m_model->sortColumn() != section)
        sortBy(section, Qt::AscendingOrder);
    else if (m_model->sortOrder() == Qt::AscendingOrder)
        sortBy(section, Qt::DescendingOrder);
    else
        sortBy(-1, Qt::AscendingOrder);
    scrollToTop();
}

QString DataGrid::selectionAsText() const
{
    if (!m_model || !selectionModel())
        return {};
    QModelIndexList indexes = selectionModel()->selectedIndexes();
    std::sort(indexes.begin(), indexes.end(), [](const QModelIndex &a, const QModelIndex &b) {
        return a.row() != b.row() ? a.row() < b.row() : a.column() < b.column();
    });
    QStringList lines;
    QStringList cells;
    int row = -1;
    for (const QModelIndex &index : std::as_const(indexes)) {
        if (!index.data(LazyTableModel::LoadedRole).toBool())
            continue;
        if (index.row() != row) {
            if (row >= 0)
                lines.append(cells.join(u'\t'));
            cells.clear();
            row = index.row();
        }
        // Tabs and newlines inside a value would break the rows apart in a spreadsheet.
        QString text = index.data(Qt::DisplayRole).toString();
        text.replace(u'\t', u' ').replace(u'\n', u' ').replace(u'\r', u' ');
        cells.append(text);
    }
    if (row >= 0)
        lines.append(cells.join(u'\t'));
    return lines.join(u'\n');
}

int DataGrid::maskedSelectedColumn() const
{
    if (!m_model || !selectionModel())
        return -1;
    for (const QModelIndex &index : selectionModel()->selectedIndexes()) {
        if (m_model->isColumnSensitive(index.column()) && !m_model->isRevealed(index.column())
            && index.data(LazyTableModel::LoadedRole).toBool() && !index.data(LazyTableModel::IsNullRole).toBool())
            return index.column();
    }
    return -1;
}

void DataGrid::copySelection() const
{
    const int masked = maskedSelectedColumn();
    if (masked >= 0) {
        // A clipboard of bullets would look like a copy that worked.
        Q_EMIT const_cast<DataGrid *>(this)->refused(
            tr("Copy refused: the column \u201c%1\u201d is masked. Reveal its values first, or select other columns.")
                .arg(m_model->tableInfo().columns.at(masked).name));
        return;
    }
    const QString text = selectionAsText();
    if (text.isEmpty())
        return;
    QApplication::clipboard()->setText(text);
    Q_EMIT const_cast<DataGrid *>(this)->copied(int(text.count(u'\t') + text.count(u'\n') + 1));
}

void DataGrid::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copySelection();
        event->accept();
        return;
    }
    QTableView::keyPressEvent(event);
}

void DataGrid::setColumnRevealed(int column, bool revealed, bool confirm)
{
    if (!m_model || !m_model->isColumnSensitive(column))
        return;
    if (!revealed) {
        m_model->setRevealed(column, false);
        showSortIndicator();
        Q_EMIT maskedAgain(column);
        return;
    }
    if (confirm) {
        const QString name = m_model->headerData(column, Qt::Horizontal).toString();
        const auto answer = QMessageBox::question(
            this, tr("Reveal Values"),
            tr("The column \"%1\" looks sensitive (passwords, secrets, tokens or hashes). "
               "Show its values in this grid? The unmasking is recorded in the audit table.").arg(name));
        if (answer != QMessageBox::Yes)
            return;
    }
    Q_EMIT revealRequested(column);
}

void DataGrid::showHeaderMenu(const QPoint &pos)
{
    if (!m_model)
        return;
    const int column = horizontalHeader()->logicalIndexAt(pos);
    if (column < 0)
        return;
    QMenu menu(this);
    QAction *ascending = menu.addAction(tr("Sort Ascending"));
    QAction *descending = menu.addAction(tr("Sort Descending"));
    QAction *reveal = nullptr;
    if (m_model->isColumnSensitive(column)) {
        menu.addSeparator();
        reveal = menu.addAction(m_model->isRevealed(column) ? tr("Mask Values") : tr("Reveal Values…"));
    }
    QAction *chosen = menu.exec(horizontalHeader()->viewport()->mapToGlobal(pos));
    if (!chosen)
        return;
    if (chosen == reveal) {
        setColumnRevealed(column, !m_model->isRevealed(column));
        return;
    }
    sortBy(column, chosen == ascending ? Qt::AscendingOrder : Qt::DescendingOrder);
    scrollToTop();
    Q_UNUSED(descending);
}

} // namespace MigrationDesk
