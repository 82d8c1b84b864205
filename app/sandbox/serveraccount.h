#pragma once

#include <QIODevice>
#include <QString>
#include <QStringList>

#include <optional>
#include <sys/types.h>
#include <utility>

// Runs PostgreSQL's server programs as the account the server must run as (postgres when we are root,
// because initdb and postgres refuse root) and gives that account its private folders and files.
// Stateless, so any thread may call it; each call blocks until its program or syscall is done.
namespace MigrationDesk::ServerAccount {

struct ProcessResult
{
    bool ok = false;
    int exitCode = -1;
    QString output; // stdout then stderr
};

bool runningAsRoot();
// Binds 127.0.0.1:port (0 = any) and reports the port the kernel gave, or 0 when it is taken.
int bindLoopback(int port);
// The uid and gid the server runs as; nullopt when we are root and no postgres user exists.
std::optional<std::pair<uid_t, gid_t>> serverIds();
// Makes path a real directory (never a planted symlink) owned by the server account, mode 0700.
bool claimDirectory(const QString &path, QString *why);
// Writes a file the server reads, owned by the server account.
bool writeServerFile(const QString &path, const QByteArray &data, QIODevice::OpenMode mode);
// Runs program with args as the server account, without the caller's PG* variables, in the C locale.
ProcessResult run(const QString &program, const QStringList &args, int timeoutMs);
// The OS user the sandbox's role is named after, so psql works without -U.
QString osUserName();

} // namespace MigrationDesk::ServerAccount
