#include "migrations/revisionlinks.h"

#include "migrations/revisiongraph.h"
#include "migrations/revisionwalker.h"

#include <QCoreApplication>

// Follows Alembic 1.8's RevisionMap._revision_map (alembic/script/revision.py) step by step.

namespace MigrationDesk::Alembic {

namespace {

// Gives lupdate the same context ("MigrationDesk::RevisionGraph") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::RevisionGraph)
};

QStringList deduped(const QStringList &items)
{
    QStringList out;
    for (const QString &i : items)
        if (!out.contains(i))
            out.append(i);
    return out;
}

} // namespace

void RevisionLinks::rebuild(const RevisionGraph &g)
{
    resolvedDeps.clear();
    allParents.clear();
    normParents.clear();
    allChildren.clear();
    spreadLabels.clear();
    labelMap.clear();
    labelOrder.clear();
    labelErrors.clear();
    hasExtras = !g.m_declaredDeps.isEmpty() || !g.m_declaredLabels.isEmpty();
    if (!hasExtras)
        return;

    for (const QString &id : std::as_const(g.m_order)) {
        for (const QString &label : g.m_declaredLabels.value(id)) {
            const QString owner = labelMap.contains(label) ? labelMap.value(label)
                                                           : (g.m_parents.contains(label) ? label : QString());
            if (!owner.isNull()) {
                labelErrors.append({id, Text::tr("Branch name '%1' in revision %2 already used by revision %3")
                                            .arg(label, id, owner)});
                continue;
            }
            labelMap.insert(label, id);
            labelOrder.append(label);
        }
    }
    for (const QString &id : std::as_const(g.m_order)) {
        QStringList resolved;
        for (const QString &dep : g.m_declaredDeps.value(id))
            resolved.append(labelMap.value(dep, dep));
        resolvedDeps.insert(id, deduped(resolved));
        allParents.insert(id, deduped(g.m_parents.value(id) + resolvedDeps.value(id)));
        allChildren[id];
    }
    for (const QString &id : std::as_const(g.m_order))
        for (const QString &p : allParents.value(id))
            if (g.m_parents.contains(p))
                allChildren[p].append(id);

    const RevisionWalker w(g);
    for (const QString &id : std::as_const(g.m_order)) {
        const QStringList resolved = resolvedDeps.value(id);
        QStringList normalized;
        if (!resolved.isEmpty()) {
            QSet<QString> drop;
            const QSet<QString> ancestors = w.ancestorNodes({id}, RevisionWalker::Overlaps::Allowed,
                                                            RevisionWalker::Deps::Excluded);
            for (const QString &a : ancestors)
                if (a != id)
                    for (const QString &d : resolvedDeps.value(a))
                        drop.insert(d);
            for (const QString &d : resolved)
                if (!drop.contains(d))
                    normalized.append(d);
        }
        normParents.insert(id, deduped(g.m_parents.value(id) + normalized));
    }

    // _add_branches: a label spreads to every revision built on its revision, then from the last
    // of those down to the nearest branch or merge point.
    for (const QString &id : std::as_const(g.m_order)) {
        const QStringList labels = g.m_declaredLabels.value(id);
        if (labels.isEmpty())
            continue;
        QSet<QString> seen;
        QStringList todo{id};
        QString last;
        while (!todo.isEmpty()) {
            const QString rev = todo.takeLast();
            if (seen.contains(rev) || !g.m_parents.contains(rev))
                continue;
            seen.insert(rev);
            for (const QString &l : labels)
                spreadLabels[rev].insert(l);
            last = rev;
            todo += g.m_children.value(rev);
        }
        QString parent = last;
        QSet<QString> walked; // a cyclic graph (refused by validate()) must not hang here
        while (g.m_parents.contains(parent) && !walked.contains(parent) && allChildren.value(parent).size() <= 1
               && g.m_parents.value(parent).size() <= 1) {
            walked.insert(parent);
            for (const QString &l : labels)
                spreadLabels[parent].insert(l);
            const QStringList down = g.m_parents.value(parent);
            if (down.isEmpty())
                break;
            parent = down.first();
        }
    }
}

} // namespace MigrationDesk::Alembic
