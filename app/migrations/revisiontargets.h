#pragma once

#include "migrations/alembicterms.h"
#include "migrations/revisionwalker.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

// Alembic 1.8's resolution of target strings ("head", "heads", "base", ids and prefixes, branch
// labels, "label@rev", "+N"/"-N") to revisions, as RevisionGraph's commands and the walk use it.
// Internal to migrations/: everyone else goes through RevisionGraph.
namespace MigrationDesk::Alembic {

// Resolves targets on a graph that validate() accepted, walking it with `walker`. Raises Failure.
// Pure data; lives on the thread of its graph, for the length of one call.
class RevisionTargets
{
public:
    using Overlaps = RevisionWalker::Overlaps;
    using Deps = RevisionWalker::Deps;

    // `walker` (and its graph) must outlive this.
    explicit RevisionTargets(const RevisionWalker &walker) : m_w(walker), m_g(walker.graph()) {}

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

private:
    // RevisionMap._get_all_current() with _filter_into_branch_heads(), in map order.
    QStringList allCurrent(const QStringList &ids) const;

    const RevisionWalker &m_w;
    const RevisionGraph &m_g;
};

} // namespace MigrationDesk::Alembic
