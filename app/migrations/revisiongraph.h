#pragma once

#include "migrations/migrationop.h"
#include "migrations/revisionlinks.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

// One step of a migration plan: run one revision's upgrade or downgrade section (never Stamp).
struct MigrationStep
{
    // The plan vocabulary itself, so graph code can keep writing MigrationStep::Direction::Upgrade.
    using Direction = MigrationOp;
    QString revision;
    MigrationOp direction = MigrationOp::Upgrade;
    // The change this step makes to the version table, computed the way Alembic's
    // HeadMaintainer does it (see versionOps()).
    bool isUpgrade() const { return direction == MigrationOp::Upgrade; }
    bool operator==(const MigrationStep &o) const { return revision == o.revision && direction == o.direction; }
};

// One change to the version table (alembic_version).
struct VersionOp
{
    enum class Kind { Insert, Delete, Update };
    Kind kind = Kind::Insert;
    QString from; // Delete, Update
    QString to;   // Insert, Update
    bool operator==(const VersionOp &o) const { return kind == o.kind && from == o.from && to == o.to; }
};

namespace Alembic {
class RevisionTargets;
class RevisionValidator;
class RevisionWalker;
}

// The revision DAG with Alembic 1.8 semantics: heads, bases, branch and merge points, target
// resolution and plan computation. Pure data, no I/O; lives on whichever thread owns it.
//
// Ordering follows Alembic's RevisionMap: wherever Alembic falls back on the order in which
// revisions were loaded, the order of addRevision() calls is used, so callers must add the
// revisions in a stable order (the script set adds them sorted by file name, as Alembic does).
// Branch labels (`label@head`, `label@REV`, `label@+N`, `label@-N`, the label alone) and depends_on
// follow Alembic 1.8: a dependency is pulled in on upgrade and merges version-table rows the way
// Alembic's HeadMaintainer does; labels spread to the revisions of their branch.
class RevisionGraph
{
public:
    // Adds a revision; parents empty for a root, in the order the script declares them (the
    // order matters for plan ordering, as in Alembic). Adding the same id twice replaces the
    // parents and is reported by validate(). Call validate() after the last one.
    // dependsOn names revision ids or branch labels (Alembic's depends_on); branchLabels are the
    // revision's own labels (Alembic's branch_labels).
    void addRevision(const QString &id, const QStringList &parents, const QStringList &dependsOn = {},
                     const QStringList &branchLabels = {});

    // Missing parents, cycles, self-loops, duplicate ids and ids with characters Alembic forbids
    // ('@', '-', '+', ':'). Each error names the revision concerned so the caller can map it to
    // a file and line. Empty when the graph is usable. The plan functions refuse to work on a
    // graph that does not validate.
    struct GraphError { QString revision; QString message; };
    QList<GraphError> validate() const;

    // True when id is a revision of the graph (exact id, no prefix matching).
    bool contains(const QString &id) const;
    // Every id, in a deterministic topological order (bases first): the order in which
    // `upgrade heads` from an empty database applies them.
    QStringList revisions() const;
    // The declared parents (down_revision) of id, in declaration order; empty for a base.
    QStringList parents(const QString &id) const;
    // The revisions naming id as a parent, in the order they were added.
    QStringList children(const QString &id) const;
    // depends_on as declared (ids or labels), and resolved to revision ids.
    QStringList dependsOn(const QString &id) const { return m_declaredDeps.value(id); }
    QStringList resolvedDependencies(const QString &id) const { return m_links.resolvedDeps.value(id); }
    // The revisions that name id in their depends_on (resolved), in the order they were added.
    QStringList dependents(const QString &id) const;
    // The labels declared by id itself, and every label of its branch (Alembic's branch_labels
    // after the map spreads them to the branch's other revisions), sorted.
    QStringList ownBranchLabels(const QString &id) const { return m_declaredLabels.value(id); }
    QStringList branchLabels(const QString &id) const;
    // Every declared label, sorted, and the revision that declares it.
    QStringList allBranchLabels() const;
    QString labelRevision(const QString &label) const { return m_links.labelMap.value(label); }
    QStringList heads() const;                  // revisions nothing builds on (nor depends on), sorted
    QStringList bases() const;                  // revisions without parents, sorted
    bool isHead(const QString &id) const;       // no child
    bool isBase(const QString &id) const;       // no parent
    bool isBranchPoint(const QString &id) const;  // more than one child
    bool isMergePoint(const QString &id) const;   // more than one parent
    // Every revision reachable through parents (resp. children) of id, with id itself when
    // inclusive. Empty for an unknown id.
    QSet<QString> ancestors(const QString &id, bool inclusive = true) const;
    QSet<QString> descendants(const QString &id, bool inclusive = true) const;

    // Resolves one revision name: exact id first, then a unique prefix (like Alembic, only ids
    // longer than three characters take part in prefix matching). Errors read like Alembic's
    // ("No such revision or branch 'x'", "Multiple revisions start with 'x': 'a', 'b'...").
    std::optional<QString> resolveRevision(const QString &name, QString *error) const;

    // Resolves a target string to a set of revisions against the current heads of the database:
    // "head", "heads", "base" (empty set), an id or prefix, "current", "+N"/"-N" (relative to current,
    // walked the way `alembic upgrade +N` / `alembic downgrade -N` walk), "REV+N"/"REV-N".
    // Used by history ranges and show.
    std::optional<QStringList> resolveTarget(const QString &target, const QStringList &currentHeads,
                                             QString *error) const;

    // The ordered steps that take a database whose version table holds currentHeads to target,
    // exactly as `alembic upgrade TARGET` / `alembic downgrade TARGET` would order them. Refuses
    // (nullopt + error) wherever Alembic refuses, e.g. "-1" from a merge point or an ambiguous "+N".
    // Upgrading to an ancestor of the current revision yields an empty plan.
    std::optional<QList<MigrationStep>> upgradePlan(const QStringList &currentHeads, const QString &target,
                                                    QString *error) const;
    std::optional<QList<MigrationStep>> downgradePlan(const QStringList &currentHeads, const QString &target,
                                                      QString *error) const;

    // Alembic 1.8 accepts `downgrade -N` while several heads are applied but warns that it walks
    // from the first version-table row only. Returns that warning for this situation, else an
    // empty string, so the caller can show it next to the plan.
    QString downgradeWarning(const QStringList &currentHeads, const QString &target) const;

    // The version-table changes for one step, given the heads before it (Alembic's
    // HeadMaintainer.update_to_step). *heads is updated to the heads after the step: deleted
    // rows are removed, updated rows keep their position, inserted rows are appended.
    // Where Alembic picks from a Python set (which parent row is updated on a merge or an
    // unmerge), the first declared parent is updated and the others are deleted / inserted
    // in declaration order.
    QList<VersionOp> versionOps(const MigrationStep &step, QStringList *heads) const;

    // The version-table changes `alembic stamp TARGET` makes from currentHeads; *heads updated
    // the same way as by versionOps().
    std::optional<QList<VersionOp>> stampOps(const QStringList &currentHeads, const QString &target,
                                             QStringList *heads, QString *error) const;

    // Revisions between lower and upper for `history -r lower:upper`, newest first, as Alembic's
    // walk_revisions does. Either end may be empty (open range: base / heads); "current" stands
    // for currentHeads.
    std::optional<QStringList> walk(const QString &lower, const QString &upper, const QStringList &currentHeads,
                                    QString *error) const;

private:
    friend struct Alembic::RevisionLinks;
    friend class Alembic::RevisionTargets;
    friend class Alembic::RevisionValidator;
    friend class Alembic::RevisionWalker;

    QHash<QString, QStringList> m_parents;   // down_revision (Alembic's _versioned_down_revisions)
    QHash<QString, QStringList> m_children;  // Alembic's nextrev
    QHash<QString, QStringList> m_declaredDeps;
    QHash<QString, QStringList> m_declaredLabels;
    Alembic::RevisionLinks m_links; // what depends_on and branch labels derive, rebuilt by addRevision
    QStringList m_order; // insertion order, for determinism (Alembic's revision map order)
    QHash<QString, int> m_index; // position of each id in m_order
    QStringList m_duplicates; // ids added more than once, reported by validate()
};

} // namespace MigrationDesk
