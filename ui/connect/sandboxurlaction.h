#pragma once

#include <QAction>
#include <QPointer>

namespace MigrationDesk {

class SandboxLauncher;
struct ConnectionSettings;

// "Copy Sandbox URL": puts postgresql://user:password@127.0.0.1:port/db on the clipboard, so psql or
// another tool can reach the running sandbox. The one place a password goes to the clipboard, and only
// on this explicit click; it never reaches settings, logs or the status message. GUI thread.
class SandboxUrlAction : public QAction
{
    Q_OBJECT

public:
    explicit SandboxUrlAction(QObject *parent = nullptr);

    // The launcher whose sandbox this copies; enabled once that sandbox is running.
    void setLauncher(SandboxLauncher *launcher);

Q_SIGNALS:
    // For the status bar: what happened, without the URL.
    void reported(const QString &message);

private:
    void copy(const ConnectionSettings &settings);
    void updateEnabled();

    QPointer<SandboxLauncher> m_launcher;
};

} // namespace MigrationDesk
