#include "browse/tablecount.h"

#include "browse/rowfetcher.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
constexpr int exactCountTimeoutMs = 30000;

} // namespace

TableCount::TableCount(TableFetchers &fetchers, const KeysetQuery &query, const WindowCache &windows)
    : m_fetchers(fetchers)
    , m_query(query)
    , m_windows(windows)
{
}

void TableCount::attach()
{
    RowFetcher *counter = m_fetchers.counter();
    connect(counter, &RowFetcher::estimateReady, this, &TableCount::onEstimate);
    connect(counter, &RowFetcher::countReady, this, &TableCount::onCount);
    connect(counter, &RowFetcher::queryFailed, this, [this](quint64 generation, const QString &error) {
        if (generation == m_generation)
            Q_EMIT failed(error);
    });
}

void TableCount::detach()
{
    if (!m_fetchers.isEmpty())
        m_fetchers.counter()->disconnect(this);
}

void TableCount::open()
{
    m_exact = false;
    m_generation = m_fetchers.restartCounts();
    m_fetchers.openCounter();
}

void TableCount::forget()
{
    m_exact = false;
    m_haveEstimate = false;
}

void TableCount::restart()
{
    // Counts depend on the filters only, so they carry their own generation: a sort that follows
    // at once does not throw the estimate away.
    m_generation = m_fetchers.restartCounts();
    m_exactWanted = true;
    // A view typically sorts and filters right after tableReady: one estimate for the last of those
    // changes, sent once control returns to the event loop.
    if (!m_estimateScheduled) {
        m_estimateScheduled = true;
        QMetaObject::invokeMethod(this, &TableCount::requestEstimate, Qt::QueuedConnection);
    }
}

void TableCount::settleFromFirstWindow()
{
    m_exact = true;
    m_exactWanted = false;
    m_generation = m_fetchers.restartCounts();
}

void TableCount::windowArrived()
{
    if (!m_estimateScheduled)
        requestExactCount();
}

void TableCount::requestEstimate()
{
    m_estimateScheduled = false;
    if (!m_query.isValid() || m_exact)
        return;
    m_fetchers.estimate(m_generation, m_query);
    // Until the first rows are on screen, the exact count (a full scan) would only compete with them.
    if (m_windows.startsAt(0))
        requestExactCount();
}

void TableCount::requestExactCount()
{
    if (!m_exactWanted || !m_query.isValid())
        return;
    m_exactWanted = false;
    m_fetchers.countExact(m_generation, m_query, exactCountTimeoutMs);
}

void TableCount::onEstimate(quint64 generation, qint64 rows)
{
    if (generation != m_generation || m_exact)
        return;
    m_haveEstimate = true;
    // The planner never estimates zero rows; a read that hits the end corrects it. Rows the first
    // window already showed exist, whatever the estimate says.
    Q_EMIT estimated(qMax(rows, qint64(m_knownRows)));
}

void TableCount::onCount(quint64 generation, qint64 rows, bool exact)
{
    if (generation != m_generation || !exact)
        return;
    m_exact = true;
    m_haveEstimate = true;
    Q_EMIT counted(rows);
}

void TableCount::acceptEstimate(qint64 rows)
{
    if (m_haveEstimate || m_exact)
        return;
    m_haveEstimate = true;
    Q_EMIT estimated(qMax(rows, qint64(m_knownRows)));
}

QString TableCount::text(int rows) const
{
    const QString number = QLocale().toString(qlonglong(rows));
    if (m_exact)
        return number;
    // Before the estimate, only the rows of the first window are known to exist.
    return (m_haveEstimate ? u"\u2248 "_s : u"\u2265 "_s) + number;
}

} // namespace MigrationDesk
