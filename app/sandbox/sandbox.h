#pragma once

#include "db/connectionsettings.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <optional>

class QLockFile;

namespace MigrationDesk {

struct SandboxState;
struct ServerTools;

// Creates, starts, upgrades, fills and stops the private PostgreSQL cluster a newcomer uses before they
// have a server of their own. Its calls block, so it lives on a worker thread; cancel() may be called from
// any thread.
//
// Layout of directory(): data/ (the cluster), server.log, sandbox.json (port, socket folder, whether the
// demo data went in) and sandbox.lock (one starter at a time, also across processes). The server listens
// on 127.0.0.1 and on a Unix socket that only the sandbox's owner can open; the socket is trusted, TCP
// asks for a password that no role has.
class Sandbox : public QObject
{
    Q_OBJECT

public:
    explicit Sandbox(QObject *parent = nullptr);
    ~Sandbox() override;

    // AppLocalDataLocation/sandbox; as root /var/tmp/migrationdesk-sandbox-root, because the server then
    // runs as the postgres system user, which cannot enter /root.
    static QString defaultDirectory();
    static QString databaseName() { return QStringLiteral("migrationdesk"); }

    void setDirectory(const QString &dir);
    QString directory() const { return m_directory; }
    QString dataDirectory() const;
    QString logFile() const;
    // The folder of the server's Unix socket: directory() itself, or a short private folder under /tmp
    // when directory() is too long for the 107-byte socket path limit.
    QString socketDirectory() const;

    void setDemoSize(qint64 employees, qint64 schedules);
    qint64 demoEmployees() const { return m_demoEmployees; }
    qint64 demoSchedules() const { return m_demoSchedules; }

    // Looks for initdb and pg_ctl only in these folders instead of PATH and /usr/lib/postgresql/*/bin
    // (tests simulate a machine without PostgreSQL this way). Empty restores the normal lookup.
    void setProgramSearchPath(const QStringList &dirs);

    // Creates the cluster on first use, starts it if it is not running, creates the database, upgrades it
    // to the bundled head and fills it with demo data the first time. Returns how to connect (Unix socket,
    // no password), or nullopt with *error saying what went wrong and what to install.
    std::optional<ConnectionSettings> ensureRunning(QString *error);
    bool isRunning() const;
    // pg_ctl stop -m fast; true when the server is down afterwards (also when it was not running).
    bool stop(QString *error);
    // Makes a running ensureRunning() stop at its next step and fail with "cancelled".
    void cancel() { m_cancelled = true; }

Q_SIGNALS:
    void progress(const QString &step, int percent);

private:
    std::optional<ConnectionSettings> bringUp(QString *error);
    bool prepareDirectory(QString *error) const;
    bool lockDirectory(QLockFile &lock, QString *error);
    bool prepareSocketDirectory(QString *error) const;
    bool initCluster(const ServerTools &tools, QString *error);
    bool writeConfig(int port, QString *error) const;
    bool startServer(const ServerTools &tools, SandboxState *state, QString *error);
    bool createDatabase(const ConnectionSettings &settings, bool *created, QString *error);
    bool upgradeToHead(const ConnectionSettings &settings, QString *error);
    bool fillDemoData(const ConnectionSettings &settings, QString *error);
    int runningPort() const;
    QString stateFile() const; // sandbox.json
    bool saveState(const SandboxState &state, QString *error) const;
    QString serverLogTail() const;
    bool checkCancelled(QString *error) const;

    QString m_directory;
    QStringList m_programSearchPath;
    qint64 m_demoEmployees = 200;
    qint64 m_demoSchedules = 20000;
    std::atomic_bool m_cancelled{false};
};

} // namespace MigrationDesk
