#pragma once

#include <QString>
#include <QThread>

#include <memory>

namespace MigrationDesk {

class DelayRelay;

// A loopback TCP proxy that forwards every chunk after a fixed one-way delay and counts round trips,
// so that latency benchmarks can put a "remote" server in front of the fixture; the relay runs on the
// proxy's own thread, the facade is used from the thread that made it.
//
// A round trip is counted each time the server answers after the client has sent something. A new
// connection pays (and counts) one extra round trip before its first bytes reach the server, for the
// TCP handshake a real network would add.
class DelayProxy
{
public:
    struct Stats
    {
        int connections = 0;
        int roundTrips = 0;         // over all connections
        int maxConnectionTrips = 0; // the busiest single connection
        qint64 bytesUp = 0;         // client to server
        qint64 bytesDown = 0;
    };

    DelayProxy(const QString &upstreamHost, int upstreamPort, int oneWayDelayMs);
    ~DelayProxy();
    DelayProxy(const DelayProxy &) = delete;
    DelayProxy &operator=(const DelayProxy &) = delete;

    // Listens on 127.0.0.1 on a free port; false with *error when it cannot.
    bool start(QString *error = nullptr);
    int port() const { return m_port; }
    int oneWayDelayMs() const { return m_delayMs; }

    // Counters since the start or the last reset; connections still open keep counting.
    Stats stats() const;
    void resetStats();

private:
    QString m_upstreamHost;
    int m_upstreamPort = 0;
    int m_delayMs = 0;
    int m_port = 0;
    std::unique_ptr<QThread> m_thread;
    DelayRelay *m_relay = nullptr; // lives on m_thread
};

} // namespace MigrationDesk
