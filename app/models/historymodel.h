#pragma once

#include "migrations/bookkeeping.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace MigrationDesk {

// The recorded runs of migrationdesk.history as a table, newest first as given, optionally narrowed
// to one revision for the timeline's detail pane. GUI thread (pure data, no SQL).
class HistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { WhenColumn, RevisionColumn, DirectionColumn, ResultColumn, DurationColumn,
                  DatabaseUserColumn, OsUserColumn, AppVersionColumn, BackupColumn, ErrorColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        SortRole = Qt::UserRole,   // the raw value of the cell: QDateTime (UTC), double ms, bool success, or text
        SucceededRole,             // bool, on every column, so a delegate can mark failed runs
    };
    Q_ENUM(Role)

    explicit HistoryModel(QObject *parent = nullptr);

    void setEntries(const QList<HistoryEntry> &entries); // model reset; the revision filter stays
    const QList<HistoryEntry> &entries() const { return m_entries; } // all of them, unfiltered
    // Only the given revision's runs; empty shows every run.
    void setRevisionFilter(const QString &revision);
    QString revisionFilter() const { return m_filter; }
    // The entry shown on a row (after filtering); a default entry when out of range.
    HistoryEntry entry(int row) const;

    // "850 ms", "1.25 s", "2 min 5 s", in the default locale.
    static QString formatDuration(double ms);

    // Model overrides: a flat table, one row per run, the columns of Column.
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void refilter();
    QString displayText(const HistoryEntry &e, int column) const;

    QList<HistoryEntry> m_entries;
    QList<int> m_visible; // indexes into m_entries
    QString m_filter;
};

} // namespace MigrationDesk
