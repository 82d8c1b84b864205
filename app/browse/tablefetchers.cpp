#include "browse/tablefetchers.h"

namespace MigrationDesk {

void TableFetchers::acquire(const ConnectionSettings &settings)
{
    release();
    m_settings = settings;
    m_windowsLease = m_pool.take(settings, false);
    m_windows = m_windowsLease.fetcher;
    // Estimates and exact counts run on a second fetcher with its own connection, so a count(*)
    // over millions of rows never holds up the windows the user is looking at.
    m_counterLease = m_pool.take(settings, true);
    m_counter = m_counterLease.fetcher;
}

void TableFetchers::release(QObject *receiver)
{
    if (!m_windows)
        return;
    if (receiver) {
        m_windows->disconnect(receiver);
        m_counter->disconnect(receiver);
    }
    m_pool.give(m_windowsLease, m_settings, false);
    m_pool.give(m_counterLease, m_settings, true);
    m_windows = m_counter = nullptr;
    m_windowsLease = m_counterLease = {};
}

void TableFetchers::describe(quint64 generation, const QString &schema, const QString &table,
                             const QList<JoinSpec> &joins)
{
    RowFetcher *fetcher = m_windows;
    const ConnectionSettings settings = m_settings;
    QMetaObject::invokeMethod(fetcher, [fetcher, settings, generation, schema, table, joins] {
        fetcher->openAndDescribe(settings, generation, schema, table, joins);
    }, Qt::QueuedConnection);
}

void TableFetchers::fetchWindow(const WindowRequest &request)
{
    RowFetcher *fetcher = m_windows;
    QMetaObject::invokeMethod(fetcher, [fetcher, request] { fetcher->fetchWindow(request); },
                              Qt::QueuedConnection);
}

void TableFetchers::openCounter()
{
    RowFetcher *counter = m_counter;
    const ConnectionSettings settings = m_settings;
    QMetaObject::invokeMethod(counter, [counter, settings] { counter->open(settings); }, Qt::QueuedConnection);
}

void TableFetchers::estimate(quint64 generation, const KeysetQuery &query)
{
    RowFetcher *counter = m_counter;
    QMetaObject::invokeMethod(counter, [counter, generation, query] { counter->estimateRows(generation, query); },
                              Qt::QueuedConnection);
}

void TableFetchers::countExact(quint64 generation, const KeysetQuery &query, int timeoutMs)
{
    RowFetcher *counter = m_counter;
    QMetaObject::invokeMethod(counter, [counter, generation, query, timeoutMs] {
        counter->countExact(generation, query, timeoutMs);
    }, Qt::QueuedConnection);
}

quint64 TableFetchers::restartCounts()
{
    const quint64 generation = FetcherPool::nextToken();
    m_counter->skipBefore(generation);
    m_counter->cancelRunning();
    return generation;
}

} // namespace MigrationDesk
