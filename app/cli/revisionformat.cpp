#include "cli/revisionformat.h"

#include "migrations/scriptset.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
// Alembic's Script._format_down_revision: the parents, or <base>.
QString formatDown(const MigrationScript &s)
{
    return s.downRevisions.isEmpty() ? u"<base>"_s : s.downRevisions.join(u", "_s);
}
} // namespace

QString RevisionFormat::headOnly(const ScriptSet &set, const QString &rev, const HeadOnlyOptions &options)
{
    const MigrationScript *s = set.script(rev);
    const RevisionGraph &g = set.graph();
    QString text = rev;
    if (options.parents && s) {
        if (!s->dependsOn.isEmpty())
            text = formatDown(*s) + u" ("_s + s->dependsOn.join(u", "_s) + u") -> "_s + text;
        else
            text = formatDown(*s) + u" -> "_s + text;
    }
    if (options.branches && !g.branchLabels(rev).isEmpty())
        text += u" ("_s + g.branchLabels(rev).join(u", "_s) + u")"_s;
    if (g.isHead(rev))
        text += u" (head)"_s;
    else if (g.children(rev).isEmpty() && g.contains(rev))
        text += u" (effective head)"_s; // only revisions depending on it build on it
    if (options.current)
        text += u" (current)"_s;
    if (options.treeIndicators) {
        if (g.isBranchPoint(rev))
            text += u" (branchpoint)"_s;
        if (g.isMergePoint(rev))
            text += u" (mergepoint)"_s;
    }
    if (options.doc && s)
        text += u", "_s + s->message;
    return text;
}

QString RevisionFormat::line(const ScriptSet &set, const QString &rev, bool verbose, const HeadOnlyOptions &options)
{
    return (verbose ? logEntry(set, rev, options.current) : headOnly(set, rev, options)) + u'\n';
}

QString RevisionFormat::logEntry(const ScriptSet &set, const QString &rev, bool current)
{
    const MigrationScript *s = set.script(rev);
    const RevisionGraph &g = set.graph();
    QString e = u"Rev: "_s + rev;
    if (g.contains(rev) && g.children(rev).isEmpty()) // Alembic's is_head: nothing has it as down_revision
        e += u" (head)"_s;
    if (g.isBranchPoint(rev))
        e += u" (branchpoint)"_s;
    if (g.isMergePoint(rev))
        e += u" (mergepoint)"_s;
    if (current)
        e += u" (current)"_s;
    e += QLatin1Char('\n');
    if (!s)
        return e;
    e += (g.isMergePoint(rev) ? u"Merges: "_s : u"Parent: "_s) + formatDown(*s)
        + QLatin1Char('\n');
    if (!s->dependsOn.isEmpty())
        e += u"Also depends on: "_s + s->dependsOn.join(u", "_s) + QLatin1Char('\n');
    if (g.isBranchPoint(rev)) {
        QStringList kids = g.children(rev);
        kids.sort();
        e += u"Branches into: "_s + kids.join(u", "_s) + QLatin1Char('\n');
    }
    if (!g.branchLabels(rev).isEmpty())
        e += u"Branch names: "_s + g.branchLabels(rev).join(u", "_s) + QLatin1Char('\n');
    e += u"Path: "_s + s->fileName + QLatin1Char('\n');
    e += u"\n    %1\n\n    Revision ID: %2\n    Revises: %3\n    Create Date: %4\n"_s
             .arg(s->message, rev, s->downRevisions.join(u", "_s), s->created);
    if (!s->transactional)
        e += u"    Transactional: false\n"_s;
    return e;
}

QJsonObject RevisionFormat::toJson(const ScriptSet &set, const QString &rev)
{
    QJsonObject o;
    o[u"revision"_s] = rev;
    const MigrationScript *s = set.script(rev);
    if (s) {
        o[u"down_revisions"_s] = QJsonArray::fromStringList(s->downRevisions);
        o[u"message"_s] = s->message;
        o[u"created"_s] = s->created;
        o[u"transactional"_s] = s->transactional;
        o[u"path"_s] = s->fileName;
        o[u"branch_labels"_s] = QJsonArray::fromStringList(set.graph().branchLabels(rev));
        o[u"depends_on"_s] = QJsonArray::fromStringList(s->dependsOn);
        if (!s->needsReview.isEmpty())
            o[u"needs_review"_s] = s->needsReview;
    } else {
        o[u"missing_script"_s] = true;
    }
    o[u"is_head"_s] = set.graph().isHead(rev);
    o[u"is_branch_point"_s] = set.graph().isBranchPoint(rev);
    o[u"is_merge_point"_s] = set.graph().isMergePoint(rev);
    return o;
}

} // namespace MigrationDesk
