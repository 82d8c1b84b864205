#pragma once

#include "migrations/revisiongraph.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace MigrationDesk::Alembic {

class RevisionWalker;

// One StampStep of ScriptDirectory._stamp_revs: what `stamp` changes for one destination.
struct StampStep
{
    QStringList from;
    QString to; // null: stamping down to base
    bool isUpgrade = false;
    bool branchMove = false;

    // Stamping to base: the head's row goes.
    static StampStep deleteBranch(const QString &head) { return {{head}, QString(), false, true}; }
    // Heads above the destination.
    static StampStep downgrade(const QStringList &heads, const QString &to) { return {heads, to, false, false}; }
    // Heads below the destination.
    static StampStep upgrade(const QStringList &heads, const QString &to) { return {heads, to, true, false}; }
    // A branch not represented in the version table yet.
    static StampStep newBranch(const QString &to) { return {{}, to, true, true}; }
};

// Alembic's HeadMaintainer: applies version-table changes to an ordered list of rows (the heads),
// recording each change. A plain value; the thread of its caller.
class HeadMaintainer
{
public:
    explicit HeadMaintainer(const QStringList &heads) : m_heads(heads) {}

    QSet<QString> set() const { return QSet<QString>(m_heads.cbegin(), m_heads.cend()); }
    const QStringList &heads() const { return m_heads; }
    const QList<VersionOp> &ops() const { return m_ops; }
    // False once a change did not fit the rows (a row inserted twice, a missing row deleted).
    bool consistent() const { return m_consistent; }

    // RevisionStep + HeadMaintainer.update_to_step.
    void updateToStep(const RevisionWalker &walker, const MigrationStep &step);
    // StampStep + HeadMaintainer.update_to_step.
    void updateToStamp(const StampStep &step);

private:
    void insert(const QString &version);
    void remove(const QString &version);
    void update(const QString &from, const QString &to);

    QStringList m_heads;
    QList<VersionOp> m_ops;
    bool m_consistent = true;
};

} // namespace MigrationDesk::Alembic
