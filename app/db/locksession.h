#pragma once

#include "db/connectionsettings.h"
#include "db/pgconnection.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class QObject;

namespace MigrationDesk {

class WorkerThreads;

// A bare libpq session for holding the run's advisory lock, with nothing of QPSQL on top. Its connect runs
// on a thread of the caller's WorkerThreads (which lives on the calling thread, e.g. one per run on the
// runner's thread), so it overlaps the opening of the worker's own connection; that thread is joined in
// waitConnected(), and from then on the session belongs to the thread that called it.
class LockSession
{
public:
    explicit LockSession(WorkerThreads &threads);
    ~LockSession(); // waits for a connect still running; ends an open transaction before closing
    LockSession(const LockSession &) = delete;
    LockSession &operator=(const LockSession &) = delete;

    void startConnect(const ConnectionSettings &settings,
                      const QString &applicationName = QStringLiteral("migrationdesk"));
    // Joins the connect; false with a plain-language, password-free message when it failed.
    bool waitConnected(QString *error);
    std::optional<QList<QStringList>> query(const QString &sql, const QStringList &params, SqlError *error = nullptr);

private:
    struct Connect;

    void finishConnect();

    WorkerThreads &m_threads;
    QObject *m_connectWorker = nullptr; // owned by m_threads while the connect runs
    std::shared_ptr<Connect> m_connect;
    PGconn *m_conn = nullptr;
    ConnectionSettings m_settings;
};

} // namespace MigrationDesk
