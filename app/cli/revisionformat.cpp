#include "cli/revisionformat.h"

#include "migrations/scriptset.h"

#include <QJsonArray>

namespace MigrationDesk {

namespace {
// Alembic's Script._format_down_revision: the parents, or <base>.
QString formatDown(const MigrationScript &s)
{
    return s.downRevisions.isEmpty() ? QStringLiteral("<base>") : s.downRevisions.join(QStringLiteral(", "));
}
} // namespace

QString RevisionFormat::headOnly(const ScriptSet &set, const QString &rev, const HeadOnlyOptions &options)
{
    const MigrationScript *s = set.script(rev);
    const RevisionGraph &g = set.graph();
    QString text = rev;
    if (options.parents && s)
        text = formatDown(*s) + QStringLiteral(" -> ") + text;
    if (g.isHead(rev))
        text += QStringLiteral(" (head)");
    if (options.current)
        text += QStringLiteral(" (current)");
    if (options.treeIndicators) {
        if (g.isBranchPoint(rev))
            text += QStringLiteral(" (branchpoint)");
        if (g.isMergePoint(rev))
            text += QStringLiteral(" (mergepoint)");
    }
    if (options.doc && s)
        text += QStringLiteral(", ") + s->message;
    return text;
}

QString RevisionFormat::logEntry(const ScriptSet &set, const QString &rev, bool current)
{
    const MigrationScript *s = set.script(rev);
    const RevisionGraph &g = set.graph();
    QString e = QStringLiteral("Rev: ") + rev;
    if (g.isHead(rev))
        e += QStringLiteral(" (head)");
    if (g.isBranchPoint(rev))
        e += QStringLiteral(" (branchpoint)");
    if (g.isMergePoint(rev))
        e += QStringLiteral(" (mergepoint)");
    if (current)
        e += QStringLiteral(" (current)");
    e += QLatin1Char('\n');
    if (!s)
        return e;
    e += (g.isMergePoint(rev) ? QStringLiteral("Merges: ") : QStringLiteral("Parent: ")) + formatDown(*s)
        + QLatin1Char('\n');
    if (g.isBranchPoint(rev)) {
        QStringList kids = g.children(rev);
        kids.sort();
        e += QStringLiteral("Branches into: ") + kids.join(QStringLiteral(", ")) + QLatin1Char('\n');
    }
    e += QStringLiteral("Path: ") + s->fileName + QLatin1Char('\n');
    e += QStringLiteral("\n    %1\n\n    Revision ID: %2\n    Revises: %3\n    Create Date: %4\n")
             .arg(s->message, rev, s->downRevisions.join(QStringLiteral(", ")), s->created);
    if (!s->transactional)
        e += QStringLiteral("    Transactional: false\n");
    return e;
}

QJsonObject RevisionFormat::toJson(const ScriptSet &set, const QString &rev)
{
    QJsonObject o;
    o[QStringLiteral("revision")] = rev;
    const MigrationScript *s = set.script(rev);
    if (s) {
        o[QStringLiteral("down_revisions")] = QJsonArray::fromStringList(s->downRevisions);
        o[QStringLiteral("message")] = s->message;
        o[QStringLiteral("created")] = s->created;
        o[QStringLiteral("transactional")] = s->transactional;
        o[QStringLiteral("path")] = s->fileName;
    } else {
        o[QStringLiteral("missing_script")] = true;
    }
    o[QStringLiteral("is_head")] = set.graph().isHead(rev);
    o[QStringLiteral("is_branch_point")] = set.graph().isBranchPoint(rev);
    o[QStringLiteral("is_merge_point")] = set.graph().isMergePoint(rev);
    return o;
}

} // namespace MigrationDesk
