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
// vocabulary (nodes, arguments, failures, walk options) is in alembicterms.h.
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
    bool inBranch(const QString &id, const QString &label) const { return m_g.m_spreadLabels.value(id).contains(label); }

    // With Overlaps::Refused, refuses targets reached from another target's traversal.
    QSet<QString> ancestorNodes(const QStringList &targets, Overlaps overlaps = Overlaps::Allowed,
                                Deps deps = Deps::Included) const;
    QSet<QString> descendantNodes(const QStringList &targets, Overlaps overlaps = Overlaps::Allowed,
                                  Deps deps = Deps::Included) const;

    // RevisionMap.get_current_head(branch_label)
    QString currentHead(const QString &branchLabel = QString()) const;
    // _resolve_revision_number for a string (or None): the ids and the branch label ("label@...").
    std::pair<QStringList, QString> resolveNumber(const QString &id) const;
    // _revision_for_ident: exact id or label, else a unique prefix among keys longer than three
    // characters; with checkBranch, the revision must share lineage with that branch.
    Node revisionForIdent(const QString &resolved, const QString &checkBranch = QString()) const;
    // _resolve_branch: a label or a revision id.
    QString resolveBranch(const QString &branchLabel) const;
    // filter_for_lineage and _shares_lineage
    QStringList filterForLineage(const QStringList &targets, const QString &checkAgainst,
                                 Deps deps = Deps::Excluded) const;
    bool sharesLineage(const QString &target, const QStringList &testAgainst, Deps deps = Deps::Excluded) const;
    // RevisionMap.get_revision()
    Node getRevision(const QString &id) const;
    // RevisionMap.get_revisions()
    QList<Node> getRevisions(const RevArg &arg) const;
    QList<Node> getRevisionsOf(const QStringList &ids) const { return getRevisions(RevArg::tuple(ids)); }
    static QStringList idsOf(const QList<Node> &nodes);

    // RevisionMap._walk(): steps > 0 walks up, steps < 0 walks down; None when walking past
    // the ends and noOverwalk, "Ambiguous walk" at a branch point (up) or merge point (down).
    // branchLabel selects among children when walking up.
    Node walk(Node initial, qint64 steps, const QString &branchLabel, bool noOverwalk) const;
    Node walkFrom(const QString &start, qint64 steps, const QString &branchLabel, bool noOverwalk) const;

    // RevisionMap._parse_downgrade_target(): (branch label, target).
    std::pair<QString, Node> parseDowngradeTarget(const RevArg &current, const QString &target,
                                                  bool assertRelativeLength) const;
    // RevisionMap._parse_upgrade_target()
    QList<Node> parseUpgradeTarget(const RevArg &current, const RevArg &target, bool assertRelativeLength) const;

    // RevisionMap.iterate_revisions()
    QStringList iterateRevisions(const RevArg &upper, const RevArg &lower, const WalkOptions &options) const;
    // RevisionMap._topological_sort(): newest first. Walks down one head at a time, but never
    // emits a revision while another pending head still needs it; heads start in map order.
    QStringList topologicalSort(const QSet<QString> &revisions, const QStringList &heads) const;

private:
    // _iterate_related_revisions: depth first with an explicit stack, as Alembic does.
    QSet<QString> related(const QStringList &targets, bool towardsChildren, Overlaps overlaps, Deps deps) const;
    // RevisionMap._get_all_current() with _filter_into_branch_heads(), in map order.
    QStringList allCurrent(const QStringList &ids) const;
    // RevisionMap._collect_upgrade_revisions(): the revisions to apply and the targets.
    std::pair<QSet<QString>, QStringList> collectUpgrade(const RevArg &upper, RevArg lower,
                                                         const WalkOptions &options) const;
    // RevisionMap._collect_downgrade_revisions(): the revisions to undo and the current heads.
    std::pair<QSet<QString>, QStringList> collectDowngrade(const RevArg &upper, const QString &lower,
                                                           bool assertRelativeLength) const;
    QStringList sortedByMap(const QSet<QString> &ids) const;

    const RevisionGraph &m_g;
};

} // namespace MigrationDesk::Alembic
