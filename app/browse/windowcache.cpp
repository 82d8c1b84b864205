#include "browse/windowcache.h"

#include <climits>
#include <iterator>

namespace MigrationDesk {

const WindowCache::Window *WindowCache::at(int row) const
{
    auto it = m_windows.upperBound(row);
    if (it == m_windows.cbegin())
        return nullptr;
    --it;
    if (row >= it->end())
        return nullptr;
    it->lastUse = ++m_useClock;
    return &*it;
}

int WindowCache::firstMissing(int first, int last) const
{
    for (int r = qMax(0, first); r <= last; ++r) {
        auto it = m_windows.upperBound(r);
        if (it != m_windows.cbegin() && r < std::prev(it)->end()) {
            r = std::prev(it)->end() - 1;
            continue;
        }
        return r;
    }
    return -1;
}

WindowCache::Plan WindowCache::plan(int row, int rowCount, int windowSize) const
{
    auto nextIt = m_windows.upperBound(row);
    const Window *next = nextIt == m_windows.cend() ? nullptr : &*nextIt;
    const Window *prev = nextIt == m_windows.cbegin() ? nullptr : &*std::prev(nextIt);
    const int prevEnd = prev ? prev->end() : 0;
    const int nextStart = next ? next->start : rowCount;
    // Reading forward past the estimate is fine: the count grows, or a short read ends it.
    const int forwardRoom = next ? next->start : INT_MAX;

    Plan plan;
    if (prev && row - prevEnd < windowSize) {
        // Sequential scrolling down: continue from the neighbour's last key.
        plan.kind = WindowRequest::After;
        plan.key = prev->lastKey;
        plan.fromEnd = prev->fromEnd;
        plan.start = prevEnd;
        plan.limit = qMin(windowSize, forwardRoom - prevEnd);
    } else if (next && nextStart - row <= windowSize) {
        // Scrolling up: the rows just before the neighbour's first key.
        plan.kind = WindowRequest::Before;
        plan.key = next->firstKey;
        plan.fromEnd = next->fromEnd;
        plan.limit = qMin(windowSize, nextStart - prevEnd);
        plan.start = nextStart - plan.limit;
    } else if (row < windowSize) {
        plan.kind = WindowRequest::Start;
        plan.start = 0;
        plan.limit = qMin(windowSize, forwardRoom);
    } else if (row >= rowCount - windowSize) {
        plan.kind = WindowRequest::End;
        plan.fromEnd = true;
        plan.limit = qMin(windowSize, rowCount - prevEnd);
        plan.start = rowCount - plan.limit;
    } else {
        // A jump: the position maps to a key through the histogram, so the placement is approximate.
        plan.kind = WindowRequest::Fraction;
        plan.fraction = double(row) / double(rowCount);
        plan.start = row;
        plan.limit = qMin(windowSize, nextStart - row);
    }
    return plan;
}

int WindowCache::place(int start, const QList<QStringList> &rows, const QStringList &firstKey,
                       const QStringList &lastKey, bool fromEnd)
{
    start = qMax(0, start);
    if (rows.isEmpty())
        return start;
    Window window;
    window.start = start;
    window.rows = rows;
    window.firstKey = firstKey;
    window.lastKey = lastKey;
    window.fromEnd = fromEnd;
    window.lastUse = ++m_useClock;
    const int end = window.end();
    // Keep windows disjoint, so every row has one answer.
    for (auto it = m_windows.begin(); it != m_windows.end();) {
        if (it->start < end && it->end() > start)
            it = m_windows.erase(it);
        else
            ++it;
    }
    m_windows.insert(start, window);
    while (m_windows.size() > m_maxWindows) {
        auto oldest = m_windows.end();
        for (auto it = m_windows.begin(); it != m_windows.end(); ++it) {
            if (it.key() != start && (oldest == m_windows.end() || it->lastUse < oldest->lastUse))
                oldest = it;
        }
        m_windows.erase(oldest);
    }
    return start;
}

void WindowCache::truncate(int count)
{
    for (auto it = m_windows.begin(); it != m_windows.end();) {
        if (it->start >= count) {
            it = m_windows.erase(it);
        } else {
            if (it->end() > count)
                it->rows.resize(count - it->start); // its last key no longer ends it: see below
            if (it->end() == count && !it->rows.isEmpty())
                it->lastKey.clear();
            ++it;
        }
    }
}

void WindowCache::removeLeading(int count)
{
    QMap<int, Window> shifted;
    for (auto it = m_windows.cbegin(); it != m_windows.cend(); ++it) {
        if (it->start < count)
            continue;
        Window window = *it;
        window.start -= count;
        shifted.insert(window.start, window);
    }
    m_windows = shifted;
}

QList<std::pair<int, int>> WindowCache::dropFromEnd()
{
    QList<std::pair<int, int>> dropped;
    for (auto it = m_windows.begin(); it != m_windows.end();) {
        if (it->fromEnd) {
            dropped.append({it->start, it->end()});
            it = m_windows.erase(it);
        } else {
            ++it;
        }
    }
    return dropped;
}

} // namespace MigrationDesk
