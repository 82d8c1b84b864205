#include "data/tablegridmodel.h"

#include "data/datetimecolumns.h"
#include "i18n/datetimeformat.h"
#include "icons.h"

#include <QGuiApplication>
#include <QPalette>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

TableGridModel::TableGridModel(FetcherPool &pool, QObject *parent)
    : LazyTableModel(pool, parent)
{
    // The header asks for its decorations only when told that they changed.
    connect(this, &LazyTableModel::windowLoaded, this, [this](int first, int last) {
        if (tableInfo().hasIsDeleted)
            Q_EMIT headerDataChanged(Qt::Vertical, first, last);
    });
}

bool TableGridModel::isRowDeleted(int row) const
{
    return tableInfo().hasIsDeleted && value(row, u"is_deleted"_s) == u"true"_s;
}

QVariant TableGridModel::data(const QModelIndex &index, int role) const
{
    if (role == Qt::ForegroundRole && index.isValid() && isRowDeleted(index.row()))
        return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
    const QVariant value = LazyTableModel::data(index, role);
    if (role != Qt::DisplayRole || !value.isValid() || !isRowLoaded(index.row()) || isColumnSensitive(index.column()))
        return value;
    // Dates and times as everywhere else; timestamps are UTC by the schema's convention and shown in
    // DateTimeFormat's zone. Filters and rowValues() keep the stored text.
    switch (DateTimeColumns::kindOf(tableInfo().columns.at(index.column()))) {
    case DateTimeColumns::Kind::Date:
        return DateTimeFormat::fromDbDate(value.toString());
    case DateTimeColumns::Kind::Time:
        return DateTimeFormat::fromDbTime(value.toString());
    case DateTimeColumns::Kind::Timestamp:
        return DateTimeFormat::fromDbTimestamp(value.toString());
    case DateTimeColumns::Kind::None:
        break;
    }
    return value;
}

QVariant TableGridModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical && (role == Qt::DecorationRole || role == Qt::ToolTipRole)
        && isRowDeleted(section)) {
        if (role == Qt::DecorationRole)
            return Icons::get(Icons::Trash);
        return tr("Deleted: this row is in the trash (is_deleted = true).");
    }
    return LazyTableModel::headerData(section, orientation, role);
}

} // namespace MigrationDesk
