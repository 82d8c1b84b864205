#include "pgtools.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QVersionNumber>

#include <algorithm>

namespace MigrationDesk::PgTools {

QString serverBinDir(const QString &program)
{
    QDir root(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(), [](const QString &a, const QString &b) {
        return QVersionNumber::fromString(a) > QVersionNumber::fromString(b);
    });
    for (const QString &v : std::as_const(versions)) {
        const QString dir = root.filePath(v + QStringLiteral("/bin"));
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
                     .arg(program, server ? QStringLiteral("postgresql") : QStringLiteral("postgresql-client"));
    }
    return found;
}

} // namespace MigrationDesk::PgTools
