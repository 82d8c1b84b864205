#include "pgbouncerfixture.h"

#include "pgfixture.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QThread>
#include <QUrl>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

const QString kPgBouncer = u"/usr/sbin/pgbouncer"_s;

bool writeFile(const QString &path, const QByteArray &data, bool asRoot)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data) != data.size())
        return false;
    file.close();
    return QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner) && (!asRoot || PgFixture::chownToServerUser(path));
}

bool accepts(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(quint16(port));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0;
    ::close(fd);
    return ok;
}

// PgBouncer's auth_file and connection strings quote with double quotes, doubling embedded ones.
QByteArray quoted(const QString &value)
{
    return '"' + value.toUtf8().replace('"', "\"\"") + '"';
}

} // namespace

PgBouncerFixture::PgBouncerFixture(const PgFixture &server)
    : m_server(server)
{
}

PgBouncerFixture::~PgBouncerFixture()
{
    stop();
}

bool PgBouncerFixture::start(QString *error, int poolSize)
{
    stop();
    if (!m_server.isRunning()) {
        *error = u"the PostgreSQL fixture is not running"_s;
        return false;
    }
    const bool asRoot = ::geteuid() == 0;
    m_dir = std::make_unique<QTemporaryDir>(u"/tmp/mdbouncer-XXXXXX"_s);
    if (!m_dir->isValid() || (asRoot && !PgFixture::chownToServerUser(m_dir->path()))) {
        *error = u"cannot prepare a directory for PgBouncer"_s;
        return false;
    }
    const QDir dir(m_dir->path());
    const QByteArray users = quoted(m_server.superuser()) + ' ' + quoted(m_server.password()) + '\n';
    for (int attempt = 0; attempt < 8; ++attempt) {
        m_port = PgFixture::pickFreePort();
        // The server side goes through the fixture's private socket, where the fixture trusts its users.
        const QByteArray ini = "[databases]\n* = host=" + QFile::encodeName(m_server.socketDir()) + " port="
            + QByteArray::number(m_server.port()) + "\n\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = "
            + QByteArray::number(m_port) + "\nunix_socket_dir =\nauth_type = scram-sha-256\nauth_file = "
            + QFile::encodeName(dir.filePath(u"users.txt"_s)) + "\npool_mode = transaction\ndefault_pool_size = "
            + QByteArray::number(poolSize) + "\nmax_client_conn = 200\n"
            "ignore_startup_parameters = extra_float_digits, options\n"
            "logfile = " + QFile::encodeName(dir.filePath(u"pgbouncer.log"_s)) + "\npidfile = "
            + QFile::encodeName(dir.filePath(u"pgbouncer.pid"_s)) + "\n";
        if (!writeFile(dir.filePath(u"users.txt"_s), users, asRoot)
            || !writeFile(dir.filePath(u"pgbouncer.ini"_s), ini, asRoot)) {
            *error = u"cannot write PgBouncer's configuration"_s;
            return false;
        }
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->setWorkingDirectory(m_dir->path());
        m_process->setStandardInputFile(QProcess::nullDevice());
        if (asRoot)
            m_process->start(u"runuser"_s, {u"-u"_s, u"postgres"_s, u"--"_s, kPgBouncer, dir.filePath(u"pgbouncer.ini"_s)});
        else
            m_process->start(kPgBouncer, {dir.filePath(u"pgbouncer.ini"_s)});
        if (!m_process->waitForStarted(10000)) {
            *error = u"cannot run %1: %2"_s.arg(kPgBouncer, m_process->errorString());
            return false;
        }
        // Ready once it accepts TCP connections on its port.
        for (int i = 0; i < 100 && m_process->state() == QProcess::Running; ++i) {
            if (accepts(m_port)) {
                m_running = true;
                break;
            }
            QThread::msleep(50);
        }
        if (m_running)
            break;
        const QString log = logTail() + QString::fromUtf8(m_process->readAll());
        stop();
        m_dir = std::make_unique<QTemporaryDir>(u"/tmp/mdbouncer-XXXXXX"_s);
        if (!m_dir->isValid() || (asRoot && !PgFixture::chownToServerUser(m_dir->path())) || !log.contains(u"in use"_s)) {
            *error = u"PgBouncer did not start on port %1:\n%2"_s.arg(m_port).arg(log);
            return false;
        }
    }
    if (!m_running) {
        *error = u"PgBouncer found no free port"_s;
        return false;
    }
    // If the test process dies without running destructors, a detached shell ends PgBouncer.
    QProcess watchdog;
    watchdog.setProgram(u"/bin/sh"_s);
    watchdog.setArguments({u"-c"_s,
                           u"while kill -0 \"$1\" 2>/dev/null; do sleep 2; done; "
                           "[ -f \"$2\" ] && kill \"$(cat \"$2\")\" 2>/dev/null"_s,
                           u"md-pgbouncer-watchdog"_s, QString::number(QCoreApplication::applicationPid()),
                           dir.filePath(u"pgbouncer.pid"_s)});
    watchdog.setStandardInputFile(QProcess::nullDevice());
    watchdog.setStandardOutputFile(QProcess::nullDevice());
    watchdog.setStandardErrorFile(QProcess::nullDevice());
    watchdog.setWorkingDirectory(u"/"_s);
    if (!watchdog.startDetached(&m_watchdogPid))
        m_watchdogPid = 0;
    return true;
}

void PgBouncerFixture::stop()
{
    if (m_watchdogPid > 0) {
        ::kill(pid_t(m_watchdogPid), SIGKILL);
        m_watchdogPid = 0;
    }
    if (m_process && m_process->state() != QProcess::NotRunning) {
        // runuser passes SIGTERM on to PgBouncer, which then exits at once.
        QFile pidFile(QDir(m_dir->path()).filePath(u"pgbouncer.pid"_s));
        if (pidFile.open(QIODevice::ReadOnly)) {
            const qint64 pid = pidFile.readAll().trimmed().toLongLong();
            if (pid > 1)
                ::kill(pid_t(pid), SIGTERM);
        }
        m_process->terminate();
        if (!m_process->waitForFinished(10000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    m_process.reset();
    m_dir.reset();
    m_running = false;
}

QString PgBouncerFixture::url(const QString &db) const
{
    return u"postgresql://%1:%2@127.0.0.1:%3/%4"_s.arg(m_server.superuser(),
                                                       QString::fromLatin1(QUrl::toPercentEncoding(m_server.password())),
                                                       QString::number(m_port),
                                                       QString::fromLatin1(QUrl::toPercentEncoding(db)));
}

QProcessEnvironment PgBouncerFixture::environment(const QString &db) const
{
    QProcessEnvironment env = m_server.environment(db);
    env.insert(u"PGPORT"_s, QString::number(m_port));
    return env;
}

QString PgBouncerFixture::logTail() const
{
    if (!m_dir)
        return {};
    QFile log(QDir(m_dir->path()).filePath(u"pgbouncer.log"_s));
    if (!log.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = log.readAll();
    return QString::fromUtf8(text.right(3000));
}

} // namespace MigrationDesk
