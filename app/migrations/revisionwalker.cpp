#include "migrations/revisionwalker.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

// A close port of Alembic 1.8's alembic/script/revision.py (RevisionMap). It keeps Alembic's
// structure, including raising an error deep in the walk that revisiongraph.cpp translates at the
// command boundary, so that each piece can be checked against the Python original line by line.
// Alembic's "versioned" down revisions are the declared parents, its "normalized" ones add the
// dependencies no ancestor already has, and its "all" ones every resolved dependency.

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

QStringList RevisionWalker::sortedByMap(const QSet<QString> &ids) const
{
    QStringList out(ids.cbegin(), ids.cend());
    std::sort(out.begin(), out.end(), [this](const QString &a, const QString &b) { return index(a) < index(b); });
    return out;
}

// RevisionMap.heads / bases: map order, not sorted.
QStringList RevisionWalker::headsInOrder() const
{
    QStringList out;
    for (const QString &id : m_g.m_order)
        if (m_g.m_children.value(id).isEmpty())
            out.append(id);
    return out;
}

QStringList RevisionWalker::realHeadsInOrder() const
{
    if (!m_g.m_hasExtras)
        return headsInOrder();
    QStringList out;
    for (const QString &id : m_g.m_order)
        if (m_g.m_allChildren.value(id).isEmpty())
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

QStringList RevisionWalker::normalizedParents(const QString &id) const
{
    return m_g.m_hasExtras ? m_g.m_normParents.value(id) : m_g.m_parents.value(id);
}

bool RevisionWalker::hasNormalizedDependencies(const QString &id) const
{
    return m_g.m_hasExtras && m_g.m_normParents.value(id).size() > m_g.m_parents.value(id).size();
}

// _iterate_related_revisions: depth first with an explicit stack, as Alembic does. With
// Overlaps::Refused, refuses targets reached from another target's traversal.
QSet<QString> RevisionWalker::related(const QStringList &targets, bool towardsChildren, Overlaps overlaps,
                                      Deps deps) const
{
    const bool check = overlaps == Overlaps::Refused;
    const bool withDeps = deps == Deps::Included && m_g.m_hasExtras;
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
            const QStringList next = towardsChildren
                    ? (withDeps ? m_g.m_allChildren.value(rev) : children(rev))
                    : (withDeps ? m_g.m_normParents.value(rev) : parents(rev));
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

QSet<QString> RevisionWalker::ancestorNodes(const QStringList &targets, Overlaps overlaps, Deps deps) const
{
    return related(targets, false, overlaps, deps);
}

QSet<QString> RevisionWalker::descendantNodes(const QStringList &targets, Overlaps overlaps, Deps deps) const
{
    return related(targets, true, overlaps, deps);
}

// RevisionMap.get_current_head()
QString RevisionWalker::currentHead(const QString &branchLabel) const
{
    QStringList heads = headsInOrder();
    if (!branchLabel.isEmpty())
        heads = filterForLineage(heads, branchLabel);
    if (heads.size() > 1)
        raiseMultipleHeads(heads, branchLabel.isEmpty() ? u"head"_s : branchLabel + u"@head"_s);
    return heads.isEmpty() ? QString() : heads.first();
}

// _resolve_revision_number for a string (or None).
std::pair<QStringList, QString> RevisionWalker::resolveNumber(const QString &idIn) const
{
    QString id = idIn;
    QString label;
    const qsizetype at = id.isNull() ? -1 : id.indexOf(QLatin1Char('@'));
    if (at >= 0) {
        label = id.left(at);
        id = id.mid(at + 1);
    }
    if (id == QLatin1String("heads")) {
        if (!label.isEmpty())
            return {filterForLineage(headsInOrder(), label), label};
        return {realHeadsInOrder(), label};
    }
    if (id == QLatin1String("head")) {
        const QString h = currentHead(label);
        return {h.isNull() ? QStringList() : QStringList{h}, label};
    }
    if (id.isNull() || id == QLatin1String("base"))
        return {{}, label};
    return {{id}, label};
}

// _resolve_branch: a label, else a revision id or prefix.
QString RevisionWalker::resolveBranch(const QString &branchLabel) const
{
    if (m_g.m_labelMap.contains(branchLabel))
        return m_g.m_labelMap.value(branchLabel);
    if (m_g.m_parents.contains(branchLabel))
        return branchLabel;
    try {
        return revisionForIdent(branchLabel).id;
    } catch (const Failure &f) {
        if (f.kind != Failure::Kind::Resolution)
            throw;
        raiseResolution(Text::tr("No such branch: '%1'").arg(branchLabel), branchLabel);
    }
}

// _revision_for_ident: exact id or label, else a unique prefix among keys longer than three characters.
Node RevisionWalker::revisionForIdent(const QString &resolved, const QString &checkBranch) const
{
    QString branchRev;
    if (!checkBranch.isEmpty())
        branchRev = resolveBranch(checkBranch);
    if (resolved.isNull())
        return Node::none();
    QString revision;
    if (m_g.m_parents.contains(resolved)) {
        revision = resolved;
    } else if (m_g.m_labelMap.contains(resolved)) {
        revision = m_g.m_labelMap.value(resolved);
    } else {
        // the revision map's keys: ids in map order, then the labels
        QStringList revs;
        for (const QString &x : m_g.m_order)
            if (x.size() > 3 && x.startsWith(resolved))
                revs.append(x);
        for (const QString &x : m_g.m_labelOrder)
            if (x.size() > 3 && x.startsWith(resolved))
                revs.append(x);
        if (!branchRev.isEmpty())
            revs = filterForLineage(revs, checkBranch);
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
        revision = m_g.m_labelMap.value(revs.first(), revs.first());
    }
    if (!checkBranch.isEmpty() && !sharesLineage(revision, {branchRev}))
        raiseResolution(Text::tr("Revision %1 is not a member of branch '%2'").arg(revision, checkBranch), resolved);
    return Node::rev(revision);
}

QStringList RevisionWalker::filterForLineage(const QStringList &targets, const QString &checkAgainst, Deps deps) const
{
    const auto [ids, label] = resolveNumber(checkAgainst);
    QStringList shares;
    if (!label.isEmpty())
        shares.append(label);
    shares += ids;
    QStringList out;
    for (const QString &t : targets)
        if (sharesLineage(t, shares, deps))
            out.append(t);
    return out;
}

bool RevisionWalker::sharesLineage(const QString &target, const QStringList &testAgainst, Deps deps) const
{
    if (testAgainst.isEmpty())
        return true;
    const QString resolvedTarget = revisionForIdent(target).id;
    QSet<QString> against;
    for (const QString &t : testAgainst)
        against.insert(revisionForIdent(t).id);
    const QSet<QString> lineage = descendantNodes({resolvedTarget}, Overlaps::Allowed, deps)
            | ancestorNodes({resolvedTarget}, Overlaps::Allowed, deps);
    return lineage.intersects(against);
}

// RevisionMap.get_revision()
Node RevisionWalker::getRevision(const QString &id) const
{
    const auto [resolved, label] = resolveNumber(id);
    if (resolved.size() > 1)
        raiseMultipleHeads(resolved, id);
    if (!resolved.isEmpty() && resolved.first().isEmpty())
        raiseResolution(Text::tr("No such revision or branch '%1'").arg(id), id);
    return revisionForIdent(resolved.isEmpty() ? QString() : resolved.first(), label);
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
    const auto [resolved, label] = resolveNumber(arg.text);
    if (resolved.size() == 1) {
        const std::optional<qint64> rint = pythonInt(resolved.first());
        if (rint && *rint < 0) {
            // branch@-n: walk down from the heads of that branch
            QList<Node> out;
            const bool hasLabel = arg.text.contains(QLatin1Char('@'));
            for (const QString &head : idsOf(getRevisions(RevArg::str(u"heads"_s))))
                if (!hasLabel || inBranch(head, label))
                    out.append(walk(Node::rev(head), *rint, QString(), true));
            return out;
        }
    }
    QList<Node> out;
    for (const QString &r : resolved) {
        if (r.isEmpty())
            raiseResolution(Text::tr("No such revision or branch '%1'").arg(arg.text), arg.text);
        out.append(revisionForIdent(r, label));
    }
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
Node RevisionWalker::walk(Node initial, qint64 steps, const QString &branchLabel, bool noOverwalk) const
{
    const qint64 count = steps < 0 ? -steps : steps;
    for (qint64 i = 0; i < count; ++i) {
        QList<Node> children;
        if (steps > 0) {
            Q_ASSERT(!initial.isBase());
            children = getRevisionsOf(initial.isNone() ? basesInOrder() : this->children(initial.id));
            if (!branchLabel.isEmpty()) {
                const QStringList kept = filterForLineage(idsOf(children), branchLabel);
                children.clear();
                for (const QString &k : kept)
                    children.append(Node::rev(k));
            }
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

Node RevisionWalker::walkFrom(const QString &start, qint64 steps, const QString &branchLabel, bool noOverwalk) const
{
    return walk(getRevision(start), steps, branchLabel, noOverwalk);
}

// RevisionMap._get_all_current() with _filter_into_branch_heads().
QStringList RevisionWalker::allCurrent(const QStringList &ids) const
{
    QSet<QString> top;
    const QStringList revs = idsOf(getRevisionsOf(ids));
    for (const QString &r : revs)
        top.insert(r);
    top |= ancestorNodes(revs);
    QSet<QString> kept = top;
    for (const QString &rev : top) {
        QSet<QString> below = descendantNodes({rev}, Overlaps::Allowed, Deps::Excluded);
        below.remove(rev);
        if (top.intersects(below))
            kept.remove(rev);
    }
    return sortedByMap(kept);
}

// RevisionMap._parse_downgrade_target(): (branch label, target).
std::pair<QString, Node> RevisionWalker::parseDowngradeTarget(const RevArg &current, const QString &target,
                                                              bool assertRelativeLength) const
{
    if (target.isNull())
        return {QString(), Node::none()};
    if (const std::optional<Relative> m = matchRelative(target)) {
        QString branchLabel = m->branchLabel;
        if (m->value >= 0) {
            if (m->symbol.isNull())
                fail(relativeDidntProduce(m->relative, m->value));
            const Node rev = walkFrom(m->symbol, m->value, branchLabel, assertRelativeLength);
            if (rev.isNone())
                fail(Text::tr("Walked too far"));
            return {branchLabel, rev};
        }
        const bool relativeRevision = m->symbol.isNull();
        QString symbol = m->symbol;
        if (relativeRevision) {
            const QStringList currentRevisions = current.toTuple();
            if (!branchLabel.isEmpty()) {
                QStringList symbols = filterForLineage(currentRevisions, branchLabel);
                if (symbols.isEmpty()) // the branch's head is implied by another head depending on it
                    symbols = filterForLineage(allCurrent(currentRevisions), branchLabel);
                if (symbols.size() != 1)
                    fail(Text::tr("Relative revision %1 is ambiguous on branch '%2'").arg(target, branchLabel));
                symbol = symbols.first();
            } else {
                if (currentRevisions.isEmpty())
                    fail(relativeDidntProduce(m->relative, m->value));
                symbol = currentRevisions.first();
                // Restrict the walk to the selected branch when branches are ambiguous.
                branchLabel = symbol;
            }
        }
        const Node start = branchLabel.isEmpty() ? getRevision(symbol) : getRevision(branchLabel + u'@' + symbol);
        const Node rev = walk(start, m->value, QString(), assertRelativeLength);
        if (rev.isNone())
            fail(relativeRevision ? relativeDidntProduce(m->relative, m->value) : Text::tr("Walked too far"));
        return {branchLabel, rev};
    }
    // absolute: "label@rev" or "rev"
    const qsizetype at = target.lastIndexOf(QLatin1Char('@'));
    const QString branchLabel = at > 0 ? target.left(at) : QString();
    return {branchLabel, getRevision(at >= 0 ? target.mid(at + 1) : target)};
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

    const QString &branchLabel = m->branchLabel;
    QStringList currentRevisions = current.toTuple();
    if (m->value > 0) {
        if (m->symbol.isNull()) {
            if (currentRevisions.isEmpty())
                currentRevisions = QStringList{QString()}; // (None,)
            QStringList startRevs = currentRevisions;
            if (!branchLabel.isEmpty()) {
                startRevs = filterForLineage(idsOf(getRevisionsOf(currentRevisions)), branchLabel);
                if (startRevs.isEmpty()) {
                    // The branch is not at a head: back up to the tips of what is applied on it.
                    const QStringList active = filterForLineage(
                        sortedByMap(ancestorNodes(idsOf(getRevisionsOf(currentRevisions)))), branchLabel);
                    QSet<QString> downs;
                    for (const QString &rev : active)
                        for (const QString &d : normalizedParents(rev))
                            downs.insert(d);
                    startRevs.clear();
                    for (const QString &rev : active)
                        if (!downs.contains(rev))
                            startRevs.append(rev);
                    if (startRevs.isEmpty())
                        startRevs = QStringList{QString()};
                }
            }
            if (startRevs.size() > 1)
                fail(Text::tr("Ambiguous upgrade from multiple current revisions"));
            const Node rev = walk(getRevision(startRevs.first()), m->value, branchLabel, assertRelativeLength);
            if (rev.isNone())
                fail(relativeDidntProduce(m->relative, m->value));
            return {rev};
        }
        return {walkFrom(m->symbol, m->value, branchLabel, assertRelativeLength)};
    }
    if (m->symbol.isNull()) // Python formats the int here: "-2", "0"
        fail(relativeDidntProduce(QString::number(m->value), m->value));
    const Node start = branchLabel.isEmpty() ? getRevision(m->symbol) : getRevision(branchLabel + u'@' + m->symbol);
    return {walk(start, m->value, QString(), assertRelativeLength)};
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

    // a named lower end ("branch@...") keeps only the targets on that branch
    if (!lower.isTuple && !lower.text.isNull() && lower.text.contains(QLatin1Char('@'))) {
        QString branch = lower.text.section(QLatin1Char('@'), 0, 0);
        const Node branchRev = getRevision(branch);
        if (branchRev.isRev() && branchRev.id == branch) {
            // a revision used as a label: its branch instead
            const QSet<QString> labels = m_g.m_spreadLabels.value(branch);
            if (labels.size() != 1)
                fail(Text::tr("Revision %1 does not name exactly one branch").arg(branch));
            branch = *labels.cbegin();
        }
        QStringList kept;
        for (const QString &t : targets)
            if (inBranch(t, branch) && !kept.contains(t))
                kept.append(t);
        targets = kept;
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
        needs &= descendantNodes(currentIds, Overlaps::Refused, Deps::Excluded);
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
        const QSet<QString> branchAncestors =
            ancestorNodes({resolveBranch(branchLabel)}, Overlaps::Allowed, Deps::Excluded);
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

        const QStringList downs = normalizedParents(candidate);
        QStringList headsToAdd;
        for (const QString &r : downs)
            if (todo.contains(r) && !currentHeads.contains(r))
                headsToAdd.append(r);

        if (headsToAdd.isEmpty()) {
            currentHeads.removeAt(current);
            ancestorsByIdx.removeAt(current);
            current = std::max(current - 1, 0);
        } else if (!hasNormalizedDependencies(candidate) && parents(candidate).size() == 1) {
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
