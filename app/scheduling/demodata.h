#pragma once

#include <QDate>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace MigrationDesk {

class PgConnection;

// What `demo-data` makes.
struct DemoDataOptions
{
    // Sane upper bounds per run: both id columns are SERIAL (int4), and a billion schedules is days of
    // COPY already. They also keep every count and sum of counts far from qint64 overflow.
    static constexpr qint64 maxEmployees = 10'000'000;
    static constexpr qint64 maxSchedules = 1'000'000'000;
    // The largest id a SERIAL column holds.
    static constexpr qint64 maxSerialId = 2'147'483'647;

    qint64 employees = 1000;
    qint64 schedules = 20000;
    double deletedRatio = 0.02;   // share of soft-deleted rows, counted within the totals
    quint64 seed = 1;             // the same seed gives the same data
    // Schedules spread over about a year either side of this day; invalid = today (UTC). Pinning it
    // makes two runs on different days produce the same rows.
    QDate today;
    // The Alembic version table whose heads must equal the bundled scripts' heads.
    QString versionTable = QStringLiteral("alembic_version");
    // A table that receives at least this many rows, and at least as many as it already holds, loads
    // faster without its plain indexes and foreign keys: they are dropped before its COPY and built
    // again in one pass each before COMMIT, so the schema afterwards is exactly the same. 0 = never.
    qint64 bulkThreshold = 200000;
};

// What one successful run added.
struct DemoDataResult
{
    qint64 employeesAdded = 0;
    qint64 schedulesAdded = 0;
    qint64 firstEmployeeId = 0;   // 0 when no employee was added
    qint64 firstScheduleId = 0;   // 0 when no schedule was added
    double seconds = 0;           // wall time, ANALYZE included
    QStringList rebuilt;          // the tables whose indexes and foreign keys were rebuilt after COPY
};

// Fills a database that is at head with realistic employees and schedules through COPY. Runs on
// the thread that owns the connection; progress(done, total) is called from that thread.
class DemoDataGenerator
{
public:
    // Appends the rows in one transaction, then runs ANALYZE. Refuses a database whose version table
    // is not at the bundled scripts' head. On failure or cancel nothing is added and *error says why.
    static bool generate(PgConnection &connection, const DemoDataOptions &options,
                         const std::function<void(qint64 done, qint64 total)> &progress,
                         const std::atomic_bool *cancel, QString *error, DemoDataResult *result = nullptr);
};

} // namespace MigrationDesk
