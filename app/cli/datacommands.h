#pragma once

#include "cli/commandoutput.h"

#include <QCoreApplication>

namespace MigrationDesk {

class CliContext;
struct CliCommand;

// The commands that write rows into the user's tables: demo-data. Shares CliApp's translation
// context. CLI main thread.
class DataCommands
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::CliApp)

public:
    static CommandOutput demoData(CliContext &ctx, const CliCommand &c);
};

} // namespace MigrationDesk
