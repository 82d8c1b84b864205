#pragma once

#include "browse/lazytablemodel.h"

namespace MigrationDesk {

// The schedules and trash grids' lazy model with translated column titles ("schedule_date" -> "Date")
// and Yes/No for booleans; other values stay raw for the delegate, copying and the detail pane. GUI thread.
class ScheduleGridModel : public LazyTableModel
{
    Q_OBJECT

public:
    using LazyTableModel::LazyTableModel;

    // The title people read for a column of public.schedules or a joined employee column; the
    // column's own name for the rest.
    static QString columnTitle(const QString &column);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
};

} // namespace MigrationDesk
