#include "migrations/revisionwalker.h"

#include "migrations/revisiontargets.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

// A close port of Alembic 1.8's alembic/script/revision.py (RevisionMap). It keeps Alembic's
// structure, including raising an error deep in the walk that revisiongraph.cpp translates at the
// command boundary, so that each piece can be checked against the Python original line by line.
// Alembic's "versioned" down revisions are the declared parents, its "normalized" ones add the
// dependencies no ancestor already has, and its "all" ones every resolved dependency.
// How a target names revisions (heads, label@rev, +N, prefixes) is in revisiontargets.cpp.

namespace MigrationDesk::Alembic {

namespace {

// Gives lupdate the same context ("MigrationDesk::RevisionGraph") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::RevisionGraph)
};

[[noreturn]] void raiseRangeNotAncestor(const QString &lower, const QString &upper)
{
    throw Failure{Failure::Kind::RangeNotAncestor,
                  Text::tr("Revision %1 is not an ancestor of revision %2")
                      .arg(lower.isEmpty() ? u"base"_s : lower,
                           upper.isEmpty() ? u"base"_s : upper),
                  {}, lower, upper};
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
    if (!m_g.m_links.hasExtras)
        return headsInOrder();
    QStringList out;
    for (const QString &id : m_g.m_order)
        if (m_g.m_links.allChildren.value(id).isEmpty())
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
    return m_g.m_links.hasExtras ? m_g.m_links.normParents.value(id) : m_g.m_parents.value(id);
}

bool RevisionWalker::hasNormalizedDependencies(const QString &id) const
{
    return m_g.m_links.hasExtras && m_g.m_links.normParents.value(id).size() > m_g.m_parents.value(id).size();
}

// _iterate_related_revisions: depth first with an explicit stack, as Alembic does. With
// Overlaps::Refused, refuses targets reached from another target's traversal.
QSet<QString> RevisionWalker::related(const QStringList &targets, bool towardsChildren, Overlaps overlaps,
                                      Deps deps) const
{
    const bool check = overlaps == Overlaps::Refused;
    const bool withDeps = deps == Deps::Included && m_g.m_links.hasExtras;
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
                    ? (withDeps ? m_g.m_links.allChildren.value(rev) : children(rev))
                    : (withDeps ? m_g.m_links.normParents.value(rev) : parents(rev));
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

// RevisionMap._collect_upgrade_revisions(): the revisions to apply and the targets.
std::pair<QSet<QString>, QStringList> RevisionWalker::collectUpgrade(const RevArg &upper, RevArg lower,
                                                                     const WalkOptions &options) const
{
    const RevisionTargets rt(*this);
    QStringList targets;
    for (const Node &n : rt.parseUpgradeTarget(lower, upper, options.assertRelativeLength)) {
        // Alembic asserts here (is_revision); walking past either end of the graph is the
        // only way to get something else.
        if (!n.isRev())
            fail(Text::tr("Walked too far"));
        targets.append(n.id);
    }

    // a named lower end ("branch@...") keeps only the targets on that branch
    if (!lower.isTuple && !lower.text.isNull() && lower.text.contains(QLatin1Char('@'))) {
        QString branch = lower.text.section(QLatin1Char('@'), 0, 0);
        const Node branchRev = rt.getRevision(branch);
        if (branchRev.isRev() && branchRev.id == branch) {
            // a revision used as a label: its branch instead
            const QSet<QString> labels = m_g.m_links.spreadLabels.value(branch);
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

    QList<Node> currentRevisions = rt.getRevisions(lower);
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
        const Node rev = rt.parseDowngradeTarget(upper, lower.isTuple ? QString() : lower.text,
                                              options.assertRelativeLength).second;
        if (rev.isBase() || rev.isNone()) {
            currentRevisions.clear();
            lower = RevArg::none();
        } else {
            currentRevisions = {rev};
            lower = RevArg::str(rev.id);
        }
    }

    const QStringList currentIds = RevisionTargets::idsOf(currentRevisions);
    QSet<QString> currentNodes = ancestorNodes(currentIds, Overlaps::Refused);
    for (const QString &c : currentIds)
        currentNodes.insert(c);

    QSet<QString> needs = required - currentNodes;
    if (options.inclusive)
        for (const QString &id : RevisionTargets::idsOf(rt.getRevisions(lower)))
            needs.insert(id);
    if (!currentRevisions.isEmpty() && !options.implicitBase)
        needs &= descendantNodes(currentIds, Overlaps::Refused, Deps::Excluded);
    return {needs, targets};
}

// RevisionMap._collect_downgrade_revisions(): the revisions to undo and the current heads.
std::pair<QSet<QString>, QStringList> RevisionWalker::collectDowngrade(const RevArg &upper, const QString &lower,
                                                                       bool assertRelativeLength) const
{
    const RevisionTargets rt(*this);
    const auto [branchLabel, targetNode] = rt.parseDowngradeTarget(upper, lower, assertRelativeLength);
    const bool toBase = !targetNode.isRev();

    QStringList roots;
    if (toBase)
        roots = basesInOrder();
    else
        roots = RevisionTargets::idsOf(rt.getRevisionsOf(children(targetNode.id)));

    if (!branchLabel.isEmpty() && roots.size() > 1) {
        const QSet<QString> branchAncestors =
            ancestorNodes({rt.resolveBranch(branchLabel)}, Overlaps::Allowed, Deps::Excluded);
        QStringList kept;
        for (const QString &r : roots)
            if (branchAncestors.contains(r))
                kept.append(r);
        roots = kept;
        if (roots.isEmpty())
            fail(Text::tr("Not a valid downgrade target from current heads"));
    }

    const QStringList heads = RevisionTargets::idsOf(rt.getRevisions(upper));
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
