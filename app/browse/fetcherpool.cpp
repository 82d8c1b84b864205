#include "browse/fetcherpool.h"

#include "browse/rowfetcher.h"

#include <QCoreApplication>
#include <QMutex>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <atomic>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

constexpr int maxIdle = 4;            // two grids' worth: a fetcher and a counter each
constexpr int idleMs = 120000;        // an idle session is closed after this

// Threads on their way out: each deletes itself once finished, unless the exit joins it first.
QMutex &endingMutex()
{
    static QMutex mutex;
    return mutex;
}

QSet<QThread *> &ending()
{
    static QSet<QThread *> threads;
    return threads;
}

void endThread(QThread *thread)
{
    {
        QMutexLocker lock(&endingMutex());
        ending().insert(thread);
    }
    // finished is emitted on the thread itself; the QThread object belongs to the GUI thread.
    QObject::connect(thread, &QThread::finished, thread, [thread] {
        QMutexLocker lock(&endingMutex());
        if (ending().remove(thread))
            thread->deleteLater();
    }, Qt::DirectConnection);
    thread->quit();
}

void joinEnding()
{
    QSet<QThread *> threads;
    {
        QMutexLocker lock(&endingMutex());
        threads.swap(ending());
    }
    for (QThread *thread : std::as_const(threads)) {
        thread->wait();
        delete thread;
    }
}

} // namespace

FetcherPool &FetcherPool::instance()
{
    // Never deleted: the exit ends its threads through shutdown(), while the QCoreApplication still exists.
    static FetcherPool *pool = [] {
        auto *created = new FetcherPool;
        qAddPostRoutine(&FetcherPool::shutdown);
        return created;
    }();
    return *pool;
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
    Lease lease;
    lease.thread = new QThread;
    lease.thread->setObjectName(background ? u"LazyTableModel counter"_s : u"LazyTableModel fetcher"_s);
    lease.fetcher = new RowFetcher;
    lease.fetcher->setBackground(background);
    lease.fetcher->moveToThread(lease.thread);
    connect(lease.thread, &QThread::finished, lease.fetcher, &QObject::deleteLater);
    lease.thread->start();
    return lease;
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

void FetcherPool::prewarm(const ConnectionSettings &settings, int pairs)
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
        give(lease, settings, background);
    }
}

void FetcherPool::retire(const Lease &lease)
{
    RowFetcher *fetcher = lease.fetcher;
    fetcher->skipBefore(nextToken());
    fetcher->cancelRunning();
    // The connection belongs to the fetcher's thread, so it is closed there.
    QMetaObject::invokeMethod(fetcher, [fetcher] { fetcher->close(); }, Qt::QueuedConnection);
    endThread(lease.thread);
}

void FetcherPool::clear()
{
    const QList<Idle> idle = std::exchange(m_idle, {});
    for (const Idle &entry : idle)
        retire(entry.lease);
}

void FetcherPool::shutdown()
{
    instance().clear();
    joinEnding();
}

} // namespace MigrationDesk
