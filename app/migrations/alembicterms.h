#pragma once

#include <QString>
#include <QStringList>

#include <optional>

// The vocabulary of Alembic 1.8's RevisionMap that the walk (revisionwalker) and the commands
// (revisiongraph) share: nodes, arguments, failures, relative targets and walk options. Plain values
// and pure functions; any thread. Internal to migrations/: everyone else goes through RevisionGraph.
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

// Python's int(): optional surrounding whitespace and sign, then decimal digits. A value too large for
// qint64 comes back as a huge one of the same sign: no graph is that deep, so it overwalks.
std::optional<qint64> pythonInt(const QString &s);

// Raises a plain Failure (Alembic's RevisionError).
[[noreturn]] void fail(const QString &message);

// alembic.script.revision._relative_destination:
// re.match(r"(?:(.+?)@)?(\w+)?((?:\+|-)\d+)") anchored at the start only, like re.match.
struct Relative
{
    QString branchLabel; // null when absent
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

} // namespace MigrationDesk::Alembic
