#pragma once

#include "browse/lazytablemodel.h"

namespace MigrationDesk {

// The schedules grid's lazy model with translated column titles ("schedule_date" -> "Date");
// values stay raw for the delegate, copying and the detail pane. GUI thread.
class ScheduleGridModel : public LazyTableModel
{
    Q_OBJECT

public:
    using LazyTableModel::LazyTableModel;

    // The title people read for a column of public.schedules or a joined employee column; the
    // column's own name for the rest.
    static QString columnTitle(const QString &column);

    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
};

} // namespace MigrationDesk
