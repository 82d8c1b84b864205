#include "migrations/revisionvalidator.h"

#include "migrations/revisionwalker.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

// The checks of Alembic 1.8's RevisionMap (alembic/script/revision.py): identifiers, missing and
// repeated parents, labels, dependencies, and _detect_cycles over down_revision and then depends_on.

namespace MigrationDesk::Alembic {

namespace {

// Gives lupdate the same context ("MigrationDesk::RevisionGraph") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::RevisionGraph)
};

} // namespace

QList<RevisionGraph::GraphError> RevisionValidator::errors() const
{
    QList<RevisionGraph::GraphError> errors;
    for (const QString &id : m_g.m_duplicates)
        errors.append({id, Text::tr("Revision %1 is present more than once").arg(id)});

    static const QRegularExpression illegal(u"[@+:\\-]"_s);
    bool structural = false;
    for (const QString &id : m_g.m_order) {
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
        const QStringList ps = m_g.m_parents.value(id);
        if (ps.contains(id)) {
            errors.append({id, Text::tr("Self-loop is detected in revisions (%1)").arg(id)});
            structural = true;
        }
        for (const QString &p : ps) {
            if (!m_g.m_parents.contains(p)) {
                errors.append({id, Text::tr("Revision %1 referenced from %2 is not present").arg(p, id)});
                structural = true;
            }
        }
        if (QStringList(ps).removeDuplicates() > 0) {
            errors.append({id, Text::tr("Revision %1 lists the same parent more than once").arg(id)});
            structural = true;
        }
    }
    for (const auto &[revision, message] : m_g.m_links.labelErrors)
        errors.append({revision, message});
    for (const QString &id : m_g.m_order) {
        const QStringList deps = m_g.m_links.resolvedDeps.value(id);
        if (deps.contains(id)) {
            errors.append({id, Text::tr("Dependency self-loop is detected in revisions (%1)").arg(id)});
            structural = true;
        }
        for (const QString &d : m_g.m_declaredDeps.value(id)) {
            if (!m_g.m_parents.contains(m_g.m_links.labelMap.value(d, d))) {
                errors.append({id, Text::tr("Dependency %1 of revision %2 is neither a revision nor a branch label")
                                       .arg(d, id)});
                structural = true;
            }
        }
    }
    if (structural || m_g.m_order.isEmpty())
        return errors;

    // RevisionMap._detect_cycles: whatever is not both below a head and above a base is on
    // (or hangs off) a cycle.
    const RevisionWalker w(m_g);
    const QStringList hs = w.headsInOrder();
    const QStringList bs = w.basesInOrder();
    QStringList cyclic;
    if (hs.isEmpty() || bs.isEmpty()) {
        cyclic = m_g.m_order; // Alembic lists the whole map, in map order
    } else {
        const QSet<QString> space = w.ancestorNodes(hs) & w.descendantNodes(bs);
        for (const QString &id : m_g.m_order)
            if (!space.contains(id))
                cyclic.append(id);
        std::sort(cyclic.begin(), cyclic.end());
    }
    const QString message = Text::tr("Cycle is detected in revisions (%1)").arg(joined(cyclic));
    for (const QString &id : cyclic)
        errors.append({id, message});
    if (!cyclic.isEmpty() || !m_g.m_links.hasExtras)
        return errors;

    // The same through depends_on: _real_heads and _real_bases over every link.
    QStringList realBases;
    for (const QString &id : m_g.m_order)
        if (m_g.m_links.allParents.value(id).isEmpty())
            realBases.append(id);
    const QStringList realHeads = w.realHeadsInOrder();
    QStringList depCyclic;
    if (realHeads.isEmpty() || realBases.isEmpty()) {
        depCyclic = m_g.m_order;
    } else {
        const QSet<QString> space = w.ancestorNodes(realHeads) & w.descendantNodes(realBases);
        for (const QString &id : m_g.m_order)
            if (!space.contains(id))
                depCyclic.append(id);
        std::sort(depCyclic.begin(), depCyclic.end());
    }
    const QString depMessage = Text::tr("Dependency cycle is detected in revisions (%1)").arg(joined(depCyclic));
    for (const QString &id : depCyclic)
        errors.append({id, depMessage});
    return errors;
}

} // namespace MigrationDesk::Alembic
