#include "browse/rowfetcher.h"

#include "browse/catalog.h"
#include "browse/seekread.h"
#include "db/pgconnection.h"
#include "db/querycanceller.h"
#include "db/poolerprobe.h"

#include <libpq-fe.h>


#include <algorithm>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

RowFetcher::RowFetcher(QObject *parent)
    : QObject(parent)
{
}

RowFetcher::~RowFetcher() = default;

void RowFetcher::skipBefore(quint64 generation)
{
    m_minGeneration.store(generation);
}

void RowFetcher::cancelRunning()
{
    m_running.cancelCurrent();
}

void RowFetcher::cancelWindow(quint64 requestId)
{
    m_cancelledRequest.store(requestId);
    cancelRunning();
}

void RowFetcher::open(const ConnectionSettings &settings)
{
    // One round trip tells a live session from one the server has dropped meanwhile.
    if (m_connection && m_settings == settings && m_connection->exec(u"SELECT 1"_s)) {
        Q_EMIT opened(true, {});
        return;
    }
    close();
    auto connection = std::make_unique<PgConnection>();
    QString error;
    if (!connection->open(settings, &error, u"migrationdesk-browse"_s)) {
        Q_EMIT opened(false, error);
        return;
    }
    // A browsing session cannot change data even through a bug or a function with side effects.
    // Behind a pooler (PgBouncer) a session SET would stay with a server session that other clients
    // share, e.g. a migration's, and not with this client: there the reads go without it.
    // The planner's extras cost more than these reads: the estimate's EXPLAIN loads the JIT provider
    // (90 ms in a new session on a 10M-row table, 4.6 ms without), and Memoize sizes its hash table
    // for the whole join, not for a window's LIMIT, and pays about 9 ms of page faults per statement
    // until malloc settles. Measured with bench_browse.
    SqlError sqlError;
    QList<QPair<QString, QString>> settingsToApply{
        {u"default_transaction_read_only"_s, u"on"_s}, {u"jit"_s, u"off"_s}, {u"enable_memoize"_s, u"off"_s}};
    if (m_background)
        settingsToApply.append({u"max_parallel_workers_per_gather"_s, u"0"_s});
    if (!applyUnlessPooled(connection->pgconn(), settingsToApply, &sqlError)) {
        Q_EMIT opened(false, sqlError.toString());
        return;
    }
    m_connection = std::move(connection);
    m_settings = settings;
    m_running.setCanceller(m_connection->canceller());
    Q_EMIT opened(true, {});
}

void RowFetcher::close()
{
    m_running.setCanceller(nullptr);
    m_connection.reset();
}

void RowFetcher::describeTable(quint64 generation, const QString &schema, const QString &table,
                               const QList<JoinSpec> &joins)
{
    if (!m_connection) {
        Q_EMIT tableDescribed(generation, {}, tr("Not connected."));
        return;
    }
    QString error;
    const auto info = Catalog(*m_connection).table(schema, table, joins, &error);
    emitDescribed(generation, schema, table, info, error);
}

void RowFetcher::openAndDescribe(const ConnectionSettings &settings, quint64 generation, const QString &schema,
                                 const QString &table, const QList<JoinSpec> &joins)
{
    if (m_connection && m_settings == settings) {
        QString error;
        const auto info = Catalog(*m_connection).table(schema, table, joins, &error);
        if (info || PQstatus(m_connection->pgconn()) != CONNECTION_BAD) {
            Q_EMIT opened(true, {});
            emitDescribed(generation, schema, table, info, error);
            return;
        }
        close(); // dropped by the server: open() below connects afresh
    }
    open(settings);
    describeTable(generation, schema, table, joins);
}

void RowFetcher::warm(const WarmUp &warmUp)
{
    if (m_connection) {
        const StatementCanceller::Scope running(m_running);
        QString error;
        const auto info = Catalog(*m_connection).table(warmUp.schema, warmUp.table, warmUp.joins, &error);
        if (info && info->isValid()) {
            const KeysetQuery query(*info, warmUp.sortColumn, warmUp.ascending, warmUp.filters, warmUp.trash,
                                    warmUp.thenBy);
            // The grid's own first read, statement for statement; the rows are not the point.
            SqlError sqlError;
            if (!warmUp.seekValue.isNull()) {
                (void)SeekRead::run(m_connection->pgconn(), query, warmUp.seekValue, warmUp.limit, 0, &sqlError);
            } else {
                const BoundQuery first = query.forward({}, warmUp.limit);
                (void)m_connection->query(first.sql, first.params, &sqlError);
            }
        }
    }
    Q_EMIT warmed();
}

void RowFetcher::emitDescribed(quint64 generation, const QString &schema, const QString &table,
                               const std::optional<TableInfo> &info, const QString &error)
{
    if (!info)
        Q_EMIT tableDescribed(generation, {}, error);
    else if (!info->isValid())
        Q_EMIT tableDescribed(generation, {}, tr("The table %1.%2 does not exist.").arg(schema, table));
    else
        Q_EMIT tableDescribed(generation, *info, {});
}

void RowFetcher::estimateRows(quint64 generation, const KeysetQuery &query)
{
    if (!m_connection || stale(generation))
        return;
    // A query the model should never send (a masked column's filter) runs nowhere, whoever sent it.
    if (!query.isValid()) {
        Q_EMIT queryFailed(generation, query.error());
        return;
    }
    const StatementCanceller::Scope running(m_running);
    const BoundQuery first = SeekRead::estimateStatement(query);
    if (first.sql == query.reltuples().sql) {
        const auto rows = m_connection->query(first.sql, first.params);
        if (const auto estimate = rows ? SeekRead::parseEstimate(query, first, *rows) : std::nullopt) {
            Q_EMIT estimateReady(generation, *estimate);
            return;
        }
    }
    // Never analyzed, or filtered: the planner's own estimate is cheap and good enough to start.
    const BoundQuery s = query.explainCount();
    SqlError error;
    auto rows = m_connection->query(s.sql, s.params, &error);
    if (!rows && error.sqlState == u"57014"_s && !stale(generation)) {
        // Cancelled while still wanted, so not by cancelRunning() (an admin, a pooler): EXPLAIN is cheap.
        rows = m_connection->query(s.sql, s.params, &error);
    }
    if (!rows) {
        // Typically a filter value the column's type refuses, e.g. text for an integer.
        Q_EMIT queryFailed(generation, error.toString());
        return;
    }
    const qint64 estimate = SeekRead::parseEstimate(query, s, *rows).value_or(0);
    Q_EMIT estimateReady(generation, estimate);
}

void RowFetcher::fetchWindow(const WindowRequest &request)
{
    if (stale(request.generation))
        return;
    if (!m_connection) {
        Q_EMIT windowFailed(request.generation, request.requestId, tr("Not connected."));
        return;
    }
    if (!request.query.isValid()) {
        Q_EMIT windowFailed(request.generation, request.requestId, request.query.error());
        return;
    }
    if (request.requestId == m_cancelledRequest.load()) {
        // Cancelled before it started: the same answer the server gives a cancelled statement.
        SqlError cancelled;
        cancelled.message = tr("canceling statement due to user request");
        cancelled.sqlState = u"57014"_s;
        Q_EMIT windowFailed(request.generation, request.requestId, cancelled.toString());
        return;
    }
    const StatementCanceller::Scope running(m_running);
    const KeysetQuery &query = request.query;
    BoundQuery s;
    bool reverse = false;
    switch (request.kind) {
    case WindowRequest::Start:
        s = query.forward({}, request.limit);
        break;
    case WindowRequest::After:
        s = query.forward(request.key, request.limit);
        break;
    case WindowRequest::Before:
        s = query.backward(request.key, request.limit);
        reverse = true;
        break;
    case WindowRequest::End:
        s = query.backward({}, request.limit);
        reverse = true;
        break;
    case WindowRequest::Fraction: {
        if (!request.seekValue.isNull())
            break; // below, with its position and, without one yet, the estimate
        const BoundQuery h = query.histogramBounds();
        QStringList bounds;
        if (const auto rows = m_connection->query(h.sql, h.params)) {
            for (const QStringList &row : *rows)
                bounds.append(row.at(0));
        }
        if (bounds.isEmpty()) {
            // No statistics yet (never analyzed): OFFSET is slow on big sets, but still correct.
            s = query.atOffset(qint64(request.fraction * double(request.estimatedRows)), request.limit);
        } else {
            s = query.seek(query.boundAt(bounds, request.fraction), request.limit);
        }
        break;
    }
    }

    SqlError error;
    std::optional<QList<QStringList>> rows;
    if (request.kind == WindowRequest::Fraction && !request.seekValue.isNull()) {
        if (auto seek = SeekRead::run(m_connection->pgconn(), query, request.seekValue, request.limit,
                                      request.estimatedRows, &error)) {
            Q_EMIT seekPositioned(request.generation, request.requestId, seek->fraction, seek->estimate);
            rows = std::move(seek->rows);
        }
    } else {
        rows = m_connection->query(s.sql, s.params, &error);
    }
    if (!rows) {
        Q_EMIT windowFailed(request.generation, request.requestId, error.toString());
        return;
    }
    if (reverse)
        std::reverse(rows->begin(), rows->end());
    const int columns = query.table().columns.size();
    QStringList firstKey;
    QStringList lastKey;
    if (!rows->isEmpty()) {
        firstKey = rows->first().mid(columns);
        lastKey = rows->last().mid(columns);
    }
    for (QStringList &row : *rows)
        row.resize(columns);
    Q_EMIT windowReady(request.generation, request.requestId, *rows, firstKey, lastKey);
}

void RowFetcher::countExact(quint64 generation, const KeysetQuery &query, int timeoutMs)
{
    if (!m_connection || stale(generation))
        return;
    if (!query.isValid()) {
        Q_EMIT countReady(generation, -1, false);
        return;
    }
    const StatementCanceller::Scope running(m_running);
    // A transaction of its own keeps the timeout to this count, also behind a pooler.
    const bool began = m_connection->exec(
        u"BEGIN READ ONLY; SET LOCAL statement_timeout = %1"_s.arg(std::max(1, timeoutMs)));
    const BoundQuery s = query.exactCount();
    const auto rows = began ? m_connection->query(s.sql, s.params) : std::nullopt;
    m_connection->exec(rows ? u"COMMIT"_s : u"ROLLBACK"_s);
    if (rows && !rows->isEmpty())
        Q_EMIT countReady(generation, rows->first().at(0).toLongLong(), true);
    else
        Q_EMIT countReady(generation, -1, false);
}

} // namespace MigrationDesk
