#include "scheduling/trashgridmodel.h"

#include "i18n/datetimeformat.h"
#include "scheduling/enumlabels.h"
#include "scheduling/scheduledelegate.h"

#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

QString TrashGridModel::displayFor(const QString &column, const QString &value)
{
    if (value.isEmpty())
        return value;
    if (column == u"schedule_type"_s)
        return EnumLabels::scheduleType(value);
    if (column == u"status"_s)
        return EnumLabels::status(value);
    if (column == u"priority"_s)
        return EnumLabels::priority(value);
    if (column == u"role"_s)
        return EnumLabels::role(value);
    if (column == u"schedule_date"_s)
        return ScheduleDelegate::displayFor(ScheduleDelegate::Kind::Date, value, QLocale());
    if (column == u"deleted_at"_s || column == u"updated_at"_s || column == u"created_at"_s)
        return DateTimeFormat::fromDbTimestamp(value);
    return value;
}

QVariant TrashGridModel::data(const QModelIndex &index, int role) const
{
    const QVariant value = ScheduleGridModel::data(index, role);
    if (role != Qt::DisplayRole || !index.isValid() || !isRowLoaded(index.row()))
        return value;
    return displayFor(tableInfo().columns.at(index.column()).name, value.toString());
}

} // namespace MigrationDesk
