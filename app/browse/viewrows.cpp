#include "browse/viewrows.h"

#include <QTimer>

#include <utility>

namespace MigrationDesk {

ViewRows::ViewRows(QObject *context, std::function<void()> read)
    : m_context(context)
    , m_read(std::move(read))
{
}

void ViewRows::noteMissed(int row)
{
    // data() is called many times per paint: gather the rows, then fetch once for the latest range.
    m_missedFirst = m_missedFirst < 0 ? row : qMin(m_missedFirst, row);
    m_missedLast = qMax(m_missedLast, row);
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        QTimer::singleShot(0, m_context, [this] { flushMissed(); });
    }
}

void ViewRows::flushMissed()
{
    m_flushScheduled = false;
    if (m_missedFirst < 0 || m_explicit) {
        m_missedFirst = m_missedLast = -1;
        return;
    }
    m_first = m_missedFirst;
    m_last = m_missedLast;
    m_missedFirst = m_missedLast = -1;
    m_read();
}

void ViewRows::request(int first, int last)
{
    m_explicit = true;
    m_missedFirst = m_missedLast = -1;
    m_first = qMax(0, first);
    m_last = last;
    // Scrolling asks many times per frame: one read for where the view ends up.
    scheduleRead();
}

void ViewRows::scheduleRead()
{
    // A view sorts and filters right after tableReady, each a restart: only the last one reads.
    if (m_readScheduled)
        return;
    m_readScheduled = true;
    QMetaObject::invokeMethod(m_context, [this] {
        m_readScheduled = false;
        m_read();
    }, Qt::QueuedConnection);
}

} // namespace MigrationDesk
