#include "cli/importcommands.h"

#include "cli/cliapp.h"
#include "cli/clicontext.h"
#include "migrations/alembicexporter.h"
#include "migrations/alembicscriptwriter.h"
#include "migrations/scriptset.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcessEnvironment>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

CommandOutput ImportCommands::importAlembic(CliContext &ctx, const CliCommand &c)
{
    const QString path = c.positional.value(0);
    const QString outDir = c.value(u"--out"_s);
    if (outDir.isEmpty())
        return CommandOutput::usage(tr("import-alembic needs --out DIR, the folder to write the scripts into"));
    if (!QFileInfo::exists(path))
        return CommandOutput::usage(tr("%1 does not exist; give an alembic.ini or the folder holding it").arg(path));

    ctx.info(tr("Reading the Alembic project at %1 ...").arg(path));
    const AlembicExporter::Result exported =
        AlembicExporter::run(path, c.value(u"--python"_s), QProcessEnvironment::systemEnvironment());
    if (!exported.project)
        return CommandOutput::failure(CliApp::MigrationFailed, exported.error);
    const AlembicProject &project = *exported.project;

    QString error;
    const auto written = AlembicScriptWriter::write(project, outDir, &error);
    if (!written)
        return CommandOutput::failure(CliApp::MigrationFailed, error);

    // What we wrote must load as a valid set: the same graph Alembic has.
    const ScriptSet set = ScriptSet::load(outDir);
    if (!set.isValid())
        return CommandOutput::failure(CliApp::MigrationFailed,
                                      tr("the imported scripts do not load:\n%1").arg(set.errorText()));

    CommandOutput out;
    const int review = project.needsReviewCount();
    out.exitCode = review > 0 ? CliApp::MigrationFailed : CliApp::Ok;
    QJsonArray revisions;
    QString table;
    for (int i = 0; i < project.revisions.size(); ++i) {
        const ImportedRevision &r = project.revisions.at(i);
        QJsonObject o;
        o[u"revision"_s] = r.revision;
        o[u"down_revisions"_s] = QJsonArray::fromStringList(r.downRevisions);
        o[u"branch_labels"_s] = QJsonArray::fromStringList(r.branchLabels);
        o[u"depends_on"_s] = QJsonArray::fromStringList(r.dependsOn);
        o[u"message"_s] = r.message;
        o[u"source"_s] = r.path;
        o[u"file"_s] = written->at(i);
        o[u"transactional"_s] = r.transactional;
        o[u"status"_s] = r.needsReview.isEmpty() ? u"rendered"_s : u"needs_review"_s;
        if (!r.needsReview.isEmpty())
            o[u"reason"_s] = r.needsReview;
        revisions.append(o);
        QString line = u"  %1 %2"_s.arg(r.needsReview.isEmpty() ? tr("rendered    ") : tr("NEEDS REVIEW"), r.revision);
        if (!r.branchLabels.isEmpty())
            line += u" (%1)"_s.arg(r.branchLabels.join(u", "_s));
        line += u"  "_s + r.message;
        if (!r.needsReview.isEmpty())
            line += u"\n      "_s + tr("%1: %2").arg(QFileInfo(r.path).fileName(), r.needsReview);
        table += line + QLatin1Char('\n');
    }
    out.json[u"ok"_s] = review == 0;
    out.json[u"exit_code"_s] = out.exitCode;
    out.json[u"alembic_version"_s] = project.alembicVersion;
    out.json[u"python"_s] = project.python;
    out.json[u"out"_s] = outDir;
    out.json[u"heads"_s] = QJsonArray::fromStringList(project.heads);
    out.json[u"branch_labels"_s] = QJsonArray::fromStringList(project.branchLabels());
    out.json[u"needs_review"_s] = review;
    out.json[u"revisions"_s] = revisions;

    out.text = tr("Imported %n revision(s) from %1 into %2 (Alembic %3, %4).", nullptr, int(project.revisions.size()))
                   .arg(project.ini, outDir, project.alembicVersion, project.python)
               + QLatin1Char('\n');
    out.text += tr("Heads: %1").arg(project.heads.join(u", "_s)) + QLatin1Char('\n');
    if (!project.branchLabels().isEmpty())
        out.text += tr("Branch labels: %1").arg(project.branchLabels().join(u", "_s)) + QLatin1Char('\n');
    out.text += table;
    if (review > 0)
        out.text += tr("%n revision(s) need review: translate each by hand, then delete its needs_review header. "
                       "Until then MigrationDesk refuses to run or stamp through them.", nullptr, review)
                    + QLatin1Char('\n');
    else
        out.text += tr("Every revision rendered cleanly.") + QLatin1Char('\n');
    return out;
}

} // namespace MigrationDesk
