#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>

class QThread;

namespace MigrationDesk {

// Owns the worker threads: runs each worker object on a named thread of its own, ends one with or without
// waiting, and at shutdown quits and joins every thread still there, newest first, so no thread outlives
// the objects it talks to. A worker is deleted on its own thread once its event loop has ended, so the
// connection it holds is closed on the thread that opened it. Used only from the thread that created it
// (the GUI thread in the app, the main thread in the CLI and tests).
class WorkerThreads : public QObject
{
    Q_OBJECT

public:
    // Called on the owner's thread just before a worker's thread is asked to quit, to cut short what the
    // worker is doing (a statement, a connect); it must be safe to call from another thread than the worker's.
    using Interrupt = std::function<void()>;

    explicit WorkerThreads(QObject *parent = nullptr);
    ~WorkerThreads() override;

    // Moves `worker` (which must have no parent) onto a new thread named `name`, starts the thread and
    // returns the worker. From here on the worker belongs to its thread: talk to it with queued calls.
    template <typename Worker>
    Worker *start(Worker *worker, const QString &name, Interrupt interrupt = {})
    {
        startThread(worker, name, std::move(interrupt));
        return worker;
    }

    // Ends the worker's thread once its current call returns, without waiting for it: the worker is
    // deleted on its thread, the thread once it has ended. Nothing the worker still emits is lost on a
    // receiver that outlives it. Does nothing for a worker that was never started here or already ended.
    void retire(QObject *worker);
    // As retire(), then waits until the thread has ended and the worker is deleted. For owners whose
    // worker calls back into them and so must be gone before they are.
    void stop(QObject *worker);
    // Interrupts, quits and joins every thread still owned, the newest first; retired threads still
    // ending are joined in the same order. Called by the destructor; afterwards new workers may start again.
    void shutdown();

    // Threads started and not yet joined (retired ones still ending included).
    int count() const { return int(m_threads.size()); }
    // The name of every such thread, oldest first.
    QStringList names() const;

private:
    struct Entry
    {
        quint64 id = 0;
        QThread *thread = nullptr;
        QObject *worker = nullptr; // null once retired
        Interrupt interrupt;
    };

    void startThread(QObject *worker, const QString &name, Interrupt interrupt);
    qsizetype indexOfWorker(const QObject *worker) const;
    // Interrupts the worker (if still owned) and asks its thread to quit.
    void requestEnd(Entry &entry);
    void reap(quint64 id);

    QList<Entry> m_threads; // in start order
    quint64 m_nextId = 0;
};

} // namespace MigrationDesk
