#pragma once

#include "migrations/alembicterms.h"
#include "migrations/revisiongraph.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

// Alembic 1.8's RevisionMap walk, as RevisionGraph's commands use it (see revisionwalker.cpp); its
// vocabulary (nodes, arguments, failures, walk options) is in alembicterms.h, and the resolution of
// target strings ("heads", "label@rev", "+N", prefixes) in revisiontargets.h.
// Internal to migrations/: everyone else goes through RevisionGraph.
namespace MigrationDesk::Alembic {

// The RevisionMap algorithms, on a graph that validate() accepted. Raises Failure. Pure data;
// lives on the thread of its graph, for the length of one call.
class RevisionWalker
{
public:
    enum class Overlaps { Allowed, Refused };
    // Whether a walk follows depends_on links too (Alembic's include_dependencies).
    enum class Deps { Included, Excluded };

    explicit RevisionWalker(const RevisionGraph &graph) : m_g(graph) {}
    const RevisionGraph &graph() const { return m_g; }

    // RevisionMap.heads / bases (down_revision only) and _real_heads / _real_bases (with
    // depends_on): map order, not sorted.
    QStringList headsInOrder() const;
    QStringList basesInOrder() const;
    QStringList realHeadsInOrder() const;

    int index(const QString &id) const { return m_g.m_index.value(id, -1); }
    // down_revision and nextrev
    QStringList parents(const QString &id) const { return m_g.m_parents.value(id); }
    QStringList children(const QString &id) const { return m_g.m_children.value(id); }
    // _normalized_down_revisions: down_revision plus the dependencies no ancestor already has.
    QStringList normalizedParents(const QString &id) const;
    bool hasNormalizedDependencies(const QString &id) const;
    bool inBranch(const QString &id, const QString &label) const { return m_g.m_links.spreadLabels.value(id).contains(label); }
    // ids in map order (the order they were added)
    QStringList sortedByMap(const QSet<QString> &ids) const;

    // With Overlaps::Refused, refuses targets reached from another target's traversal.
    QSet<QString> ancestorNodes(const QStringList &targets, Overlaps overlaps = Overlaps::Allowed,
                                Deps deps = Deps::Included) const;
    QSet<QString> descendantNodes(const QStringList &targets, Overlaps overlaps = Overlaps::Allowed,
                                  Deps deps = Deps::Included) const;

    // RevisionMap.iterate_revisions()
    QStringList iterateRevisions(const RevArg &upper, const RevArg &lower, const WalkOptions &options) const;
    // RevisionMap._topological_sort(): newest first. Walks down one head at a time, but never
    // emits a revision while another pending head still needs it; heads start in map order.
    QStringList topologicalSort(const QSet<QString> &revisions, const QStringList &heads) const;

private:
    // _iterate_related_revisions: depth first with an explicit stack, as Alembic does.
    QSet<QString> related(const QStringList &targets, bool towardsChildren, Overlaps overlaps, Deps deps) const;
    // RevisionMap._collect_upgrade_revisions(): the revisions to apply and the targets.
    std::pair<QSet<QString>, QStringList> collectUpgrade(const RevArg &upper, RevArg lower,
                                                         const WalkOptions &options) const;
    // RevisionMap._collect_downgrade_revisions(): the revisions to undo and the current heads.
    std::pair<QSet<QString>, QStringList> collectDowngrade(const RevArg &upper, const QString &lower,
                                                           bool assertRelativeLength) const;

    const RevisionGraph &m_g;
};

} // namespace MigrationDesk::Alembic
