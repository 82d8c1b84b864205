#include "browse/windowreader.h"

#include <cmath>
#include <utility>

namespace MigrationDesk {

int WindowReader::Read::startOf(int count, int rowCount) const
{
    switch (kind) {
    case WindowRequest::Start:
    case WindowRequest::After:
        return start;
    case WindowRequest::Before:
    case WindowRequest::End: {
        // Counted back from the end: if a new count moved the end while this was read, so do its rows.
        const int moved = fromEnd ? rowCount - rowCountAtRequest : 0;
        return start + limit - count + moved;
    }
    case WindowRequest::Fraction:
        // A seek that runs out of rows has reached the end: those rows are the last ones.
        return count < limit ? rowCount - count : start;
    }
    return start;
}

WindowReader::WindowReader(TableFetchers &fetchers, std::function<int()> rowCount)
    : m_fetchers(fetchers)
    , m_rowCount(std::move(rowCount))
{
}

void WindowReader::attach()
{
    RowFetcher *fetcher = m_fetchers.windows();
    connect(fetcher, &RowFetcher::windowReady, this, &WindowReader::onWindow);
    connect(fetcher, &RowFetcher::windowFailed, this, &WindowReader::onWindowFailed);
    connect(fetcher, &RowFetcher::seekPositioned, this, &WindowReader::onSeekPositioned);
}

void WindowReader::detach()
{
    if (!m_fetchers.isEmpty())
        m_fetchers.windows()->disconnect(this);
}

void WindowReader::restart(quint64 generation)
{
    m_generation = generation;
    m_fetchers.windows()->skipBefore(generation);
    setInFlight(false);
}

void WindowReader::setInFlight(bool inFlight)
{
    if (inFlight == m_inFlight)
        return;
    m_inFlight = inFlight;
    Q_EMIT fetchingChanged(inFlight);
}

WindowCache::Plan WindowReader::startPlan(int windowSize)
{
    WindowCache::Plan plan;
    plan.kind = WindowRequest::Start;
    plan.limit = windowSize;
    return plan;
}

WindowCache::Plan WindowReader::jumpPlan(int rowCount, int windowSize)
{
    WindowCache::Plan plan;
    plan.kind = WindowRequest::Fraction;
    plan.limit = windowSize;
    plan.start = qMax(0, rowCount - windowSize) / 2; // until seekPositioned says where
    return plan;
}

void WindowReader::send(const WindowCache::Plan &plan, const KeysetQuery &query, int targetRow,
                        const QString &seekValue, bool haveCount)
{
    const int rowCount = m_rowCount();
    WindowRequest request;
    request.generation = m_generation;
    request.requestId = FetcherPool::nextToken();
    request.query = query;
    request.kind = plan.kind;
    request.key = plan.key;
    request.limit = plan.limit;
    if (plan.kind == WindowRequest::Fraction) {
        request.fraction = plan.fraction;
        request.estimatedRows = haveCount ? rowCount : 0;
        request.seekValue = seekValue;
    }
    m_pending = Read();
    m_pending.requestId = request.requestId;
    m_pending.kind = plan.kind;
    m_pending.start = plan.start;
    m_pending.limit = plan.limit;
    m_pending.targetRow = targetRow;
    m_pending.fromEnd = plan.fromEnd;
    m_pending.rowCountAtRequest = rowCount;
    m_pending.toValue = !seekValue.isNull();
    setInFlight(true);
    m_fetchers.fetchWindow(request);
}

void WindowReader::cancel()
{
    if (m_inFlight && !m_fetchers.isEmpty())
        m_fetchers.windows()->cancelWindow(m_pending.requestId);
}

bool WindowReader::isCurrent(quint64 generation, quint64 requestId)
{
    if (generation == m_generation && requestId == m_pending.requestId)
        return true;
    ++m_staleDropped;
    return false;
}

void WindowReader::onSeekPositioned(quint64 generation, quint64 requestId, double fraction, qint64 estimate)
{
    if (generation != m_generation || requestId != m_pending.requestId || !m_pending.toValue)
        return;
    // First, so the model's row count holds it when the rows are placed below.
    if (estimate >= 0)
        Q_EMIT estimated(estimate);
    const int rowCount = m_rowCount();
    const int last = qMax(0, rowCount - m_pending.limit);
    m_pending.start = qBound(0, int(std::lround(fraction * double(rowCount))), last);
    m_pending.targetRow = m_pending.start;
}

void WindowReader::onWindow(quint64 generation, quint64 requestId, const QList<QStringList> &rows,
                            const QStringList &firstKey, const QStringList &lastKey)
{
    if (!isCurrent(generation, requestId))
        return;
    setInFlight(false);
    // A copy: what the model does with the rows may send the next read.
    const Read read = m_pending;
    Q_EMIT arrived(read, rows, firstKey, lastKey);
}

void WindowReader::onWindowFailed(quint64 generation, quint64 requestId, const QString &error)
{
    if (!isCurrent(generation, requestId))
        return;
    setInFlight(false);
    const Read read = m_pending;
    Q_EMIT failed(read, error);
}

} // namespace MigrationDesk
