#include "delayproxy.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QMetaObject>
#include <QMutex>
#include <QMutexLocker>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <deque>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// One direction of one connection: chunks wait in arrival order until their due time.
class DelayedPipe : public QObject
{
public:
    DelayedPipe(QTcpSocket *to, const QElapsedTimer &clock, QObject *parent)
        : QObject(parent)
        , m_to(to)
        , m_clock(clock)
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { flush(); });
    }

    // An empty chunk with `close` set closes the far side once everything before it was delivered.
    void push(QByteArray data, qint64 delayNs, bool close = false)
    {
        m_queue.push_back({m_clock.nsecsElapsed() + delayNs, std::move(data), close});
        if (!m_timer.isActive())
            flush();
    }

private:
    struct Chunk
    {
        qint64 dueNs;
        QByteArray data;
        bool close;
    };

    void flush()
    {
        const qint64 now = m_clock.nsecsElapsed();
        while (!m_queue.empty() && m_queue.front().dueNs <= now) {
            Chunk chunk = std::move(m_queue.front());
            m_queue.pop_front();
            if (!m_to)
                continue;
            if (chunk.close)
                m_to->disconnectFromHost();
            else
                m_to->write(chunk.data);
        }
        if (!m_queue.empty())
            m_timer.start(int((m_queue.front().dueNs - now + 999'999) / 1'000'000));
    }

    QPointer<QTcpSocket> m_to;
    const QElapsedTimer &m_clock;
    QTimer m_timer;
    std::deque<Chunk> m_queue;
};

} // namespace

// The proxy's event-loop side: accepts, connects upstream, relays with the delay; proxy thread.
class DelayRelay : public QObject
{
public:
    DelayRelay(const QString &host, int port, int delayMs)
        : m_host(host)
        , m_port(port)
        , m_delayNs(qint64(delayMs) * 1'000'000)
    {
        m_clock.start();
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] { accept(); });
    }

    int listen(QString *error)
    {
        if (m_server.listen(QHostAddress::LocalHost, 0))
            return m_server.serverPort();
        *error = m_server.errorString();
        return 0;
    }

    DelayProxy::Stats stats() const
    {
        QMutexLocker lock(&m_mutex);
        DelayProxy::Stats s = m_stats;
        for (int trips : m_tripsPerConnection)
            s.maxConnectionTrips = std::max(s.maxConnectionTrips, trips);
        return s;
    }

    void reset()
    {
        QMutexLocker lock(&m_mutex);
        m_stats = {};
        m_tripsPerConnection.clear();
        m_epoch++;
    }

private:
    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            auto *upstream = new QTcpSocket(client);
            auto *up = new DelayedPipe(upstream, m_clock, client);
            auto *down = new DelayedPipe(client, m_clock, client);
            int index;
            quint64 epoch;
            {
                QMutexLocker lock(&m_mutex);
                m_stats.connections++;
                m_stats.roundTrips++; // the TCP handshake
                index = int(m_tripsPerConnection.size());
                m_tripsPerConnection.append(1);
                epoch = m_epoch;
            }
            // The first bytes wait one extra round trip: the handshake a real network would cost.
            auto firstUp = std::make_shared<bool>(true);
            auto awaitingReply = std::make_shared<bool>(false);
            QObject::connect(client, &QTcpSocket::readyRead, client, [=, this] {
                const QByteArray data = client->readAll();
                {
                    QMutexLocker lock(&m_mutex);
                    m_stats.bytesUp += data.size();
                }
                *awaitingReply = true;
                up->push(data, m_delayNs * (*firstUp ? 3 : 1));
                *firstUp = false;
            });
            QObject::connect(upstream, &QTcpSocket::readyRead, client, [=, this] {
                const QByteArray data = upstream->readAll();
                {
                    QMutexLocker lock(&m_mutex);
                    m_stats.bytesDown += data.size();
                    if (*awaitingReply) {
                        m_stats.roundTrips++;
                        if (epoch == m_epoch && index < m_tripsPerConnection.size())
                            m_tripsPerConnection[index]++;
                    }
                }
                *awaitingReply = false;
                down->push(data, m_delayNs);
            });
            QObject::connect(client, &QTcpSocket::disconnected, client, [=, this] {
                up->push({}, m_delayNs, true);
            });
            QObject::connect(upstream, &QTcpSocket::disconnected, client, [=, this] {
                down->push({}, m_delayNs, true);
            });
            QObject::connect(upstream, &QTcpSocket::errorOccurred, client, [=](QAbstractSocket::SocketError) {
                if (upstream->state() == QAbstractSocket::UnconnectedState)
                    client->disconnectFromHost();
            });
            // The client is deleted once both sides are gone; the upstream socket and pipes are its children.
            QObject::connect(client, &QTcpSocket::disconnected, client, [=] {
                if (upstream->state() == QAbstractSocket::UnconnectedState)
                    client->deleteLater();
            });
            QObject::connect(upstream, &QTcpSocket::disconnected, client, [=] {
                if (client->state() == QAbstractSocket::UnconnectedState)
                    client->deleteLater();
            });
            // Both ends of a PostgreSQL connection turn Nagle's algorithm off (TCP_NODELAY); the relay
            // stands for the network between them and must not hold small writes back either.
            client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            QObject::connect(upstream, &QTcpSocket::connected, client,
                             [=] { upstream->setSocketOption(QAbstractSocket::LowDelayOption, 1); });
            upstream->connectToHost(m_host, quint16(m_port));
        }
    }

    QString m_host;
    int m_port;
    qint64 m_delayNs;
    QElapsedTimer m_clock;
    QTcpServer m_server;
    mutable QMutex m_mutex;
    DelayProxy::Stats m_stats;
    QList<int> m_tripsPerConnection;
    quint64 m_epoch = 0;
};

DelayProxy::DelayProxy(const QString &upstreamHost, int upstreamPort, int oneWayDelayMs)
    : m_upstreamHost(upstreamHost)
    , m_upstreamPort(upstreamPort)
    , m_delayMs(oneWayDelayMs)
{
}

DelayProxy::~DelayProxy()
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(m_relay, [relay = m_relay] { delete relay; }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

bool DelayProxy::start(QString *error)
{
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(u"delay-proxy"_s);
    m_thread->start();
    QString failure;
    // The relay and its sockets are made on the proxy thread, so they belong to it from the start.
    auto *anchor = new QObject;
    anchor->moveToThread(m_thread.get());
    QMetaObject::invokeMethod(anchor, [this, &failure] {
        m_relay = new DelayRelay(m_upstreamHost, m_upstreamPort, m_delayMs);
        m_port = m_relay->listen(&failure);
    }, Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(anchor, [anchor] { delete anchor; }, Qt::BlockingQueuedConnection);
    if (m_port == 0 && error)
        *error = u"the delay proxy cannot listen: %1"_s.arg(failure);
    return m_port != 0;
}

DelayProxy::Stats DelayProxy::stats() const
{
    return m_relay ? m_relay->stats() : Stats{};
}

void DelayProxy::resetStats()
{
    if (m_relay)
        m_relay->reset();
}

} // namespace MigrationDesk
