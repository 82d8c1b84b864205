#pragma once

#include "browse/catalog.h"

#include <QStringList>

namespace MigrationDesk {

class DataGrid;
class ScheduleDelegate;

// How the Schedules grid reads and shows public.schedules: the employee join, which columns show in
// which order and width, and how the delegate draws each. Stateless functions; GUI thread.
class ScheduleGridLayout
{
public:
    // The grid's columns, in this order; the model keeps the rest for the detail pane.
    static const QStringList &visibleColumns();
    // Hides, orders and sizes the columns of `info` in `grid`, and tells `delegate` their kinds.
    static void arrange(DataGrid *grid, ScheduleDelegate *delegate, const TableInfo &info);
    // Whether the connected role may update the columns Edit mode changes (status, result, follow_up).
    static bool canEdit(const TableInfo &info);
};

} // namespace MigrationDesk
