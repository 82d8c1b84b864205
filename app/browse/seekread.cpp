#include "browse/seekread.h"

#include "db/pgconnection.h"
#include "db/pgpipeline.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace MigrationDesk {

namespace {

PgPipeline::Statement statementOf(const BoundQuery &query)
{
    return {query.sql, query.params};
}

std::optional<QList<QStringList>> queryOn(PGconn *conn, const BoundQuery &query, SqlError *error)
{
    return PgConnection::queryOn(conn, query.sql, query.params, error);
}

// How far through `estimate` rows a count of the rows before the value puts it; nullopt at the cap.
std::optional<double> countedFraction(const QList<QStringList> &rows, qint64 estimate)
{
    const int before = rows.isEmpty() ? SeekRead::exactBelow : rows.first().value(0).toInt();
    if (before >= SeekRead::exactBelow || estimate <= 0)
        return std::nullopt;
    return double(before) / double(estimate);
}

double histogramFraction(const QList<QStringList> &rows)
{
    const QString fraction = rows.isEmpty() ? QString() : rows.first().value(0);
    return fraction.isNull() ? 0.5 : fraction.toDouble();
}

} // namespace

BoundQuery SeekRead::estimateStatement(const KeysetQuery &query)
{
    return !query.hasFilters() && query.table().estimatedRows >= 0 ? query.reltuples() : query.explainCount();
}

std::optional<qint64> SeekRead::parseEstimate(const KeysetQuery &query, const BoundQuery &statement,
                                              const QList<QStringList> &rows)
{
    if (rows.isEmpty())
        return 0;
    if (statement.sql == query.reltuples().sql) {
        const double reltuples = rows.first().value(0).toDouble();
        return reltuples >= 0 ? std::optional<qint64>(qint64(reltuples)) : std::nullopt;
    }
    const QJsonArray plans = QJsonDocument::fromJson(rows.first().value(0).toUtf8()).array();
    return qint64(plans.at(0).toObject().value(QLatin1String("Plan")).toObject().value(QLatin1String("Plan Rows")).toDouble());
}

std::optional<SeekRead::Result> SeekRead::run(PGconn *conn, const KeysetQuery &query, const QString &value, int limit,
                                              qint64 estimatedRows, SqlError *error)
{
    Result result;
    const bool estimateHere = estimatedRows <= 0;
    // Without an estimate the table's own size decides, which a filter only lowers; a table never
    // analyzed (-1) has no histogram, so it is counted.
    const double sizeHint = estimateHere ? query.table().estimatedRows : double(estimatedRows);
    const bool counted = sizeHint <= exactBelow;
    const BoundQuery estimate = estimateStatement(query);
    const BoundQuery position = counted ? query.rowsBefore(value, exactBelow) : query.positionOf(value);

    QList<PgPipeline::Statement> statements;
    if (estimateHere)
        statements << statementOf(estimate);
    statements << statementOf(position) << statementOf(query.seek(value, limit));
    const auto results = PgPipeline::run(conn, statements, error);
    if (!results)
        return std::nullopt;
    if (const SqlError failed = PgPipeline::firstError(*results); !failed.isEmpty()) {
        if (error)
            *error = failed;
        return std::nullopt;
    }

    int next = 0;
    qint64 rows = estimatedRows;
    if (estimateHere) {
        auto parsed = parseEstimate(query, estimate, results->at(next++).rows);
        if (!parsed) {
            // reltuples of a table never analyzed: the planner's own guess (one more round trip, rarely).
            const BoundQuery explain = query.explainCount();
            const auto explained = queryOn(conn, explain, error);
            if (!explained)
                return std::nullopt;
            parsed = parseEstimate(query, explain, *explained);
        }
        rows = parsed.value_or(0);
        result.estimate = rows;
    }
    const QList<QStringList> &placed = results->at(next++).rows;
    std::optional<double> fraction;
    if (counted) {
        fraction = countedFraction(placed, rows);
        if (!fraction) {
            // Counted to the cap: the set is larger than it looked; the histogram places the value.
            const auto histogram = queryOn(conn, query.positionOf(value), error);
            if (!histogram)
                return std::nullopt;
            fraction = histogramFraction(*histogram);
        }
    } else if (rows > 0 && rows <= exactBelow) {
        // The filters left a small set of a large table: counting it is exact and still cheap.
        const auto before = queryOn(conn, query.rowsBefore(value, exactBelow), error);
        if (!before)
            return std::nullopt;
        fraction = countedFraction(*before, rows);
    }
    if (!fraction)
        fraction = histogramFraction(placed);
    result.fraction = *fraction;
    result.rows = results->at(next).rows;
    return result;
}

} // namespace MigrationDesk
