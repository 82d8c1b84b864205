#pragma once

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

// One step of a migration plan: run one revision's upgrade or downgrade section.
struct MigrationStep
{
    enum class Direction { Upgrade, Downgrade };
    QString revision;
    Direction direction = Direction::Upgrade;
    // The change this step makes to the version table, computed the way Alembic's
    // HeadMaintainer does it (see versionOps()).
    bool isUpgrade() const { return direction == Direction::Upgrade; }
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

// The revision DAG with Alembic 1.8 semantics: heads, bases, branch and merge points, target
// resolution and plan computation. Pure data, no I/O; lives on whichever thread owns it.
class RevisionGraph
{
public:
    // Adds a revision; parents empty for a root. Call validate() after the last one.
    void addRevision(const QString &id, const QStringList &parents);

    // Missing parents and cycles. Each error names the revision concerned so the caller can
    // map it to a file and line. Empty when the graph is usable.
    struct GraphError { QString revision; QString message; };
    QList<GraphError> validate() const;

    bool contains(const QString &id) const;
    QStringList revisions() const;              // every id, in a deterministic topological order (bases first)
    QStringList parents(const QString &id) const;
    QStringList children(const QString &id) const;
    QStringList heads() const;                  // sorted
    QStringList bases() const;                  // sorted
    bool isHead(const QString &id) const;
    bool isBase(const QString &id) const;
    bool isBranchPoint(const QString &id) const;  // more than one child
    bool isMergePoint(const QString &id) const;   // more than one parent
    QSet<QString> ancestors(const QString &id, bool inclusive = true) const;
    QSet<QString> descendants(const QString &id, bool inclusive = true) const;

    // Resolves one revision name: exact id first, then a unique prefix. Errors read like Alembic's
    // ("No such revision or branch 'x'", "Multiple revisions start with 'x': a, b").
    std::optional<QString> resolveRevision(const QString &name, QString *error) const;

    // Resolves a target string to a set of revisions against the current heads of the database:
    // "head", "heads", "base" (empty set), an id or prefix, "current", "+N"/"-N" (relative to current),
    // "REV+N"/"REV-N". Used by history ranges and show.
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

    // The version-table changes for one step, given the heads before it (Alembic's
    // HeadMaintainer.update_to_step). *heads is updated to the heads after the step.
    QList<VersionOp> versionOps(const MigrationStep &step, QStringList *heads) const;

    // The version-table changes `alembic stamp TARGET` makes from currentHeads; *heads updated.
    std::optional<QList<VersionOp>> stampOps(const QStringList &currentHeads, const QString &target,
                                             QStringList *heads, QString *error) const;

    // Revisions between lower and upper for `history -r lower:upper`, newest first, as Alembic's
    // walk_revisions does. Either end may be empty (open range).
    std::optional<QStringList> walk(const QString &lower, const QString &upper, const QStringList &currentHeads,
                                    QString *error) const;

private:
    QHash<QString, QStringList> m_parents;
    QHash<QString, QStringList> m_children;
    QStringList m_order; // insertion order, for determinism
};

} // namespace MigrationDesk
