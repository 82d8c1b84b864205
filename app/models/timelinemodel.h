#pragma once

#include "migrations/scriptset.h"
#include "session/databaseworker.h"

#include <QAbstractListModel>

namespace MigrationDesk {

// The migration timeline: one row per revision, newest first, with the lane layout a view needs to
// draw branches and merges, and each revision's state in the connected database. Revisions that are
// in the database but missing from the scripts get rows too. GUI thread (pure data, no SQL).
class TimelineModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum class State { Pending, Applied, Current, MissingScript };
    Q_ENUM(State)

    enum Role {
        RevisionRole = Qt::UserRole + 1, // QString
        MessageRole,                     // QString
        CreatedRole,                     // QString as in the script header
        StateRole,                       // State (int)
        LaneRole,                        // int: the column this revision's dot is drawn in
        LaneCountRole,                   // int: lanes in use on this row (for the view's width)
        ParentLanesRole,                 // QVariantList<int>: lanes of the edges leaving downwards to each parent
        PassThroughLanesRole,            // QVariantList<int>: lanes of edges passing this row untouched
        IsHeadRole, IsBranchPointRole, IsMergePointRole, TransactionalRole, // bool
        LastRunAtRole,                   // QDateTime (UTC) of the last successful run, invalid if none
        LastRunByRole,                   // QString "dbuser (osuser@host)"
        LastRunDurationRole,             // double ms
        ChecksumChangedRole,             // bool: the script differs from the one that was applied
        FailedRunsRole,                  // int: failed attempts recorded
    };

    explicit TimelineModel(QObject *parent = nullptr);

    void setScripts(const ScriptSet &scripts);
    void setStatus(const DatabaseStatus &status); // heads, history, checksums
    void clearStatus();                           // disconnected: every revision Pending, no run info

    QModelIndex indexOf(const QString &revision) const;
    QString revisionAt(int row) const;
    State stateOf(const QString &revision) const;

    // Whether the action makes sense for the revision given the database's heads.
    bool canUpgradeTo(const QString &revision) const;
    bool canDowngradeTo(const QString &revision) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    // Implementation detail, free to change: the rows with their precomputed lanes.
    void rebuild();

    ScriptSet m_scripts;
    DatabaseStatus m_status;
    bool m_hasStatus = false;
};

} // namespace MigrationDesk
