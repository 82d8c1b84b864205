#pragma once

#include "scheduling/schedulegridmodel.h"

namespace MigrationDesk {

// The Trash grids' model: what ScheduleGridModel shows, plus translated labels for the enum columns
// (type, status, priority, role: "visit" -> "Visit" / "방문", as the Schedules view shows them), the
// schedule's date in the locale's short format and timestamps to the minute. The raw values stay in
// LazyTableModel::value() for restores and purges. GUI thread.
class TrashGridModel : public ScheduleGridModel
{
    Q_OBJECT

public:
    using ScheduleGridModel::ScheduleGridModel;

    // The text shown for a raw value of `column` in the current locale.
    static QString displayFor(const QString &column, const QString &value);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
};

} // namespace MigrationDesk
