#include "base/workerthreads.h"

#include <QThread>

// ThreadSanitizer builds (MIGRATIONDESK_SANITIZE=thread) only: Qt's join (QThread::wait) happens inside the
// uninstrumented Qt, so it is told here that a worker's deletion comes before its join returns.
#if defined(__SANITIZE_THREAD__)
#define MD_TSAN_ANNOTATE 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define MD_TSAN_ANNOTATE 1
#endif
#endif
#ifdef MD_TSAN_ANNOTATE
extern "C" void __tsan_acquire(void *addr);
extern "C" void __tsan_release(void *addr);
#endif

namespace MigrationDesk {

namespace {

void joinAndDelete(QThread *thread)
{
    thread->wait();
#ifdef MD_TSAN_ANNOTATE
    __tsan_acquire(thread);
#endif
    delete thread;
}

} // namespace

WorkerThreads::WorkerThreads(QObject *parent)
    : QObject(parent)
{
}

WorkerThreads::~WorkerThreads()
{
    shutdown();
}

void WorkerThreads::startThread(QObject *worker, const QString &name, Interrupt interrupt)
{
    Q_ASSERT(worker && !worker->parent());
    Entry entry;
    entry.id = ++m_nextId;
    entry.thread = new QThread;
    entry.thread->setObjectName(name);
    entry.worker = worker;
    entry.interrupt = std::move(interrupt);
    worker->moveToThread(entry.thread);
    // QThread deletes deferred objects after finished, still on the ending thread.
    connect(entry.thread, &QThread::finished, worker, &QObject::deleteLater);
#ifdef MD_TSAN_ANNOTATE
    connect(worker, &QObject::destroyed, worker, [thread = entry.thread] { __tsan_release(thread); },
            Qt::DirectConnection);
#endif
    // Queued to this thread; by id, because a thread joined by shutdown() is gone before the call arrives.
    connect(entry.thread, &QThread::finished, this, [this, id = entry.id] { reap(id); }, Qt::QueuedConnection);
    m_threads.append(entry);
    entry.thread->start();
}

qsizetype WorkerThreads::indexOfWorker(const QObject *worker) const
{
    for (qsizetype i = 0; i < m_threads.size(); ++i) {
        if (worker && m_threads.at(i).worker == worker)
            return i;
    }
    return -1;
}

void WorkerThreads::requestEnd(Entry &entry)
{
    if (entry.worker) {
        if (entry.interrupt)
            entry.interrupt();
        entry.worker = nullptr;
        entry.interrupt = {};
    }
    entry.thread->quit();
}

void WorkerThreads::retire(QObject *worker)
{
    const qsizetype i = indexOfWorker(worker);
    if (i >= 0)
        requestEnd(m_threads[i]);
}

void WorkerThreads::stop(QObject *worker)
{
    const qsizetype i = indexOfWorker(worker);
    if (i < 0)
        return;
    Entry entry = m_threads.takeAt(i);
    requestEnd(entry);
    joinAndDelete(entry.thread);
}

void WorkerThreads::reap(quint64 id)
{
    for (qsizetype i = 0; i < m_threads.size(); ++i) {
        if (m_threads.at(i).id == id) {
            // finished is emitted just before the thread returns: waiting here is a matter of microseconds.
            joinAndDelete(m_threads.takeAt(i).thread);
            return;
        }
    }
}

void WorkerThreads::shutdown()
{
    // One at a time, newest first: a worker started later may depend on one started earlier, never
    // the other way round.
    while (!m_threads.isEmpty()) {
        Entry entry = m_threads.takeLast();
        requestEnd(entry);
        joinAndDelete(entry.thread);
    }
}

QStringList WorkerThreads::names() const
{
    QStringList names;
    for (const Entry &entry : m_threads)
        names.append(entry.thread->objectName());
    return names;
}

} // namespace MigrationDesk
