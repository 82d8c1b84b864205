#pragma once

#include "models/timelinemodel.h"

#include <QStyledItemDelegate>

namespace MigrationDesk {

// Paints one revision row of the migration timeline (lanes, branch and merge lines, a state dot,
// the id, message, dates and last run) from TimelineModel's roles; GUI thread.
class TimelineDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit TimelineDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    // Shared with the legend so the two can never disagree: each state has its own shape, not only a colour.
    static void paintStateDot(QPainter *painter, const QPointF &center, qreal radius, TimelineModel::State state);
    static QString stateText(TimelineModel::State state);
    static QColor stateColor(TimelineModel::State state);
    // The needs-review badge's text and fill (white text on it), and a branch label's tag; also for the legend.
    static QString needsReviewText();
    static QColor needsReviewColor();
    static void paintTag(QPainter *painter, const QRectF &box, const QString &text, const QPalette &palette);
    // One row's piece of a depends_on link (DependencyLanes::Kind) in the lane at laneX.
    static void paintDependencyPiece(QPainter *painter, const QRectF &row, const QPointF &dot, qreal laneX,
                                     int kind, const QColor &color);
    // The plain-text summary used for the tooltip and for accessibility.
    static QString describe(const QModelIndex &index);
    static QString formatDuration(double ms);

    // A state or tag badge's colours on a row, selected or not; the text keeps a contrast of at least 4.5:1
    // with what is behind it (the badge's fill, else the view's base colour).
    struct BadgeColors
    {
        QColor text;
        QColor background; // transparent: the row shows through
        QColor border;
    };
    static BadgeColors badgeColors(const QColor &color, bool filled, bool selected, const QPalette &palette);
    static double contrastRatio(const QColor &a, const QColor &b); // WCAG 2, 1 to 21

private:
    static int laneWidth() { return 18; }
    int graphWidth(const QModelIndex &index) const;
};

} // namespace MigrationDesk
