#pragma once

#include "cli/commandoutput.h"
#include "migrations/migrationop.h"
#include "migrations/planreview.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <optional>

namespace MigrationDesk {

class CliContext;
struct CliCommand;
struct ConnectionSettings;
class PgConnection;

// The pre-flight review on the command line: `review [TARGET]` (online or --offline), the findings of
// upgrade/downgrade --dry-run, and the gate before a real upgrade/downgrade that prints danger and error
// findings and stops on an error finding not named by --accept (exit 5). Shares CliApp's translation
// context. CLI main thread.
class ReviewCommands
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::CliApp)

public:
    static CommandOutput review(CliContext &ctx, const CliCommand &c);
    // Before a real run, on the runner's own connection once it is open (RunOptions::preflight), so the
    // review costs no connection of its own: nullopt lets the run go on; otherwise the output to return
    // (exit 5, or a usage error).
    static std::optional<CommandOutput> gate(CliContext &ctx, const CliCommand &c, const ScriptSet &scripts,
                                             PgConnection &connection, MigrationOp op, const QString &target);
    // --danger-rows / --danger-bytes; a usage error in *failed when a value is not a number.
    static std::optional<ReviewThresholds> thresholds(const CliCommand &c, CommandOutput *failed);

    static QJsonObject findingJson(const PlanFinding &f);
    // {"revision", "direction", "findings": [...]} per step.
    static QJsonArray stepsJson(const QList<PlanStepReview> &steps);
    // One finding as the text output shows it under its step (two lines: what, then the message).
    static QString findingText(const PlanFinding &f);
};

} // namespace MigrationDesk
