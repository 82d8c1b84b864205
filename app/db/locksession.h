#pragma once

#include "db/connectionsettings.h"
#include "db/pgconnection.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <thread>

namespace MigrationDesk {

// A bare libpq session for holding a session-level advisory lock, with nothing of QPSQL on top.
// Its connect runs on a short-lived std::thread so it overlaps the opening of the worker's own
// connection; after waitConnected() it belongs to the thread that called it.
class LockSession
{
public:
    LockSession() = default;
    ~LockSession();
    LockSession(const LockSession &) = delete;
    LockSession &operator=(const LockSession &) = delete;

    void startConnect(const ConnectionSettings &settings,
                      const QString &applicationName = QStringLiteral("migrationdesk"));
    // Joins the connect; false with a plain-language, password-free message when it failed.
    bool waitConnected(QString *error);
    std::optional<QList<QStringList>> query(const QString &sql, const QStringList &params, SqlError *error = nullptr);

private:
    std::thread m_thread;
    PGconn *m_conn = nullptr;
    ConnectionSettings m_settings;
};

} // namespace MigrationDesk
