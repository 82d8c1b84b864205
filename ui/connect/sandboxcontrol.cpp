#include "connect/sandboxcontrol.h"

#include "connect/sandboxlauncher.h"
#include "connect/sandboxurlaction.h"

#include <QAction>
#include <QCoreApplication>
#include <QSettings>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The actions were part of the main window when their texts were translated; they keep that context.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MainWindow)
};

const QString kKeepRunningKey = u"sandbox/keepRunning"_s;

} // namespace

SandboxControl::SandboxControl(WorkerThreads &threads, QSettings &settings, QWidget *window)
    : QObject(window)
    , m_threads(threads)
    , m_window(window)
    , m_startAction(new QAction(Text::tr("Local Sandbox"), this))
    , m_keepAction(new QAction(Text::tr("Keep the Sandbox Running After Exit"), this))
    , m_copyUrlAction(new SandboxUrlAction(this))
{
    m_startAction->setObjectName(u"sandboxAction"_s);
    m_startAction->setToolTip(
            Text::tr("Start a private PostgreSQL with the bundled schema and demo data, and connect to it"));
    connect(m_startAction, &QAction::triggered, this, &SandboxControl::start);
    m_keepAction->setObjectName(u"keepSandboxAction"_s);
    m_keepAction->setCheckable(true);
    m_keepAction->setChecked(settings.value(kKeepRunningKey, false).toBool());
    connect(m_keepAction, &QAction::toggled, this, [&settings](bool keep) { settings.setValue(kKeepRunningKey, keep); });
    connect(m_copyUrlAction, &SandboxUrlAction::reported, this, &SandboxControl::reported);
}

QAction *SandboxControl::copyUrlAction() const
{
    return m_copyUrlAction;
}

void SandboxControl::start()
{
    if (!m_launcher)
        adopt(new SandboxLauncher(m_threads, m_window, this));
    m_launcher->start();
}

bool SandboxControl::keepsRunning() const
{
    return m_keepAction->isChecked();
}

void SandboxControl::stopNow()
{
    if (m_launcher)
        m_launcher->stopNow();
}

void SandboxControl::handOverTo(SandboxControl *next)
{
    if (!m_launcher)
        return;
    m_launcher->disconnect();
    next->adopt(m_launcher);
    m_launcher = nullptr;
    m_copyUrlAction->setLauncher(nullptr);
}

void SandboxControl::adopt(SandboxLauncher *launcher)
{
    launcher->setParent(this);
    launcher->setDialogParent(m_window);
    m_launcher = launcher;
    connect(launcher, &SandboxLauncher::ready, this, &SandboxControl::ready);
    connect(launcher, &SandboxLauncher::failed, this, &SandboxControl::failed);
    m_copyUrlAction->setLauncher(launcher);
}

} // namespace MigrationDesk
