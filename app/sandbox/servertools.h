#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

// Which initdb and pg_ctl the sandbox runs: from the search path when one is set, else the installation
// that created an existing cluster, else the newest one found, with pg_ctl beside its initdb. Lookup
// only; ServerAccount runs them. Any thread.
struct ServerTools
{
    QString initdb;
    QString pgCtl;

    // searchPath non-empty: look only there (tests simulate a machine without PostgreSQL this way).
    // nullopt with *error saying what to install when they cannot be found or cannot run as root.
    static std::optional<ServerTools> find(const QString &dataDirectory, const QStringList &searchPath,
                                           QString *error);
};

} // namespace MigrationDesk
