#pragma once

#include "db/connectionsettings.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QList>
#include <QMetaType>
#include <QMutex>
#include <QObject>
#include <QString>

#include <memory>

class QTimer;

namespace MigrationDesk {

class PgConnection;

// One session that holds a lock the runner's statement waits for, as pg_stat_activity shows it.
struct LockBlocker
{
    int pid = 0;
    QString user;
    QString application;
    QString clientAddress; // "local socket" for a Unix socket
    QString state;         // e.g. "idle in transaction"
    double stateSeconds = 0; // how long it has been in that state
    QString query;         // its last statement, cut short, password literals redacted

    bool operator==(const LockBlocker &other) const { return pid == other.pid; }
    // "pid 123 (application 'psql', user bob)": the short form a failure message names.
    QString shortText() const;
    // Everything above on one line, for the run log and stderr.
    QString longText() const;
};

// Names whoever blocks the runner: on a connection of its own, polls pg_blocking_pids() for the runner's
// session and reads the blockers from pg_stat_activity. Once the runner has been blocked for a moment
// (reportAfterMs) it emits blockersChanged(), again when the blockers change (at most once a second
// otherwise), and an empty list once the wait is over. Lives on its own thread (started through a
// WorkerThreads), because the runner's thread is busy in the statement; lastSeen() is thread-safe.
class BlockerWatcher : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int pollMs = 200;
        int reportAfterMs = 1000;
        // A run over sooner never opens the watcher's connection (most runs of small revisions).
        int connectAfterMs = 300;
    };

    BlockerWatcher(const ConnectionSettings &settings, int watchedPid, Options options);
    ~BlockerWatcher() override;

    // Called on the watcher's thread (a queued call): after connectAfterMs opens the connection, then
    // polls until deleted.
    void start();
    // The blockers of the latest wait seen, also one shorter than reportAfterMs; any thread.
    QList<LockBlocker> lastSeen() const;
    // Forgets them, e.g. when a new statement starts; any thread.
    void clearLastSeen();

    // The blockers as one translated paragraph ("Waiting for a lock held by: ...").
    static QString describe(const QList<LockBlocker> &blockers);

Q_SIGNALS:
    // Emitted on the watcher's thread: connect with Qt::DirectConnection to pass it on while the runner's
    // thread is blocked. Empty: the runner no longer waits.
    void blockersChanged(const QList<MigrationDesk::LockBlocker> &blockers);

private:
    void connectAndPoll();
    void poll();

    ConnectionSettings m_settings;
    int m_watchedPid;
    Options m_options;
    std::unique_ptr<PgConnection> m_connection;
    QTimer *m_timer = nullptr;
    QElapsedTimer m_blockedSince;
    QElapsedTimer m_lastEmit;
    QList<int> m_shownPids;
    mutable QMutex m_mutex;
    QList<LockBlocker> m_lastSeen; // guarded by m_mutex
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::LockBlocker)
