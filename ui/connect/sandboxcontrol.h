#pragma once

#include "db/connectionsettings.h"

#include <QObject>

class QAction;
class QSettings;
class QWidget;

namespace MigrationDesk {

class SandboxLauncher;
class SandboxUrlAction;
class WorkerThreads;

// The main window's local sandbox: its menu actions (start it, keep it running after exit, copy its
// URL) and the launcher, which a window built by a language switch takes over. GUI thread.
class SandboxControl : public QObject
{
    Q_OBJECT

public:
    SandboxControl(WorkerThreads &threads, QSettings &settings, QWidget *window);

    QAction *startAction() const { return m_startAction; }
    QAction *keepRunningAction() const { return m_keepAction; }
    QAction *copyUrlAction() const;

    // Starts (or creates) the launcher; answers with ready or failed.
    void start();
    bool keepsRunning() const;
    // True when closing the window must stop the sandbox this window started.
    bool stopsAtExit() const { return m_launcher && !keepsRunning(); }
    void stopNow();
    // Hands the launcher to the window that replaces this one (a language switch).
    void handOverTo(SandboxControl *next);

Q_SIGNALS:
    void ready(const MigrationDesk::ConnectionSettings &settings);
    void failed(const QString &message);
    // For the status bar (the Copy Sandbox URL outcome).
    void reported(const QString &message);

private:
    void adopt(SandboxLauncher *launcher);

    WorkerThreads &m_threads;
    QWidget *m_window;
    QAction *m_startAction;
    QAction *m_keepAction;
    SandboxUrlAction *m_copyUrlAction;
    SandboxLauncher *m_launcher = nullptr;
};

} // namespace MigrationDesk
