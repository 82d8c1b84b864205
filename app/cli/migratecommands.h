#pragma once

#include "cli/commandoutput.h"
#include "migrations/migrationop.h"

#include <QCoreApplication>

namespace MigrationDesk {

class CliContext;
struct CliCommand;
class ScriptSet;

// The commands that change the version table: upgrade and downgrade (online, --dry-run with the plan
// review, or --sql offline) and stamp. Shares CliApp's translation context. CLI main thread.
class MigrateCommands
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::CliApp)

public:
    // op is Upgrade or Downgrade.
    static CommandOutput migrate(CliContext &ctx, const CliCommand &c, MigrationOp op);
    static CommandOutput stamp(CliContext &ctx, const CliCommand &c);

private:
    static CommandOutput offline(CliContext &ctx, const ScriptSet &scripts, const CliCommand &c, MigrationOp op);
};

} // namespace MigrationDesk
