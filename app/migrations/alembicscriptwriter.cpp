#include "migrations/alembicscriptwriter.h"

#include "migrations/migrationscript.h"
#include "migrations/scriptwriter.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate the same context ("AlembicScriptWriter") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(AlembicScriptWriter)
};

QString commented(const QString &text)
{
    QStringList out;
    for (const QString &line : text.split(QLatin1Char('\n')))
        out << (line.isEmpty() ? u"--"_s : u"-- "_s + line);
    return out.join(QLatin1Char('\n'));
}

QString oneLine(const QString &s)
{
    QString t = s;
    t.replace(QLatin1Char('\r'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
    return t.trimmed();
}

} // namespace

QStringList AlembicScriptWriter::fileNames(const AlembicProject &project)
{
    QStringList names;
    for (const ImportedRevision &r : project.revisions)
        names << u"%1_%2.sql"_s.arg(r.revision, ScriptWriter::slug(r.message));
    QStringList sorted = names;
    sorted.sort();
    if (sorted == names)
        return names;
    QStringList numbered;
    for (int i = 0; i < names.size(); ++i)
        numbered << u"%1_%2"_s.arg(i + 1, 4, 10, QLatin1Char('0')).arg(names.at(i));
    return numbered;
}

QString AlembicScriptWriter::scriptText(const ImportedRevision &r)
{
    QString text;
    text += u"-- revision: %1\n"_s.arg(r.revision);
    text += u"-- down_revision: %1\n"_s.arg(r.downRevisions.isEmpty() ? u"none"_s : r.downRevisions.join(u", "_s));
    if (!r.branchLabels.isEmpty())
        text += u"-- branch_labels: %1\n"_s.arg(r.branchLabels.join(u", "_s));
    if (!r.dependsOn.isEmpty())
        text += u"-- depends_on: %1\n"_s.arg(r.dependsOn.join(u", "_s));
    text += u"-- message: %1\n"_s.arg(oneLine(r.message));
    if (!r.created.isEmpty())
        text += u"-- created: %1\n"_s.arg(oneLine(r.created));
    if (!r.transactional)
        text += u"-- transactional: false\n"_s;
    if (!r.needsReview.isEmpty())
        text += u"-- needs_review: %1\n"_s.arg(oneLine(r.needsReview));
    // a plain comment (no "key:" form), so the parser skips it
    text += u"-- Imported from %1 by migrationdesk-cli import-alembic\n"_s.arg(QFileInfo(r.path).fileName());

    const auto section = [&](const QStringList &statements) {
        if (!r.needsReview.isEmpty())
            return u"-- Translate the Python below by hand, then delete the needs_review header.\n"_s
                   + commented(r.source.trimmed()) + u"\n"_s;
        return statements.isEmpty() ? QString() : statements.join(u"\n\n"_s) + u"\n"_s;
    };
    text += u"\n-- +upgrade\n"_s + section(r.upgrade);
    text += u"\n-- +downgrade\n"_s + section(r.downgrade);
    return text;
}

std::optional<QStringList> AlembicScriptWriter::write(const AlembicProject &project, const QString &outDir,
                                                      QString *error)
{
    auto fail = [&](const QString &text) -> std::optional<QStringList> {
        if (error)
            *error = text;
        return std::nullopt;
    };
    static const QRegularExpression labelRe(u"^[^@,\\s]+$"_s);
    for (const ImportedRevision &r : project.revisions) {
        const QString file = QFileInfo(r.path).fileName();
        if (!MigrationScript::isValidRevisionId(r.revision))
            return fail(Text::tr("revision id '%1' (%2) cannot be carried over: MigrationDesk ids are 1 to 32 "
                                 "characters of [0-9a-z_]")
                            .arg(r.revision, file));
        for (const QString &l : r.branchLabels + r.dependsOn)
            if (!labelRe.match(l).hasMatch())
                return fail(Text::tr("branch label or dependency '%1' of revision %2 (%3) contains '@', ',' or a space")
                                .arg(l, r.revision, file));
    }
    QDir dir(outDir);
    if (dir.exists() && !dir.entryList({u"*.sql"_s}, QDir::Files).isEmpty())
        return fail(Text::tr("%1 already holds .sql scripts; import into an empty folder").arg(outDir));
    if (!dir.exists() && !QDir().mkpath(outDir))
        return fail(Text::tr("cannot create the folder %1").arg(outDir));

    const QStringList names = fileNames(project);
    QStringList written;
    for (int i = 0; i < project.revisions.size(); ++i) {
        const QString path = dir.filePath(names.at(i));
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return fail(Text::tr("cannot write %1: %2").arg(path, file.errorString()));
        file.write(scriptText(project.revisions.at(i)).toUtf8());
        if (!file.commit())
            return fail(Text::tr("cannot write %1: %2").arg(path, file.errorString()));
        written << path;
    }
    return written;
}

} // namespace MigrationDesk
