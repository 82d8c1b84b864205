#include "migrations/blockerwatcher.h"

#include "db/pgconnection.h"
#include "migrations/statementexecutor.h"

#include <QMutexLocker>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The messages share the runner's translation context, like every other text of a run.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MigrationRunner)
};

constexpr int shownQueryLength = 160;

} // namespace

QString LockBlocker::shortText() const
{
    return Text::tr("pid %1 (application '%2', user %3)").arg(QString::number(pid), application, user);
}

QString LockBlocker::longText() const
{
    return Text::tr("pid %1, user %2, application '%3', from %4, %5 for %6 s: %7")
        .arg(QString::number(pid), user, application, clientAddress, state, QString::number(stateSeconds, 'f', 1),
             query);
}

BlockerWatcher::BlockerWatcher(const ConnectionSettings &settings, int watchedPid, Options options)
    : m_settings(settings)
    , m_watchedPid(watchedPid)
    , m_options(options)
{
    qRegisterMetaType<MigrationDesk::LockBlocker>();
    qRegisterMetaType<QList<MigrationDesk::LockBlocker>>();
}

BlockerWatcher::~BlockerWatcher() = default;

void BlockerWatcher::start()
{
    QTimer::singleShot(m_options.connectAfterMs, this, &BlockerWatcher::connectAndPoll);
}

void BlockerWatcher::connectAndPoll()
{
    m_connection = std::make_unique<PgConnection>();
    QString error;
    // A watcher that cannot connect names nobody; the run itself goes on as before.
    if (!m_connection->open(m_settings, &error, u"migrationdesk-watcher"_s)) {
        m_connection.reset();
        return;
    }
    m_timer = new QTimer(this);
    m_timer->setInterval(m_options.pollMs);
    connect(m_timer, &QTimer::timeout, this, &BlockerWatcher::poll);
    m_timer->start();
    poll();
}

QList<LockBlocker> BlockerWatcher::lastSeen() const
{
    QMutexLocker locker(&m_mutex);
    return m_lastSeen;
}

void BlockerWatcher::clearLastSeen()
{
    QMutexLocker locker(&m_mutex);
    m_lastSeen.clear();
}

QString BlockerWatcher::describe(const QList<LockBlocker> &blockers)
{
    QStringList lines;
    for (const LockBlocker &b : blockers)
        lines << u"  "_s + b.longText();
    return Text::tr("Waiting for a lock held by:") + QLatin1Char('\n') + lines.join(QLatin1Char('\n'));
}

void BlockerWatcher::poll()
{
    SqlError error;
    const auto rows = m_connection->query(
        u"SELECT a.pid, coalesce(a.usename, ''), coalesce(a.application_name, ''), "
        "coalesce(host(a.client_addr), 'local socket'), coalesce(a.state, ''), "
        "coalesce(round(extract(epoch FROM clock_timestamp() - a.state_change)::numeric, 1), 0), "
        "left(coalesce(a.query, ''), $2::integer) "
        "FROM pg_catalog.pg_stat_activity a WHERE a.pid = ANY (pg_catalog.pg_blocking_pids($1::integer)) "
        "ORDER BY a.pid"_s,
        {QString::number(m_watchedPid), QString::number(shownQueryLength * 4)}, &error);
    if (!rows)
        return; // tried again on the next tick; the watcher never stops the run
    QList<LockBlocker> blockers;
    QList<int> pids;
    for (const QStringList &r : *rows) {
        LockBlocker b;
        b.pid = r.value(0).toInt();
        b.user = r.value(1);
        b.application = r.value(2);
        b.clientAddress = r.value(3);
        b.state = r.value(4);
        b.stateSeconds = r.value(5).toDouble();
        b.query = redactPasswordLiterals(r.value(6)).simplified();
        if (b.query.size() > shownQueryLength)
            b.query = b.query.left(shownQueryLength - 1) + u"…"_s;
        blockers << b;
        pids << b.pid;
    }
    if (!blockers.isEmpty()) {
        QMutexLocker locker(&m_mutex);
        m_lastSeen = blockers;
    }
    if (blockers.isEmpty()) {
        m_blockedSince.invalidate();
        if (!m_shownPids.isEmpty()) {
            m_shownPids.clear();
            Q_EMIT blockersChanged({});
        }
        return;
    }
    if (!m_blockedSince.isValid())
        m_blockedSince.start();
    if (m_blockedSince.elapsed() < m_options.reportAfterMs)
        return;
    if (pids != m_shownPids || m_lastEmit.elapsed() >= 1000) {
        m_shownPids = pids;
        m_lastEmit.start();
        Q_EMIT blockersChanged(blockers);
    }
}

} // namespace MigrationDesk
