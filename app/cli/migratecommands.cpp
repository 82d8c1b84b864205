#include "cli/migratecommands.h"

#include "cli/cliapp.h"
#include "cli/clicontext.h"
#include "db/pgconnection.h"
#include "migrations/migrationrunner.h"
#include "migrations/offlinerenderer.h"
#include "migrations/planreview.h"

#include <QJsonArray>

namespace MigrationDesk {

namespace {

int exitCodeFor(const RunResult &r)
{
    return r.status == RunResult::Status::Ok                ? CliApp::Ok
        : r.status == RunResult::Status::ConnectionError ? CliApp::ConnectionFailed
        : r.status == RunResult::Status::Refused         ? CliApp::UsageError
                                                         : CliApp::MigrationFailed;
}

QString headsText(const QStringList &heads)
{
    return heads.isEmpty() ? QStringLiteral("base") : heads.join(QStringLiteral(", "));
}

QJsonObject findingJson(const PlanFinding &f)
{
    QJsonObject o;
    o[QStringLiteral("rule")] = f.rule;
    o[QStringLiteral("severity")] = PlanFinding::severityName(f.severity);
    o[QStringLiteral("message")] = f.message;
    o[QStringLiteral("line")] = f.line;
    o[QStringLiteral("table")] = f.table;
    if (!f.column.isEmpty())
        o[QStringLiteral("column")] = f.column;
    o[QStringLiteral("estimated_rows")] = f.estimatedRows < 0 ? QJsonValue() : QJsonValue(f.estimatedRows);
    o[QStringLiteral("estimated_rows_at_least")] = f.rowsAtLeast;
    return o;
}

// `reviewed`, when given (a dry run), holds the review of each step: its findings join the step.
QJsonArray planJson(const ScriptSet &set, const QList<MigrationStep> &plan, const QList<PlanStepReview> *reviewed)
{
    QJsonArray a;
    for (int i = 0; i < plan.size(); ++i) {
        const MigrationStep &step = plan.at(i);
        QJsonObject o;
        o[QStringLiteral("revision")] = step.revision;
        o[QStringLiteral("direction")] = migrationOpName(step.direction);
        const MigrationScript *s = set.script(step.revision);
        o[QStringLiteral("message")] = s ? s->message : QString();
        o[QStringLiteral("transactional")] = s ? s->transactional : true;
        if (reviewed) {
            QJsonArray findings;
            for (const PlanFinding &f : reviewed->value(i).findings)
                findings.append(findingJson(f));
            o[QStringLiteral("findings")] = findings;
        }
        a.append(o);
    }
    return a;
}

} // namespace

CommandOutput MigrateCommands::migrate(CliContext &ctx, const CliCommand &c, MigrationOp op)
{
    CommandOutput out;
    const auto scripts = ctx.loadScripts(&out);
    if (!scripts)
        return out;
    if (c.has(QStringLiteral("--sql"))) {
        if (c.values.contains(QStringLiteral("--backup")) || c.has(QStringLiteral("--dry-run")))
            return CommandOutput::usage(tr("--sql does not connect, so it cannot be combined with --backup or --dry-run"));
        return offline(ctx, *scripts, c, op);
    }
    const QString target = c.positional.first();
    if (target.contains(QLatin1Char(':')))
        return CommandOutput::usage(tr("a FROM:TO range is only meaningful with --sql"));
    const auto settings = ctx.connection(&out);
    if (!settings)
        return out;

    RunOptions options;
    options.versionTable = ctx.versionTable();
    options.lockTimeout = ctx.globals().lockTimeout;
    options.singleTransaction = ctx.globals().singleTransaction || c.has(QStringLiteral("--single-transaction"));
    options.backupFile = c.value(QStringLiteral("--backup"));
    options.dryRun = c.has(QStringLiteral("--dry-run"));
    MigrationRunner runner(*scripts, *settings, options);
    ctx.attachProgress(runner);
    QObject::connect(&runner, &MigrationRunner::stepStarted, &runner,
                     [&ctx, &scripts](int, int, const QString &revision, bool up) {
                         const MigrationScript *s = scripts->script(revision);
                         const QString parents = s ? s->downRevisions.join(QStringLiteral(", ")) : QString();
                         ctx.info(up ? tr("Running upgrade %1 -> %2, %3").arg(parents, revision, s ? s->message : QString())
                                     : tr("Running downgrade %1 -> %2, %3").arg(revision, parents, s ? s->message : QString()));
                     });
    const RunResult r = ctx.runCancellable(runner, op, target);
    for (const QString &note : r.notes)
        ctx.info(note);

    // A dry run also shows what the plan puts at risk, reviewed on a connection of its own.
    QList<PlanStepReview> reviewed;
    if (options.dryRun && r.ok() && !r.plan.isEmpty()) {
        PgConnection connection;
        QString error;
        if (!connection.open(*settings, &error))
            return CommandOutput::failure(CliApp::ConnectionFailed, error);
        reviewed = PlanReviewer(connection, *scripts, options.versionTable).reviewSteps(r.plan, r.headsBefore);
    }

    out.exitCode = exitCodeFor(r);
    out.json[QStringLiteral("ok")] = r.ok();
    out.json[QStringLiteral("exit_code")] = out.exitCode;
    out.json[QStringLiteral("dry_run")] = options.dryRun;
    out.json[QStringLiteral("plan")] = planJson(*scripts, r.plan, options.dryRun ? &reviewed : nullptr);
    out.json[QStringLiteral("heads_before")] = QJsonArray::fromStringList(r.headsBefore);
    out.json[QStringLiteral("heads_after")] = QJsonArray::fromStringList(r.headsAfter);
    out.json[QStringLiteral("steps_completed")] = r.stepsCompleted;
    out.json[QStringLiteral("notes")] = QJsonArray::fromStringList(r.notes);
    if (!r.ok()) {
        out.error = r.error;
        out.json[QStringLiteral("error")] = redactSecrets(r.error);
        return out;
    }
    if (!options.dryRun) {
        out.info << (r.plan.isEmpty() ? tr("Nothing to do: the database is already at %1.").arg(headsText(r.headsAfter))
                                      : tr("Done: %n revision(s) applied; now at %1.", nullptr, r.stepsCompleted)
                                            .arg(headsText(r.headsAfter)));
        return out;
    }
    if (r.plan.isEmpty()) {
        out.text = tr("Nothing to do: the database (%1) is already at %2.").arg(settings->displayName(), target) + QLatin1Char('\n');
        return out;
    }
    const QString from = r.headsBefore.isEmpty() ? QStringLiteral("<base>") : r.headsBefore.join(QStringLiteral(", "));
    out.text = tr("Plan for %1 %2 on %3, from %4 (dry run, nothing changed):")
                   .arg(migrationOpName(op), target, settings->displayName(), from)
        + QLatin1Char('\n');
    for (int i = 0; i < r.plan.size(); ++i) {
        const MigrationStep &step = r.plan.at(i);
        const MigrationScript *s = scripts->script(step.revision);
        out.text += QStringLiteral("  %1. %2 %3  %4%5\n")
                        .arg(i + 1)
                        .arg(migrationOpName(step.direction).leftJustified(9), step.revision, s ? s->message : QString(),
                             s && !s->transactional ? tr("  [non-transactional]") : QString());
        for (const PlanFinding &f : reviewed.value(i).findings)
            out.text += QStringLiteral("       %1: %2\n").arg(PlanFinding::severityName(f.severity), f.message);
    }
    return out;
}

CommandOutput MigrateCommands::offline(CliContext &ctx, const ScriptSet &scripts, const CliCommand &c, MigrationOp op)
{
    const bool upgrade = op == MigrationOp::Upgrade;
    const QString arg = c.positional.first();
    QString from, to = arg;
    if (arg.contains(QLatin1Char(':'))) {
        from = arg.section(QLatin1Char(':'), 0, 0);
        to = arg.section(QLatin1Char(':'), 1);
    } else if (!upgrade) {
        return CommandOutput::usage(tr("downgrade with --sql requires <fromrev>:<torev>"));
    }
    const RevisionGraph &g = scripts.graph();
    QString error;
    QStringList start;
    if (!from.isEmpty() && from != QLatin1String("base")) {
        const auto resolved = g.resolveTarget(from, {}, &error);
        if (!resolved)
            return CommandOutput::failure(CliApp::UsageError, error);
        start = *resolved;
    }
    const auto plan = upgrade ? g.upgradePlan(start, to, &error) : g.downgradePlan(start, to, &error);
    if (!plan)
        return CommandOutput::failure(CliApp::UsageError, error);
    OfflineRenderer::Options options;
    options.versionTable = ctx.versionTable();
    options.singleTransaction = ctx.globals().singleTransaction || c.has(QStringLiteral("--single-transaction"));
    options.lockTimeout = ctx.globals().lockTimeout;
    const auto sql = OfflineRenderer::render(scripts, *plan, start, options, &error);
    if (!sql)
        return CommandOutput::failure(CliApp::UsageError, error);
    CommandOutput out;
    out.text = *sql;
    out.textOnly = true;
    return out;
}

CommandOutput MigrateCommands::stamp(CliContext &ctx, const CliCommand &c)
{
    CommandOutput out;
    const auto scripts = ctx.loadScripts(&out);
    if (!scripts)
        return out;
    const auto settings = ctx.connection(&out);
    if (!settings)
        return out;
    RunOptions options;
    options.versionTable = ctx.versionTable();
    options.dryRun = c.has(QStringLiteral("--dry-run"));
    MigrationRunner runner(*scripts, *settings, options);
    ctx.attachProgress(runner);
    const RunResult r = runner.stamp(c.positional.first());
    for (const QString &note : r.notes)
        ctx.info(note);
    out.exitCode = exitCodeFor(r);
    out.json[QStringLiteral("ok")] = r.ok();
    out.json[QStringLiteral("exit_code")] = out.exitCode;
    out.json[QStringLiteral("heads_before")] = QJsonArray::fromStringList(r.headsBefore);
    out.json[QStringLiteral("heads_after")] = QJsonArray::fromStringList(r.headsAfter);
    if (!r.ok()) {
        out.error = r.error;
        out.json[QStringLiteral("error")] = redactSecrets(r.error);
        return out;
    }
    out.info << tr("Stamped %1: version table now at %2.").arg(settings->displayName(), headsText(r.headsAfter));
    return out;
}

} // namespace MigrationDesk
