#include "data/tableexport.h"

#include "data/datagrid.h"
#include "data/exportbar.h"
#include "data/tablereveals.h"

#include "browse/csvexporter.h"
#include "browse/lazytablemodel.h"

#include <QHeaderView>

namespace MigrationDesk {

TableExport::TableExport(DataGrid *grid, ExportBar *bar, QObject *parent)
    : QObject(parent)
    , m_grid(grid)
    , m_bar(bar)
{
}

CsvExportRequest TableExport::request(const LazyTableModel &model, const DataGrid &grid,
                                      const ConnectionSettings &settings, bool includeDeleted, bool byteOrderMark,
                                      const QString &path)
{
    const QHeaderView *header = grid.horizontalHeader();
    const int column = header->isSortIndicatorShown() ? header->sortIndicatorSection() : -1;
    const TableInfo &info = model.tableInfo();
    CsvExportRequest request;
    request.settings = settings;
    request.query = KeysetQuery(info, column >= 0 ? info.columns.value(column).name : QString(),
                                header->sortIndicatorOrder() == Qt::AscendingOrder || column < 0,
                                model.filters(), includeDeleted, {}, TableReveals::revealedNames(&model));
    request.path = path;
    for (int c = 0; c < info.columns.size(); ++c) {
        if (model.isRevealed(c))
            request.revealed.insert(c);
    }
    request.estimatedRows = model.rowCount();
    request.byteOrderMark = byteOrderMark;
    return request;
}

bool TableExport::start(const LazyTableModel *model, const ConnectionSettings &settings, bool includeDeleted,
                        bool byteOrderMark, const QString &path, const QString &title)
{
    if (!model || !model->tableInfo().isValid() || !model->tableInfo().canSelect || m_bar->isExporting())
        return false;
    m_bar->start(request(*model, *m_grid, settings, includeDeleted, byteOrderMark, path), title);
    return true;
}

} // namespace MigrationDesk
