#pragma once

#include <QString>

#include <atomic>
#include <functional>

namespace MigrationDesk {

class PgConnection;

// What `demo-data` makes.
struct DemoDataOptions
{
    qint64 employees = 1000;
    qint64 schedules = 20000;
    double deletedRatio = 0.02;   // share of soft-deleted rows, counted within the totals
    quint64 seed = 1;             // the same seed gives the same data
};

// Fills a database that is at head with realistic employees and schedules through COPY. Runs on
// the thread that owns the connection; progress(done, total) is called from that thread.
class DemoDataGenerator
{
public:
    static bool generate(PgConnection &connection, const DemoDataOptions &options,
                         const std::function<void(qint64 done, qint64 total)> &progress,
                         const std::atomic_bool *cancel, QString *error);
};

} // namespace MigrationDesk
