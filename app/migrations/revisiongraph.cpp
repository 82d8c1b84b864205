#include "migrations/revisiongraph.h"

#include "migrations/headmaintainer.h"
#include "migrations/revisionerrors.h"
#include "migrations/revisiontargets.h"
#include "migrations/revisionvalidator.h"
#include "migrations/revisionwalker.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

// The commands below follow Alembic 1.8's alembic/script/base.py (_upgrade_revs, _downgrade_revs,
// _stamp_revs, walk_revisions, _catch_revision_errors). The RevisionMap walk they use is in
// revisionwalker.cpp and revisiontargets.cpp, the version-table bookkeeping of each step in
// headmaintainer.cpp. What depends_on and branch labels derive is in revisionlinks.cpp, the checks
// of validate() in revisionvalidator.cpp.

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
    // Recomputed after each addition, so that a const graph is never written to, whichever thread reads it.
    m_links.rebuild(*this);
}

QStringList RevisionGraph::dependents(const QString &id) const
{
    QStringList out;
    for (const QString &r : m_order)
        if (m_links.resolvedDeps.value(r).contains(id))
            out.append(r);
    return out;
}

QStringList RevisionGraph::branchLabels(const QString &id) const
{
    const QSet<QString> labels = m_links.spreadLabels.value(id);
    QStringList out(labels.cbegin(), labels.cend());
    out.sort();
    return out;
}

QStringList RevisionGraph::allBranchLabels() const
{
    QStringList out = m_links.labelOrder;
    out.sort();
    return out;
}

QList<RevisionGraph::GraphError> RevisionGraph::validate() const
{
    return RevisionValidator(*this).errors();
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
    return contains(id) && m_children.value(id).isEmpty()
            && (!m_links.hasExtras || m_links.allChildren.value(id).isEmpty());
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
