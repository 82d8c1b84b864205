#pragma once

#include "browse/rowfetcher.h"

#include <QList>
#include <QMap>
#include <QStringList>

#include <utility>

namespace MigrationDesk {

// The lazy model's cache of row windows: where each window sits (disjoint, by start row), which one
// to evict, and where the next read for a missing row should go. No signals, no SQL; used by its
// LazyTableModel on the GUI thread only.
class WindowCache
{
public:
    struct Window
    {
        int start = 0;
        QList<QStringList> rows;
        QStringList firstKey;
        QStringList lastKey;
        bool fromEnd = false;           // placed by counting back from the end (End, or Before from such a window)
        mutable quint64 lastUse = 0;
        int end() const { return start + int(rows.size()); }
    };
    // Where a read for a missing row goes: its kind and key, the rows it fills and how many at most.
    struct Plan
    {
        WindowRequest::Kind kind = WindowRequest::Start;
        QStringList key;                // After/Before
        double fraction = 0;            // Fraction
        int start = 0;
        int limit = 0;
        bool fromEnd = false;
    };

    explicit WindowCache(int maxWindows = 40) : m_maxWindows(qMax(1, maxWindows)) {}

    void setMaxWindows(int windows) { m_maxWindows = qMax(1, windows); }
    int size() const { return int(m_windows.size()); }
    bool startsAt(int row) const { return m_windows.contains(row); }
    void clear() { m_windows.clear(); }

    // The window holding row (marked as just used), or null.
    const Window *at(int row) const;
    // The first row in [first, last] no window holds; -1 when all are held.
    int firstMissing(int first, int last) const;
    // The read for a missing row, from its neighbours: continue after the one before, read back from
    // the one after, or start, end or jump when neither is near.
    Plan plan(int row, int rowCount, int windowSize) const;

    // Stores rows from start (at least 0), replacing the windows they overlap, then evicts the least
    // recently used others beyond the limit. Returns where the window starts; nothing for no rows.
    int place(int start, const QList<QStringList> &rows, const QStringList &firstKey,
              const QStringList &lastKey, bool fromEnd);
    // The rows from count on are gone: windows beyond are dropped, one across is cut (and its last
    // key no longer ends it).
    void truncate(int count);
    // The first count rows are gone: the windows after them move up, those within are dropped.
    void removeLeading(int count);
    // Drops the windows placed from the end (a new count moved it); returns their [start, end) ranges.
    QList<std::pair<int, int>> dropFromEnd();

private:
    QMap<int, Window> m_windows;        // by start row; windows never overlap
    mutable quint64 m_useClock = 0;
    int m_maxWindows;
};

} // namespace MigrationDesk
