#pragma once

#include "db/connectionsettings.h"
#include "db/pgconnection.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QThread>

#include <memory>
#include <optional>

namespace MigrationDesk {

// A bare libpq session for holding a session-level advisory lock, with nothing of QPSQL on top.
// Its connect runs on a short-lived thread so it overlaps the opening of the worker's own connection;
// after waitConnected() it belongs to the thread that called it. That thread runs one call and no event
// loop, and is joined by this object on whatever worker thread uses it, so it is a plain QThread owned
// here rather than a WorkerThreads worker (those are started and joined on the GUI thread).
class LockSession
{
public:
    LockSession() = default;
    ~LockSession(); // joins a connect still running
    LockSession(const LockSession &) = delete;
    LockSession &operator=(const LockSession &) = delete;

    void startConnect(const ConnectionSettings &settings,
                      const QString &applicationName = QStringLiteral("migrationdesk"));
    // Joins the connect; false with a plain-language, password-free message when it failed.
    bool waitConnected(QString *error);
    std::optional<QList<QStringList>> query(const QString &sql, const QStringList &params, SqlError *error = nullptr);

private:
    std::unique_ptr<QThread> m_connectThread;
    PGconn *m_conn = nullptr;
    ConnectionSettings m_settings;
};

} // namespace MigrationDesk
