#include "migrations/revisiongraph.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>
#include <limits>
#include <utility>

// The traversal code below is a close port of Alembic 1.8's alembic/script/revision.py
// (RevisionMap), alembic/script/base.py (_upgrade_revs, _downgrade_revs, _stamp_revs,
// walk_revisions, _catch_revision_errors) and alembic/runtime/migration.py (HeadMaintainer,
// RevisionStep, StampStep). It keeps Alembic's structure, including raising an error deep in
// the walk and translating it at the command boundary, so that each piece can be checked
// against the Python original line by line. Without branch labels and depends_on, Alembic's
// "versioned", "normalized" and "all" down revisions are all simply the declared parents.

namespace MigrationDesk {

namespace {

// Gives lupdate the same context ("MigrationDesk::RevisionGraph") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::RevisionGraph)
};

// Python's ", ".join() of a sequence.
QString joined(const QStringList &items)
{
    return items.join(QStringLiteral(", "));
}

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

[[noreturn]] void fail(const QString &message)
{
    throw Failure{Failure::Kind::Revision, message, {}, {}, {}};
}

[[noreturn]] void raiseResolution(const QString &message, const QString &argument)
{
    throw Failure{Failure::Kind::Resolution, message, argument, {}, {}};
}

[[noreturn]] void raiseMultipleHeads(const QStringList &heads, const QString &argument)
{
    throw Failure{Failure::Kind::MultipleHeads,
                  Text::tr("Multiple heads are present for given argument '%1'; %2").arg(argument, joined(heads)),
                  argument, {}, {}};
}

[[noreturn]] void raiseRangeNotAncestor(const QString &lower, const QString &upper)
{
    throw Failure{Failure::Kind::RangeNotAncestor,
                  Text::tr("Revision %1 is not an ancestor of revision %2")
                      .arg(lower.isEmpty() ? QStringLiteral("base") : lower,
                           upper.isEmpty() ? QStringLiteral("base") : upper),
                  {}, lower, upper};
}

// ScriptDirectory._catch_revision_errors: how one command words the errors of the walk.
struct CommandContext
{
    QString ancestor;      // template with %start / %end, empty for Alembic's default
    QString multipleHeads; // template with %head_arg, empty for Alembic's default
    QString start;
    QString end;
    bool hasStart = false;
    bool hasEnd = false;
};

QString commandMessage(const Failure &f, const CommandContext &ctx)
{
    switch (f.kind) {
    case Failure::Kind::RangeNotAncestor: {
        const QString start = ctx.hasStart ? ctx.start : f.lower;
        const QString end = ctx.hasEnd ? ctx.end : f.upper;
        QString text = ctx.ancestor.isEmpty()
                ? Text::tr("Requested range %start:%end does not refer to ancestor/descendant revisions "
                     "along the same branch")
                : ctx.ancestor;
        text.replace(QStringLiteral("%start"), start);
        text.replace(QStringLiteral("%end"), end);
        return text;
    }
    case Failure::Kind::MultipleHeads: {
        QString text = ctx.multipleHeads.isEmpty()
                ? Text::tr("Multiple head revisions are present for given argument '%head_arg'; please "
                     "specify a specific target revision, '<branchname>@%head_arg' to narrow to a "
                     "specific head, or 'heads' for all heads")
                : ctx.multipleHeads;
        text.replace(QStringLiteral("%head_arg"), (ctx.hasEnd && !ctx.end.isEmpty()) ? ctx.end : f.argument);
        return text;
    }
    case Failure::Kind::Resolution:
        // Alembic's command layer says "Can't locate revision identified by 'x'" for every
        // resolution failure; an ambiguous prefix keeps the revision map's own message, which
        // names the candidates.
        if (f.message.startsWith(QLatin1String("Multiple revisions start with")))
            return f.message;
        return Text::tr("Can't locate revision identified by '%1'").arg(f.argument);
    case Failure::Kind::Revision:
        break;
    }
    return f.message;
}

bool containsBranchLabel(const QString &s)
{
    return s.contains(QLatin1Char('@'));
}

QString branchLabelError(const QString &s)
{
    return Text::tr("Branch labels are not supported: '%1'; use a revision id, a unique prefix of one, "
              "or head/heads/base").arg(s);
}

// Python's int(): optional surrounding whitespace and sign, then decimal digits.
std::optional<qint64> pythonInt(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^\\s*[+-]?[0-9]+\\s*$"));
    if (!re.match(s).hasMatch())
        return std::nullopt;
    bool ok = false;
    QString t = s.trimmed();
    if (t.startsWith(QLatin1Char('+')))
        t.remove(0, 1);
    const qint64 v = t.toLongLong(&ok);
    if (!ok) // out of range: no graph is that deep, any huge value overwalks
        return t.startsWith(QLatin1Char('-')) ? std::numeric_limits<qint64>::min() / 2
                                               : std::numeric_limits<qint64>::max() / 2;
    return v;
}

// alembic.script.revision._relative_destination without the branch label part (refused
// earlier): re.match(r"(\w+)?((?:\+|-)\d+)") anchored at the start only, like re.match.
struct Relative
{
    QString symbol; // null when absent
    QString relative;
    qint64 value = 0;
};

std::optional<Relative> matchRelative(const QString &target)
{
    static const QRegularExpression re(QStringLiteral("^(\\w+)?([+-][0-9]+)"),
                                       QRegularExpression::UseUnicodePropertiesOption);
    const QRegularExpressionMatch m = re.match(target);
    if (!m.hasMatch())
        return std::nullopt;
    Relative r;
    if (m.capturedLength(1) > 0)
        r.symbol = m.captured(1);
    r.relative = m.captured(2);
    r.value = pythonInt(r.relative).value_or(0);
    return r;
}

QString relativeDidntProduce(const QString &relative, qint64 value)
{
    return Text::tr("Relative revision %1 didn't produce %2 migrations")
        .arg(relative, QString::number(value < 0 ? -value : value));
}

} // namespace

// The RevisionMap algorithms, on a graph that validate() accepted. Raises Failure.
class RevisionWalker
{
public:
    explicit RevisionWalker(const RevisionGraph &graph) : m_g(graph) {}

    // RevisionMap.heads / bases: map order, not sorted.
    QStringList headsInOrder() const
    {
        QStringList out;
        for (const QString &id : m_g.m_order)
            if (m_g.m_children.value(id).isEmpty())
                out.append(id);
        return out;
    }

    QStringList basesInOrder() const
    {
        QStringList out;
        for (const QString &id : m_g.m_order)
            if (m_g.m_parents.value(id).isEmpty())
                out.append(id);
        return out;
    }

    int index(const QString &id) const { return m_g.m_index.value(id, -1); }
    QStringList parents(const QString &id) const { return m_g.m_parents.value(id); }
    QStringList children(const QString &id) const { return m_g.m_children.value(id); }

    // _iterate_related_revisions: depth first with an explicit stack, as Alembic does. With
    // check=true, refuses targets reached from another target's traversal.
    QSet<QString> related(const QStringList &targets, bool up, bool check = false) const
    {
        QSet<QString> seen;
        QStringList todo;
        for (const QString &target : targets) {
            todo.append(target);
            QSet<QString> perTarget;
            while (!todo.isEmpty()) {
                const QString rev = todo.takeLast();
                if (check)
                    perTarget.insert(rev);
                if (seen.contains(rev))
                    continue;
                seen.insert(rev);
                const QStringList next = up ? children(rev) : parents(rev);
                for (const QString &n : next)
                    if (m_g.m_parents.contains(n))
                        todo.append(n);
            }
            if (check) {
                QStringList overlaps;
                for (const QString &t : targets)
                    if (t != target && perTarget.contains(t) && !overlaps.contains(t))
                        overlaps.append(t);
                if (!overlaps.isEmpty())
                    fail(Text::tr("Requested revision %1 overlaps with other requested revisions %2")
                              .arg(target, joined(overlaps)));
            }
        }
        return seen;
    }

    QSet<QString> ancestorNodes(const QStringList &targets, bool check = false) const
    {
        return related(targets, false, check);
    }
    QSet<QString> descendantNodes(const QStringList &targets, bool check = false) const
    {
        return related(targets, true, check);
    }

    // RevisionMap.get_current_head()
    QString currentHead() const
    {
        const QStringList heads = headsInOrder();
        if (heads.size() > 1)
            raiseMultipleHeads(heads, QStringLiteral("head"));
        return heads.isEmpty() ? QString() : heads.first();
    }

    // _resolve_revision_number for a string (or None).
    QStringList resolveNumber(const QString &id) const
    {
        if (id == QLatin1String("heads"))
            return headsInOrder();
        if (id == QLatin1String("head")) {
            const QString h = currentHead();
            return h.isNull() ? QStringList() : QStringList{h};
        }
        if (id.isNull() || id == QLatin1String("base"))
            return {};
        return {id};
    }

    // _revision_for_ident: exact id, else a unique prefix among ids longer than three characters.
    Node revisionForIdent(const QString &resolved) const
    {
        if (resolved.isNull())
            return Node::none();
        if (m_g.m_parents.contains(resolved))
            return Node::rev(resolved);
        QStringList revs;
        for (const QString &x : m_g.m_order)
            if (x.size() > 3 && x.startsWith(resolved))
                revs.append(x);
        if (revs.isEmpty()) {
            QString message = Text::tr("No such revision or branch '%1'").arg(resolved);
            if (resolved.size() < 4)
                message += Text::tr("; please ensure at least four characters are present for partial "
                              "revision identifier matches");
            raiseResolution(message, resolved);
        }
        if (revs.size() > 1) {
            QStringList quoted;
            for (const QString &r : revs.mid(0, 3))
                quoted.append(QLatin1Char('\'') + r + QLatin1Char('\''));
            raiseResolution(Text::tr("Multiple revisions start with '%1': %2...").arg(resolved, joined(quoted)),
                            resolved);
        }
        return Node::rev(revs.first());
    }

    // RevisionMap.get_revision()
    Node getRevision(const QString &id) const
    {
        const QStringList resolved = resolveNumber(id);
        if (resolved.size() > 1)
            raiseMultipleHeads(resolved, id);
        return revisionForIdent(resolved.isEmpty() ? QString() : resolved.first());
    }

    // RevisionMap.get_revisions()
    QList<Node> getRevisions(const RevArg &arg) const
    {
        if (arg.isTuple) {
            QList<Node> out;
            for (const QString &item : arg.items)
                out += getRevisions(RevArg::str(item));
            return out;
        }
        const QStringList resolved = resolveNumber(arg.text);
        if (resolved.size() == 1) {
            const std::optional<qint64> rint = pythonInt(resolved.first());
            if (rint && *rint < 0) {
                // -N walks down from every head
                QList<Node> out;
                for (const QString &head : headsInOrder())
                    out.append(walk(Node::rev(head), *rint, true));
                return out;
            }
        }
        QList<Node> out;
        for (const QString &r : resolved)
            out.append(revisionForIdent(r));
        return out;
    }

    QList<Node> getRevisionsOf(const QStringList &ids) const { return getRevisions(RevArg::tuple(ids)); }

    static QStringList idsOf(const QList<Node> &nodes)
    {
        QStringList out;
        for (const Node &n : nodes)
            if (n.isRev())
                out.append(n.id);
        return out;
    }

    // RevisionMap._walk(): steps > 0 walks up, steps < 0 walks down; None when walking past
    // the ends and noOverwalk, "Ambiguous walk" at a branch point (up) or merge point (down).
    Node walk(Node initial, qint64 steps, bool noOverwalk) const
    {
        const qint64 count = steps < 0 ? -steps : steps;
        for (qint64 i = 0; i < count; ++i) {
            QList<Node> children;
            if (steps > 0) {
                Q_ASSERT(!initial.isBase());
                children = getRevisionsOf(initial.isNone() ? basesInOrder() : this->children(initial.id));
            } else if (initial.isBase()) {
                children = {};
            } else {
                children = getRevisionsOf(initial.isNone() ? headsInOrder() : parents(initial.id));
                if (children.isEmpty())
                    children = {Node::base()};
            }
            if (children.isEmpty())
                return noOverwalk ? Node::none() : initial;
            if (children.size() > 1)
                fail(Text::tr("Ambiguous walk"));
            initial = children.first();
        }
        return initial;
    }

    Node walkFrom(const QString &start, qint64 steps, bool noOverwalk) const
    {
        return walk(getRevision(start), steps, noOverwalk);
    }

    // RevisionMap._parse_downgrade_target(): (branch label, target). The branch label is only
    // ever a revision id here: Alembic narrows "-N" from several heads to the first one.
    std::pair<QString, Node> parseDowngradeTarget(const RevArg &current, const QString &target,
                                                  bool assertRelativeLength) const
    {
        if (target.isNull())
            return {QString(), Node::none()};
        if (const std::optional<Relative> m = matchRelative(target)) {
            if (m->value >= 0) {
                if (m->symbol.isNull())
                    fail(relativeDidntProduce(m->relative, m->value));
                const Node rev = walkFrom(m->symbol, m->value, assertRelativeLength);
                if (rev.isNone())
                    fail(Text::tr("Walked too far"));
                return {QString(), rev};
            }
            const bool relativeRevision = m->symbol.isNull();
            QString symbol = m->symbol;
            QString branchLabel;
            if (relativeRevision) {
                const QStringList currentRevisions = current.toTuple();
                if (currentRevisions.isEmpty())
                    fail(relativeDidntProduce(m->relative, m->value));
                symbol = currentRevisions.first();
                branchLabel = symbol;
            }
            // get_revision("symbol@symbol") is get_revision(symbol): a revision always shares
            // lineage with itself.
            const Node rev = walkFrom(symbol, m->value, assertRelativeLength);
            if (rev.isNone())
                fail(relativeRevision ? relativeDidntProduce(m->relative, m->value) : Text::tr("Walked too far"));
            return {branchLabel, rev};
        }
        return {QString(), getRevision(target)};
    }

    // RevisionMap._parse_upgrade_target()
    QList<Node> parseUpgradeTarget(const RevArg &current, const RevArg &target, bool assertRelativeLength) const
    {
        std::optional<Relative> m;
        if (!target.isTuple && !target.text.isNull())
            m = matchRelative(target.text);
        if (!m)
            return getRevisions(target);

        QStringList currentRevisions = current.toTuple();
        if (m->value > 0) {
            if (m->symbol.isNull()) {
                if (currentRevisions.isEmpty())
                    currentRevisions = QStringList{QString()}; // (None,)
                if (currentRevisions.size() > 1)
                    fail(Text::tr("Ambiguous upgrade from multiple current revisions"));
                const Node rev = walk(getRevision(currentRevisions.first()), m->value, assertRelativeLength);
                if (rev.isNone())
                    fail(relativeDidntProduce(m->relative, m->value));
                return {rev};
            }
            return {walkFrom(m->symbol, m->value, assertRelativeLength)};
        }
        if (m->symbol.isNull()) // Python formats the int here: "-2", "0"
            fail(relativeDidntProduce(QString::number(m->value), m->value));
        return {walkFrom(m->symbol, m->value, assertRelativeLength)};
    }

    // RevisionMap._collect_upgrade_revisions(): the revisions to apply and the targets.
    std::pair<QSet<QString>, QStringList> collectUpgrade(const RevArg &upper, RevArg lower, bool inclusive,
                                                         bool implicitBase, bool assertRelativeLength) const
    {
        QStringList targets;
        for (const Node &n : parseUpgradeTarget(lower, upper, assertRelativeLength)) {
            // Alembic asserts here (is_revision); walking past either end of the graph is the
            // only way to get something else.
            if (!n.isRev())
                fail(Text::tr("Walked too far"));
            targets.append(n.id);
        }

        QSet<QString> required = ancestorNodes(targets, true);
        for (const QString &t : targets)
            required.insert(t);

        QList<Node> currentRevisions = getRevisions(lower);
        if (!implicitBase) {
            for (const Node &rev : currentRevisions) {
                if (rev.isNone())
                    continue;
                if (!rev.isRev() || !required.contains(rev.id))
                    raiseRangeNotAncestor(lower.display(), upper.display());
            }
        }

        // lower is a relative value that walked off the graph
        if (!currentRevisions.isEmpty() && currentRevisions.first().isNone()) {
            const Node rev = parseDowngradeTarget(upper, lower.isTuple ? QString() : lower.text,
                                                  assertRelativeLength).second;
            if (rev.isBase() || rev.isNone()) {
                currentRevisions.clear();
                lower = RevArg::none();
            } else {
                currentRevisions = {rev};
                lower = RevArg::str(rev.id);
            }
        }

        const QStringList currentIds = idsOf(currentRevisions);
        QSet<QString> currentNodes = ancestorNodes(currentIds, true);
        for (const QString &c : currentIds)
            currentNodes.insert(c);

        QSet<QString> needs = required - currentNodes;
        if (inclusive)
            for (const QString &id : idsOf(getRevisions(lower)))
                needs.insert(id);
        if (!currentRevisions.isEmpty() && !implicitBase)
            needs &= descendantNodes(currentIds, true);
        return {needs, targets};
    }

    // RevisionMap._collect_downgrade_revisions(): the revisions to undo and the current heads.
    std::pair<QSet<QString>, QStringList> collectDowngrade(const RevArg &upper, const QString &lower,
                                                           bool assertRelativeLength) const
    {
        const auto [branchLabel, targetNode] = parseDowngradeTarget(upper, lower, assertRelativeLength);
        const bool toBase = !targetNode.isRev();

        QStringList roots;
        if (toBase)
            roots = basesInOrder();
        else
            roots = idsOf(getRevisionsOf(children(targetNode.id)));

        if (!branchLabel.isEmpty() && roots.size() > 1) {
            const QSet<QString> branchAncestors = ancestorNodes({branchLabel});
            QStringList kept;
            for (const QString &r : roots)
                if (branchAncestors.contains(r))
                    kept.append(r);
            roots = kept;
            if (roots.isEmpty())
                fail(Text::tr("Not a valid downgrade target from current heads"));
        }

        const QStringList heads = idsOf(getRevisions(upper));
        QSet<QString> downgrade = descendantNodes(roots);
        downgrade &= ancestorNodes(heads);

        if (!toBase && downgrade.isEmpty() && !heads.contains(targetNode.id))
            raiseRangeNotAncestor(Text::tr("Nothing to drop"), upper.display());
        return {downgrade, heads};
    }

    // RevisionMap._topological_sort(): newest first. Walks down one head at a time, but never
    // emits a revision while another pending head still needs it; heads start in map order.
    QStringList topologicalSort(const QSet<QString> &revisions, const QStringList &heads) const
    {
        QSet<QString> todo = revisions;
        QStringList currentHeads;
        for (const QString &h : heads)
            if (todo.contains(h) && !currentHeads.contains(h))
                currentHeads.append(h);
        std::sort(currentHeads.begin(), currentHeads.end(),
                  [this](const QString &a, const QString &b) { return index(a) < index(b); });
        QList<QSet<QString>> ancestorsByIdx;
        for (const QString &h : currentHeads)
            ancestorsByIdx.append(ancestorNodes({h}));

        QStringList output;
        int current = 0;
        while (!currentHeads.isEmpty()) {
            const QString candidate = currentHeads.at(current);
            bool switched = false;
            for (int check = 0; check < ancestorsByIdx.size(); ++check) {
                if (check != current && ancestorsByIdx.at(check).contains(candidate)) {
                    // another head depends on us; it has to be traversed first
                    current = check;
                    switched = true;
                    break;
                }
            }
            if (switched)
                continue;

            if (todo.remove(candidate))
                output.append(candidate);

            const QStringList downs = parents(candidate);
            QStringList headsToAdd;
            for (const QString &r : downs)
                if (todo.contains(r) && !currentHeads.contains(r))
                    headsToAdd.append(r);

            if (headsToAdd.isEmpty()) {
                currentHeads.removeAt(current);
                ancestorsByIdx.removeAt(current);
                current = std::max(current - 1, 0);
            } else if (downs.size() == 1) {
                currentHeads[current] = headsToAdd.first();
                ancestorsByIdx[current].remove(candidate);
            } else {
                currentHeads[current] = headsToAdd.first();
                ancestorsByIdx[current] = ancestorNodes({headsToAdd.first()});
                for (const QString &h : headsToAdd.mid(1)) {
                    currentHeads.append(h);
                    ancestorsByIdx.append(ancestorNodes({h}));
                }
            }
        }
        return output;
    }

    // RevisionMap.iterate_revisions()
    QStringList iterateRevisions(const RevArg &upper, const RevArg &lower, bool implicitBase, bool inclusive,
                                 bool assertRelativeLength, bool selectForDowngrade) const
    {
        if (selectForDowngrade) {
            const auto [revs, heads] = collectDowngrade(upper, lower.isTuple ? QString() : lower.text,
                                                        assertRelativeLength);
            return topologicalSort(revs, heads);
        }
        const auto [revs, heads] = collectUpgrade(upper, lower, inclusive, implicitBase, assertRelativeLength);
        return topologicalSort(revs, heads);
    }

private:
    const RevisionGraph &m_g;
};

namespace {

// HeadMaintainer: applies version-table changes to an ordered list of rows, recording them.
class HeadMaintainer
{
public:
    explicit HeadMaintainer(const QStringList &heads) : m_heads(heads) {}

    QSet<QString> set() const { return QSet<QString>(m_heads.cbegin(), m_heads.cend()); }
    const QStringList &heads() const { return m_heads; }
    const QList<VersionOp> &ops() const { return m_ops; }
    bool consistent() const { return m_consistent; }

    void insert(const QString &version)
    {
        if (m_heads.contains(version))
            m_consistent = false;
        else
            m_heads.append(version);
        m_ops.append({VersionOp::Kind::Insert, QString(), version});
    }

    void remove(const QString &version)
    {
        if (!m_heads.removeOne(version))
            m_consistent = false;
        m_ops.append({VersionOp::Kind::Delete, version, QString()});
    }

    void update(const QString &from, const QString &to)
    {
        const qsizetype at = m_heads.indexOf(from);
        if (at < 0 || m_heads.contains(to)) {
            m_consistent = false;
            m_heads.removeAll(from);
            if (!m_heads.contains(to))
                m_heads.append(to);
        } else {
            m_heads[at] = to;
        }
        m_ops.append({VersionOp::Kind::Update, from, to});
    }

private:
    QStringList m_heads;
    QList<VersionOp> m_ops;
    bool m_consistent = true;
};

QStringList withoutAll(const QStringList &items, const QSet<QString> &drop)
{
    QStringList out;
    for (const QString &i : items)
        if (!drop.contains(i))
            out.append(i);
    return out;
}

// RevisionStep + HeadMaintainer.update_to_step.
void applyRevisionStep(const RevisionWalker &w, const MigrationStep &step, HeadMaintainer *hm)
{
    const QString rev = step.revision;
    const QStringList downrevs = w.parents(rev);
    const QSet<QString> heads = hm->set();

    // RevisionStep._unmerge_to_revisions
    const auto unmergeToRevisions = [&]() {
        QSet<QString> otherHeads = heads;
        otherHeads.remove(rev);
        QSet<QString> ancestors;
        if (!otherHeads.isEmpty()) {
            ancestors = w.ancestorNodes(QStringList(otherHeads.cbegin(), otherHeads.cend()));
        } else {
            for (const QString &to : downrevs) {
                QSet<QString> a = w.ancestorNodes({to});
                a.remove(to);
                ancestors |= a;
            }
        }
        return withoutAll(downrevs, ancestors);
    };

    if (!step.isUpgrade()) {
        const bool isHead = heads.contains(rev);
        // should_delete_branch
        if (isHead && (downrevs.isEmpty() || unmergeToRevisions().isEmpty())) {
            hm->remove(rev);
            return;
        }
        // should_unmerge_branches
        if (isHead && downrevs.size() > 1) {
            const QStringList to = unmergeToRevisions();
            for (const QString &ins : to.mid(1))
                hm->insert(ins);
            hm->update(rev, to.first());
            return;
        }
    } else {
        QSet<QString> present;
        for (const QString &d : downrevs)
            if (heads.contains(d))
                present.insert(d);
        // should_create_branch
        if (downrevs.isEmpty() || present.isEmpty()) {
            hm->insert(rev);
            return;
        }
        // should_merge_branches: RevisionStep.merge_branch_idents
        if (downrevs.size() > 1 && present.size() > 1) {
            QSet<QString> otherHeads = heads;
            for (const QString &d : downrevs)
                otherHeads.remove(d);
            QStringList from = downrevs;
            if (!otherHeads.isEmpty())
                from = withoutAll(downrevs, w.ancestorNodes(QStringList(otherHeads.cbegin(), otherHeads.cend())));
            for (const QString &del : from.mid(1))
                hm->remove(del);
            hm->update(from.first(), rev);
            return;
        }
    }

    // update_version_num
    QString downRevision;
    if (downrevs.size() == 1) {
        downRevision = downrevs.first();
    } else {
        for (const QString &d : downrevs)
            if (heads.contains(d)) {
                downRevision = d;
                break;
            }
    }
    if (step.isUpgrade())
        hm->update(downRevision, rev);
    else
        hm->update(rev, downRevision);
}

// One StampStep of ScriptDirectory._stamp_revs.
struct StampStep
{
    QStringList from;
    QString to; // null: stamping down to base
    bool isUpgrade = false;
    bool branchMove = false;
};

// StampStep + HeadMaintainer.update_to_step.
void applyStampStep(const StampStep &step, HeadMaintainer *hm)
{
    const QSet<QString> heads = hm->set();
    if (!step.isUpgrade && step.branchMove) { // should_delete_branch
        hm->remove(step.from.first());
        return;
    }
    const bool fromMissing = std::any_of(step.from.cbegin(), step.from.cend(),
                                         [&](const QString &f) { return !heads.contains(f); });
    if (step.isUpgrade && (step.branchMove || fromMissing) && !heads.contains(step.to)) { // should_create_branch
        hm->insert(step.to);
        return;
    }
    if (step.from.size() > 1) { // should_merge_branches: StampStep.merge_branch_idents
        for (const QString &del : step.from.mid(0, step.from.size() - 1))
            hm->remove(del);
        hm->update(step.from.last(), step.to);
        return;
    }
    hm->update(step.from.first(), step.to);
}

} // namespace

void RevisionGraph::addRevision(const QString &id, const QStringList &parents)
{
    if (m_parents.contains(id)) {
        // Alembic warns and lets the later file win; validate() reports it.
        m_duplicates.append(id);
        for (const QString &p : m_parents.value(id))
            m_children[p].removeAll(id);
    } else {
        m_index.insert(id, int(m_order.size()));
        m_order.append(id);
    }
    m_parents.insert(id, parents);
    m_children[id]; // make sure every revision has an entry
    for (const QString &p : parents) {
        QStringList &siblings = m_children[p];
        if (!siblings.contains(id))
            siblings.append(id);
    }
    // keep children in map order regardless of the order parents and children were added
    for (const QString &p : parents) {
        QStringList &siblings = m_children[p];
        std::sort(siblings.begin(), siblings.end(),
                  [this](const QString &a, const QString &b) { return m_index.value(a) < m_index.value(b); });
    }
}

QList<RevisionGraph::GraphError> RevisionGraph::validate() const
{
    QList<GraphError> errors;
    for (const QString &id : m_duplicates)
        errors.append({id, Text::tr("Revision %1 is present more than once").arg(id)});

    static const QRegularExpression illegal(QStringLiteral("[@+:\\-]"));
    bool structural = false;
    for (const QString &id : m_order) {
        if (id.isEmpty()) {
            errors.append({id, Text::tr("Empty revision identifier")});
            structural = true;
            continue;
        }
        if (id.contains(illegal)) {
            QStringList chars;
            for (const QChar c : {QLatin1Char('+'), QLatin1Char('-'), QLatin1Char(':'), QLatin1Char('@')})
                if (id.contains(c))
                    chars.append(QString(c));
            errors.append({id, Text::tr("Character(s) '%1' not allowed in revision identifier '%2'")
                                   .arg(joined(chars), id)});
        }
        const QStringList ps = m_parents.value(id);
        if (ps.contains(id)) {
            errors.append({id, Text::tr("Self-loop is detected in revisions (%1)").arg(id)});
            structural = true;
        }
        for (const QString &p : ps) {
            if (!m_parents.contains(p)) {
                errors.append({id, Text::tr("Revision %1 referenced from %2 is not present").arg(p, id)});
                structural = true;
            }
        }
        if (QStringList(ps).removeDuplicates() > 0) {
            errors.append({id, Text::tr("Revision %1 lists the same parent more than once").arg(id)});
            structural = true;
        }
    }
    if (structural || m_order.isEmpty())
        return errors;

    // RevisionMap._detect_cycles: whatever is not both below a head and above a base is on
    // (or hangs off) a cycle.
    const RevisionWalker w(*this);
    const QStringList hs = w.headsInOrder();
    const QStringList bs = w.basesInOrder();
    QStringList cyclic;
    if (hs.isEmpty() || bs.isEmpty()) {
        cyclic = m_order; // Alembic lists the whole map, in map order
    } else {
        const QSet<QString> space = w.ancestorNodes(hs) & w.descendantNodes(bs);
        for (const QString &id : m_order)
            if (!space.contains(id))
                cyclic.append(id);
        std::sort(cyclic.begin(), cyclic.end());
    }
    const QString message = Text::tr("Cycle is detected in revisions (%1)").arg(joined(cyclic));
    for (const QString &id : cyclic)
        errors.append({id, message});
    return errors;
}

bool RevisionGraph::contains(const QString &id) const
{
    return m_parents.contains(id);
}

QStringList RevisionGraph::revisions() const
{
    if (!validate().isEmpty())
        return m_order;
    const RevisionWalker w(*this);
    QStringList order = w.topologicalSort(QSet<QString>(m_order.cbegin(), m_order.cend()), w.headsInOrder());
    std::reverse(order.begin(), order.end());
    return order;
}

QStringList RevisionGraph::parents(const QString &id) const
{
    return m_parents.value(id);
}

QStringList RevisionGraph::children(const QString &id) const
{
    if (!m_parents.contains(id))
        return {};
    return m_children.value(id);
}

QStringList RevisionGraph::heads() const
{
    QStringList out = RevisionWalker(*this).headsInOrder();
    out.sort();
    return out;
}

QStringList RevisionGraph::bases() const
{
    QStringList out = RevisionWalker(*this).basesInOrder();
    out.sort();
    return out;
}

bool RevisionGraph::isHead(const QString &id) const
{
    return contains(id) && m_children.value(id).isEmpty();
}

bool RevisionGraph::isBase(const QString &id) const
{
    return contains(id) && m_parents.value(id).isEmpty();
}

bool RevisionGraph::isBranchPoint(const QString &id) const
{
    return contains(id) && m_children.value(id).size() > 1;
}

bool RevisionGraph::isMergePoint(const QString &id) const
{
    return m_parents.value(id).size() > 1;
}

QSet<QString> RevisionGraph::ancestors(const QString &id, bool inclusive) const
{
    if (!contains(id))
        return {};
    QSet<QString> out = RevisionWalker(*this).ancestorNodes({id});
    if (!inclusive)
        out.remove(id);
    return out;
}

QSet<QString> RevisionGraph::descendants(const QString &id, bool inclusive) const
{
    if (!contains(id))
        return {};
    QSet<QString> out = RevisionWalker(*this).descendantNodes({id});
    if (!inclusive)
        out.remove(id);
    return out;
}

namespace {

bool invalidGraph(const RevisionGraph &g, QString *error)
{
    const QList<RevisionGraph::GraphError> errors = g.validate();
    if (errors.isEmpty())
        return false;
    if (error)
        *error = Text::tr("The revision graph is invalid: %1").arg(errors.first().message);
    return true;
}

bool refuseBranchLabels(const QStringList &args, QString *error)
{
    for (const QString &a : args) {
        if (containsBranchLabel(a)) {
            if (error)
                *error = branchLabelError(a);
            return true;
        }
    }
    return false;
}

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

} // namespace

std::optional<QString> RevisionGraph::resolveRevision(const QString &name, QString *error) const
{
    if (refuseBranchLabels({name}, error))
        return std::nullopt;
    if (name.isEmpty()) {
        setError(error, Text::tr("No such revision or branch '%1'").arg(name));
        return std::nullopt;
    }
    try {
        const Node n = RevisionWalker(*this).revisionForIdent(name);
        return n.id;
    } catch (const Failure &f) {
        setError(error, f.message);
        return std::nullopt;
    }
}

std::optional<QStringList> RevisionGraph::resolveTarget(const QString &target, const QStringList &currentHeads,
                                                        QString *error) const
{
    if (refuseBranchLabels({target}, error) || invalidGraph(*this, error))
        return std::nullopt;
    const RevisionWalker w(*this);
    CommandContext ctx;
    ctx.end = target;
    ctx.hasEnd = true;
    try {
        if (target == QLatin1String("current"))
            return RevisionWalker::idsOf(w.getRevisionsOf(currentHeads));
        if (const std::optional<Relative> m = matchRelative(target)) {
            if (m->symbol.isNull() && m->value > 0)
                return RevisionWalker::idsOf(w.parseUpgradeTarget(RevArg::tuple(currentHeads), RevArg::str(target), true));
            if (m->symbol.isNull())
                return RevisionWalker::idsOf({w.parseDowngradeTarget(RevArg::tuple(currentHeads), target, true).second});
            const Node n = w.walkFrom(m->symbol, m->value, true);
            if (n.isNone())
                fail(Text::tr("Walked too far"));
            return RevisionWalker::idsOf({n});
        }
        return RevisionWalker::idsOf(w.getRevisions(RevArg::str(target)));
    } catch (const Failure &f) {
        setError(error, commandMessage(f, ctx));
        return std::nullopt;
    }
}

std::optional<QList<MigrationStep>> RevisionGraph::upgradePlan(const QStringList &currentHeads, const QString &target,
                                                               QString *error) const
{
    if (refuseBranchLabels(QStringList(currentHeads) << target, error) || invalidGraph(*this, error))
        return std::nullopt;
    // ScriptDirectory._upgrade_revs
    CommandContext ctx;
    ctx.ancestor = Text::tr("Destination %end is not a valid upgrade target from current head(s)");
    ctx.end = target;
    ctx.hasEnd = true;
    try {
        const QStringList revs = RevisionWalker(*this).iterateRevisions(
            RevArg::str(target), RevArg::tuple(currentHeads), true, false, true, false);
        QList<MigrationStep> steps;
        for (auto it = revs.crbegin(); it != revs.crend(); ++it)
            steps.append({*it, MigrationStep::Direction::Upgrade});
        return steps;
    } catch (const Failure &f) {
        setError(error, commandMessage(f, ctx));
        return std::nullopt;
    }
}

std::optional<QList<MigrationStep>> RevisionGraph::downgradePlan(const QStringList &currentHeads,
                                                                 const QString &target, QString *error) const
{
    if (refuseBranchLabels(QStringList(currentHeads) << target, error) || invalidGraph(*this, error))
        return std::nullopt;
    // ScriptDirectory._downgrade_revs
    CommandContext ctx;
    ctx.ancestor = Text::tr("Destination %end is not a valid downgrade target from current head(s)");
    ctx.end = target;
    ctx.hasEnd = true;
    try {
        const QStringList revs = RevisionWalker(*this).iterateRevisions(
            RevArg::tuple(currentHeads), RevArg::str(target), false, false, true, true);
        QList<MigrationStep> steps;
        for (const QString &r : revs)
            steps.append({r, MigrationStep::Direction::Downgrade});
        return steps;
    } catch (const Failure &f) {
        setError(error, commandMessage(f, ctx));
        return std::nullopt;
    }
}

QString RevisionGraph::downgradeWarning(const QStringList &currentHeads, const QString &target) const
{
    const std::optional<Relative> m = matchRelative(target);
    if (!m || !m->symbol.isNull() || m->value >= 0)
        return {};
    const QSet<QString> distinct(currentHeads.cbegin(), currentHeads.cend());
    if (distinct.size() <= 1)
        return {};
    return Text::tr("downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.");
}

QList<VersionOp> RevisionGraph::versionOps(const MigrationStep &step, QStringList *heads) const
{
    HeadMaintainer hm(heads ? *heads : QStringList());
    if (!contains(step.revision))
        return {};
    applyRevisionStep(RevisionWalker(*this), step, &hm);
    if (heads)
        *heads = hm.heads();
    return hm.ops();
}

std::optional<QList<VersionOp>> RevisionGraph::stampOps(const QStringList &currentHeads, const QString &target,
                                                        QStringList *heads, QString *error) const
{
    if (refuseBranchLabels(QStringList(currentHeads) << target, error) || invalidGraph(*this, error))
        return std::nullopt;
    const RevisionWalker w(*this);
    // ScriptDirectory._stamp_revs
    CommandContext ctx;
    ctx.multipleHeads = Text::tr("Multiple heads are present; please specify a single target revision");
    QList<StampStep> steps;
    try {
        const QStringList headsRevs = RevisionWalker::idsOf(w.getRevisionsOf(currentHeads));
        const QString revision = target.isEmpty() ? QStringLiteral("base") : target;

        // filter_for_lineage(heads_revs, revision): the lineage names are only resolved when
        // there is a head to compare with, as in Alembic's lazy generator.
        const QStringList shares = w.resolveNumber(revision);
        QSet<QString> shareRevs;
        if (!headsRevs.isEmpty())
            for (const QString &s : shares)
                shareRevs.insert(w.revisionForIdent(s).id);
        QStringList filteredHeads;
        for (const QString &h : headsRevs) {
            const bool sharesLineage = shareRevs.isEmpty()
                    || !((w.descendantNodes({h}) | w.ancestorNodes({h})) & shareRevs).isEmpty();
            if (sharesLineage && !filteredHeads.contains(h))
                filteredHeads.append(h);
        }

        QList<Node> dests = w.getRevisions(RevArg::str(revision));
        if (dests.isEmpty())
            dests = {Node::none()};
        for (const Node &dest : dests) {
            if (!dest.isRev()) {
                // stamping to base deletes every applicable head
                for (const QString &h : filteredHeads)
                    steps.append({{h}, QString(), false, true});
                continue;
            }
            if (filteredHeads.contains(dest.id))
                continue; // already in the version table
            const QSet<QString> filteredSet(filteredHeads.cbegin(), filteredHeads.cend());
            if (!(w.descendantNodes({dest.id}) & filteredSet).isEmpty())
                steps.append({filteredHeads, dest.id, false, false}); // heads above: a downgrade
            else if (!(w.ancestorNodes({dest.id}) & filteredSet).isEmpty())
                steps.append({filteredHeads, dest.id, true, false}); // heads below: an upgrade
            else
                steps.append({{}, dest.id, true, true}); // a branch not represented yet
        }
    } catch (const Failure &f) {
        setError(error, commandMessage(f, ctx));
        return std::nullopt;
    }

    HeadMaintainer hm(currentHeads);
    for (const StampStep &s : steps)
        applyStampStep(s, &hm);
    if (!hm.consistent()) {
        setError(error, Text::tr("The version table does not match the revisions being stamped"));
        return std::nullopt;
    }
    if (heads)
        *heads = hm.heads();
    return hm.ops();
}

std::optional<QStringList> RevisionGraph::walk(const QString &lower, const QString &upper,
                                               const QStringList &currentHeads, QString *error) const
{
    if (refuseBranchLabels({lower, upper}, error) || invalidGraph(*this, error))
        return std::nullopt;
    // command.history: "current" becomes the version table's rows, then
    // walk_revisions(base=lower or "base", head=upper or "heads").
    const auto argument = [&](const QString &s, const QString &fallback) {
        RevArg a = s == QLatin1String("current") ? RevArg::tuple(currentHeads) : RevArg::str(s);
        return a.truthy() ? a : RevArg::str(fallback);
    };
    const RevArg base = argument(lower, QStringLiteral("base"));
    const RevArg head = argument(upper, QStringLiteral("heads"));
    CommandContext ctx;
    ctx.start = base.display();
    ctx.end = head.display();
    ctx.hasStart = ctx.hasEnd = true;
    try {
        return RevisionWalker(*this).iterateRevisions(head, base, false, true, false, false);
    } catch (const Failure &f) {
        setError(error, commandMessage(f, ctx));
        return std::nullopt;
    }
}

} // namespace MigrationDesk
