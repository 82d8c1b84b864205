#include "cli/schemacommands.h"

#include "cli/cliapp.h"
#include "cli/clicontext.h"
#include "db/pgconnection.h"
#include "migrations/driftbaseline.h"
#include "migrations/driftcheck.h"
#include "migrations/scriptwriter.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

CommandOutput SchemaCommands::check(CliContext &ctx, const CliCommand &c)
{
    CommandOutput out;
    const auto scripts = ctx.loadScripts(&out);
    if (!scripts)
        return out;
    PgConnection conn;
    const auto settings = ctx.openDatabase(conn, &out);
    if (!settings)
        return out;
    const bool baseline = c.has(u"--baseline"_s);
    QString error;
    const auto report = baseline ? DriftBaseline::record(conn, *scripts, ctx.versionTable(), &error)
                                 : DriftCheck::run(conn, *scripts, ctx.versionTable(), &error);
    if (!report)
        return CommandOutput::failure(CliApp::MigrationFailed,
                                      baseline ? tr("check --baseline recorded nothing: %1").arg(error)
                                               : tr("check failed: %1").arg(error));
    out.exitCode = report->drifted() ? CliApp::DriftFound : report->needsBaseline() ? CliApp::NoSnapshot : CliApp::Ok;
    out.json[u"ok"_s] = out.exitCode == CliApp::Ok;
    out.json[u"exit_code"_s] = out.exitCode;
    out.json[u"heads"_s] = QJsonArray::fromStringList(report->heads);
    out.json[u"has_snapshot"_s] = report->hasSnapshot;
    out.json[u"baseline_recorded"_s] = baseline;
    out.json[u"no_snapshot_for"_s] = QJsonArray::fromStringList(report->unrecordedHeads);
    out.json[u"applied_outside"_s] = report->appliedOutside;
    out.json[u"schema_differences"_s] = QJsonArray::fromStringList(report->schemaDifferences);
    out.json[u"checksum_differences"_s] = QJsonArray::fromStringList(report->checksumDifferences);
    out.json[u"notes"_s] = QJsonArray::fromStringList(report->notes);
    out.info = report->notes;
    if (baseline)
        out.text = tr("Recorded the schema of %1 as the snapshot for %2; later checks compare with it.")
                       .arg(settings->displayName(), report->heads.join(u", "_s))
            + QLatin1Char('\n');
    if (report->needsBaseline() && !report->drifted()) {
        const QString revisions = report->unrecordedHeads.join(u", "_s);
        out.text = (report->appliedOutside
                        ? tr("No schema snapshot is recorded for revision %1 of %2: it was applied outside "
                             "MigrationDesk (e.g. by Alembic), so schema drift cannot be checked.")
                        : tr("No schema snapshot is recorded for revision %1 of %2, so schema drift cannot be checked."))
                       .arg(revisions, settings->displayName())
            + QLatin1Char('\n')
            + tr("Run `check --baseline` to record the current schema as the snapshot for %1 (nothing else changes); "
                 "later checks compare with it.")
                  .arg(revisions)
            + QLatin1Char('\n');
        return out;
    }
    if (!report->drifted()) {
        out.text += tr("No drift: the schema of %1 matches what its applied revisions built, and no applied script changed.")
                       .arg(settings->displayName())
            + QLatin1Char('\n');
        return out;
    }
    out.text += tr("Drift found in %1:").arg(settings->displayName()) + QLatin1Char('\n');
    for (const QString &d : report->schemaDifferences)
        out.text += tr("  schema: %1").arg(d) + QLatin1Char('\n');
    for (const QString &d : report->checksumDifferences)
        out.text += tr("  script: %1").arg(d) + QLatin1Char('\n');
    if (report->needsBaseline())
        out.text += tr("No schema snapshot is recorded for revision %1: `check --baseline` records one once the "
                       "scripts are right.")
                        .arg(report->unrecordedHeads.join(u", "_s))
            + QLatin1Char('\n');
    return out;
}

CommandOutput SchemaCommands::revision(CliContext &ctx, const CliCommand &c)
{
    return writeScript(ctx, c, Parents::HeadOrOption);
}

CommandOutput SchemaCommands::merge(CliContext &ctx, const CliCommand &c)
{
    return writeScript(ctx, c, Parents::Arguments);
}

CommandOutput SchemaCommands::writeScript(CliContext &ctx, const CliCommand &c, Parents from)
{
    if (ctx.globals().migrations.isEmpty())
        return CommandOutput::usage(
            tr("%1 writes a new script and needs --migrations DIR (the bundled scripts are read-only)").arg(c.name));
    const QString message = c.value(u"-m"_s, u"--message"_s);
    if (message.isEmpty())
        return CommandOutput::usage(tr("%1 needs a message: -m \"...\"").arg(c.name));
    CommandOutput out;
    const auto scripts = ctx.loadScripts(&out);
    if (!scripts)
        return out;
    const RevisionGraph &g = scripts->graph();
    QStringList parents;
    QString error;
    if (from == Parents::Arguments) {
        for (const QString &r : c.positional) {
            const auto resolved = g.resolveTarget(r, {}, &error);
            if (!resolved)
                return CommandOutput::failure(CliApp::UsageError, error);
            for (const QString &x : *resolved)
                if (!parents.contains(x))
                    parents << x;
        }
        if (parents.size() < 2)
            return CommandOutput::failure(CliApp::UsageError, tr("merge needs at least two distinct revisions"));
    } else if (c.values.contains(u"--head"_s)) {
        const auto resolved = g.resolveTarget(c.value(u"--head"_s), {}, &error);
        if (!resolved)
            return CommandOutput::failure(CliApp::UsageError, error);
        parents = *resolved;
    } else {
        parents = g.heads();
        if (parents.size() > 1)
            return CommandOutput::failure(CliApp::UsageError,
                                          tr("Multiple heads are present (%1); please specify the head revision on which the "
                                             "new revision should be based with --head, or perform a merge.")
                                              .arg(parents.join(u", "_s)));
    }
    const auto path = ScriptWriter::write(*scripts, message, parents, &error, c.value(u"--rev-id"_s));
    if (!path)
        return CommandOutput::failure(CliApp::UsageError, error);
    out.json = CommandOutput::okJson(u"path"_s, *path);
    out.text = tr("Generating %1 ...  done").arg(*path) + QLatin1Char('\n');
    return out;
}

} // namespace MigrationDesk
