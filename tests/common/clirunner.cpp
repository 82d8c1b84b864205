#include "clirunner.h"

#include <QDir>
#include <QFile>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

CliResult runCli(const QStringList &args, const QProcessEnvironment &env, int timeoutMs)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(MD_CLI_PATH), args);
    CliResult r;
    if (!p.waitForStarted(10000)) {
        r.err = u"could not start migrationdesk-cli: "_s + p.errorString();
        return r;
    }
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = u"migrationdesk-cli timed out"_s;
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
    QString text = u"-- revision: %1\n-- down_revision: %2\n-- message: %3\n-- created: 2025-01-20 10:00:00\n"_s
                       .arg(revision, downRevision, message.isEmpty() ? u"rev "_s + revision : message);
    if (!transactional)
        text += u"-- transactional: false\n"_s;
    text += u"\n-- +upgrade\n%1\n\n-- +downgrade\n%2\n"_s.arg(upgradeSql, downgradeSql);
    f.write(text.toUtf8());
}

} // namespace MigrationDesk
