#include "db/locksession.h"

#include <libpq-fe.h>

#include <QByteArray>
#include <QThread>

#include <vector>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

LockSession::~LockSession()
{
    if (m_connectThread)
        m_connectThread->wait();
    if (m_conn)
        PQfinish(m_conn);
}

void LockSession::startConnect(const ConnectionSettings &settings, const QString &applicationName)
{
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
    if (m_connectThread)
        m_connectThread->wait(); // a second start: the first connect's thread must not be deleted running
    m_connectThread = std::make_unique<QThread>();
    m_connectThread->setObjectName(u"LockSession connect"_s);
    // One call and no event loop: the connect runs as the thread starts, and its quit() ends the thread
    // before the loop begins. (QThread::create() would do, but it drags std::future into the CLI.)
    QThread *thread = m_connectThread.get();
    QObject::connect(thread, &QThread::started, thread, [this, thread, params] {
        std::vector<const char *> keys;
        std::vector<const char *> values;
        for (const auto &p : params) {
            keys.push_back(p.first.constData());
            values.push_back(p.second.constData());
        }
        keys.push_back(nullptr);
        values.push_back(nullptr);
        m_conn = PQconnectdbParams(keys.data(), values.data(), 0);
        thread->quit();
    }, Qt::DirectConnection);
    m_connectThread->start();
}

bool LockSession::waitConnected(QString *error)
{
    if (m_connectThread) {
        m_connectThread->wait();
        m_connectThread.reset();
    }
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
