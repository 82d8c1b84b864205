#pragma once

#include "browse/lazytablemodel.h"

namespace MigrationDesk {

// The Tables view's lazy model: marks soft-deleted rows (is_deleted = true, shown with "Show deleted
// rows") greyed out with a trash icon in the row header, so they are not mistaken for live rows.
// GUI thread.
class TableGridModel : public LazyTableModel
{
    Q_OBJECT

public:
    explicit TableGridModel(FetcherPool &pool, QObject *parent = nullptr);

    // A loaded row whose is_deleted is true; false for tables without the column.
    bool isRowDeleted(int row) const;

    // The grey text colour for deleted rows; the rest as LazyTableModel.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // The trash icon and a tooltip in the row header of deleted rows.
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
};

} // namespace MigrationDesk
