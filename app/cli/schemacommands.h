#pragma once

#include "cli/commandoutput.h"

#include <QCoreApplication>

namespace MigrationDesk {

class CliContext;
struct CliCommand;

// The commands about the schema and its scripts: check (drift), revision and merge (new scripts).
// Shares CliApp's translation context. CLI main thread.
class SchemaCommands
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::CliApp)

public:
    static CommandOutput check(CliContext &ctx, const CliCommand &c);
    static CommandOutput revision(CliContext &ctx, const CliCommand &c);
    static CommandOutput merge(CliContext &ctx, const CliCommand &c);

private:
    // revision and merge differ only in how they choose the new script's parents.
    enum class Parents { HeadOrOption, Arguments };
    static CommandOutput writeScript(CliContext &ctx, const CliCommand &c, Parents parents);
};

} // namespace MigrationDesk
