#pragma once

#include <QMetaType>

#include "migrations/versiontable.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

class PgConnection;
class ScriptSet;
class SchemaSnapshot;

// What `check` found: schema drift against the recorded snapshot and edited scripts.
struct DriftReport
{
    QStringList heads;
    bool hasSnapshot = false;
    QStringList schemaDifferences;
    QStringList checksumDifferences;
    QStringList notes;
    // The applied heads no snapshot was recorded for: the schema cannot be compared until
    // `check --baseline` records one. appliedOutside: MigrationDesk's history never moved them there
    // (another tool did, e.g. Alembic).
    QStringList unrecordedHeads;
    bool appliedOutside = false;
    QStringList snapshotHeads; // where the stored snapshot was taken, when there is one
    bool needsBaseline() const { return !unrecordedHeads.isEmpty(); }
    bool drifted() const { return !schemaDifferences.isEmpty() || !checksumDifferences.isEmpty(); }
};

// Compares the live catalog with the snapshot recorded after the last run, and each applied
// script's checksum with the one recorded when it ran. Runs on the connection's thread.
class DriftCheck
{
public:
    static std::optional<DriftReport> run(PgConnection &connection, const ScriptSet &scripts,
                                          const VersionTable &versionTable, QString *error);
    // The live user schema, without our bookkeeping schema and the version table.
    static std::optional<SchemaSnapshot> captureLive(PgConnection &connection, const VersionTable &versionTable,
                                                     QString *error);
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::DriftReport)
