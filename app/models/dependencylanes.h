#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace MigrationDesk {

// Lays out Alembic's depends_on links for the timeline: each link between two rows gets a lane of its
// own in a column beside the branch lanes, for the rows it spans, so the delegate draws it as a thin
// dashed line from one row's dot to the other's without needing any row but its own. Pure data; GUI thread.
class DependencyLanes
{
public:
    // What a row draws in one dependency lane.
    enum Kind {
        Through = 0, // a straight line over the row's full height
        Upper = 1,   // the link's upper end: from this row's dot across to the lane, then down
        Lower = 2,   // the link's lower end: down the lane to mid-row, then across to this row's dot
    };

    // rows: the revisions top to bottom; dependencies: revision -> the revisions it depends on
    // (resolved ids). A link to a revision without a row is left out.
    void layout(const QStringList &rows, const QHash<QString, QStringList> &dependencies);

    // Row r's pieces, each lane * 4 + Kind (a plain int list, so it fits in a model role).
    QList<int> pieces(int row) const { return m_pieces.value(row); }
    int laneCount() const { return m_laneCount; }

    static int lane(int piece) { return piece / 4; }
    static Kind kind(int piece) { return Kind(piece % 4); }

private:
    QList<QList<int>> m_pieces;
    int m_laneCount = 0;
};

} // namespace MigrationDesk
