#pragma once

#include "browse/warmup.h"
#include "db/connectionsettings.h"

#include <QList>
#include <QObject>

namespace MigrationDesk {

class RowFetcher;
class WorkerThreads;

// Keeps the fetchers of closed grids, each on its own thread with its session still open, so the next
// grid on the same server starts without connecting and on a backend whose caches already hold its
// tables; the fetchers it does not keep are retired without anyone waiting for them, and WorkerThreads
// joins them at shutdown. The threads must outlive the pool. GUI thread.
class FetcherPool : public QObject
{
    Q_OBJECT

public:
    struct Lease
    {
        RowFetcher *fetcher = nullptr;
    };

    explicit FetcherPool(WorkerThreads &threads, QObject *parent = nullptr);
    // Ends every idle fetcher; fetchers still leased are ended by WorkerThreads' shutdown.
    ~FetcherPool() override;

    // Generation and request tokens, unique across models: a kept fetcher's queued work from its last
    // model can never pass for its next model's.
    static quint64 nextToken();

    // An idle fetcher last used with these settings and role (background: the counter's session), or a
    // new one on a new thread; either way its open() reuses a live session with the same settings.
    Lease take(const ConnectionSettings &settings, bool background);
    // Back from a model that has disconnected from it: kept for a while, or ended when the pool is full.
    void give(const Lease &lease, const ConnectionSettings &settings, bool background);
    // Connects `pairs` fetcher/counter pairs in the background (when the app connects), so the first grid
    // opened does not wait for connections; idle ones are closed like any other after a while. Each
    // window fetcher then runs `warmUps` (the first windows the likely grids ask for) so that their real
    // first reads find a warm backend; prewarmed() follows when the last one is done.
    void prewarm(const ConnectionSettings &settings, int pairs, const QList<WarmUp> &warmUps = {});
    // Ends a fetcher that is not worth keeping (it never connected).
    void retire(const Lease &lease);
    // Ends every idle fetcher, closing its session (when the app disconnects).
    void clear();
    int idleCount() const { return int(m_idle.size()); }
    // Window fetchers whose warm-ups have not all finished.
    int warmingCount() const { return m_warming; }

Q_SIGNALS:
    void prewarmed();

private:
    struct Idle
    {
        Lease lease;
        ConnectionSettings settings;
        bool background = false;
        quint64 serial = 0;
    };
    WorkerThreads &m_threads;
    QList<Idle> m_idle;
    quint64 m_serial = 0;
    int m_warming = 0; // fetchers still running their warm-ups
};

} // namespace MigrationDesk
