#include "sandbox/serveraccount.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace MigrationDesk::ServerAccount {

bool runningAsRoot()
{
    return ::geteuid() == 0;
}

// Binds 127.0.0.1:port (0 = any) and reports the port the kernel gave, or 0 when it is taken. The socket is
// closed again at once; losing a race for the port is handled by pg_ctl failing and the caller retrying.
int bindLoopback(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(quint16(port));
    socklen_t length = sizeof(address);
    int bound = 0;
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        bound = ntohs(address.sin_port);
    ::close(fd);
    return bound;
}

// The uid the server runs as: postgres when we are root (initdb and postgres refuse root), else ourselves.
std::optional<std::pair<uid_t, gid_t>> serverIds()
{
    if (!runningAsRoot())
        return std::make_pair(::geteuid(), ::getegid());
    const passwd *pw = ::getpwnam("postgres");
    if (!pw)
        return std::nullopt;
    return std::make_pair(pw->pw_uid, pw->pw_gid);
}

// Makes `path` a private folder of the server user: a real directory (not a symlink someone planted in a
// shared /tmp), owned by that user or by us, then handed over with mode 0700.
bool claimDirectory(const QString &path, QString *why)
{
    const QByteArray native = QFile::encodeName(path);
    if (::mkdir(native.constData(), 0700) != 0 && errno != EEXIST) {
        *why = QString::fromLocal8Bit(::strerror(errno));
        return false;
    }
    struct stat info {};
    if (::lstat(native.constData(), &info) != 0 || !S_ISDIR(info.st_mode)) {
        *why = QCoreApplication::translate("Sandbox", "it is not a directory");
        return false;
    }
    const auto ids = serverIds();
    if (!ids) {
        *why = QCoreApplication::translate("Sandbox", "the postgres system user does not exist");
        return false;
    }
    if (info.st_uid != ids->first && info.st_uid != ::geteuid()) {
        *why = QCoreApplication::translate("Sandbox", "it belongs to another user");
        return false;
    }
    if (info.st_uid != ids->first && ::chown(native.constData(), ids->first, ids->second) != 0) {
        *why = QString::fromLocal8Bit(::strerror(errno));
        return false;
    }
    if ((info.st_mode & 07777) != 0700 && ::chmod(native.constData(), 0700) != 0) {
        *why = QString::fromLocal8Bit(::strerror(errno));
        return false;
    }
    return true;
}

// Writes a file the server reads; as root it is handed to postgres like the rest of the data directory.
bool writeServerFile(const QString &path, const QByteArray &data, QIODevice::OpenMode mode)
{
    QFile file(path);
    if (!file.open(mode) || file.write(data) != data.size())
        return false;
    file.close();
    if (runningAsRoot()) {
        const auto ids = serverIds();
        if (!ids || ::chown(QFile::encodeName(path).constData(), ids->first, ids->second) != 0)
            return false;
    }
    return true;
}

ProcessResult run(const QString &program, const QStringList &args, int timeoutMs)
{
    QProcess process;
    if (runningAsRoot()) {
        process.setProgram(u"runuser"_s);
        process.setArguments(QStringList{u"-u"_s, u"postgres"_s, u"--"_s, program} + args);
    } else {
        process.setProgram(program);
        process.setArguments(args);
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // A PGPORT or PGDATA of the user's own server must not leak into the sandbox's.
    const QStringList keys = env.keys();
    for (const QString &key : keys) {
        if (key.startsWith(u"PG"_s))
            env.remove(key);
    }
    // English output, so the log can be searched for "could not bind".
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    env.remove(u"LANGUAGE"_s);
    process.setProcessEnvironment(env);
    process.setWorkingDirectory(u"/"_s);
    process.setStandardInputFile(QProcess::nullDevice());
    // pg_ctl's server inherits stdout unless -l is given; merging keeps the order of messages.
    process.setProcessChannelMode(QProcess::MergedChannels);

    ProcessResult result;
    process.start();
    if (!process.waitForStarted(30000)) {
        result.output = QCoreApplication::translate("Sandbox", "cannot run %1: %2").arg(process.program(), process.errorString());
        return result;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        result.output = QCoreApplication::translate("Sandbox", "%1 did not finish within %2 s").arg(program).arg(timeoutMs / 1000);
        return result;
    }
    result.exitCode = process.exitCode();
    result.output = QString::fromLocal8Bit(process.readAll());
    result.ok = process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    return result;
}

QString osUserName()
{
    // The role is named like the OS user, so psql -h <socket folder> works without -U.
    if (const passwd *pw = ::getpwuid(::geteuid()))
        return QString::fromLocal8Bit(pw->pw_name);
    const QString fromEnv = qEnvironmentVariable("USER");
    return fromEnv.isEmpty() ? u"migrationdesk"_s : fromEnv;
}

} // namespace MigrationDesk::ServerAccount
