#pragma once

#include "browse/keysetquery.h"
#include "db/connectionsettings.h"
#include "scheduling/schedulefilter.h"

#include <QDate>
#include <QHash>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QObject>
#include <QTime>

#include <memory>

namespace MigrationDesk {

class PgConnection;

// One schedule as the calendar draws it, with every column as text for the detail pane. A plain value;
// any thread.
struct CalendarItem
{
    QString id;
    QString employeeName;
    QString title;
    QString status;
    QDate date;
    QTime start;   // invalid: untimed (the day's top band)
    QTime end;
    QHash<QString, QString> values; // column name -> text, as the grid reads them (with employee_name, department)
    QStringList maskedColumns;      // columns whose values are secrets
};

// What the calendar asks for: an inclusive date range and the panel's filters (their own dates ignored).
struct CalendarRequest
{
    QDate from;
    QDate to;
    ScheduleFilterState filters;
    // More matches than this come back as counts per day instead of items ("everybody" on a big table).
    int detailLimit = 400;
};

// The answer to one CalendarRequest. A plain value; any thread.
struct CalendarResult
{
    QDate from;
    QDate to;
    bool countsOnly = false;        // too many for boxes: only dayCounts
    QList<CalendarItem> items;      // by date, then start time (untimed first), then id
    QMap<QDate, qint64> dayCounts;  // days with at least one match
    qint64 total = 0;
    QString error;

    // The day with the most matches (the earliest of equals); invalid when there is none.
    QDate busiestDay() const;
};

// Reads the schedules of a visible calendar range on its own read-only connection: it counts the matches
// first (stopping at the detail limit) and then reads either the items or the counts per day, both by the
// (schedule_date) and (employee_id, schedule_date) indexes. Lives on a thread from WorkerThreads; its
// methods are invoked queued, results come back as signals (or it is called directly on its own thread
// in tests).
class CalendarRangeQuery : public QObject
{
    Q_OBJECT

public:
    explicit CalendarRangeQuery(QObject *parent = nullptr);
    ~CalendarRangeQuery() override;

    // The WHERE clause (without WHERE) for a request, over public.schedules AS s (a department is a
    // subquery on public.employees); every value bound into *params. Pure; any thread.
    static QString whereClause(const CalendarRequest &request, QStringList *params);

    void open(const MigrationDesk::ConnectionSettings &settings);
    void close();
    void fetch(quint64 requestId, const MigrationDesk::CalendarRequest &request);

Q_SIGNALS:
    void opened(bool ok, const QString &error);
    void fetched(quint64 requestId, const MigrationDesk::CalendarResult &result);

private:
    std::unique_ptr<PgConnection> m_connection;
    QStringList m_columns; // public.schedules' columns, in table order
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::CalendarRequest)
Q_DECLARE_METATYPE(MigrationDesk::CalendarResult)
