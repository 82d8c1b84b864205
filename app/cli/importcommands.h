#pragma once

#include "cli/cliparser.h"
#include "cli/commandoutput.h"

#include <QCoreApplication>

namespace MigrationDesk {

class CliContext;

// `import-alembic PATH --out DIR [--python EXE]`: an Alembic project into MigrationDesk scripts.
// Main thread of the CLI (Python runs in a child process meanwhile).
class ImportCommands
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::CliApp)

public:
    static CommandOutput importAlembic(CliContext &ctx, const CliCommand &c);
};

} // namespace MigrationDesk
