#pragma once

#include "migrations/migrationop.h"
#include "migrations/scriptset.h"
#include "models/dependencylanes.h"
#include "session/databaseworker.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QStringList>

namespace MigrationDesk {

// The migration timeline: one row per revision, newest first, with the lane layout a view needs to
// draw branches and merges, and each revision's state in the connected database. Revisions that are
// in the database but missing from the scripts get rows too. GUI thread (pure data, no SQL).
//
// Drawing a row (the delegate needs nothing but the row's own roles): a row is split at the dot.
// Top half: an edge arrives at the top edge in every lane of ChildLanesRole and runs to the dot.
// Bottom half: an edge leaves the dot for every lane of ParentLanesRole and reaches the bottom edge
// in that lane. PassThroughLanesRole lanes are straight vertical lines over the full height. An edge
// never changes lane between its two rows, so what leaves the bottom of one row in lane L enters
// the top of the next row in lane L. A lane can be both a parent lane and a pass-through lane: the
// edge joins one that already heads for the same parent (a branch point further down).
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
        // Run info is only given for Applied and Current rows: for a revision downgraded since, the
        // last upgrade (and the checksum recorded with it) no longer describes the database.
        LastRunAtRole,                   // QDateTime (UTC) of the last successful upgrade or stamp, invalid if none
        LastRunByRole,                   // QString "dbuser (osuser@host)"
        LastRunDurationRole,             // double ms
        ChecksumChangedRole,             // bool: the script differs from the one that was applied
        FailedRunsRole,                  // int: failed attempts recorded (any direction, any state)
        ChildLanesRole,                  // QVariantList<int>: lanes of the edges arriving from children above
        ParentsRole,                     // QStringList: down_revision, in declaration order (ParentLanesRole's order)
        FileNameRole,                    // QString: the script's path, empty for MissingScript
        StateTextRole,                   // QString: translated state name
        HasLastRunRole,                  // bool: LastRun* roles hold a run
        BranchLabelsRole,                // QStringList: Alembic branch_labels the revision declares
        DependsOnRole,                   // QStringList: its depends_on as declared (ids or labels)
        NeedsReviewRole,                 // QString: why an imported revision needs review, empty if not
        // QVariantList<int>: the depends_on links crossing this row, each DependencyLanes lane * 4 + kind;
        // lanes are numbered from the right of the branch lanes (dependencyLaneCount() of them).
        DependencyPiecesRole,
    };
    Q_ENUM(Role)

    explicit TimelineModel(QObject *parent = nullptr);

    // Rebuilds every row and the lane layout (model reset).
    void setScripts(const ScriptSet &scripts);
    // Heads, history and checksums. Emits dataChanged when the rows stay the same (a view keeps its
    // selection across a refresh), a model reset when MissingScript rows come or go.
    void setStatus(const DatabaseStatus &status);
    void clearStatus(); // disconnected: every revision Pending, no run info, no MissingScript rows

    const ScriptSet &scripts() const { return m_scripts; }
    const DatabaseStatus &status() const { return m_status; }
    bool hasStatus() const { return m_hasStatus; }

    QModelIndex indexOf(const QString &revision) const; // invalid when there is no such row
    QString revisionAt(int row) const;                  // empty when out of range
    State stateOf(const QString &revision) const;       // Pending for an unknown revision
    static QString stateText(State state);
    // The widest row's lane count, so a view can give every row the same graph column.
    int maxLaneCount() const { return m_maxLaneCount; }
    int dependencyLaneCount() const { return m_dependencyLanes.laneCount(); }

    // Why the engine would refuse this action (the target, or a revision the plan runs, needs review),
    // naming the revision and the reason from its header; empty when nothing stands in the way.
    QString reviewBlocker(MigrationOp op, const QString &target) const;

    // Whether the action makes sense for the revision given the database's heads: the revision's
    // state allows it and the engine's planner computes a non-empty plan for it. False while
    // disconnected and for MissingScript rows.
    bool canUpgradeTo(const QString &revision) const;   // Pending: upgrading applies something
    bool canDowngradeTo(const QString &revision) const; // Applied (not Current: that would do nothing)
    bool canDowngradeToBase() const;                    // something is applied and every head has a script

    // Model overrides: a flat list, one row per revision.
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Row
    {
        QString revision;
        int scriptIndex = -1; // into m_scripts.scripts(), -1 for MissingScript
        int lane = 0;
        int laneCount = 1;
        QList<int> childLanes;
        QList<int> parentLanes;
        QList<int> passThroughLanes;
        // From the status:
        State state = State::Pending;
        bool hasLastRun = false;
        QDateTime lastRunAt;
        QString lastRunBy;
        double lastRunMs = 0;
        int failedRuns = 0;
        bool checksumChanged = false;
    };

    void rebuild();            // rows and lanes from m_scripts and the missing heads
    void applyStatus();        // states and run info of every row
    QStringList missingHeads() const;
    QString toolTip(const Row &row) const;
    const MigrationScript *scriptOf(const Row &row) const;

    ScriptSet m_scripts;
    DatabaseStatus m_status;
    bool m_hasStatus = false;
    QList<Row> m_rows;
    QHash<QString, int> m_rowOf;
    int m_maxLaneCount = 1;
    DependencyLanes m_dependencyLanes;
};

} // namespace MigrationDesk
