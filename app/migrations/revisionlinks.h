#pragma once

#include <QHash>
#include <QList>
#include <QPair>
#include <QSet>
#include <QString>
#include <QStringList>

namespace MigrationDesk {
class RevisionGraph;
}

// What Alembic 1.8's RevisionMap derives from the declared depends_on and branch labels.
// Internal to migrations/: everyone else goes through RevisionGraph.
namespace MigrationDesk::Alembic {

// The links a graph derives from its declared revisions: resolved and normalized dependencies,
// children through dependencies, the label map and the labels spread to each branch. Rebuilt by
// the graph after each addRevision, so a const graph is never written to; plain data, on the
// graph's thread.
struct RevisionLinks
{
    // RevisionMap._revision_map's _map_branch_labels, _add_depends_on, add_nextrev,
    // _normalize_depends_on and _add_branches, in that order, over `graph`'s declared revisions.
    void rebuild(const RevisionGraph &graph);

    QHash<QString, QStringList> resolvedDeps;   // _resolved_dependencies
    QHash<QString, QStringList> allParents;     // _all_down_revisions
    QHash<QString, QStringList> normParents;    // _normalized_down_revisions
    QHash<QString, QStringList> allChildren;    // _all_nextrev
    QHash<QString, QSet<QString>> spreadLabels; // branch_labels after _add_branches
    QHash<QString, QString> labelMap;           // label -> revision
    QStringList labelOrder;                     // labels in the order they were declared
    QList<QPair<QString, QString>> labelErrors; // (revision, message): labels used twice or equal to an id
    bool hasExtras = false;                     // any depends_on or branch label at all
};

} // namespace MigrationDesk::Alembic
