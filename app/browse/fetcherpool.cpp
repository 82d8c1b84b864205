#include "browse/fetcherpool.h"

#include "browse/rowfetcher.h"
#include "base/workerthreads.h"

#include <QTimer>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

constexpr int maxIdle = 4;            // two grids' worth: a fetcher and a counter each
constexpr int idleMs = 120000;        // an idle session is closed after this

} // namespace

FetcherPool::FetcherPool(WorkerThreads &threads, QObject *parent)
    : QObject(parent)
    , m_threads(threads)
{
}

FetcherPool::~FetcherPool()
{
    clear();
}

quint64 FetcherPool::nextToken()
{
    static std::atomic<quint64> token{0};
    return ++token;
}

FetcherPool::Lease FetcherPool::take(const ConnectionSettings &settings, bool background)
{
    for (qsizetype i = m_idle.size() - 1; i >= 0; --i) {
        if (m_idle.at(i).background == background && m_idle.at(i).settings == settings)
            return m_idle.takeAt(i).lease;
    }
    auto fetcher = new RowFetcher;
    fetcher->setBackground(background);
    // A shutdown while a model still holds it: nothing it still sends may count, and a count stops.
    m_threads.start(fetcher, background ? u"LazyTableModel counter"_s : u"LazyTableModel fetcher"_s, [fetcher] {
        fetcher->skipBefore(nextToken());
        fetcher->cancelRunning();
    });
    return Lease{fetcher};
}

void FetcherPool::give(const Lease &lease, const ConnectionSettings &settings, bool background)
{
    // Whatever the last model queued is stale from now on, and a running count is cancelled.
    lease.fetcher->skipBefore(nextToken());
    lease.fetcher->cancelRunning();
    Idle idle{lease, settings, background, ++m_serial};
    m_idle.append(idle);
    while (m_idle.size() > maxIdle)
        retire(m_idle.takeFirst().lease);
    QTimer::singleShot(idleMs, this, [this, serial = idle.serial] {
        for (qsizetype i = 0; i < m_idle.size(); ++i) {
            if (m_idle.at(i).serial == serial) {
                retire(m_idle.takeAt(i).lease);
                return;
            }
        }
    });
}

void FetcherPool::prewarm(const ConnectionSettings &settings, int pairs, const QList<WarmUp> &warmUps)
{
    // All taken first, so idle ones already there count towards `pairs` instead of being taken twice.
    QList<std::pair<Lease, bool>> leases;
    for (int i = 0; i < pairs; ++i) {
        for (bool background : {false, true})
            leases.append({take(settings, background), background});
    }
    for (const auto &[lease, background] : std::as_const(leases)) {
        RowFetcher *fetcher = lease.fetcher;
        // A failure here is not news: the grid that takes this fetcher connects again and says why.
        QMetaObject::invokeMethod(fetcher, [fetcher, settings] { fetcher->open(settings); }, Qt::QueuedConnection);
        // Counters count; only window fetchers read the first windows a grid asks for.
        if (!background && !warmUps.isEmpty()) {
            ++m_warming;
            auto connection = std::make_shared<QMetaObject::Connection>();
            *connection = connect(fetcher, &RowFetcher::warmed, this, [this, connection, left = warmUps.size()]() mutable {
                if (--left > 0)
                    return;
                disconnect(*connection);
                if (--m_warming == 0)
                    Q_EMIT prewarmed();
            });
            for (const WarmUp &warmUp : warmUps)
                QMetaObject::invokeMethod(fetcher, [fetcher, warmUp] { fetcher->warm(warmUp); }, Qt::QueuedConnection);
        }
        give(lease, settings, background);
    }
}

void FetcherPool::retire(const Lease &lease)
{
    RowFetcher *fetcher = lease.fetcher;
    // The connection belongs to the fetcher's thread, so it is closed there; retiring it interrupts
    // whatever it still runs (the interrupt given to start() in take()).
    QMetaObject::invokeMethod(fetcher, [fetcher] { fetcher->close(); }, Qt::QueuedConnection);
    m_threads.retire(fetcher);
}

void FetcherPool::clear()
{
    const QList<Idle> idle = std::exchange(m_idle, {});
    for (const Idle &entry : idle)
        retire(entry.lease);
    m_warming = 0; // a retired fetcher's warm-up may never report
}

} // namespace MigrationDesk
