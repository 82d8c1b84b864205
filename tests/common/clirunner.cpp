#include "clirunner.h"

#include <QDir>
#include <QFile>

namespace MigrationDesk {

CliResult runCli(const QStringList &args, const QProcessEnvironment &env, int timeoutMs)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(MD_CLI_PATH), args);
    CliResult r;
    if (!p.waitForStarted(10000)) {
        r.err = QStringLiteral("could not start migrationdesk-cli: ") + p.errorString();
        return r;
    }
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = QStringLiteral("migrationdesk-cli timed out");
    }
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err += QString::fromUtf8(p.readAllStandardError());
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

void writeScript(const QString &dir, const QString &fileName, const QString &revision, const QString &downRevision,
                 const QString &upgradeSql, const QString &downgradeSql, bool transactional, const QString &message)
{
    QFile f(QDir(dir).filePath(fileName));
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    QString text = QStringLiteral("-- revision: %1\n-- down_revision: %2\n-- message: %3\n-- created: 2025-01-20 10:00:00\n")
                       .arg(revision, downRevision, message.isEmpty() ? QStringLiteral("rev ") + revision : message);
    if (!transactional)
        text += QStringLiteral("-- transactional: false\n");
    text += QStringLiteral("\n-- +upgrade\n%1\n\n-- +downgrade\n%2\n").arg(upgradeSql, downgradeSql);
    f.write(text.toUtf8());
}

} // namespace MigrationDesk
