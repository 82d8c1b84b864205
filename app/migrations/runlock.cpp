#include "migrations/runlock.h"

#include "db/pgconnection.h"
#include "db/poolerprobe.h"
#include "migrations/migrationrunner.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

RunLock::RunLock(const ConnectionSettings &settings, const VersionTable &versionTable, int pollIntervalMs)
    : m_settings(settings)
    , m_versionTable(versionTable)
    , m_pollIntervalMs(pollIntervalMs)
    , m_lockSession(m_threads)
{
}

bool RunLock::open(PgConnection &connection, RunResult *result)
{
    // The lock session connects on its own thread while the worker connection opens here.
    m_lockSession.startConnect(m_settings);
    QString connectError;
    const bool workerOpen = connection.open(m_settings, &connectError);
    QString lockError;
    const bool lockOpen = m_lockSession.waitConnected(&lockError);
    if (!workerOpen || !lockOpen)
        return result->fail(RunResult::Status::ConnectionError, workerOpen ? lockError : connectError);
    SqlError probeError;
    const auto pooled = isBehindPooler(connection.pgconn(), &probeError);
    if (!pooled)
        return result->fail(RunResult::Status::ConnectionError, probeError.toString());
    m_pooled = *pooled;
    return true;
}

bool RunLock::take(PgConnection &connection, const std::function<bool()> &cancelled, const Waiting &waiting,
                   RunResult *result)
{
    const auto onLockSession = [this](const QString &sql, const QStringList &params, SqlError *error) {
        return m_lockSession.query(sql, params, error);
    };
    SqlError scopeError;
    const auto scope = AdvisoryLockWaiter::scopeFor(onLockSession, m_versionTable, &scopeError);
    if (!scope)
        return result->fail(RunResult::Status::Failed,
                            tr("Could not take the migration lock: %1").arg(scopeError.toString()));
    m_scope = *scope;
    // Behind a pooler a session lock would stay with whichever server session ran it, long after this run;
    // a transaction keeps the lock session's server session ours until the lock session closes.
    SqlError beginError;
    if (m_pooled && !onLockSession(u"BEGIN ISOLATION LEVEL READ COMMITTED"_s, {}, &beginError))
        return result->fail(RunResult::Status::Failed,
                            tr("Could not take the migration lock: %1").arg(beginError.toString()));
    if (!acquire(onLockSession, MigrationRunner::lockKey(), AdvisoryLockWaiter::Holder::OtherMigration, cancelled,
                 waiting, result))
        return false;
    // Through a pooler the SQL connection has no session of its own to guard; a killed run's transaction
    // ends with its client, and no non-transactional revision runs there (see MigrationRunner::planSteps).
    if (m_pooled)
        return true;
    // The worker lock is only free once the SQL session of any killed earlier run has ended, so we
    // never race a dying backend that still holds table locks or an unfinished index build.
    return acquire([&connection](const QString &sql, const QStringList &params, SqlError *error) {
        return connection.query(sql, params, error);
    }, MigrationRunner::workerLockKey(), AdvisoryLockWaiter::Holder::InterruptedRun, cancelled, waiting, result);
}

bool RunLock::acquire(const AdvisoryLockWaiter::QueryFunction &query, qint32 key, AdvisoryLockWaiter::Holder holder,
                      const std::function<bool()> &cancelled, const Waiting &waiting, RunResult *result)
{
    AdvisoryLockWaiter waiter(query, key, m_scope, m_pollIntervalMs,
                              m_pooled ? AdvisoryLockWaiter::Lifetime::Transaction : AdvisoryLockWaiter::Lifetime::Session);
    QString error;
    const auto outcome = waiter.take(
        holder, cancelled, [&](const QString &who, const QString &note) { waiting(holder, who, note); }, &error);
    if (outcome == AdvisoryLockWaiter::Outcome::Taken)
        return true;
    return result->fail(outcome == AdvisoryLockWaiter::Outcome::Cancelled ? RunResult::Status::Cancelled
                                                                          : RunResult::Status::Failed,
                        error);
}

} // namespace MigrationDesk
