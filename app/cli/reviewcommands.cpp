#include "cli/reviewcommands.h"

#include "cli/cliapp.h"
#include "cli/clicontext.h"
#include "db/pgconnection.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// "100000", "100MB", "1.5GB", "512kB": a byte count; nullopt when it is not one.
std::optional<qint64> parseSize(const QString &text)
{
    static const QList<std::pair<QString, qint64>> units = {
        {u"tb"_s, 1LL << 40}, {u"gb"_s, 1LL << 30}, {u"mb"_s, 1LL << 20}, {u"kb"_s, 1LL << 10}, {u"b"_s, 1}};
    QString t = text.trimmed().toLower();
    qint64 factor = 1;
    for (const auto &[unit, f] : units) {
        if (t.endsWith(unit)) {
            t.chop(unit.size());
            factor = f;
            break;
        }
    }
    bool ok = false;
    const double value = t.trimmed().toDouble(&ok);
    if (!ok || value < 0)
        return std::nullopt;
    return qint64(value * double(factor));
}

} // namespace

std::optional<ReviewThresholds> ReviewCommands::thresholds(const CliCommand &c, CommandOutput *failed)
{
    ReviewThresholds t;
    if (c.values.contains(u"--danger-rows"_s)) {
        bool ok = false;
        t.dangerRows = c.value(u"--danger-rows"_s).toLongLong(&ok);
        if (!ok || t.dangerRows < 0) {
            *failed = CommandOutput::usage(tr("--danger-rows needs a number of rows, not '%1'").arg(c.value(u"--danger-rows"_s)));
            return std::nullopt;
        }
    }
    if (c.values.contains(u"--danger-bytes"_s)) {
        const auto bytes = parseSize(c.value(u"--danger-bytes"_s));
        if (!bytes) {
            *failed = CommandOutput::usage(tr("--danger-bytes needs a size such as 104857600 or 100MB, not '%1'")
                                               .arg(c.value(u"--danger-bytes"_s)));
            return std::nullopt;
        }
        t.dangerBytes = *bytes;
    }
    return t;
}

QJsonObject ReviewCommands::findingJson(const PlanFinding &f)
{
    QJsonObject o;
    o[u"rule"_s] = f.rule;
    o[u"severity"_s] = PlanFinding::severityName(f.severity);
    o[u"message"_s] = f.message;
    o[u"line"_s] = f.line;
    o[u"table"_s] = f.table.isEmpty() ? QJsonValue() : QJsonValue(f.table);
    if (!f.column.isEmpty())
        o[u"column"_s] = f.column;
    o[u"estimated_rows"_s] = f.estimatedRows < 0 ? QJsonValue() : QJsonValue(f.estimatedRows);
    o[u"estimated_rows_at_least"_s] = f.rowsAtLeast;
    o[u"table_bytes"_s] = f.tableBytes < 0 ? QJsonValue() : QJsonValue(f.tableBytes);
    o[u"lock"_s] = f.lock.isEmpty() ? QJsonValue() : QJsonValue(f.lock);
    if (f.isAllowed())
        o[u"allowed"_s] = f.allowed;
    return o;
}

QJsonArray ReviewCommands::stepsJson(const QList<PlanStepReview> &steps)
{
    QJsonArray a;
    for (const PlanStepReview &s : steps) {
        QJsonArray findings;
        for (const PlanFinding &f : s.findings)
            findings.append(findingJson(f));
        QJsonObject o;
        o[u"revision"_s] = s.step.revision;
        o[u"direction"_s] = migrationOpName(s.step.direction);
        o[u"findings"_s] = findings;
        a.append(o);
    }
    return a;
}

QString ReviewCommands::findingText(const PlanFinding &f)
{
    QStringList where{tr("line %1").arg(f.line)};
    if (!f.table.isEmpty())
        where << f.table;
    if (!f.lock.isEmpty())
        where << tr("%1 lock").arg(f.lock);
    QString head = u"%1 %2 (%3)"_s.arg(PlanFinding::severityName(f.severity), f.rule, where.join(u", "_s));
    if (f.isAllowed())
        head += u"  "_s + tr("allowed: %1").arg(f.allowed);
    return u"       %1\n         %2\n"_s.arg(head, f.message);
}

CommandOutput ReviewCommands::review(CliContext &ctx, const CliCommand &c)
{
    CommandOutput out;
    const bool downgrade = c.has(u"--downgrade"_s);
    const bool offline = c.has(u"--offline"_s);
    if (downgrade && c.positional.isEmpty())
        return CommandOutput::usage(tr("review --downgrade needs a target revision"));
    if (c.values.contains(u"--from"_s) && !offline)
        return CommandOutput::usage(tr("--from is only meaningful with --offline (online, the database says where it is)"));
    const QString target = c.positional.value(0, u"head"_s);
    const auto failOn = PlanFinding::severityFromName(c.value(u"--fail-on"_s).isEmpty() ? u"error"_s : c.value(u"--fail-on"_s));
    if (!failOn)
        return CommandOutput::usage(tr("--fail-on takes info, warning, danger or error, not '%1'").arg(c.value(u"--fail-on"_s)));
    const auto limits = thresholds(c, &out);
    if (!limits)
        return out;
    const auto scripts = ctx.loadScripts(&out);
    if (!scripts)
        return out;
    const MigrationOp op = downgrade ? MigrationOp::Downgrade : MigrationOp::Upgrade;

    PlanReview plan;
    QString where;
    PgConnection connection;
    if (offline) {
        // Without a database the start comes from the scripts: base for an upgrade, the heads for a downgrade.
        const QString from = c.value(u"--from"_s).isEmpty() ? (downgrade ? u"heads"_s : u"base"_s) : c.value(u"--from"_s);
        PlanReviewer reviewer(*scripts, ctx.versionTable());
        reviewer.setThresholds(*limits);
        plan = reviewer.reviewFrom(op, from, target);
        where = tr("the scripts alone (offline: sizes unknown)");
    } else {
        const auto settings = ctx.openDatabase(connection, &out);
        if (!settings)
            return out;
        PlanReviewer reviewer(connection, *scripts, ctx.versionTable());
        reviewer.setThresholds(*limits);
        plan = reviewer.review(op, target);
        where = settings->displayName();
    }
    if (!plan.ok)
        return CommandOutput::failure(CliApp::UsageError, plan.error);

    int failing = 0;
    for (const PlanStepReview &s : std::as_const(plan.steps)) {
        for (const PlanFinding &f : s.findings)
            failing += !f.isAllowed() && f.severity >= *failOn;
    }
    out.exitCode = failing > 0 ? CliApp::ReviewFailed : CliApp::Ok;
    out.json[u"ok"_s] = failing == 0;
    out.json[u"exit_code"_s] = out.exitCode;
    out.json[u"steps"_s] = stepsJson(plan.steps);

    const QString from = plan.headsBefore.isEmpty() ? u"<base>"_s : plan.headsBefore.join(u", "_s);
    out.text = tr("Review of %1 %2 on %3, from %4:").arg(migrationOpName(op), target, where, from) + u'\n';
    for (int i = 0; i < plan.steps.size(); ++i) {
        const PlanStepReview &s = plan.steps.at(i);
        out.text += u"  %1. %2 %3  %4%5\n"_s
                        .arg(i + 1)
                        .arg(migrationOpName(s.step.direction).leftJustified(9), s.step.revision, s.message,
                             s.transactional ? QString() : tr("  [non-transactional]"));
        for (const PlanFinding &f : s.findings)
            out.text += findingText(f);
    }
    if (plan.steps.isEmpty())
        out.text += tr("  Nothing to do.") + u'\n';
    if (failing > 0)
        out.error = tr("%n finding(s) at or above %1 (--fail-on).", nullptr, failing).arg(PlanFinding::severityName(*failOn));
    return out;
}

std::optional<CommandOutput> ReviewCommands::gate(CliContext &ctx, const CliCommand &c, const ScriptSet &scripts,
                                                  PgConnection &connection, MigrationOp op, const QString &target)
{
    CommandOutput out;
    const auto limits = thresholds(c, &out);
    if (!limits)
        return out;
    const QStringList accepted = c.value(u"--accept"_s).split(u',', Qt::SkipEmptyParts);
    PlanReviewer reviewer(connection, scripts, ctx.versionTable());
    reviewer.setThresholds(*limits);
    const PlanReview plan = reviewer.review(op, target);
    if (!plan.ok)
        return std::nullopt; // the runner refuses the same target with the same message
    QStringList blocking;
    for (const PlanStepReview &s : plan.steps) {
        for (const PlanFinding &f : s.findings) {
            if (f.severity < PlanFinding::Severity::Danger)
                continue;
            ctx.warn(tr("%1 %2, %3 line %4: %5%6")
                         .arg(PlanFinding::severityName(f.severity), f.rule, s.step.revision)
                         .arg(f.line)
                         .arg(f.message, f.isAllowed() ? u" ("_s + tr("allowed: %1").arg(f.allowed) + u')' : QString()));
            if (f.severity == PlanFinding::Severity::Error && !f.isAllowed() && !accepted.contains(f.rule))
                blocking << f.rule;
        }
    }
    if (blocking.isEmpty())
        return std::nullopt;
    blocking.removeDuplicates();
    out = CommandOutput::failure(CliApp::ReviewFailed,
                                 tr("the pre-flight review found errors (%1), so nothing ran. Fix the script, or pass "
                                    "--accept RULE for each rule you have checked.")
                                     .arg(blocking.join(u", "_s)));
    out.json[u"review"_s] = stepsJson(plan.steps);
    return out;
}

} // namespace MigrationDesk
