#pragma once

#include "browse/fetcherpool.h"
#include "base/workerthreads.h"

#include <QObject>

namespace MigrationDesk {

// The desktop app's composition root: owns the worker threads and the services its windows and views
// share, and hands them out; no widget creates a thread of its own. The GUI main builds one before the
// first window and destroys it after the event loop, which ends every worker in a known order (the
// pool's idle fetchers, then each thread newest first). Tests build their own. GUI thread.
class AppServices : public QObject
{
    Q_OBJECT

public:
    explicit AppServices(QObject *parent = nullptr);
    ~AppServices() override;

    WorkerThreads &threads() { return m_threads; }
    FetcherPool &fetchers() { return m_fetchers; }

private:
    WorkerThreads m_threads;
    FetcherPool m_fetchers; // after m_threads: it retires its fetchers before the threads are joined
};

} // namespace MigrationDesk
