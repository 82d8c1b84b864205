#pragma once

#include <QString>

#include <optional>

namespace MigrationDesk {

// What a plan does to the database. The one vocabulary of the runner, the worker, the UI and the CLI;
// its names exist only at the edges (history rows, JSON), through the two helpers below.
enum class MigrationOp { Upgrade, Downgrade, Stamp };

// The stable name stored in history rows and printed in JSON: "upgrade", "downgrade" or "stamp".
// Never translated: older databases and scripts read these exact words.
QString migrationOpName(MigrationOp op);
// The inverse of migrationOpName(); nullopt for any other text.
std::optional<MigrationOp> migrationOpFromName(const QString &name);

} // namespace MigrationDesk
