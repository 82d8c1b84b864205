#include "connect/sandboxlauncher.h"

#include "sandbox/sandbox.h"
#include "sandbox/sandboxaccess.h"
#include "base/workerthreads.h"

#include <QProgressDialog>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

SandboxLauncher::SandboxLauncher(WorkerThreads &threads, QWidget *dialogParent, QObject *parent)
    : QObject(parent)
    , m_threads(threads)
    , m_dialogParent(dialogParent)
{
    // cancel() is thread-safe: a start in progress stops at its next step.
    auto sandbox = new Sandbox;
    m_sandbox = m_threads.start(sandbox, u"Sandbox"_s, [sandbox] { sandbox->cancel(); });
    connect(m_sandbox, &Sandbox::progress, this, [this](const QString &step, int percent) {
        if (!m_progress)
            return;
        m_progress->setLabelText(step);
        m_progress->setValue(percent);
    });
}

SandboxLauncher::~SandboxLauncher()
{
    // Waited for: a start in progress reports back to this object.
    m_threads.stop(m_sandbox);
}

void SandboxLauncher::start()
{
    if (m_starting)
        return;
    m_starting = true;
    m_progress = new QProgressDialog(tr("Preparing the local sandbox database…"), tr("Cancel"), 0, 100, m_dialogParent);
    m_progress->setObjectName(u"sandboxProgress"_s);
    m_progress->setWindowTitle(tr("Local sandbox"));
    m_progress->setMinimumDuration(0);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setAttribute(Qt::WA_DeleteOnClose);
    // Cancel only asks: the sandbox stops at its next step and reports "cancelled".
    connect(m_progress, &QProgressDialog::canceled, this, [this] { m_sandbox->cancel(); });
    m_progress->show();

    QMetaObject::invokeMethod(m_sandbox, [this, sandbox = m_sandbox] {
        QString error;
        const auto settings = sandbox->ensureRunning(&error);
        QMetaObject::invokeMethod(this, [this, settings, error] {
            m_starting = false;
            if (m_progress)
                m_progress->close();
            if (settings) {
                m_started = true;
                m_socketSettings = *settings;
                Q_EMIT ready(*settings);
            } else {
                Q_EMIT failed(error);
            }
        }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void SandboxLauncher::requestTcpAccess()
{
    if (!m_started) {
        Q_EMIT tcpAccessFailed(tr("The local sandbox is not running."));
        return;
    }
    // One password per session: URLs copied earlier keep working until the app exits.
    if (m_tcpPassword.isEmpty())
        m_tcpPassword = SandboxAccess::newPassword();
    QMetaObject::invokeMethod(m_sandbox, [this, socket = m_socketSettings, password = m_tcpPassword] {
        QString error;
        const auto tcp = SandboxAccess::grantTcpAccess(socket, password, &error);
        QMetaObject::invokeMethod(this, [this, tcp, error] {
            if (tcp)
                Q_EMIT tcpAccessReady(*tcp);
            else
                Q_EMIT tcpAccessFailed(error);
        }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void SandboxLauncher::stopNow()
{
    if (!m_started)
        return;
    QMetaObject::invokeMethod(m_sandbox, [sandbox = m_sandbox] {
        QString error;
        sandbox->stop(&error);
    }, Qt::BlockingQueuedConnection);
    m_started = false;
}

} // namespace MigrationDesk
