// WorkerThreads: workers run on named threads of their own, are deleted there, end without blocking the
// caller when retired, and are joined newest first at shutdown, leaving no thread or worker behind.
#include "base/workerthreads.h"

#include <QMutex>
#include <QPointer>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

// What every probe worker saw, shared with the test thread.
struct Journal
{
    QMutex mutex;
    QStringList deletedOn; // the name of the thread each worker was deleted on, in order
    std::atomic<int> alive{0};
};

class Probe : public QObject
{
    Q_OBJECT

public:
    explicit Probe(Journal *journal)
        : m_journal(journal)
    {
        ++m_journal->alive;
    }
    ~Probe() override
    {
        QMutexLocker lock(&m_journal->mutex);
        m_journal->deletedOn.append(QThread::currentThread()->objectName());
        --m_journal->alive;
    }

    // Holds its thread until `release` is released (or the interrupt releases it).
    void block(QSemaphore *entered, QSemaphore *release)
    {
        entered->release();
        release->acquire();
    }

    QString threadName() const { return QThread::currentThread()->objectName(); }

private:
    Journal *m_journal;
};

} // namespace

class TestWorkerThreads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runsOnANamedThreadOfItsOwn();
    void workerDeletedOnItsOwnThread();
    void shutdownJoinsNewestFirst();
    void retireDoesNotWaitForABusyWorker();
    void stopWaitsUntilTheWorkerIsGone();
    void interruptRunsBeforeTheThreadQuits();
    void unknownOrRepeatedRetireIsHarmless();
    void nothingLeftAfterDestruction();
};

void TestWorkerThreads::runsOnANamedThreadOfItsOwn()
{
    Journal journal;
    WorkerThreads threads;
    Probe *probe = threads.start(new Probe(&journal), u"probe thread"_s);
    QVERIFY(probe->thread() != QThread::currentThread());
    QVERIFY(probe->thread()->isRunning());
    // Handed back under a QMutex rather than through a blocking call: ThreadSanitizer sees our mutexes,
    // not the semaphore inside an uninstrumented Qt.
    QMutex mutex;
    QString name;
    QSemaphore done;
    QMetaObject::invokeMethod(probe, [probe, &mutex, &name, &done] {
        {
            QMutexLocker lock(&mutex);
            name = probe->threadName();
        }
        done.release();
    }, Qt::QueuedConnection);
    done.acquire();
    QMutexLocker lock(&mutex);
    QCOMPARE(name, u"probe thread"_s);
    QCOMPARE(threads.names(), QStringList{u"probe thread"_s});
}

void TestWorkerThreads::workerDeletedOnItsOwnThread()
{
    Journal journal;
    WorkerThreads threads;
    Probe *probe = threads.start(new Probe(&journal), u"own"_s);
    QPointer<QThread> thread = probe->thread();
    threads.retire(probe);
    QTRY_COMPARE(threads.count(), 0);
    QCOMPARE(journal.alive.load(), 0);
    QCOMPARE(journal.deletedOn, QStringList{u"own"_s});
    QVERIFY(thread.isNull()); // the thread object went too
}

void TestWorkerThreads::shutdownJoinsNewestFirst()
{
    Journal journal;
    WorkerThreads threads;
    threads.start(new Probe(&journal), u"first"_s);
    threads.start(new Probe(&journal), u"second"_s);
    threads.start(new Probe(&journal), u"third"_s);
    QCOMPARE(threads.names(), (QStringList{u"first"_s, u"second"_s, u"third"_s}));
    threads.shutdown();
    QCOMPARE(threads.count(), 0);
    QCOMPARE(journal.alive.load(), 0);
    QCOMPARE(journal.deletedOn, (QStringList{u"third"_s, u"second"_s, u"first"_s}));
}

void TestWorkerThreads::retireDoesNotWaitForABusyWorker()
{
    Journal journal;
    WorkerThreads threads;
    QSemaphore entered;
    QSemaphore release;
    Probe *probe = threads.start(new Probe(&journal), u"busy"_s);
    QMetaObject::invokeMethod(probe, [probe, &entered, &release] { probe->block(&entered, &release); },
                              Qt::QueuedConnection);
    entered.acquire();
    // The worker is inside a call that cannot return yet: a blocking retire would hang here for good.
    threads.retire(probe);
    QCOMPARE(journal.alive.load(), 1);
    QCOMPARE(threads.count(), 1);
    release.release();
    QTRY_COMPARE(threads.count(), 0);
    QCOMPARE(journal.alive.load(), 0);
    QCOMPARE(journal.deletedOn, QStringList{u"busy"_s});
}

void TestWorkerThreads::stopWaitsUntilTheWorkerIsGone()
{
    Journal journal;
    WorkerThreads threads;
    Probe *kept = threads.start(new Probe(&journal), u"kept"_s);
    Probe *stopped = threads.start(new Probe(&journal), u"stopped"_s);
    threads.stop(stopped);
    // No event loop ran: stop() itself waited for the deletion.
    QCOMPARE(journal.deletedOn, QStringList{u"stopped"_s});
    QCOMPARE(threads.names(), QStringList{u"kept"_s});
    QVERIFY(kept->thread()->isRunning());
}

void TestWorkerThreads::interruptRunsBeforeTheThreadQuits()
{
    Journal journal;
    QSemaphore entered;
    QSemaphore release;
    int interrupted = 0;
    {
        WorkerThreads threads;
        Probe *probe = threads.start(new Probe(&journal), u"interruptible"_s, [&] {
            ++interrupted;
            release.release();
        });
        QMetaObject::invokeMethod(probe, [probe, &entered, &release] { probe->block(&entered, &release); },
                                  Qt::QueuedConnection);
        entered.acquire();
        // Without the interrupt releasing the worker, the join in the destructor would never return.
    }
    QCOMPARE(interrupted, 1);
    QCOMPARE(journal.alive.load(), 0);
}

void TestWorkerThreads::unknownOrRepeatedRetireIsHarmless()
{
    Journal journal;
    WorkerThreads threads;
    int interrupted = 0;
    Probe *probe = threads.start(new Probe(&journal), u"once"_s, [&] { ++interrupted; });
    QObject stranger;
    threads.retire(&stranger);
    threads.stop(&stranger);
    threads.retire(nullptr);
    QCOMPARE(threads.count(), 1);
    threads.retire(probe);
    threads.retire(probe); // already on its way out: not interrupted again
    QCOMPARE(interrupted, 1);
    QTRY_COMPARE(threads.count(), 0);
    QCOMPARE(journal.deletedOn, QStringList{u"once"_s});
}

void TestWorkerThreads::nothingLeftAfterDestruction()
{
    Journal journal;
    QList<QPointer<QThread>> started;
    {
        WorkerThreads threads;
        QList<Probe *> probes;
        for (int i = 0; i < 5; ++i) {
            probes.append(threads.start(new Probe(&journal), u"worker %1"_s.arg(i)));
            started.append(probes.last()->thread());
        }
        // Some on their way out, some still running: the destructor joins both kinds, with no event
        // loop ever running to reap the retired ones.
        threads.retire(probes.at(1));
        threads.retire(probes.at(3));
        QCOMPARE(threads.count(), 5);
    }
    QCOMPARE(journal.alive.load(), 0);
    QCOMPARE(journal.deletedOn.size(), 5);
    for (const QPointer<QThread> &thread : std::as_const(started))
        QVERIFY(thread.isNull());
    // Started again after a shutdown: a fresh thread, joined like the first ones.
    WorkerThreads threads;
    threads.start(new Probe(&journal), u"again"_s);
    threads.shutdown();
    QCOMPARE(journal.deletedOn.last(), u"again"_s);
    QCOMPARE(journal.alive.load(), 0);
}

QTEST_GUILESS_MAIN(TestWorkerThreads)
#include "tst_workerthreads.moc"
