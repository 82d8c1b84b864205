#include "connect/sandboxurlaction.h"

#include "connect/sandboxlauncher.h"
#include "db/connectionurl.h"
#include "icons.h"

#include <QClipboard>
#include <QGuiApplication>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

SandboxUrlAction::SandboxUrlAction(QObject *parent)
    : QAction(Icons::get(Icons::Copy), tr("Copy Sandbox URL"), parent)
{
    setObjectName(u"copySandboxUrlAction"_s);
    setToolTip(tr("Copy the running sandbox's address, password included, for psql or another tool"));
    connect(this, &QAction::triggered, this, [this] {
        if (m_launcher)
            m_launcher->requestTcpAccess();
    });
    updateEnabled();
}

void SandboxUrlAction::setLauncher(SandboxLauncher *launcher)
{
    if (m_launcher)
        m_launcher->disconnect(this);
    m_launcher = launcher;
    if (launcher) {
        connect(launcher, &SandboxLauncher::ready, this, &SandboxUrlAction::updateEnabled);
        connect(launcher, &SandboxLauncher::tcpAccessReady, this, &SandboxUrlAction::copy);
        connect(launcher, &SandboxLauncher::tcpAccessFailed, this, &SandboxUrlAction::reported);
        connect(launcher, &QObject::destroyed, this, &SandboxUrlAction::updateEnabled, Qt::QueuedConnection);
    }
    updateEnabled();
}

void SandboxUrlAction::copy(const ConnectionSettings &settings)
{
    QGuiApplication::clipboard()->setText(ConnectionUrl::format(settings, true));
    Q_EMIT reported(tr("The sandbox's URL, with its password, is on the clipboard."));
}

void SandboxUrlAction::updateEnabled()
{
    setEnabled(m_launcher && m_launcher->wasStarted());
}

} // namespace MigrationDesk
