#pragma once

#include <QObject>

#include <functional>

namespace MigrationDesk {

// The rows a lazy model's view shows now, from the view's requestRows() or, until it calls that, from
// the rows data() missed; many asks per frame become one read per turn of the event loop. Used on
// the GUI thread by its model, which is `context` and outlives it.
class ViewRows
{
public:
    // `read` runs (from the event loop) when the rows wanted may have changed.
    explicit ViewRows(QObject *context, std::function<void()> read);

    int first() const { return m_first; }
    int last() const { return m_last; }

    // From data(): a row it could not answer; the range grows until the event loop turns.
    void noteMissed(int row);
    // From the view: the rows it shows now. From then on, data()'s misses no longer steer reading.
    void request(int first, int last);
    // Runs `read` once control returns to the event loop, however often this is called before.
    void scheduleRead();

private:
    void flushMissed();

    QObject *m_context;
    std::function<void()> m_read;
    int m_first = 0;
    int m_last = -1;
    int m_missedFirst = -1;
    int m_missedLast = -1;
    bool m_flushScheduled = false;
    bool m_readScheduled = false;        // `read` is queued for this turn of the event loop
    bool m_explicit = false;
};

} // namespace MigrationDesk
