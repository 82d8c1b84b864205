#pragma once

#include "browse/catalog.h"
#include "browse/keysetquery.h"
#include "browse/warmup.h"
#include "scheduling/trashstore.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace MigrationDesk {

class DataGrid;
class LazyTableModel;

// What each Trash tab reads and how it shows it: the owner join, the filters for the search text, the
// columns in order and width, and a loaded grid row as a TrashRow. Stateless functions; GUI thread
// (arrangeColumns touches widgets; the others are pure).
class TrashTabLayout
{
public:
    // The owner's name beside each schedule, and whether the owner is in the trash too; none for employees.
    static QList<JoinSpec> joins(TrashTable table);
    // Only rows in the trash, and when `search` is not blank, those whose text columns contain it.
    static QList<ColumnFilter> filters(TrashTable table, const QString &search);
    // The first window the tab reads on opening (newest deletion first), for FetcherPool::prewarm.
    static WarmUp openingWindow(TrashTable table, int rows);
    // The columns shown, in order; the rest of the row is still read (restore needs updated_at).
    static QStringList shownColumns(TrashTable table);
    // Hides the other columns, moves the shown ones into order and sizes the narrow ones.
    static void arrangeColumns(DataGrid *grid, const LazyTableModel &model, TrashTable table);
    // Row `row` of `model` (which must be loaded) as the worker wants it.
    static TrashRow rowAt(const LazyTableModel &model, TrashTable table, int row);
    // The grid's selected rows in order, each once; rows not loaded yet are left out and counted in *notLoaded.
    static QList<TrashRow> selectedRows(const DataGrid *grid, const LazyTableModel &model, TrashTable table,
                                        int *notLoaded = nullptr);
};

} // namespace MigrationDesk
