#include "connect/passwordstore.h"

#include <qt6keychain/keychain.h>

#include <QLocale>
#include <QTimer>

namespace MigrationDesk {

using namespace Qt::StringLiterals;

namespace {

// An entry checkAvailability() reads and that is never written.
const QString kProbeKey = u"migrationdesk:availability-probe"_s;

// QtKeychain's libsecret backend reports an unreachable Secret Service as OtherError with GDBus's
// text ("Could not connect: ...", "Cannot autolaunch D-Bus without X11 $DISPLAY", "The name
// org.freedesktop.secrets was not provided by any .service files"), not as NoBackendAvailable.
bool meansNoKeychain(const QKeychain::Job *job)
{
    if (job->error() == QKeychain::NoBackendAvailable)
        return true;
    if (job->error() != QKeychain::OtherError)
        return false;
    const QString text = job->errorString();
    static const QLatin1String needles[] = {
        QLatin1String("d-bus"), QLatin1String("dbus"), QLatin1String("could not connect"),
        QLatin1String("org.freedesktop.secrets"), QLatin1String("serviceunknown"),
        QLatin1String("not provided by any"), QLatin1String("no keychain service"),
    };
    for (const QLatin1String &needle : needles) {
        if (text.contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

PasswordStore::PasswordStore(QObject *parent)
    : QObject(parent)
{
}

// Jobs still running stay alive after us: QtKeychain's backend holds raw pointers to them, so they
// must finish (and delete themselves) on their own. Our connections to them die with us.
PasswordStore::~PasswordStore() = default;

QString PasswordStore::serviceName()
{
    return u"MigrationDesk"_s;
}

void PasswordStore::setTimeout(int milliseconds)
{
    m_timeoutMs = qMax(1, milliseconds);
}

void PasswordStore::readPassword(const QString &key)
{
    if (!keychainAvailable()) {
        failLater(Operation::Read, key, Status::NoKeychain, m_unavailableMessage);
        return;
    }
    start(new QKeychain::ReadPasswordJob(serviceName()), Operation::Read, key);
}

void PasswordStore::writePassword(const QString &key, const QString &password)
{
    if (!keychainAvailable()) {
        failLater(Operation::Write, key, Status::NoKeychain, m_unavailableMessage);
        return;
    }
    auto job = new QKeychain::WritePasswordJob(serviceName());
    job->setTextData(password);
    start(job, Operation::Write, key);
}

void PasswordStore::deletePassword(const QString &key)
{
    if (!keychainAvailable()) {
        failLater(Operation::Delete, key, Status::NoKeychain, m_unavailableMessage);
        return;
    }
    start(new QKeychain::DeletePasswordJob(serviceName()), Operation::Delete, key);
}

void PasswordStore::checkAvailability()
{
    if (keychainAvailable())
        start(new QKeychain::ReadPasswordJob(serviceName()), Operation::Probe, kProbeKey);
}

void PasswordStore::start(QKeychain::Job *job, Operation operation, const QString &key)
{
    // No parent: a job that timed out must be able to outlive us (see the destructor).
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    auto timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, job] { jobTimedOut(job); });
    connect(job, &QKeychain::Job::finished, this, &PasswordStore::jobFinished);
    m_pending.insert(job, Pending{operation, key, timer});
    timer->start(m_timeoutMs);
    job->start();
}

void PasswordStore::jobFinished(QKeychain::Job *job)
{
    const auto it = m_pending.constFind(job);
    if (it == m_pending.cend())
        return;
    const Pending pending = *it;
    m_pending.erase(it);
    delete pending.timer;

    const QKeychain::Error error = job->error();
    if (error == QKeychain::NoError) {
        const auto read = qobject_cast<QKeychain::ReadPasswordJob *>(job);
        finish(pending.operation, pending.key, Status::Ok, read ? read->textData() : QString(), QString());
    } else if (error == QKeychain::EntryNotFound && pending.operation != Operation::Write) {
        // Deleting what is not there leaves the keychain as the caller wanted it.
        if (pending.operation == Operation::Delete)
            finish(pending.operation, pending.key, Status::Ok, QString(), QString());
        else
            finish(pending.operation, pending.key, Status::NotFound, QString(),
                   tr("The system keychain holds no password for this connection."));
    } else if (meansNoKeychain(job)) {
        if (keychainAvailable()) {
            m_unavailableMessage = tr("No system keychain is available (%1), so passwords cannot be remembered. "
                                      "MigrationDesk will ask for the password in each session.")
                                       .arg(job->errorString());
            Q_EMIT keychainUnavailable(m_unavailableMessage);
        }
        finish(pending.operation, pending.key, Status::NoKeychain, QString(), m_unavailableMessage);
    } else if (error == QKeychain::AccessDenied || error == QKeychain::AccessDeniedByUser) {
        finish(pending.operation, pending.key, Status::Failed, QString(),
               tr("Access to the system keychain was denied: %1").arg(job->errorString()));
    } else {
        finish(pending.operation, pending.key, Status::Failed, QString(),
               tr("The system keychain reported an error: %1").arg(job->errorString()));
    }
}

void PasswordStore::jobTimedOut(QKeychain::Job *job)
{
    const auto it = m_pending.constFind(job);
    if (it == m_pending.cend())
        return;
    const Pending pending = *it;
    m_pending.erase(it);
    pending.timer->deleteLater();
    // The job may still answer one day; by then nobody is waiting for it.
    disconnect(job, nullptr, this, nullptr);
    const QString seconds = QLocale().toString(m_timeoutMs / 1000.0, 'g', 3);
    finish(pending.operation, pending.key, Status::TimedOut, QString(),
           tr("The system keychain did not answer within %1 seconds.").arg(seconds));
}

void PasswordStore::finish(Operation operation, const QString &key, Status status, const QString &password,
                           const QString &message)
{
    switch (operation) {
    case Operation::Read:
        Q_EMIT readFinished(key, status, password, message);
        break;
    case Operation::Write:
        Q_EMIT writeFinished(key, status, message);
        break;
    case Operation::Delete:
        Q_EMIT deleteFinished(key, status, message);
        break;
    case Operation::Probe:
        break; // only keychainUnavailable() matters for a probe
    }
}

void PasswordStore::failLater(Operation operation, const QString &key, Status status, const QString &message)
{
    // Queued, so callers see the same asynchronous order whether or not a keychain was asked.
    QMetaObject::invokeMethod(
        this, [this, operation, key, status, message] { finish(operation, key, status, QString(), message); },
        Qt::QueuedConnection);
}

} // namespace MigrationDesk
