#pragma once

#include "browse/fetcherpool.h"
#include "browse/rowfetcher.h"
#include "db/connectionsettings.h"

namespace MigrationDesk {

// The two RowFetchers one lazy model borrows from the FetcherPool (one for the table's shape and its
// windows, one for estimates and counts) and the queued calls that reach them. Used on the GUI thread;
// the fetchers live on their own threads.
class TableFetchers
{
public:
    // `pool` must outlive this.
    explicit TableFetchers(FetcherPool &pool) : m_pool(pool) {}
    ~TableFetchers() { release(); }
    TableFetchers(const TableFetchers &) = delete;
    TableFetchers &operator=(const TableFetchers &) = delete;

    // Takes fresh fetchers for these settings from the pool; give back the ones held first (release()).
    void acquire(const ConnectionSettings &settings);
    // Gives both back; no signal of theirs reaches `receiver` any more. The pool keeps their sessions.
    void release(QObject *receiver = nullptr);

    bool isEmpty() const { return !m_windows; }
    const ConnectionSettings &settings() const { return m_settings; }
    RowFetcher *windows() const { return m_windows; }
    RowFetcher *counter() const { return m_counter; }

    // Queued to the fetchers' threads.
    void describe(quint64 generation, const QString &schema, const QString &table, const QList<JoinSpec> &joins);
    void fetchWindow(const WindowRequest &request);
    void openCounter();
    void estimate(quint64 generation, const KeysetQuery &query);
    void countExact(quint64 generation, const KeysetQuery &query, int timeoutMs);
    // A new count generation: what the counter has queued or running for older ones is dropped.
    quint64 restartCounts();

private:
    FetcherPool &m_pool;
    ConnectionSettings m_settings;
    FetcherPool::Lease m_windowsLease;
    RowFetcher *m_windows = nullptr;
    FetcherPool::Lease m_counterLease;
    RowFetcher *m_counter = nullptr;
};

} // namespace MigrationDesk
