#include "models/historymodel.h"

#include "i18n/datetimeformat.h"
#include "migrations/migrationop.h"

#include <QLocale>

#include <cmath>

namespace MigrationDesk {

HistoryModel::HistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void HistoryModel::setEntries(const QList<HistoryEntry> &entries)
{
    beginResetModel();
    m_entries = entries;
    refilter();
    endResetModel();
}

void HistoryModel::setRevisionFilter(const QString &revision)
{
    if (revision == m_filter)
        return;
    beginResetModel();
    m_filter = revision;
    refilter();
    endResetModel();
}

void HistoryModel::refilter()
{
    m_visible.clear();
    for (int i = 0; i < m_entries.size(); ++i)
        if (m_filter.isEmpty() || m_entries.at(i).revision == m_filter)
            m_visible << i;
}

HistoryEntry HistoryModel::entry(int row) const
{
    return row >= 0 && row < m_visible.size() ? m_entries.at(m_visible.at(row)) : HistoryEntry();
}

QString HistoryModel::formatDuration(double ms)
{
    const QLocale locale;
    if (ms < 1)
        return tr("< 1 ms");
    // Compare after rounding, so 999.6 ms reads "1.00 s" rather than "1000 ms".
    const qint64 wholeMs = qRound64(ms);
    if (wholeMs < 1000)
        return tr("%1 ms").arg(locale.toString(wholeMs));
    const qint64 hundredths = qRound64(ms / 10);
    if (hundredths < 6000)
        return tr("%1 s").arg(locale.toString(double(hundredths) / 100, 'f', 2));
    const qint64 seconds = qRound64(ms / 1000);
    return tr("%1 min %2 s").arg(locale.toString(seconds / 60), locale.toString(seconds % 60));
}

// One row per visible run; a table has no children.
int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_visible.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString HistoryModel::displayText(const HistoryEntry &e, int column) const
{
    switch (column) {
    case WhenColumn:
        return DateTimeFormat::timestamp(e.startedAt);
    case RevisionColumn: return e.revision;
    case DirectionColumn:
        if (const auto op = migrationOpFromName(e.direction)) {
            switch (*op) {
            case MigrationOp::Upgrade: return tr("Upgrade");
            case MigrationOp::Downgrade: return tr("Downgrade");
            case MigrationOp::Stamp: return tr("Stamp");
            }
        }
        return e.direction; // a direction written by a newer version, shown as stored
    case ResultColumn: return e.success ? tr("Succeeded") : tr("Failed");
    case DurationColumn: return formatDuration(e.durationMs);
    case DatabaseUserColumn: return e.dbUser;
    case OsUserColumn:
        if (e.clientHost.isEmpty())
            return e.osUser;
        return e.osUser.isEmpty() ? e.clientHost : e.osUser + QLatin1Char('@') + e.clientHost;
    case AppVersionColumn: return e.appVersion;
    case BackupColumn: return e.backupPath;
    case ErrorColumn: {
        const QString trimmed = e.error.trimmed();
        const qsizetype newline = trimmed.indexOf(QLatin1Char('\n'));
        return (newline < 0 ? trimmed : trimmed.left(newline)).trimmed();
    }
    }
    return QString();
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HistoryEntry &e = m_entries.at(m_visible.at(index.row()));
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        return displayText(e, column);
    case Qt::ToolTipRole:
        if (column == WhenColumn && e.startedAt.isValid())
            return DateTimeFormat::timestamp(e.startedAt) + u' ' + DateTimeFormat::zoneLabel();
        if (column == ErrorColumn)
            return e.error.trimmed();
        if (column == BackupColumn && !e.backupPath.isEmpty())
            return tr("pg_dump -Fc written before this run: %1").arg(e.backupPath);
        if (column == DurationColumn)
            return tr("%1 ms, %n statement(s)", nullptr, e.statements).arg(QLocale().toString(e.durationMs, 'f', 1));
        return {};
    case Qt::TextAlignmentRole:
        if (column == DurationColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter); // int: what the item delegates of Qt 6.4 read
        return {};
    case SortRole:
        switch (column) {
        case WhenColumn: return e.startedAt;
        case DurationColumn: return e.durationMs;
        case ResultColumn: return e.success;
        case ErrorColumn: return e.error;
        default: return displayText(e, column);
        }
    case SucceededRole:
        return e.success;
    default:
        return {};
    }
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role); // row numbers
    if (role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    switch (section) {
    case WhenColumn: return tr("When");
    case RevisionColumn: return tr("Revision");
    case DirectionColumn: return tr("Direction");
    case ResultColumn: return tr("Result");
    case DurationColumn: return tr("Duration");
    case DatabaseUserColumn: return tr("Database user");
    case OsUserColumn: return tr("OS user@host");
    case AppVersionColumn: return tr("App version");
    case BackupColumn: return tr("Backup");
    case ErrorColumn: return tr("Error");
    }
    return {};
}

} // namespace MigrationDesk
