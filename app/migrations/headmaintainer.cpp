#include "migrations/headmaintainer.h"

#include "migrations/revisionwalker.h"

#include <algorithm>

// A port of Alembic 1.8's alembic/runtime/migration.py (HeadMaintainer, RevisionStep, StampStep).

namespace MigrationDesk::Alembic {

namespace {

QStringList withoutAll(const QStringList &items, const QSet<QString> &drop)
{
    QStringList out;
    for (const QString &i : items)
        if (!drop.contains(i))
            out.append(i);
    return out;
}

} // namespace

void HeadMaintainer::insert(const QString &version)
{
    if (m_heads.contains(version))
        m_consistent = false;
    else
        m_heads.append(version);
    m_ops.append({VersionOp::Kind::Insert, QString(), version});
}

void HeadMaintainer::remove(const QString &version)
{
    if (!m_heads.removeOne(version))
        m_consistent = false;
    m_ops.append({VersionOp::Kind::Delete, version, QString()});
}

void HeadMaintainer::update(const QString &from, const QString &to)
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

void HeadMaintainer::updateToStep(const RevisionWalker &w, const MigrationStep &step)
{
    const QString rev = step.revision;
    const QStringList downrevs = w.normalizedParents(rev);
    const QSet<QString> heads = set();

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
            remove(rev);
            return;
        }
        // should_unmerge_branches
        if (isHead && downrevs.size() > 1) {
            const QStringList to = unmergeToRevisions();
            for (const QString &ins : to.mid(1))
                insert(ins);
            update(rev, to.first());
            return;
        }
    } else {
        QSet<QString> present;
        for (const QString &d : downrevs)
            if (heads.contains(d))
                present.insert(d);
        // should_create_branch
        if (downrevs.isEmpty() || present.isEmpty()) {
            insert(rev);
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
                remove(del);
            update(from.first(), rev);
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
        update(downRevision, rev);
    else
        update(rev, downRevision);
}

void HeadMaintainer::updateToStamp(const StampStep &step)
{
    const QSet<QString> heads = set();
    if (!step.isUpgrade && step.branchMove) { // should_delete_branch
        remove(step.from.first());
        return;
    }
    const bool fromMissing = std::any_of(step.from.cbegin(), step.from.cend(),
                                         [&](const QString &f) { return !heads.contains(f); });
    if (step.isUpgrade && (step.branchMove || fromMissing) && !heads.contains(step.to)) { // should_create_branch
        insert(step.to);
        return;
    }
    if (step.from.size() > 1) { // should_merge_branches: StampStep.merge_branch_idents
        for (const QString &del : step.from.mid(0, step.from.size() - 1))
            remove(del);
        update(step.from.last(), step.to);
        return;
    }
    update(step.from.first(), step.to);
}

} // namespace MigrationDesk::Alembic
