#include "scheduling/trashauditmodel.h"

#include "i18n/datetimeformat.h"

#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

TrashAuditModel::TrashAuditModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void TrashAuditModel::setRecords(const QList<AuditRecord> &records)
{
    beginResetModel();
    m_records = records;
    endResetModel();
}

QString TrashAuditModel::actionLabel(const QString &action)
{
    if (action == u"restore"_s)
        return tr("Restored");
    if (action == u"purge"_s)
        return tr("Deleted permanently");
    if (action == u"delete"_s)
        return tr("Moved back to the trash (undo)");
    if (action == u"unmask"_s)
        return tr("Unmasked a column");
    return action;
}

int TrashAuditModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int TrashAuditModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrashAuditModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AuditRecord &record = m_records.at(index.row());
    if (role == Qt::ToolTipRole && (index.column() == Before || index.column() == Row))
        return index.column() == Before ? record.before : record.rowKey;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case When:
        return DateTimeFormat::fromDbTimestamp(record.changedAt);
    case DbUser:
        return record.dbUser;
    case OsUser:
        return record.osUser;
    case Action:
        return actionLabel(record.action);
    case Table:
        return record.table;
    case Row:
        return record.rowKey;
    case Before:
        return record.before;
    default:
        return {};
    }
}

QVariant TrashAuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case When:
        return tr("When");
    case DbUser:
        return tr("Database user");
    case OsUser:
        return tr("OS user");
    case Action:
        return tr("Action");
    case Table:
        return tr("Table");
    case Row:
        return tr("Row");
    case Before:
        return tr("Values before");
    default:
        return {};
    }
}

} // namespace MigrationDesk
