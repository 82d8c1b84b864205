#include "scheduling/schedulegridmodel.h"

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
        // The trash's columns.
        {u"deleted_at"_s, QT_TR_NOOP("Deleted")},
        {u"schedule_id"_s, QT_TR_NOOP("ID")},
        {u"employee_id"_s, QT_TR_NOOP("ID")},
        {u"employee_in_trash"_s, QT_TR_NOOP("Owner in trash")},
        {u"updated_at"_s, QT_TR_NOOP("Updated")},
        {u"name"_s, QT_TR_NOOP("Name")},
        {u"email"_s, QT_TR_NOOP("Email")},
        {u"username"_s, QT_TR_NOOP("Username")},
        {u"role"_s, QT_TR_NOOP("Role")},
    };
    const auto it = titles.constFind(column);
    return it == titles.cend() ? column : tr(*it);
}

QVariant ScheduleGridModel::data(const QModelIndex &index, int role) const
{
    // Yes/No reads better than the server's true/false (copying takes what is shown, as for labels); the
    // placeholder of a row still loading passes through.
    const QVariant value = LazyTableModel::data(index, role);
    if (role == Qt::DisplayRole && index.isValid() && tableInfo().columns.at(index.column()).type == u"boolean"_s) {
        if (value.toString() == u"true"_s)
            return tr("Yes");
        if (value.toString() == u"false"_s)
            return tr("No");
    }
    return value;
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
