#include "scheduling/trashtablayout.h"

#include "browse/lazytablemodel.h"
#include "data/datagrid.h"

#include <QDateTime>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLocale>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

QList<JoinSpec> TrashTabLayout::joins(TrashTable table)
{
    QList<JoinSpec> joins;
    if (table == TrashTable::Schedules) {
        joins.append({u"employee_id"_s, TrashStore::schema(), u"employees"_s, u"employee_id"_s,
                      {{u"name"_s, u"employee_name"_s}, {u"is_deleted"_s, u"employee_in_trash"_s},
                       {u"department"_s, u"department"_s}}});
    }
    return joins;
}

WarmUp TrashTabLayout::openingWindow(TrashTable table, int rows)
{
    WarmUp warmUp;
    warmUp.schema = TrashStore::schema();
    warmUp.table = TrashStore::tableName(table);
    warmUp.joins = joins(table);
    warmUp.sortColumn = u"deleted_at"_s; // as TrashView::onTableReady sorts
    warmUp.ascending = false;
    warmUp.filters = filters(table, {});
    warmUp.trash = true;
    warmUp.limit = rows;
    return warmUp;
}

QList<ColumnFilter> TrashTabLayout::filters(TrashTable table, const QString &search)
{
    QList<ColumnFilter> filters;
    ColumnFilter deleted;
    deleted.column = u"is_deleted"_s;
    deleted.op = ColumnFilter::Equal;
    deleted.value = u"true"_s;
    filters.append(deleted);
    const QString text = search.trimmed();
    if (!text.isEmpty()) {
        ColumnFilter match;
        match.op = ColumnFilter::ContainsAny;
        match.value = text;
        if (table == TrashTable::Schedules) {
            match.column = u"title"_s;
            match.otherColumns = {u"client_name"_s};
        } else {
            match.column = u"name"_s;
            match.otherColumns = {u"email"_s, u"username"_s};
        }
        filters.append(match);
    }
    return filters;
}

QStringList TrashTabLayout::shownColumns(TrashTable table)
{
    if (table == TrashTable::Schedules) {
        return {u"deleted_at"_s, u"schedule_id"_s, u"title"_s, u"schedule_date"_s, u"schedule_type"_s,
                u"client_name"_s, u"employee_name"_s, u"employee_in_trash"_s, u"department"_s, u"updated_at"_s};
    }
    return {u"deleted_at"_s, u"employee_id"_s, u"name"_s, u"email"_s, u"username"_s, u"department"_s, u"role"_s};
}

void TrashTabLayout::arrangeColumns(DataGrid *grid, const LazyTableModel &model, TrashTable table)
{
    const TableInfo &info = model.tableInfo();
    const QStringList wanted = shownColumns(table);
    QHeaderView *header = grid->horizontalHeader();
    for (int column = 0; column < model.columnCount(); ++column)
        grid->setColumnHidden(column, !wanted.contains(info.columns.at(column).name));
    int visual = 0;
    for (const QString &name : wanted) {
        const int logical = info.columnIndex(name);
        if (logical < 0)
            continue;
        if (header->visualIndex(logical) != visual)
            header->moveSection(header->visualIndex(logical), visual);
        ++visual;
    }
    // deleted_at and the other timestamps are sized from their formatted content by the grid.
    for (const QString &narrow : {u"schedule_id"_s, u"employee_id"_s}) {
        const int column = info.columnIndex(narrow);
        if (column >= 0)
            header->resizeSection(column, grid->fontMetrics().horizontalAdvance(narrow) + 32);
    }
}

TrashRow TrashTabLayout::rowAt(const LazyTableModel &model, TrashTable table, int row)
{
    TrashRow result;
    result.id = model.value(row, TrashStore::keyColumn(table)).toLongLong();
    if (table == TrashTable::Schedules) {
        result.label = model.value(row, u"title"_s);
        result.date = model.value(row, u"schedule_date"_s);
        result.updatedAt = model.value(row, u"updated_at"_s);
    } else {
        result.label = model.value(row, u"name"_s);
        result.deletedAt = model.value(row, u"deleted_at"_s);
        result.isDeleted = model.value(row, u"is_deleted"_s);
    }
    return result;
}

QList<TrashRow> TrashTabLayout::selectedRows(const DataGrid *grid, const LazyTableModel &model, TrashTable table,
                                             int *notLoaded)
{
    QList<TrashRow> rows;
    if (notLoaded)
        *notLoaded = 0;
    if (!grid->selectionModel())
        return rows;
    QSet<int> seen;
    QList<int> order;
    for (const QModelIndex &index : grid->selectionModel()->selectedIndexes()) {
        if (!seen.contains(index.row())) {
            seen.insert(index.row());
            order.append(index.row());
        }
    }
    std::sort(order.begin(), order.end());
    for (int r : std::as_const(order)) {
        if (!model.isRowLoaded(r)) {
            if (notLoaded)
                ++*notLoaded;
            continue;
        }
        rows.append(rowAt(model, table, r));
    }
    return rows;
}

} // namespace MigrationDesk
