#pragma once

#include "migrations/revisiongraph.h"
#include "migrations/versiontable.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

class ScriptSet;

// Renders a migration plan as the plain SQL script that Alembic's offline mode (--sql) prints:
// version-table DDL when starting from base, "-- Running upgrade a -> b" markers, each revision's
// statements and version-table changes, BEGIN/COMMIT around each transactional revision (or around
// everything with singleTransaction). Pure; any thread.
class OfflineRenderer
{
public:
    struct Options
    {
        VersionTable versionTable;
        bool singleTransaction = false;
        QString lockTimeout;       // emitted as SET lock_timeout when not empty
    };

    static std::optional<QString> render(const ScriptSet &scripts, const QList<MigrationStep> &steps,
                                         const QStringList &startHeads, const Options &options, QString *error);

    // The statements one step runs, each terminated by ';', followed by its version-table change.
    // Used by the desktop app's confirmation dialog so it shows exactly what will run.
    static QString stepSql(const ScriptSet &scripts, const MigrationStep &step, const QStringList &headsBefore,
                           const VersionTable &versionTable);

    // "-- Running upgrade a, b -> c" as Alembic words it.
    static QString stepComment(const ScriptSet &scripts, const MigrationStep &step);
};

} // namespace MigrationDesk
