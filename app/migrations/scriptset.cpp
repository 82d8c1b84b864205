#include "migrations/scriptset.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
// Gives lupdate the same context ("ScriptSet") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(ScriptSet)
};
} // namespace

ScriptSet ScriptSet::load(const QString &directory)
{
    ScriptSet set;
    set.m_directory = directory;
    QDir dir(directory);
    if (!dir.exists()) {
        set.m_errors << ScriptError{directory, 0, Text::tr("the migrations folder does not exist")};
        return set;
    }
    const QStringList files = dir.entryList({u"*.sql"_s}, QDir::Files | QDir::Readable, QDir::Name);
    for (const QString &name : files) {
        const QString path = dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            set.m_errors << ScriptError{path, 0, Text::tr("cannot read the file: %1").arg(file.errorString())};
            continue;
        }
        ScriptError error;
        auto script = MigrationScript::parse(file.readAll(), path, &error);
        if (!script) {
            set.m_errors << error;
            continue;
        }
        if (set.m_index.contains(script->revision)) {
            const MigrationScript &first = set.m_scripts.at(set.m_index.value(script->revision));
            set.m_errors << ScriptError{path, script->headerLines.value(u"revision"_s),
                                        Text::tr("duplicate revision id '%1', already used by %2")
                                            .arg(script->revision, first.fileName)};
            continue;
        }
        set.m_index.insert(script->revision, int(set.m_scripts.size()));
        set.m_scripts << *script;
    }

    for (const MigrationScript &s : std::as_const(set.m_scripts))
        set.m_graph.addRevision(s.revision, s.downRevisions, s.dependsOn, s.branchLabels);
    const auto graphErrors = set.m_graph.validate();
    for (const auto &e : graphErrors) {
        const MigrationScript *s = set.script(e.revision);
        if (s)
            set.m_errors << ScriptError{s->fileName, s->headerLines.value(u"down_revision"_s), e.message};
        else
            set.m_errors << ScriptError{directory, 0, e.message};
    }
    return set;
}

QString ScriptSet::errorText() const
{
    QStringList lines;
    for (const ScriptError &e : m_errors)
        lines << e.toString();
    return lines.join(QLatin1Char('\n'));
}

QString ScriptSet::reviewRefusal(const QStringList &revisions) const
{
    for (const QString &rev : revisions) {
        const MigrationScript *s = script(rev);
        if (s && !s->needsReview.isEmpty())
            return Text::tr("Revision %1 (%2) needs review before it can run: %3. Translate it by hand, then delete "
                            "its needs_review header. Nothing was changed.")
                .arg(rev, s->fileName, s->needsReview);
    }
    return {};
}

QStringList ScriptSet::stampedThrough(const QStringList &heads, const QStringList &newHeads) const
{
    QSet<QString> before, after;
    for (const QString &h : heads)
        before |= m_graph.ancestors(h);
    for (const QString &h : newHeads)
        after |= m_graph.ancestors(h);
    QStringList out;
    for (const MigrationScript &s : m_scripts)
        if (before.contains(s.revision) != after.contains(s.revision))
            out << s.revision;
    return out;
}

const MigrationScript *ScriptSet::script(const QString &revision) const
{
    const auto it = m_index.constFind(revision);
    return it == m_index.constEnd() ? nullptr : &m_scripts.at(*it);
}

} // namespace MigrationDesk
