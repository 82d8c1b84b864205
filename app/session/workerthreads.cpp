#include "session/workerthreads.h"

#include <QThread>

namespace MigrationDesk {

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
    entry.thread->wait();
    delete entry.thread;
}

void WorkerThreads::reap(quint64 id)
{
    for (qsizetype i = 0; i < m_threads.size(); ++i) {
        if (m_threads.at(i).id == id) {
            // finished is emitted just before the thread returns: waiting here is a matter of microseconds.
            Entry entry = m_threads.takeAt(i);
            entry.thread->wait();
            delete entry.thread;
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
        entry.thread->wait();
        delete entry.thread;
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
