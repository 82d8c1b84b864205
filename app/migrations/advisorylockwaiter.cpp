#include "migrations/advisorylockwaiter.h"

#include "db/pgconnection.h"
#include "db/sqlident.h"
#include "migrations/versiontable.h"

#include <QElapsedTimer>
#include <QThread>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

AdvisoryLockWaiter::AdvisoryLockWaiter(QueryFunction query, qint32 key, const QString &scope, int pollIntervalMs,
                                       Lifetime lifetime)
    : m_query(std::move(query))
    , m_key(QString::number(key))
    , m_scope(scope)
    , m_pollIntervalMs(pollIntervalMs)
    , m_lifetime(lifetime)
{
}

std::optional<QString> AdvisoryLockWaiter::scopeFor(const QueryFunction &query, const VersionTable &table,
                                                    SqlError *error)
{
    // The table's catalog name is exactly its spelling: VersionTable quotes every name that is not
    // plain lowercase, so only the schema needs the server (the search path decides it when omitted).
    const auto rows = query(u"SELECT coalesce((SELECT n.nspname FROM pg_class c JOIN pg_namespace n "
                            "ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)), "
                            "nullif($2, ''), current_schema(), '')"_s,
                            {table.qualifiedSql(), table.schema()}, error);
    if (!rows || rows->isEmpty())
        return std::nullopt;
    return quoteQualified(rows->first().value(0), table.table());
}

AdvisoryLockWaiter::Outcome AdvisoryLockWaiter::take(Holder holder, const std::function<bool()> &cancelled,
                                                     const std::function<void(const QString &, const QString &)> &waiting,
                                                     QString *error)
{
    bool announced = false;
    QElapsedTimer sinceAnnounce;
    for (;;) {
        SqlError sqlError;
        // Polled outside any transaction so the waiting session never holds a snapshot that a
        // CREATE INDEX CONCURRENTLY in the holder would have to wait for. (A transaction-scoped poll
        // runs in READ COMMITTED, which holds no snapshot between statements.)
        const auto rows = m_query(m_lifetime == Lifetime::Session
                                      ? u"SELECT pg_try_advisory_lock($1::integer, hashtext($2))"_s
                                      : u"SELECT pg_try_advisory_xact_lock($1::integer, hashtext($2))"_s,
                                  {m_key, m_scope}, &sqlError);
        if (!rows) {
            *error = tr("Could not take the migration lock: %1").arg(sqlError.toString());
            return Outcome::Failed;
        }
        if (!rows->isEmpty() && rows->first().value(0) == QLatin1String("t"))
            return Outcome::Taken;
        if (cancelled()) {
            *error = tr("Cancelled while waiting for the migration lock.");
            return Outcome::Cancelled;
        }
        if (!announced || sinceAnnounce.elapsed() > 10000) {
            const QString who = describeHolder();
            waiting(who, holder == Holder::OtherMigration
                             ? tr("Another migration holds the lock on this database (%1); waiting for it to finish.").arg(who)
                             : tr("Waiting for the server to end the session of an interrupted run (%1).").arg(who));
            announced = true;
            sinceAnnounce.start();
        }
        QThread::msleep(uint(m_pollIntervalMs));
    }
}

QString AdvisoryLockWaiter::describeHolder() const
{
    const auto holder = m_query(
        u"SELECT a.pid, coalesce(a.usename, ''), coalesce(a.application_name, ''), "
                       "coalesce(host(a.client_addr), 'local socket'), "
                       "coalesce(to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ'), '') "
                       "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                       "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::integer::oid "
                       "AND l.objid = hashtext($2)::oid AND l.objsubid = 2 "
                       "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"_s,
        {m_key, m_scope}, nullptr);
    if (!holder || holder->isEmpty())
        return tr("another session");
    const QStringList &h = holder->first();
    return tr("pid %1, user %2, application %3, from %4, connected since %5")
        .arg(h.value(0), h.value(1), h.value(2), h.value(3), h.value(4));
}

} // namespace MigrationDesk
