#include "sandbox/servertools.h"

#include "sandbox/serveraccount.h"

#include "db/pgtools.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate the same context ("Sandbox") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(Sandbox)
};

} // namespace

std::optional<ServerTools> ServerTools::find(const QString &dataDirectory, const QStringList &searchPath,
                                             QString *error)
{
    const QString prefix = Text::tr("Cannot start the local sandbox: %1");
    if (ServerAccount::runningAsRoot() && !ServerAccount::serverIds()) {
        *error = prefix.arg(Text::tr("running as root, the server runs as the postgres system user, which does not "
                               "exist; install the Debian package postgresql, which creates it."));
        return std::nullopt;
    }
    ServerTools tools;
    if (!searchPath.isEmpty()) {
        tools.initdb = QStandardPaths::findExecutable(u"initdb"_s, searchPath);
        tools.pgCtl = QStandardPaths::findExecutable(u"pg_ctl"_s, searchPath);
        const QString missing = tools.initdb.isEmpty() ? u"initdb"_s : u"pg_ctl"_s;
        if (tools.initdb.isEmpty() || tools.pgCtl.isEmpty()) {
            *error = prefix.arg(Text::tr("%1 was not found in %2; install the Debian package postgresql.")
                                        .arg(missing, searchPath.join(u':')));
            return std::nullopt;
        }
        return tools;
    }

    // An existing cluster only starts with the server major version that created it.
    QFile versionFile(dataDirectory + u"/PG_VERSION"_s);
    if (versionFile.open(QIODevice::ReadOnly)) {
        const QString major = QString::fromLatin1(versionFile.readAll().trimmed());
        const QString dir = u"/usr/lib/postgresql/%1/bin"_s.arg(major);
        if (QFileInfo(dir + u"/pg_ctl"_s).isExecutable() && QFileInfo(dir + u"/initdb"_s).isExecutable())
            return ServerTools{dir + u"/initdb"_s, dir + u"/pg_ctl"_s};
    }
    QString lookupError;
    tools.initdb = PgTools::findProgram(u"initdb"_s, &lookupError, true);
    if (!tools.initdb.isEmpty()) {
        // pg_ctl must come from the same installation as initdb.
        const QString sibling = QFileInfo(tools.initdb).absolutePath() + u"/pg_ctl"_s;
        tools.pgCtl = QFileInfo(sibling).isExecutable() ? sibling
                                                        : PgTools::findProgram(u"pg_ctl"_s, &lookupError, true);
    }
    if (tools.initdb.isEmpty() || tools.pgCtl.isEmpty()) {
        *error = prefix.arg(lookupError);
        return std::nullopt;
    }
    return tools;
}

} // namespace MigrationDesk
