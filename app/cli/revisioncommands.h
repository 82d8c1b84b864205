#pragma once

#include "cli/commandoutput.h"

#include <QCoreApplication>

namespace MigrationDesk {

class CliContext;
struct CliCommand;

// The commands that read the revision graph (and at most the version table): current, history,
// heads, branches and show. Shares CliApp's translation context. CLI main thread.
class RevisionCommands
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::CliApp)

public:
    static CommandOutput current(CliContext &ctx, const CliCommand &c);
    static CommandOutput history(CliContext &ctx, const CliCommand &c);
    static CommandOutput heads(CliContext &ctx, const CliCommand &c);
    static CommandOutput branches(CliContext &ctx, const CliCommand &c);
    static CommandOutput show(CliContext &ctx, const CliCommand &c);
};

} // namespace MigrationDesk
