#pragma once

#include "db/connectionsettings.h"

#include <QObject>
#include <QPointer>

class QProgressDialog;
class QWidget;

namespace MigrationDesk {

class Sandbox;
class WorkerThreads;

// Starts the local sandbox cluster for the desktop app: runs Sandbox on its own thread (initdb,
// pg_ctl, migrations and demo data take seconds), shows progress with Cancel, and stops the
// cluster when the app exits unless the user keeps it running. GUI thread; the Sandbox runs on a thread
// from WorkerThreads, which must outlive the launcher.
class SandboxLauncher : public QObject
{
    Q_OBJECT

public:
    SandboxLauncher(WorkerThreads &threads, QWidget *dialogParent, QObject *parent = nullptr);
    ~SandboxLauncher() override;

    void start();
    // A window that replaces the old one (a language switch) takes the launcher over.
    void setDialogParent(QWidget *parent) { m_dialogParent = parent; }
    bool isStarting() const { return m_starting; }
    bool wasStarted() const { return m_started; }
    // Blocks until pg_ctl stop returned (at exit only); does nothing if this launcher never started it.
    void stopNow();
    // Gives the running sandbox's role this session's password (made on first use, kept in memory only)
    // on the sandbox's thread; answers with tcpAccessReady or tcpAccessFailed.
    void requestTcpAccess();

Q_SIGNALS:
    void ready(const MigrationDesk::ConnectionSettings &settings);
    void failed(const QString &message);
    // How psql can reach the sandbox over TCP, the password included.
    void tcpAccessReady(const MigrationDesk::ConnectionSettings &settings);
    void tcpAccessFailed(const QString &message);

private:
    WorkerThreads &m_threads;
    QWidget *m_dialogParent;
    Sandbox *m_sandbox = nullptr;
    QPointer<QProgressDialog> m_progress;
    bool m_starting = false;
    bool m_started = false;
    ConnectionSettings m_socketSettings; // what ready() reported
    QString m_tcpPassword;
};

} // namespace MigrationDesk
