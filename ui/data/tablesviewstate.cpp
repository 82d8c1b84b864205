#include "data/tablesviewstate.h"

#include "data/datagrid.h"
#include "data/filterbar.h"
#include "data/tablesview.h"

#include "browse/lazytablemodel.h"

#include <QCheckBox>
#include <QItemSelectionModel>
#include <QScrollBar>
#include <QTimer>

#include <algorithm>

namespace MigrationDesk {

TablesViewState::TablesViewState(QObject *parent)
    : QObject(parent)
{
}

TablesViewState *TablesViewState::capture(TablesView *view, QObject *parent)
{
    if (!view->isShowingGrid() || view->currentTable().isEmpty())
        return nullptr;
    auto state = new TablesViewState(parent);
    state->m_schema = view->currentSchema();
    state->m_table = view->currentTable();
    state->m_filters = view->filterBar()->filters();
    state->m_includeDeleted = view->showDeletedBox()->isChecked();
    const DataGrid *grid = view->grid();
    if (const LazyTableModel *model = view->model()) {
        state->m_sortColumn = model->sortColumn();
        state->m_sortOrder = model->sortOrder();
    }
    const QModelIndex current = grid->currentIndex();
    state->m_currentRow = current.row();
    state->m_currentColumn = current.column();
    state->m_lastRow = current.row();
    for (const QItemSelectionRange &range : grid->selectionModel()->selection()) {
        state->m_selection.append(QRect(range.left(), range.top(), range.width(), range.height()));
        state->m_lastRow = std::max(state->m_lastRow, range.bottom());
    }
    state->m_verticalScroll = grid->verticalScrollBar()->value();
    state->m_horizontalScroll = grid->horizontalScrollBar()->value();
    return state;
}

void TablesViewState::restoreTo(TablesView *view)
{
    m_view = view;
    connect(view, &QObject::destroyed, this, &QObject::deleteLater);
    connect(view, &TablesView::tableShown, this, &TablesViewState::applyFilters, Qt::SingleShotConnection);
    view->openTable(m_schema, m_table);
}

void TablesViewState::applyFilters()
{
    if (!m_view || m_view->currentTable() != m_table || m_view->currentSchema() != m_schema) {
        deleteLater(); // the table is gone, or the user went elsewhere first
        return;
    }
    if (m_includeDeleted && m_view->showDeletedBox()->isVisible())
        m_view->showDeletedBox()->setChecked(true);
    if (!m_filters.isEmpty())
        m_view->filterBar()->setFilters(m_filters);
    if (m_sortColumn >= 0)
        m_view->grid()->sortBy(m_sortColumn, m_sortOrder);
    // The filtered rows arrive in windows; each one may be the one that reaches the rows to restore.
    QAbstractItemModel *model = m_view->grid()->model();
    const auto tryRows = [this] {
        // After the grid has laid the new rows out, so the scroll range covers them.
        QTimer::singleShot(0, this, [this] {
            if (m_view && applyRows())
                deleteLater();
        });
    };
    connect(model, &QAbstractItemModel::rowsInserted, this, tryRows);
    connect(model, &QAbstractItemModel::modelReset, this, tryRows);
    connect(model, &QAbstractItemModel::layoutChanged, this, tryRows);
    connect(model, &QAbstractItemModel::dataChanged, this, tryRows);
    connect(m_view->model(), &LazyTableModel::fetchingChanged, this, tryRows);
    connect(m_view->model(), &LazyTableModel::countChanged, this, tryRows);
    tryRows();
}

bool TablesViewState::applyRows()
{
    DataGrid *grid = m_view->grid();
    QAbstractItemModel *model = grid->model();
    // Not the unfiltered rows still shown while the filtered ones are read: wait for those.
    const LazyTableModel *lazy = m_view->model();
    if (!lazy || lazy->isFetching() || lazy->filters().size() != m_view->filterBar()->filters().size())
        return false;
    // Until the exact count is in, the row count may still change and the grid re-lay its rows out,
    // which would move the scroll position put back here.
    if (!lazy->isCountExact())
        return false;
    if (model->rowCount() <= m_lastRow || (m_lastRow >= 0 && !model->index(m_lastRow, 0).data().isValid()))
        return false;
    QScrollBar *vertical = grid->verticalScrollBar();
    if (vertical->maximum() < m_verticalScroll)
        return false;
    QItemSelection selection;
    for (const QRect &r : m_selection)
        selection.select(model->index(r.top(), r.left()), model->index(r.bottom(), r.right()));
    if (m_currentRow >= 0)
        grid->selectionModel()->setCurrentIndex(model->index(m_currentRow, m_currentColumn),
                                                QItemSelectionModel::NoUpdate);
    grid->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    vertical->setValue(m_verticalScroll);
    grid->horizontalScrollBar()->setValue(m_horizontalScroll);
    return true;
}

} // namespace MigrationDesk
