#include "migrations/revisiongraph.h"

#include "migrations/headmaintainer.h"
#include "migrations/revisionerrors.h"
#include "migrations/revisiontargets.h"
#include "migrations/revisionwalker.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

// The commands below follow Alembic 1.8's alembic/script/base.py (_upgrade_revs, _downgrade_revs,
// _stamp_revs, walk_revisions, _catch_revision_errors). The RevisionMap walk they use is in
// revisionwalker.cpp, the version-table bookkeeping of each step in headmaintainer.cpp.

namespace MigrationDesk {

using namespace Alembic;

namespace {

// Gives lupdate the same context ("MigrationDesk::RevisionGraph") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::RevisionGraph)
};

} // namespace

void RevisionGraph::addRevision(const QString &id, const QStringList &parents, const QStringList &dependsOn,
                                const QStringList &branchLabels)
{
    if (dependsOn.isEmpty())
        m_declaredDeps.remove(id);
    else
        m_declaredDeps.insert(id, dependsOn);
    if (branchLabels.isEmpty())
        m_declaredLabels.remove(id);
    else
        m_declaredLabels.insert(id, branchLabels);
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
    rebuildDerived();
}

namespace {

QStringList deduped(const QStringList &items)
{
    QStringList out;
    for (const QString &i : items)
        if (!out.contains(i))
            out.append(i);
    return out;
}

} // namespace

// RevisionMap._revision_map: _map_branch_labels, _add_depends_on, add_nextrev, _normalize_depends_on
// and _add_branches, in that order.
void RevisionGraph::rebuildDerived()
{
    m_resolvedDeps.clear();
    m_allParents.clear();
    m_normParents.clear();
    m_allChildren.clear();
    m_spreadLabels.clear();
    m_labelMap.clear();
    m_labelOrder.clear();
    m_labelErrors.clear();
    m_hasExtras = !m_declaredDeps.isEmpty() || !m_declaredLabels.isEmpty();
    if (!m_hasExtras)
        return;

    for (const QString &id : std::as_const(m_order)) {
        for (const QString &label : m_declaredLabels.value(id)) {
            const QString owner = m_labelMap.contains(label) ? m_labelMap.value(label)
                                                             : (m_parents.contains(label) ? label : QString());
            if (!owner.isNull()) {
                m_labelErrors.append({id, Text::tr("Branch name '%1' in revision %2 already used by revision %3")
                                              .arg(label, id, owner)});
                continue;
            }
            m_labelMap.insert(label, id);
            m_labelOrder.append(label);
        }
    }
    for (const QString &id : std::as_const(m_order)) {
        QStringList resolved;
        for (const QString &dep : m_declaredDeps.value(id))
            resolved.append(m_labelMap.value(dep, dep));
        m_resolvedDeps.insert(id, deduped(resolved));
        m_allParents.insert(id, deduped(m_parents.value(id) + m_resolvedDeps.value(id)));
        m_allChildren[id];
    }
    for (const QString &id : std::as_const(m_order))
        for (const QString &p : m_allParents.value(id))
            if (m_parents.contains(p))
                m_allChildren[p].append(id);

    const RevisionWalker w(*this);
    for (const QString &id : std::as_const(m_order)) {
        const QStringList resolved = m_resolvedDeps.value(id);
        QStringList normalized;
        if (!resolved.isEmpty()) {
            QSet<QString> drop;
            const QSet<QString> ancestors = w.ancestorNodes({id}, RevisionWalker::Overlaps::Allowed,
                                                            RevisionWalker::Deps::Excluded);
            for (const QString &a : ancestors)
                if (a != id)
                    for (const QString &d : m_resolvedDeps.value(a))
                        drop.insert(d);
            for (const QString &d : resolved)
                if (!drop.contains(d))
                    normalized.append(d);
        }
        m_normParents.insert(id, deduped(m_parents.value(id) + normalized));
    }

    // _add_branches: a label spreads to every revision built on its revision, then from the last
    // of those down to the nearest branch or merge point.
    for (const QString &id : std::as_const(m_order)) {
        const QStringList labels = m_declaredLabels.value(id);
        if (labels.isEmpty())
            continue;
        QSet<QString> seen;
        QStringList todo{id};
        QString last;
        while (!todo.isEmpty()) {
            const QString rev = todo.takeLast();
            if (seen.contains(rev) || !m_parents.contains(rev))
                continue;
            seen.insert(rev);
            for (const QString &l : labels)
                m_spreadLabels[rev].insert(l);
            last = rev;
            todo += m_children.value(rev);
        }
        QString parent = last;
        QSet<QString> walked; // a cyclic graph (refused by validate()) must not hang here
        while (m_parents.contains(parent) && !walked.contains(parent) && m_allChildren.value(parent).size() <= 1
               && m_parents.value(parent).size() <= 1) {
            walked.insert(parent);
            for (const QString &l : labels)
                m_spreadLabels[parent].insert(l);
            const QStringList down = m_parents.value(parent);
            if (down.isEmpty())
                break;
            parent = down.first();
        }
    }
}

QStringList RevisionGraph::dependents(const QString &id) const
{
    QStringList out;
    for (const QString &r : m_order)
        if (m_resolvedDeps.value(r).contains(id))
            out.append(r);
    return out;
}

QStringList RevisionGraph::branchLabels(const QString &id) const
{
    const QSet<QString> labels = m_spreadLabels.value(id);
    QStringList out(labels.cbegin(), labels.cend());
    out.sort();
    return out;
}

QStringList RevisionGraph::allBranchLabels() const
{
    QStringList out = m_labelOrder;
    out.sort();
    return out;
}

QList<RevisionGraph::GraphError> RevisionGraph::validate() const
{
    QList<GraphError> errors;
    for (const QString &id : m_duplicates)
        errors.append({id, Text::tr("Revision %1 is present more than once").arg(id)});

    static const QRegularExpression illegal(u"[@+:\\-]"_s);
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
    errors += m_labelErrors;
    for (const QString &id : m_order) {
        const QStringList deps = m_resolvedDeps.value(id);
        if (deps.contains(id)) {
            errors.append({id, Text::tr("Dependency self-loop is detected in revisions (%1)").arg(id)});
            structural = true;
        }
        for (const QString &d : m_declaredDeps.value(id)) {
            if (!m_parents.contains(m_labelMap.value(d, d))) {
                errors.append({id, Text::tr("Dependency %1 of revision %2 is neither a revision nor a branch label")
                                       .arg(d, id)});
                structural = true;
            }
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
    if (!cyclic.isEmpty() || !m_hasExtras)
        return errors;

    // The same through depends_on: _real_heads and _real_bases over every link.
    QStringList realBases;
    for (const QString &id : m_order)
        if (m_allParents.value(id).isEmpty())
            realBases.append(id);
    const QStringList realHeads = w.realHeadsInOrder();
    QStringList depCyclic;
    if (realHeads.isEmpty() || realBases.isEmpty()) {
        depCyclic = m_order;
    } else {
        const QSet<QString> space = w.ancestorNodes(realHeads) & w.descendantNodes(realBases);
        for (const QString &id : m_order)
            if (!space.contains(id))
                depCyclic.append(id);
        std::sort(depCyclic.begin(), depCyclic.end());
    }
    const QString depMessage = Text::tr("Dependency cycle is detected in revisions (%1)").arg(joined(depCyclic));
    for (const QString &id : depCyclic)
        errors.append({id, depMessage});
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
    QStringList out = RevisionWalker(*this).realHeadsInOrder();
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
    return contains(id) && m_children.value(id).isEmpty() && (!m_hasExtras || m_allChildren.value(id).isEmpty());
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

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

} // namespace

std::optional<QString> RevisionGraph::resolveRevision(const QString &name, QString *error) const
{
    if (name.isEmpty()) {
        setError(error, Text::tr("No such revision or branch '%1'").arg(name));
        return std::nullopt;
    }
    try {
        const RevisionWalker w(*this);
        const RevisionTargets t(w);
        // "label@rev" names a revision of that branch; a plain name is an id, a label or a prefix
        const Node n = name.contains(QLatin1Char('@')) ? t.getRevision(name) : t.revisionForIdent(name);
        if (!n.isRev())
            fail(Text::tr("No such revision or branch '%1'").arg(name));
        return n.id;
    } catch (const Failure &f) {
        setError(error, f.message);
        return std::nullopt;
    }
}

std::optional<QStringList> RevisionGraph::resolveTarget(const QString &target, const QStringList &currentHeads,
                                                        QString *error) const
{
    if (invalidGraph(*this, error))
        return std::nullopt;
    const RevisionWalker w(*this);
    const RevisionTargets t(w);
    CommandContext ctx;
    ctx.end = target;
    ctx.hasEnd = true;
    try {
        if (target == QLatin1String("current"))
            return RevisionTargets::idsOf(t.getRevisionsOf(currentHeads));
        if (const std::optional<Relative> m = matchRelative(target)) {
            if (m->symbol.isNull() && m->value > 0)
                return RevisionTargets::idsOf(t.parseUpgradeTarget(RevArg::tuple(currentHeads), RevArg::str(target), true));
            if (m->symbol.isNull())
                return RevisionTargets::idsOf({t.parseDowngradeTarget(RevArg::tuple(currentHeads), target, true).second});
            const QString &label = m->branchLabel;
            const Node n = m->value > 0
                    ? t.walkFrom(m->symbol, m->value, label, true)
                    : t.walk(t.getRevision(label.isEmpty() ? m->symbol : label + u'@' + m->symbol), m->value,
                             QString(), true);
            if (n.isNone())
                fail(Text::tr("Walked too far"));
            return RevisionTargets::idsOf({n});
        }
        return RevisionTargets::idsOf(t.getRevisions(RevArg::str(target)));
    } catch (const Failure &f) {
        setError(error, commandMessage(f, ctx));
        return std::nullopt;
    }
}

std::optional<QList<MigrationStep>> RevisionGraph::upgradePlan(const QStringList &currentHeads, const QString &target,
                                                               QString *error) const
{
    if (invalidGraph(*this, error))
        return std::nullopt;
    // ScriptDirectory._upgrade_revs
    CommandContext ctx;
    ctx.ancestor = Text::tr("Destination %end is not a valid upgrade target from current head(s)");
    ctx.end = target;
    ctx.hasEnd = true;
    try {
        WalkOptions options;
        options.implicitBase = true;
        options.assertRelativeLength = true;
        const QStringList revs =
            RevisionWalker(*this).iterateRevisions(RevArg::str(target), RevArg::tuple(currentHeads), options);
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
    if (invalidGraph(*this, error))
        return std::nullopt;
    // ScriptDirectory._downgrade_revs
    CommandContext ctx;
    ctx.ancestor = Text::tr("Destination %end is not a valid downgrade target from current head(s)");
    ctx.end = target;
    ctx.hasEnd = true;
    try {
        WalkOptions options;
        options.assertRelativeLength = true;
        options.selectForDowngrade = true;
        const QStringList revs =
            RevisionWalker(*this).iterateRevisions(RevArg::tuple(currentHeads), RevArg::str(target), options);
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
    hm.updateToStep(RevisionWalker(*this), step);
    if (heads)
        *heads = hm.heads();
    return hm.ops();
}

std::optional<QList<VersionOp>> RevisionGraph::stampOps(const QStringList &currentHeads, const QString &target,
                                                        QStringList *heads, QString *error) const
{
    if (invalidGraph(*this, error))
        return std::nullopt;
    const RevisionWalker w(*this);
    const RevisionTargets t(w);
    // ScriptDirectory._stamp_revs
    CommandContext ctx;
    ctx.multipleHeads = Text::tr("Multiple heads are present; please specify a single target revision");
    QList<StampStep> steps;
    try {
        const QStringList headsRevs = RevisionTargets::idsOf(t.getRevisionsOf(currentHeads));
        const QString revision = target.isEmpty() ? u"base"_s : target;

        // filter_for_lineage(heads_revs, revision, include_dependencies=True): the lineage names
        // are only resolved when there is a head to compare with, as in Alembic's lazy generator.
        QStringList filteredHeads;
        for (const QString &h : t.filterForLineage(headsRevs, revision, RevisionTargets::Deps::Included))
            if (!filteredHeads.contains(h))
                filteredHeads.append(h);

        QList<Node> dests = t.getRevisions(RevArg::str(revision));
        if (dests.isEmpty())
            dests = {Node::none()};
        for (const Node &dest : dests) {
            if (!dest.isRev()) {
                // stamping to base deletes every applicable head
                for (const QString &h : filteredHeads)
                    steps.append(StampStep::deleteBranch(h));
                continue;
            }
            if (filteredHeads.contains(dest.id))
                continue; // already in the version table
            const QSet<QString> filteredSet(filteredHeads.cbegin(), filteredHeads.cend());
            if (!(w.descendantNodes({dest.id}) & filteredSet).isEmpty())
                steps.append(StampStep::downgrade(filteredHeads, dest.id));
            else if (!(w.ancestorNodes({dest.id}) & filteredSet).isEmpty())
                steps.append(StampStep::upgrade(filteredHeads, dest.id));
            else
                steps.append(StampStep::newBranch(dest.id));
        }
    } catch (const Failure &f) {
        setError(error, commandMessage(f, ctx));
        return std::nullopt;
    }

    HeadMaintainer hm(currentHeads);
    for (const StampStep &s : steps)
        hm.updateToStamp(s);
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
    if (invalidGraph(*this, error))
        return std::nullopt;
    // command.history: "current" becomes the version table's rows, then
    // walk_revisions(base=lower or "base", head=upper or "heads").
    const auto argument = [&](const QString &s, const QString &fallback) {
        RevArg a = s == QLatin1String("current") ? RevArg::tuple(currentHeads) : RevArg::str(s);
        return a.truthy() ? a : RevArg::str(fallback);
    };
    const RevArg base = argument(lower, u"base"_s);
    const RevArg head = argument(upper, u"heads"_s);
    CommandContext ctx;
    ctx.start = base.display();
    ctx.end = head.display();
    ctx.hasStart = ctx.hasEnd = true;
    try {
        WalkOptions options;
        options.inclusive = true;
        return RevisionWalker(*this).iterateRevisions(head, base, options);
    } catch (const Failure &f) {
        setError(error, commandMessage(f, ctx));
        return std::nullopt;
    }
}

} // namespace MigrationDesk
