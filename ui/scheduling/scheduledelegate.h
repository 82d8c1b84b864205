#pragma once

#include <QHash>
#include <QStyledItemDelegate>

namespace MigrationDesk {

// Paints the schedules grid: enum values as translated labels ("visit" -> "Visit" / "방문"), dates and
// times as DateTimeFormat writes them, a marker before the priority, and a subtle background per
// status on the whole row. Reads the raw values from the model; GUI thread.
class ScheduleDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    enum class Kind { Plain, Date, Time, Timestamp, ScheduleType, Status, Priority };

    explicit ScheduleDelegate(QObject *parent = nullptr);

    // Which model column holds what; the status column also colours its row.
    void setColumnKind(int column, Kind kind);
    void setStatusColumn(int column) { m_statusColumn = column; }
    void clearColumns();

    // The text shown for a raw cell value of `kind` (public so tests and the detail pane agree with the grid).
    static QString displayFor(Kind kind, const QString &value, const QLocale &locale);
    // The row background for a status value; invalid (none) for scheduled and unknown values.
    static QColor statusBackground(const QString &status);
    // The text, colours and font this delegate paints a cell with.
    QStyleOptionViewItem styleFor(const QModelIndex &index) const;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    QHash<int, Kind> m_kinds;
    int m_statusColumn = -1;
};

} // namespace MigrationDesk
