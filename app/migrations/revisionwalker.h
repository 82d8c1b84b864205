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

    explicit RevisionWalker(const RevisionGraph &graph) : m_g(graph) {}

    // RevisionMap.heads / bases: map order, not sorted.
    QStringList headsInOrder() const;
    QStringList basesInOrder() const;

    int index(const QString &id) const { return m_g.m_index.value(id, -1); }
    QStringList parents(const QString &id) const { return m_g.m_parents.value(id); }
    QStringList children(const QString &id) const { return m_g.m_children.value(id); }

    // With Overlaps::Refused, refuses targets reached from another target's traversal.
    QSet<QString> ancestorNodes(const QStringList &targets, Overlaps overlaps = Overlaps::Allowed) const;
    QSet<QString> descendantNodes(const QStringList &targets, Overlaps overlaps = Overlaps::Allowed) const;

    // RevisionMap.get_current_head()
    QString currentHead() const;
    // _resolve_revision_number for a string (or None).
    QStringList resolveNumber(const QString &id) const;
    // _revision_for_ident: exact id, else a unique prefix among ids longer than three characters.
    Node revisionForIdent(const QString &resolved) const;
    // RevisionMap.get_revision()
    Node getRevision(const QString &id) const;
    // RevisionMap.get_revisions()
    QList<Node> getRevisions(const RevArg &arg) const;
    QList<Node> getRevisionsOf(const QStringList &ids) const { return getRevisions(RevArg::tuple(ids)); }
    static QStringList idsOf(const QList<Node> &nodes);

    // RevisionMap._walk(): steps > 0 walks up, steps < 0 walks down; None when walking past
    // the ends and noOverwalk, "Ambiguous walk" at a branch point (up) or merge point (down).
    Node walk(Node initial, qint64 steps, bool noOverwalk) const;
    Node walkFrom(const QString &start, qint64 steps, bool noOverwalk) const;

    // RevisionMap._parse_downgrade_target(): (branch label, target). The branch label is only
    // ever a revision id here: Alembic narrows "-N" from several heads to the first one.
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
    enum class Towards { Parents, Children };

    // _iterate_related_revisions: depth first with an explicit stack, as Alembic does.
    QSet<QString> related(const QStringList &targets, Towards towards, Overlaps overlaps) const;
    // RevisionMap._collect_upgrade_revisions(): the revisions to apply and the targets.
    std::pair<QSet<QString>, QStringList> collectUpgrade(const RevArg &upper, RevArg lower,
                                                         const WalkOptions &options) const;
    // RevisionMap._collect_downgrade_revisions(): the revisions to undo and the current heads.
    std::pair<QSet<QString>, QStringList> collectDowngrade(const RevArg &upper, const QString &lower,
                                                           bool assertRelativeLength) const;

    const RevisionGraph &m_g;
};

} // namespace MigrationDesk::Alembic
