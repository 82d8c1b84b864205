#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace MigrationDesk {

class PgFixture;

// Runs a real PgBouncer (Debian's /usr/sbin/pgbouncer) in pool_mode = transaction in front of a PgFixture's
// server, for tests of what survives a transaction pooler; main thread. Clients log in to it over TCP with
// the fixture's superuser and password (scram-sha-256); it reaches the server through the fixture's
// private socket. As root it runs as the postgres system user, since PgBouncer refuses root.
class PgBouncerFixture
{
public:
    explicit PgBouncerFixture(const PgFixture &server);
    ~PgBouncerFixture(); // stop()
    PgBouncerFixture(const PgBouncerFixture &) = delete;
    PgBouncerFixture &operator=(const PgBouncerFixture &) = delete;

    // Starts PgBouncer on a free port with at most `poolSize` server connections per database, so that
    // clients share them. False with *error (including the tail of its log) when it did not start.
    bool start(QString *error, int poolSize = 5);
    void stop();
    bool isRunning() const { return m_running; }

    int port() const { return m_port; }
    // postgresql://postgres:PW@127.0.0.1:PORT/db through the pooler (password percent-encoded).
    QString url(const QString &db) const;
    // The server fixture's environment (PGHOST/PGPORT...) pointing at the pooler instead.
    QProcessEnvironment environment(const QString &db) const;
    QString logTail() const;

private:
    const PgFixture &m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    qint64 m_watchdogPid = 0;
    int m_port = 0;
    bool m_running = false;
};

} // namespace MigrationDesk
