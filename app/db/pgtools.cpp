#include "db/pgtools.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QVersionNumber>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MigrationDesk::PgTools {

QString serverBinDir(const QString &program)
{
    QDir root(u"/usr/lib/postgresql"_s);
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(), [](const QString &a, const QString &b) {
        return QVersionNumber::fromString(a) > QVersionNumber::fromString(b);
    });
    for (const QString &v : std::as_const(versions)) {
        const QString dir = root.filePath(v + u"/bin"_s);
        if (QFileInfo(dir + QLatin1Char('/') + program).isExecutable())
            return dir;
    }
    return {};
}

QString findProgram(const QString &program, QString *error, bool preferServerDir)
{
    const QString inPath = QStandardPaths::findExecutable(program);
    const QString dir = serverBinDir(program);
    const QString inServerDir = dir.isEmpty() ? QString() : dir + QLatin1Char('/') + program;
    const QString found = preferServerDir ? (inServerDir.isEmpty() ? inPath : inServerDir)
                                          : (inPath.isEmpty() ? inServerDir : inPath);
    if (found.isEmpty() && error) {
        const bool server = program == QLatin1String("initdb") || program == QLatin1String("pg_ctl")
                            || program == QLatin1String("postgres");
        *error = QCoreApplication::translate("PgTools", "%1 was not found in PATH or /usr/lib/postgresql/*/bin; "
                                                        "install the Debian package %2.")
                     .arg(program, server ? u"postgresql"_s : u"postgresql-client"_s);
    }
    return found;
}

} // namespace MigrationDesk::PgTools

#include "db/connectionsettings.h"

#include <QFile>
#include <QProcess>

namespace MigrationDesk::PgTools {

bool dumpDatabase(const ConnectionSettings &settings, const QString &file, QString *error,
                  const std::function<bool()> &isCancelled)
{
    auto fail = [&](const QString &message) {
        if (error)
            *error = redactSecrets(message);
        return false;
    };
    QString findError;
    // Debian's /usr/bin/pg_dump picks the client matching the server; the newest server dir is the fallback.
    const QString program = findProgram(u"pg_dump"_s, &findError);
    if (program.isEmpty())
        return fail(findError);

    QProcess proc;
    proc.setProcessEnvironment(settings.applyTo(QProcessEnvironment::systemEnvironment()));
    proc.setProgram(program);
    // -w: never prompt; a missing password must fail, not hang a deploy script.
    proc.setArguments({u"-Fc"_s, u"-w"_s, u"-f"_s, file});
    proc.start();
    if (!proc.waitForStarted(10000))
        return fail(QCoreApplication::translate("PgTools", "could not start pg_dump: %1").arg(proc.errorString()));
    while (!proc.waitForFinished(100)) {
        if (isCancelled && isCancelled()) {
            proc.kill();
            proc.waitForFinished(5000);
            QFile::remove(file);
            return fail(QCoreApplication::translate("PgTools", "the backup was cancelled"));
        }
    }
    if (proc.exitStatus() != QProcess::NormalExit || proc.exitCode() != 0) {
        const QString stderrText = QString::fromLocal8Bit(proc.readAllStandardError()).trimmed();
        QFile::remove(file);
        return fail(QCoreApplication::translate("PgTools", "pg_dump failed (exit code %1): %2")
                        .arg(proc.exitCode())
                        .arg(stderrText));
    }
    return true;
}

} // namespace MigrationDesk::PgTools
