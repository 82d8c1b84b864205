#pragma once

#include "db/connectionsettings.h"

#include <QObject>

namespace MigrationDesk {

class DataGrid;
class ExportBar;
class LazyTableModel;
struct CsvExportRequest;

// The Tables view's CSV export request: builds it from what the grid shows (the table, its filters and
// sort, the deleted-rows switch, the columns unmasked, the Excel option), and hands it to the
// ExportBar, which runs it. GUI thread.
class TableExport : public QObject
{
    Q_OBJECT

public:
    // grid and bar are the view's widgets, and must outlive this.
    explicit TableExport(DataGrid *grid, ExportBar *bar, QObject *parent = nullptr);

    // The request for model as grid shows it (its sort indicator) and as the model filters and unmasks it.
    static CsvExportRequest request(const LazyTableModel &model, const DataGrid &grid,
                                    const ConnectionSettings &settings, bool includeDeleted, bool byteOrderMark,
                                    const QString &path);

    // Starts exporting model to path; false (nothing starts) when model has no readable table or an
    // export runs already. `title` names the table in the bar.
    bool start(const LazyTableModel *model, const ConnectionSettings &settings, bool includeDeleted,
               bool byteOrderMark, const QString &path, const QString &title);

private:
    DataGrid *m_grid;
    ExportBar *m_bar;
};

} // namespace MigrationDesk
