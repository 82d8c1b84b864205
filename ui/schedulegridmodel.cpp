#include "schedulegridmodel.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

QString ScheduleGridModel::columnTitle(const QString &column)
{
    static const QHash<QString, const char *> titles = {
        {u"schedule_date"_s, QT_TR_NOOP("Date")},
        {u"start_time"_s, QT_TR_NOOP("Start")},
        {u"end_time"_s, QT_TR_NOOP("End")},
        {u"employee_name"_s, QT_TR_NOOP("Employee")},
        {u"department"_s, QT_TR_NOOP("Department")},
        {u"schedule_type"_s, QT_TR_NOOP("Type")},
        {u"title"_s, QT_TR_NOOP("Title")},
        {u"client_name"_s, QT_TR_NOOP("Client")},
        {u"location"_s, QT_TR_NOOP("Location")},
        {u"status"_s, QT_TR_NOOP("Status")},
        {u"priority"_s, QT_TR_NOOP("Priority")},
    };
    const auto it = titles.constFind(column);
    return it == titles.cend() ? column : tr(*it);
}

QVariant ScheduleGridModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 && section < columnCount())
        return columnTitle(tableInfo().columns.at(section).name);
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section >= 0 && section < columnCount())
        return tableInfo().columns.at(section).name;
    return LazyTableModel::headerData(section, orientation, role);
}

} // namespace MigrationDesk
