#pragma once

#include "migrations/revisiongraph.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

// Alembic 1.8's RevisionMap walk, as RevisionGraph's commands use it (see revisionwalker.cpp).
// Internal to migrations/: everyone else goes through RevisionGraph.
namespace MigrationDesk::Alembic {

// Python's ", ".join() of a sequence.
QString joined(const QStringList &items);

// A revision, Alembic's symbolic "base" reached by walking down past a root, or None.
struct Node
{
    enum class Kind { None, Base, Rev };
    Kind kind = Kind::None;
    QString id;

    static Node none() { return {}; }
    static Node base() { return {Kind::Base, QString()}; }
    static Node rev(const QString &id) { return {Kind::Rev, id}; }
    bool isRev() const { return kind == Kind::Rev; }
    bool isNone() const { return kind == Kind::None; }
    bool isBase() const { return kind == Kind::Base; }
};

// Alembic identifiers are either a string (possibly symbolic: "heads", "base", "-1"...) or a
// tuple of strings (the rows of the version table).
struct RevArg
{
    bool isTuple = false;
    QString text; // null QString stands for Python's None
    QStringList items;

    static RevArg str(const QString &s) { return {false, s, {}}; }
    static RevArg tuple(const QStringList &l) { return {true, QString(), l}; }
    static RevArg none() { return {}; }
    bool isNone() const { return !isTuple && text.isNull(); }
    // Python's util.to_tuple(x): None -> (), "x" -> ("x",), tuple unchanged.
    QStringList toTuple() const
    {
        if (isTuple)
            return items;
        return text.isNull() ? QStringList() : QStringList{text};
    }
    // Python truthiness ("base or 'base'"): empty string, None and () are false.
    bool truthy() const { return isTuple ? !items.isEmpty() : !text.isEmpty(); }
    // How Alembic's messages print the argument.
    QString display() const { return isTuple ? joined(items) : text; }
};

// Alembic's exception hierarchy, raised inside the walk and translated at the API boundary.
struct Failure
{
    enum class Kind { Revision, Resolution, MultipleHeads, RangeNotAncestor };
    Kind kind = Kind::Revision;
    QString message;
    QString argument;  // Resolution, MultipleHeads
    QString lower;     // RangeNotAncestor
    QString upper;     // RangeNotAncestor
};

// Raises a plain Failure (Alembic's RevisionError).
[[noreturn]] void fail(const QString &message);

// alembic.script.revision._relative_destination without the branch label part (refused
// earlier): re.match(r"(\w+)?((?:\+|-)\d+)") anchored at the start only, like re.match.
struct Relative
{
    QString symbol; // null when absent
    QString relative;
    qint64 value = 0;
};

std::optional<Relative> matchRelative(const QString &target);

// How iterateRevisions() walks: Alembic passes these as keyword arguments.
struct WalkOptions
{
    bool implicitBase = false;         // the lower end need not be an ancestor of the upper one
    bool inclusive = false;            // the lower end itself is part of the result
    bool assertRelativeLength = false; // "+N"/"-N" must find N revisions instead of stopping at an end
    bool selectForDowngrade = false;   // collect what to undo from upper down to lower
};

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
