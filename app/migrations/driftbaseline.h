#pragma once

#include "migrations/driftcheck.h"

#include <QCoreApplication>

namespace MigrationDesk {

// `check --baseline`: records the live schema as the snapshot of the current revisions when `check` has
// none for them (they were applied outside MigrationDesk, e.g. by Alembic), so that later checks find real
// drift. Refuses, changing nothing, when a snapshot already describes them. Runs on the connection's thread.
class DriftBaseline
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::DriftBaseline)

public:
    // The check's report after recording (the schema now matches the snapshot), or nullopt and *error.
    static std::optional<DriftReport> record(PgConnection &connection, const ScriptSet &scripts,
                                             const VersionTable &versionTable, QString *error);
};

} // namespace MigrationDesk
