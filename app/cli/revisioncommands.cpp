#include "cli/revisioncommands.h"

#include "cli/cliapp.h"
#include "cli/clicontext.h"
#include "cli/revisionformat.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

QJsonArray revisionsJson(const ScriptSet &scripts, const QStringList &revisions)
{
    QJsonArray arr;
    for (const QString &r : revisions)
        arr.append(RevisionFormat::toJson(scripts, r));
    return arr;
}

HeadOnlyOptions withTree()
{
    HeadOnlyOptions options;
    options.treeIndicators = true;
    return options;
}

} // namespace

CommandOutput RevisionCommands::current(CliContext &ctx, const CliCommand &c)
{
    CommandOutput out;
    const auto scripts = ctx.loadScripts(&out);
    if (!scripts)
        return out;
    const auto settings = ctx.connection(&out);
    if (!settings)
        return out;
    const auto heads = ctx.currentHeads(*settings, &out);
    if (!heads)
        return out;
    const bool verbose = ctx.isVerbose(c);
    out.json = CommandOutput::okJson(u"current"_s, revisionsJson(*scripts, *heads));
    if (verbose)
        out.info << tr("Current revision(s) for %1:").arg(settings->displayName());
    for (const QString &h : *heads) {
        if (!scripts->graph().contains(h))
            out.text += h + tr(" (missing from the scripts)") + QLatin1Char('\n');
        else
            out.text += RevisionFormat::line(*scripts, h, verbose, withTree());
    }
    return out;
}

CommandOutput RevisionCommands::history(CliContext &ctx, const CliCommand &c)
{
    CommandOutput out;
    const auto scripts = ctx.loadScripts(&out);
    if (!scripts)
        return out;
    const QString range = c.value(u"-r"_s, u"--rev-range"_s);
    const bool verbose = ctx.isVerbose(c);
    const bool indicate = c.has(u"-i"_s, u"--indicate-current"_s);
    QString lower, upper;
    if (!range.isEmpty()) {
        if (!range.contains(QLatin1Char(':')))
            return CommandOutput::usage(tr("history range '%1' must be of the form [start]:[end]").arg(range));
        lower = range.section(QLatin1Char(':'), 0, 0);
        upper = range.section(QLatin1Char(':'), 1);
    }
    const bool needsDb = indicate || lower == QLatin1String("current") || upper == QLatin1String("current")
                         || lower.startsWith(QLatin1Char('-')) || lower.startsWith(QLatin1Char('+'))
                         || upper.startsWith(QLatin1Char('-')) || upper.startsWith(QLatin1Char('+'));
    QStringList heads;
    if (needsDb) {
        const auto settings = ctx.connection(&out);
        if (!settings)
            return out;
        const auto h = ctx.currentHeads(*settings, &out);
        if (!h)
            return out;
        heads = *h;
    }
    // Alembic turns "current" at base into an empty tuple and then, being falsy, into "heads", so
    // `history -r -1:current` on an empty database lists the head and its parent. A range that
    // ends at the database's revision ends before every revision there: it lists nothing.
    if (upper == QLatin1String("current") && heads.isEmpty()) {
        out.json = CommandOutput::okJson(u"history"_s, QJsonArray());
        out.info << tr("The database is at base: the range ends before the first revision.");
        return out;
    }
    QString error;
    const auto revs = scripts->graph().walk(lower, upper, heads, &error);
    if (!revs)
        return CommandOutput::failure(CliApp::UsageError, error);
    QJsonArray arr;
    for (const QString &r : *revs) {
        QJsonObject o = RevisionFormat::toJson(*scripts, r);
        if (indicate)
            o[u"current"_s] = heads.contains(r);
        arr.append(o);
        HeadOnlyOptions line = withTree();
        line.parents = true;
        line.branches = true;
        line.doc = true;
        line.current = indicate && heads.contains(r);
        out.text += RevisionFormat::line(*scripts, r, verbose, line);
    }
    out.json = CommandOutput::okJson(u"history"_s, arr);
    return out;
}

CommandOutput RevisionCommands::heads(CliContext &ctx, const CliCommand &c)
{
    CommandOutput out;
    const auto scripts = ctx.loadScripts(&out);
    if (!scripts)
        return out;
    const bool verbose = ctx.isVerbose(c);
    const QStringList heads = scripts->graph().heads();
    out.json = CommandOutput::okJson(u"heads"_s, revisionsJson(*scripts, heads));
    HeadOnlyOptions line;
    line.branches = true;
    for (const QString &h : heads)
        out.text += RevisionFormat::line(*scripts, h, verbose, line);
    return out;
}

CommandOutput RevisionCommands::branches(CliContext &ctx, const CliCommand &c)
{
    CommandOutput out;
    const auto scripts = ctx.loadScripts(&out);
    if (!scripts)
        return out;
    const bool verbose = ctx.isVerbose(c);
    const RevisionGraph &g = scripts->graph();
    QJsonArray arr;
    for (const QString &r : g.revisions()) {
        if (!g.isBranchPoint(r))
            continue;
        QStringList kids = g.children(r);
        kids.sort();
        QJsonObject o = RevisionFormat::toJson(*scripts, r);
        o[u"branches_into"_s] = QJsonArray::fromStringList(kids);
        arr.append(o);
        HeadOnlyOptions branchLine = withTree();
        branchLine.branches = true;
        out.text += RevisionFormat::line(*scripts, r, verbose, branchLine);
        HeadOnlyOptions child = withTree();
        child.doc = verbose;
        child.branches = true;
        for (const QString &k : kids)
            out.text += QString(r.size(), QLatin1Char(' ')) + u" -> "_s
                + RevisionFormat::headOnly(*scripts, k, child) + QLatin1Char('\n');
    }
    out.json = CommandOutput::okJson(u"branches"_s, arr);
    return out;
}

CommandOutput RevisionCommands::show(CliContext &ctx, const CliCommand &c)
{
    CommandOutput out;
    const auto scripts = ctx.loadScripts(&out);
    if (!scripts)
        return out;
    QString error;
    const auto revs = scripts->graph().resolveTarget(c.positional.first(), {}, &error);
    if (!revs)
        return CommandOutput::failure(CliApp::UsageError, error);
    out.json = CommandOutput::okJson(u"revisions"_s, revisionsJson(*scripts, *revs));
    for (const QString &r : *revs)
        out.text += RevisionFormat::logEntry(*scripts, r, false) + QLatin1Char('\n');
    return out;
}

} // namespace MigrationDesk
