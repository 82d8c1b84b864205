#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace MigrationDesk {

// Runs the real migrationdesk-cli executable for tests and collects what it printed. Main thread.
struct CliResult
{
    int exitCode = -1;
    QString out;
    QString err;
    QString all() const { return out + err; }
};

CliResult runCli(const QStringList &args, const QProcessEnvironment &env, int timeoutMs = 120000);

// Writes a migration script file into dir. sections are the upgrade and downgrade SQL.
void writeScript(const QString &dir, const QString &fileName, const QString &revision, const QString &downRevision,
                 const QString &upgradeSql, const QString &downgradeSql, bool transactional = true,
                 const QString &message = QString());

} // namespace MigrationDesk
