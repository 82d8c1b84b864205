#include "cli/migratecommands.h"

#include "cli/cliapp.h"
#include "cli/clicontext.h"
#include "cli/reviewcommands.h"
#include "db/pgconnection.h"
#include "migrations/migrationrunner.h"
#include "migrations/offlinerenderer.h"
#include "migrations/planreview.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

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
    return heads.isEmpty() ? u"base"_s : heads.join(u", "_s);
}

// The sessions that held the lock a statement timed out on, as the --json failure object lists them.
QJsonArray blockersJson(const QList<LockBlocker> &blockers)
{
    QJsonArray a;
    for (const LockBlocker &b : blockers) {
        a.append(QJsonObject{{u"pid"_s, b.pid},
                             {u"user"_s, b.user},
                             {u"application_name"_s, b.application},
                             {u"client_addr"_s, b.clientAddress},
                             {u"state"_s, b.state},
                             {u"state_seconds"_s, b.stateSeconds},
                             {u"query"_s, redactSecrets(b.query)}});
    }
    return a;
}

// `reviewed`, when given (a dry run), holds the review of each step: its findings join the step.
QJsonArray planJson(const ScriptSet &set, const QList<MigrationStep> &plan, const QList<PlanStepReview> *reviewed)
{
    QJsonArray a;
    for (int i = 0; i < plan.size(); ++i) {
        const MigrationStep &step = plan.at(i);
        QJsonObject o;
        o[u"revision"_s] = step.revision;
        o[u"direction"_s] = migrationOpName(step.direction);
        const MigrationScript *s = set.script(step.revision);
        o[u"message"_s] = s ? s->message : QString();
        o[u"transactional"_s] = s ? s->transactional : true;
        if (reviewed) {
            QJsonArray findings;
            for (const PlanFinding &f : reviewed->value(i).findings)
                findings.append(ReviewCommands::findingJson(f));
            o[u"findings"_s] = findings;
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
    if (c.has(u"--sql"_s)) {
        if (c.values.contains(u"--backup"_s) || c.has(u"--dry-run"_s) || c.has(u"--restart-revision"_s))
            return CommandOutput::usage(tr("--sql does not connect, so it cannot be combined with --backup, --dry-run or --restart-revision"));
        return offline(ctx, *scripts, c, op);
    }
    const QString target = c.positional.first();
    if (target.contains(QLatin1Char(':')))
        return CommandOutput::usage(tr("a FROM:TO range is only meaningful with --sql"));
    const auto settings = ctx.connection(&out);
    if (!settings)
        return out;
    const auto limits = ReviewCommands::thresholds(c, &out);
    if (!limits)
        return out;
    RunOptions options;
    // The pre-flight review: danger and error findings are printed, an error finding stops the run before
    // the lock is taken. It reviews on the runner's connection, outside the lock, as a separate one did.
    std::optional<CommandOutput> stopped;
    if (!c.has(u"--dry-run"_s)) {
        options.preflight = [&](PgConnection &connection, RunResult *result) {
            stopped = ReviewCommands::gate(ctx, c, *scripts, connection, op, target);
            return !stopped || result->fail(RunResult::Status::Refused, stopped->error);
        };
    }
    options.versionTable = ctx.versionTable();
    options.lockTimeout = ctx.globals().lockTimeout;
    options.singleTransaction = ctx.globals().singleTransaction || c.has(u"--single-transaction"_s);
    options.backupFile = c.value(u"--backup"_s);
    options.dryRun = c.has(u"--dry-run"_s);
    options.restartRevision = c.has(u"--restart-revision"_s);
    options.lockRetries = ctx.globals().lockRetries;
    options.statementTimeout = ctx.globals().statementTimeout;
    MigrationRunner runner(*scripts, *settings, options);
    ctx.attachProgress(runner);
    QObject::connect(&runner, &MigrationRunner::stepStarted, &runner,
                     [&ctx, &scripts](int, int, const QString &revision, bool up) {
                         const MigrationScript *s = scripts->script(revision);
                         const QString parents = s ? s->downRevisions.join(u", "_s) : QString();
                         ctx.info(up ? tr("Running upgrade %1 -> %2, %3").arg(parents, revision, s ? s->message : QString())
                                     : tr("Running downgrade %1 -> %2, %3").arg(revision, parents, s ? s->message : QString()));
                     });
    const RunResult r = ctx.runCancellable(runner, op, target);
    if (stopped)
        return *stopped;
    for (const QString &note : r.notes)
        ctx.info(note);

    // A dry run also shows what the plan puts at risk, reviewed on a connection of its own.
    QList<PlanStepReview> reviewed;
    if (options.dryRun && r.ok() && !r.plan.isEmpty()) {
        PgConnection connection;
        QString error;
        if (!connection.open(*settings, &error))
            return CommandOutput::failure(CliApp::ConnectionFailed, error);
        PlanReviewer reviewer(connection, *scripts, options.versionTable);
        reviewer.setThresholds(*limits);
        reviewed = reviewer.reviewSteps(r.plan, r.headsBefore);
    }

    out.exitCode = exitCodeFor(r);
    out.json[u"ok"_s] = r.ok();
    out.json[u"exit_code"_s] = out.exitCode;
    out.json[u"dry_run"_s] = options.dryRun;
    out.json[u"plan"_s] = planJson(*scripts, r.plan, options.dryRun ? &reviewed : nullptr);
    out.json[u"heads_before"_s] = QJsonArray::fromStringList(r.headsBefore);
    out.json[u"heads_after"_s] = QJsonArray::fromStringList(r.headsAfter);
    out.json[u"steps_completed"_s] = r.stepsCompleted;
    out.json[u"notes"_s] = QJsonArray::fromStringList(r.notes);
    out.json[u"lock_retries"_s] = r.lockRetries;
    if (!r.blockers.isEmpty())
        out.json[u"blockers"_s] = blockersJson(r.blockers);
    if (!r.ok()) {
        out.error = r.error;
        out.json[u"error"_s] = redactSecrets(r.error);
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
    const QString from = r.headsBefore.isEmpty() ? u"<base>"_s : r.headsBefore.join(u", "_s);
    out.text = tr("Plan for %1 %2 on %3, from %4 (dry run, nothing changed):")
                   .arg(migrationOpName(op), target, settings->displayName(), from)
        + QLatin1Char('\n');
    for (int i = 0; i < r.plan.size(); ++i) {
        const MigrationStep &step = r.plan.at(i);
        const MigrationScript *s = scripts->script(step.revision);
        out.text += u"  %1. %2 %3  %4%5\n"_s
                        .arg(i + 1)
                        .arg(migrationOpName(step.direction).leftJustified(9), step.revision, s ? s->message : QString(),
                             s && !s->transactional ? tr("  [non-transactional]") : QString());
        for (const PlanFinding &f : reviewed.value(i).findings)
            out.text += u"       %1: %2\n"_s.arg(f.isAllowed() ? tr("%1 (allowed: %2)").arg(PlanFinding::severityName(f.severity), f.allowed)
                                                                 : PlanFinding::severityName(f.severity),
                                                   f.message);
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
    options.singleTransaction = ctx.globals().singleTransaction || c.has(u"--single-transaction"_s);
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
    options.dryRun = c.has(u"--dry-run"_s);
    MigrationRunner runner(*scripts, *settings, options);
    ctx.attachProgress(runner);
    const RunResult r = runner.stamp(c.positional.first());
    for (const QString &note : r.notes)
        ctx.info(note);
    out.exitCode = exitCodeFor(r);
    out.json[u"ok"_s] = r.ok();
    out.json[u"exit_code"_s] = out.exitCode;
    out.json[u"heads_before"_s] = QJsonArray::fromStringList(r.headsBefore);
    out.json[u"heads_after"_s] = QJsonArray::fromStringList(r.headsAfter);
    if (!r.ok()) {
        out.error = r.error;
        out.json[u"error"_s] = redactSecrets(r.error);
        return out;
    }
    out.info << (options.dryRun ? tr("Would stamp %1: the version table would go from %2 to %3 (dry run, nothing "
                                     "changed).")
                                      .arg(settings->displayName(), headsText(r.headsBefore), headsText(r.headsAfter))
                                : tr("Stamped %1: version table now at %2.").arg(settings->displayName(), headsText(r.headsAfter)));
    return out;
}

} // namespace MigrationDesk
