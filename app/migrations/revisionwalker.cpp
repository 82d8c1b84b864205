#include "migrations/revisionwalker.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

// A close port of Alembic 1.8's alembic/script/revision.py (RevisionMap). It keeps Alembic's
// structure, including raising an error deep in the walk that revisiongraph.cpp translates at the
// command boundary, so that each piece can be checked against the Python original line by line.
// Without branch labels and depends_on, Alembic's "versioned", "normalized" and "all" down
// revisions are all simply the declared parents.

namespace MigrationDesk::Alembic {

namespace {

// Gives lupdate the same context ("MigrationDesk::RevisionGraph") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::RevisionGraph)
};

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
                      .arg(lower.isEmpty() ? u"base"_s : lower,
                           upper.isEmpty() ? u"base"_s : upper),
                  {}, lower, upper};
}

QString relativeDidntProduce(const QString &relative, qint64 value)
{
    return Text::tr("Relative revision %1 didn't produce %2 migrations")
        .arg(relative, QString::number(value < 0 ? -value : value));
}

} // namespace

// RevisionMap.heads / bases: map order, not sorted.
QStringList RevisionWalker::headsInOrder() const
{
    QStringList out;
    for (const QString &id : m_g.m_order)
        if (m_g.m_children.value(id).isEmpty())
            out.append(id);
    return out;
}

QStringList RevisionWalker::basesInOrder() const
{
    QStringList out;
    for (const QString &id : m_g.m_order)
        if (m_g.m_parents.value(id).isEmpty())
            out.append(id);
    return out;
}

// _iterate_related_revisions: depth first with an explicit stack, as Alembic does. With
// Overlaps::Refused, refuses targets reached from another target's traversal.
QSet<QString> RevisionWalker::related(const QStringList &targets, Towards towards, Overlaps overlaps) const
{
    const bool check = overlaps == Overlaps::Refused;
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
            const QStringList next = towards == Towards::Children ? children(rev) : parents(rev);
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

QSet<QString> RevisionWalker::ancestorNodes(const QStringList &targets, Overlaps overlaps) const
{
    return related(targets, Towards::Parents, overlaps);
}

QSet<QString> RevisionWalker::descendantNodes(const QStringList &targets, Overlaps overlaps) const
{
    return related(targets, Towards::Children, overlaps);
}

// RevisionMap.get_current_head()
QString RevisionWalker::currentHead() const
{
    const QStringList heads = headsInOrder();
    if (heads.size() > 1)
        raiseMultipleHeads(heads, u"head"_s);
    return heads.isEmpty() ? QString() : heads.first();
}

// _resolve_revision_number for a string (or None).
QStringList RevisionWalker::resolveNumber(const QString &id) const
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
Node RevisionWalker::revisionForIdent(const QString &resolved) const
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
Node RevisionWalker::getRevision(const QString &id) const
{
    const QStringList resolved = resolveNumber(id);
    if (resolved.size() > 1)
        raiseMultipleHeads(resolved, id);
    return revisionForIdent(resolved.isEmpty() ? QString() : resolved.first());
}

// RevisionMap.get_revisions()
QList<Node> RevisionWalker::getRevisions(const RevArg &arg) const
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

QStringList RevisionWalker::idsOf(const QList<Node> &nodes)
{
    QStringList out;
    for (const Node &n : nodes)
        if (n.isRev())
            out.append(n.id);
    return out;
}

// RevisionMap._walk(): steps > 0 walks up, steps < 0 walks down; None when walking past
// the ends and noOverwalk, "Ambiguous walk" at a branch point (up) or merge point (down).
Node RevisionWalker::walk(Node initial, qint64 steps, bool noOverwalk) const
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

Node RevisionWalker::walkFrom(const QString &start, qint64 steps, bool noOverwalk) const
{
    return walk(getRevision(start), steps, noOverwalk);
}

// RevisionMap._parse_downgrade_target(): (branch label, target). The branch label is only
// ever a revision id here: Alembic narrows "-N" from several heads to the first one.
std::pair<QString, Node> RevisionWalker::parseDowngradeTarget(const RevArg &current, const QString &target,
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
QList<Node> RevisionWalker::parseUpgradeTarget(const RevArg &current, const RevArg &target,
                                               bool assertRelativeLength) const
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
std::pair<QSet<QString>, QStringList> RevisionWalker::collectUpgrade(const RevArg &upper, RevArg lower,
                                                                     const WalkOptions &options) const
{
    QStringList targets;
    for (const Node &n : parseUpgradeTarget(lower, upper, options.assertRelativeLength)) {
        // Alembic asserts here (is_revision); walking past either end of the graph is the
        // only way to get something else.
        if (!n.isRev())
            fail(Text::tr("Walked too far"));
        targets.append(n.id);
    }

    QSet<QString> required = ancestorNodes(targets, Overlaps::Refused);
    for (const QString &t : targets)
        required.insert(t);

    QList<Node> currentRevisions = getRevisions(lower);
    if (!options.implicitBase) {
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
                                              options.assertRelativeLength).second;
        if (rev.isBase() || rev.isNone()) {
            currentRevisions.clear();
            lower = RevArg::none();
        } else {
            currentRevisions = {rev};
            lower = RevArg::str(rev.id);
        }
    }

    const QStringList currentIds = idsOf(currentRevisions);
    QSet<QString> currentNodes = ancestorNodes(currentIds, Overlaps::Refused);
    for (const QString &c : currentIds)
        currentNodes.insert(c);

    QSet<QString> needs = required - currentNodes;
    if (options.inclusive)
        for (const QString &id : idsOf(getRevisions(lower)))
            needs.insert(id);
    if (!currentRevisions.isEmpty() && !options.implicitBase)
        needs &= descendantNodes(currentIds, Overlaps::Refused);
    return {needs, targets};
}

// RevisionMap._collect_downgrade_revisions(): the revisions to undo and the current heads.
std::pair<QSet<QString>, QStringList> RevisionWalker::collectDowngrade(const RevArg &upper, const QString &lower,
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
QStringList RevisionWalker::topologicalSort(const QSet<QString> &revisions, const QStringList &heads) const
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
QStringList RevisionWalker::iterateRevisions(const RevArg &upper, const RevArg &lower,
                                             const WalkOptions &options) const
{
    if (options.selectForDowngrade) {
        const auto [revs, heads] = collectDowngrade(upper, lower.isTuple ? QString() : lower.text,
                                                    options.assertRelativeLength);
        return topologicalSort(revs, heads);
    }
    const auto [revs, heads] = collectUpgrade(upper, lower, options);
    return topologicalSort(revs, heads);
}

} // namespace MigrationDesk::Alembic
