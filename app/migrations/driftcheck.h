#pragma once

#include <QMetaType>

#include "migrations/versiontable.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

class PgConnection;
class ScriptSet;

// What `check` found: schema drift against the recorded snapshot and edited scripts.
struct DriftReport
{
    QStringList heads;
    bool hasSnapshot = false;
    QStringList schemaDifferences;
    QStringList checksumDifferences;
    QStringList notes;
    bool drifted() const { return !schemaDifferences.isEmpty() || !checksumDifferences.isEmpty(); }
};

// Compares the live catalog with the snapshot recorded after the last run, and each applied
// script's checksum with the one recorded when it ran. Runs on the connection's thread.
class DriftCheck
{
public:
    static std::optional<DriftReport> run(PgConnection &connection, const ScriptSet &scripts,
                                          const VersionTable &versionTable, QString *error);
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::DriftReport)
