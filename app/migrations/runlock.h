#pragma once

#include "base/workerthreads.h"
#include "db/connectionsettings.h"
#include "db/locksession.h"
#include "migrations/advisorylockwaiter.h"
#include "migrations/versiontable.h"

#include <QCoreApplication>
#include <QString>

#include <functional>

namespace MigrationDesk {

class PgConnection;
struct RunResult;

// Opens one run's two connections and takes its locks: the run lock on a bare LockSession, keyed on the
// version table as the server resolves it, then the worker lock on the SQL connection. Behind a connection
// pooler the run lock is held in a transaction of the lock session, and there is no worker lock. Both are
// held until this object and the connection close. For one run; blocks the runner's thread, which owns
// it (and the WorkerThreads the lock session connects on); shares the runner's translation context.
class RunLock
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MigrationRunner)

public:
    // Called on each wait for a lock (the first miss, then every 10 s): who holds it, and the note for the user.
    using Waiting = std::function<void(AdvisoryLockWaiter::Holder holder, const QString &who, const QString &note)>;

    RunLock(const ConnectionSettings &settings, const VersionTable &versionTable, int pollIntervalMs);

    // Opens `connection` here while the lock session connects on its own thread, then asks whether a
    // pooler sits in between. False once *result says why.
    bool open(PgConnection &connection, RunResult *result);
    bool pooled() const { return m_pooled; }
    // Takes the run lock, then (directly connected) the worker lock, polling until they are free or
    // cancelled() says stop. False once *result says why.
    bool take(PgConnection &connection, const std::function<bool()> &cancelled, const Waiting &waiting,
              RunResult *result);

private:
    bool acquire(const AdvisoryLockWaiter::QueryFunction &query, qint32 key, AdvisoryLockWaiter::Holder holder,
                 const std::function<bool()> &cancelled, const Waiting &waiting, RunResult *result);

    ConnectionSettings m_settings;
    VersionTable m_versionTable;
    int m_pollIntervalMs;
    WorkerThreads m_threads; // before m_lockSession, which it must outlive
    LockSession m_lockSession;
    QString m_scope;
    bool m_pooled = false;
};

} // namespace MigrationDesk
