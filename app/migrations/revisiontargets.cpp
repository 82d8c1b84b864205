#include "migrations/revisiontargets.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

// Alembic 1.8's target resolution (alembic/script/revision.py): _resolve_revision_number,
// _revision_for_ident, get_revision(s), _walk and the _parse_*_target pair, kept close to the
// Python original line by line like revisionwalker.cpp, whose graph walks this uses.

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

QString relativeDidntProduce(const QString &relative, qint64 value)
{
    return Text::tr("Relative revision %1 didn't produce %2 migrations")
        .arg(relative, QString::number(value < 0 ? -value : value));
}

} // namespace

// RevisionMap.get_current_head()
QString RevisionTargets::currentHead(const QString &branchLabel) const
{
    QStringList heads = m_w.headsInOrder();
    if (!branchLabel.isEmpty())
        heads = filterForLineage(heads, branchLabel);
    if (heads.size() > 1)
        raiseMultipleHeads(heads, branchLabel.isEmpty() ? u"head"_s : branchLabel + u"@head"_s);
    return heads.isEmpty() ? QString() : heads.first();
}

// _resolve_revision_number for a string (or None).
std::pair<QStringList, QString> RevisionTargets::resolveNumber(const QString &idIn) const
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
            return {filterForLineage(m_w.headsInOrder(), label), label};
        return {m_w.realHeadsInOrder(), label};
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
QString RevisionTargets::resolveBranch(const QString &branchLabel) const
{
    if (m_g.m_links.labelMap.contains(branchLabel))
        return m_g.m_links.labelMap.value(branchLabel);
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
Node RevisionTargets::revisionForIdent(const QString &resolved, const QString &checkBranch) const
{
    QString branchRev;
    if (!checkBranch.isEmpty())
        branchRev = resolveBranch(checkBranch);
    if (resolved.isNull())
        return Node::none();
    QString revision;
    if (m_g.m_parents.contains(resolved)) {
        revision = resolved;
    } else if (m_g.m_links.labelMap.contains(resolved)) {
        revision = m_g.m_links.labelMap.value(resolved);
    } else {
        // the revision map's keys: ids in map order, then the labels
        QStringList revs;
        for (const QString &x : m_g.m_order)
            if (x.size() > 3 && x.startsWith(resolved))
                revs.append(x);
        for (const QString &x : m_g.m_links.labelOrder)
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
        revision = m_g.m_links.labelMap.value(revs.first(), revs.first());
    }
    if (!checkBranch.isEmpty() && !sharesLineage(revision, {branchRev}))
        raiseResolution(Text::tr("Revision %1 is not a member of branch '%2'").arg(revision, checkBranch), resolved);
    return Node::rev(revision);
}

QStringList RevisionTargets::filterForLineage(const QStringList &targets, const QString &checkAgainst, Deps deps) const
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

bool RevisionTargets::sharesLineage(const QString &target, const QStringList &testAgainst, Deps deps) const
{
    if (testAgainst.isEmpty())
        return true;
    const QString resolvedTarget = revisionForIdent(target).id;
    QSet<QString> against;
    for (const QString &t : testAgainst)
        against.insert(revisionForIdent(t).id);
    const QSet<QString> lineage = m_w.descendantNodes({resolvedTarget}, Overlaps::Allowed, deps)
            | m_w.ancestorNodes({resolvedTarget}, Overlaps::Allowed, deps);
    return lineage.intersects(against);
}

// RevisionMap.get_revision()
Node RevisionTargets::getRevision(const QString &id) const
{
    const auto [resolved, label] = resolveNumber(id);
    if (resolved.size() > 1)
        raiseMultipleHeads(resolved, id);
    if (!resolved.isEmpty() && resolved.first().isEmpty())
        raiseResolution(Text::tr("No such revision or branch '%1'").arg(id), id);
    return revisionForIdent(resolved.isEmpty() ? QString() : resolved.first(), label);
}

// RevisionMap.get_revisions()
QList<Node> RevisionTargets::getRevisions(const RevArg &arg) const
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
                if (!hasLabel || m_w.inBranch(head, label))
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

QStringList RevisionTargets::idsOf(const QList<Node> &nodes)
{
    QStringList out;
    for (const Node &n : nodes)
        if (n.isRev())
            out.append(n.id);
    return out;
}

// RevisionMap._walk(): steps > 0 walks up, steps < 0 walks down; None when walking past
// the ends and noOverwalk, "Ambiguous walk" at a branch point (up) or merge point (down).
Node RevisionTargets::walk(Node initial, qint64 steps, const QString &branchLabel, bool noOverwalk) const
{
    const qint64 count = steps < 0 ? -steps : steps;
    for (qint64 i = 0; i < count; ++i) {
        QList<Node> children;
        if (steps > 0) {
            Q_ASSERT(!initial.isBase());
            children = getRevisionsOf(initial.isNone() ? m_w.basesInOrder() : m_w.children(initial.id));
            if (!branchLabel.isEmpty()) {
                const QStringList kept = filterForLineage(idsOf(children), branchLabel);
                children.clear();
                for (const QString &k : kept)
                    children.append(Node::rev(k));
            }
        } else if (initial.isBase()) {
            children = {};
        } else {
            children = getRevisionsOf(initial.isNone() ? m_w.headsInOrder() : m_w.parents(initial.id));
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

Node RevisionTargets::walkFrom(const QString &start, qint64 steps, const QString &branchLabel, bool noOverwalk) const
{
    return walk(getRevision(start), steps, branchLabel, noOverwalk);
}

// RevisionMap._get_all_current() with _filter_into_branch_heads().
QStringList RevisionTargets::allCurrent(const QStringList &ids) const
{
    QSet<QString> top;
    const QStringList revs = idsOf(getRevisionsOf(ids));
    for (const QString &r : revs)
        top.insert(r);
    top |= m_w.ancestorNodes(revs);
    QSet<QString> kept = top;
    for (const QString &rev : top) {
        QSet<QString> below = m_w.descendantNodes({rev}, Overlaps::Allowed, Deps::Excluded);
        below.remove(rev);
        if (top.intersects(below))
            kept.remove(rev);
    }
    return m_w.sortedByMap(kept);
}

// RevisionMap._parse_downgrade_target(): (branch label, target).
std::pair<QString, Node> RevisionTargets::parseDowngradeTarget(const RevArg &current, const QString &target,
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
QList<Node> RevisionTargets::parseUpgradeTarget(const RevArg &current, const RevArg &target,
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
                        m_w.sortedByMap(m_w.ancestorNodes(idsOf(getRevisionsOf(currentRevisions)))), branchLabel);
                    QSet<QString> downs;
                    for (const QString &rev : active)
                        for (const QString &d : m_w.normalizedParents(rev))
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

} // namespace MigrationDesk::Alembic
