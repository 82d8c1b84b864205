#include "db/locksession.h"

#include "base/workerthreads.h"

#include <libpq-fe.h>

#include <QByteArray>
#include <QMetaObject>
#include <QObject>
#include <QSemaphore>

#include <vector>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

// What the connect thread hands back: the connection, once `done` is released.
struct LockSession::Connect
{
    QSemaphore done;
    PGconn *conn = nullptr;
};

LockSession::LockSession(WorkerThreads &threads)
    : m_threads(threads)
{
}

LockSession::~LockSession()
{
    finishConnect();
    if (m_conn) {
        // Behind a pooler the lock is held in a transaction: end it, so the server session goes back to
        // the pool clean rather than being closed by the pooler.
        if (PQtransactionStatus(m_conn) != PQTRANS_IDLE)
            PQclear(PQexec(m_conn, "ROLLBACK"));
        PQfinish(m_conn);
    }
}

void LockSession::startConnect(const ConnectionSettings &settings, const QString &applicationName)
{
    finishConnect(); // a second start: the first connect's thread is joined first
    if (m_conn) {
        PQfinish(m_conn);
        m_conn = nullptr;
    }
    m_settings = settings;
    QList<QPair<QByteArray, QByteArray>> params;
    auto add = [&params](const char *key, const QString &value) {
        if (!value.isEmpty())
            params.append({QByteArray(key), value.toUtf8()});
    };
    add("host", settings.host);
    add("port", settings.port > 0 ? QString::number(settings.port) : QString());
    add("dbname", settings.database);
    add("user", settings.user);
    add("password", settings.password);
    add("sslmode", settings.sslmode);
    add("sslrootcert", settings.sslrootcert);
    add("service", settings.service);
    add("client_encoding", u"UTF8"_s);
    add("application_name", settings.options.value(u"application_name"_s, applicationName));
    add("connect_timeout", settings.options.value(u"connect_timeout"_s, u"10"_s));
    for (auto it = settings.options.cbegin(); it != settings.options.cend(); ++it) {
        if (it.key() != QLatin1String("application_name") && it.key() != QLatin1String("connect_timeout"))
            params.append({it.key().toUtf8(), it.value().toUtf8()});
    }
    m_connect = std::make_shared<Connect>();
    // The worker is only the thread's context: the connect is one queued call, which releases `done`.
    m_connectWorker = m_threads.start(new QObject, u"LockSession connect"_s);
    QMetaObject::invokeMethod(m_connectWorker, [connect = m_connect, params] {
        std::vector<const char *> keys;
        std::vector<const char *> values;
        for (const auto &p : params) {
            keys.push_back(p.first.constData());
            values.push_back(p.second.constData());
        }
        keys.push_back(nullptr);
        values.push_back(nullptr);
        connect->conn = PQconnectdbParams(keys.data(), values.data(), 0);
        connect->done.release();
    }, Qt::QueuedConnection);
}

void LockSession::finishConnect()
{
    if (!m_connect)
        return;
    // The queued connect always runs (its thread is only asked to quit after it), bounded by connect_timeout.
    m_connect->done.acquire();
    m_threads.stop(m_connectWorker);
    m_connectWorker = nullptr;
    m_conn = m_connect->conn;
    m_connect.reset();
}

bool LockSession::waitConnected(QString *error)
{
    finishConnect();
    if (m_conn && PQstatus(m_conn) == CONNECTION_OK)
        return true;
    if (error)
        *error = describeConnectionError(m_conn ? QString::fromUtf8(PQerrorMessage(m_conn)) : QString(), m_settings);
    return false;
}

std::optional<QList<QStringList>> LockSession::query(const QString &sql, const QStringList &params, SqlError *error)
{
    return PgConnection::queryOn(m_conn, sql, params, error);
}

} // namespace MigrationDesk
