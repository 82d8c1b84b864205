#pragma once

#include "browse/keysetquery.h"
#include "db/sqlerror.h"

#include <QList>
#include <QStringList>

#include <optional>

typedef struct pg_conn PGconn;

namespace MigrationDesk {

// A jump to a sort value (a view opening on today), read in one round trip: the row estimate when the
// model has none yet, where the value sits among the rows, and the window from it on. Without this the
// jump waited for the counter session's estimate, which on a pooled session first waits for the last
// grid's count to be cancelled. Runs on the fetcher's thread, on the fetcher's connection.
class SeekRead
{
public:
    // Below this many rows the rows before the value are counted (exact, and cheap by the sort index);
    // above it the pg_stats histogram places the value.
    static constexpr int exactBelow = 100000;

    struct Result
    {
        QList<QStringList> rows;  // the window, in sort order, key columns still appended
        double fraction = 0.5;    // how far (0..1) through the rows the value sits
        qint64 estimate = -1;     // the estimate read here; -1 when the caller gave one
    };

    // `estimatedRows` <= 0: no estimate yet, read one alongside.
    static std::optional<Result> run(PGconn *conn, const KeysetQuery &query, const QString &value, int limit,
                                     qint64 estimatedRows, SqlError *error);

    // The planner's row count of `query`: reltuples when unfiltered, else EXPLAIN's plan rows. parse()
    // gives nullopt when reltuples says the table was never analyzed (ask explainCount() then).
    static BoundQuery estimateStatement(const KeysetQuery &query);
    static std::optional<qint64> parseEstimate(const KeysetQuery &query, const BoundQuery &statement,
                                               const QList<QStringList> &rows);
};

} // namespace MigrationDesk
