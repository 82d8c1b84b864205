#include "migrations/timelinedelegate.h"

#include "i18n/datetimeformat.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QFontDatabase>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QSet>
#include <QToolTip>

#include <cmath>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

using State = TimelineModel::State;

constexpr int kMargin = 6;
constexpr qreal kDotRadius = 6.0;
constexpr int kDependencyLaneWidth = 8;

int dependencyLaneCount(const QModelIndex &index)
{
    const auto *model = qobject_cast<const TimelineModel *>(index.model());
    return model ? model->dependencyLaneCount() : 0;
}

QColor mixed(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

QColor laneColor(int lane)
{
    static const QColor colors[] = {QColor(0x3b, 0x6e, 0xc2), QColor(0xd9, 0x7b, 0x1e), QColor(0x8e, 0x44, 0xad),
                                    QColor(0x16, 0x9c, 0x8a), QColor(0xc0, 0x39, 0x6b), QColor(0x6d, 0x7f, 0x1f)};
    return colors[qAbs(lane) % int(std::size(colors))];
}

QSet<int> intSet(const QVariant &v)
{
    QSet<int> set;
    for (const QVariant &x : v.toList())
        set.insert(x.toInt());
    return set;
}

State stateOf(const QModelIndex &index)
{
    return static_cast<State>(index.data(TimelineModel::StateRole).toInt());
}

// A curve from one lane to another inside a row: vertical at both ends so lanes join smoothly.
void drawEdge(QPainter *p, const QPointF &from, const QPointF &to)
{
    QPainterPath path(from);
    if (qFuzzyCompare(from.x(), to.x())) {
        path.lineTo(to);
    } else {
        const qreal midY = (from.y() + to.y()) / 2;
        path.cubicTo(QPointF(from.x(), midY), QPointF(to.x(), midY), to);
    }
    p->drawPath(path);
}

} // namespace

TimelineDelegate::TimelineDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QString TimelineDelegate::stateText(State state)
{
    switch (state) {
    case State::Current:
        return tr("current");
    case State::Applied:
        return tr("applied");
    case State::Pending:
        return tr("pending");
    case State::MissingScript:
        return tr("missing from scripts");
    }
    return QString();
}

QColor TimelineDelegate::stateColor(State state)
{
    switch (state) {
    case State::Current:
        return QColor(0x1e, 0x8e, 0x3e);
    case State::Applied:
        return QColor(0x2f, 0x5f, 0xb3);
    case State::Pending:
        return QColor(0x80, 0x80, 0x80);
    case State::MissingScript:
        return QColor(0xc6, 0x28, 0x28);
    }
    return Qt::black;
}

double TimelineDelegate::contrastRatio(const QColor &a, const QColor &b)
{
    // WCAG 2 relative luminance.
    auto luminance = [](const QColor &c) {
        auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

TimelineDelegate::BadgeColors TimelineDelegate::badgeColors(const QColor &color, bool filled, bool selected,
                                                            const QPalette &palette)
{
    BadgeColors c;
    // On a selected row the badge becomes a chip in the view's base colour: the highlight is often the
    // same blue as the "applied" badge, which made its text unreadable.
    const QColor rowBackground = palette.color(QPalette::Base);
    if (selected) {
        c.background = rowBackground;
        c.text = color;
    } else if (filled) {
        c.background = color;
        c.text = Qt::white;
    } else {
        c.background = Qt::transparent;
        c.text = color;
    }
    const QColor behind = c.background.alpha() == 0 ? rowBackground : c.background;
    // Darken (or, on a dark background, lighten) the text until it reads: WCAG AA asks 4.5:1.
    const bool darkBehind = behind.lightnessF() < 0.5;
    for (int i = 0; i < 20 && contrastRatio(c.text, behind) < 4.5; ++i)
        c.text = darkBehind ? c.text.lighter(115) : c.text.darker(115);
    if (contrastRatio(c.text, behind) < 4.5)
        c.text = darkBehind ? QColor(Qt::white) : QColor(Qt::black);
    c.border = filled && !selected ? color : c.text;
    return c;
}

void TimelineDelegate::paintStateDot(QPainter *p, const QPointF &c, qreal r, State state)
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QColor color = stateColor(state);
    switch (state) {
    case State::Current:
        // A ring around a filled dot: "you are here".
        p->setPen(QPen(color, 2));
        p->setBrush(Qt::white);
        p->drawEllipse(c, r + 2, r + 2);
        p->setPen(Qt::NoPen);
        p->setBrush(color);
        p->drawEllipse(c, r - 1.5, r - 1.5);
        break;
    case State::Applied:
        p->setPen(QPen(color.darker(130), 1));
        p->setBrush(color);
        p->drawEllipse(c, r, r);
        break;
    case State::Pending:
        p->setPen(QPen(color, 2));
        p->setBrush(Qt::white);
        p->drawEllipse(c, r - 1, r - 1);
        break;
    case State::MissingScript: {
        // A diamond with a cross: in the database, but nothing on disk to run it back.
        QPolygonF diamond;
        diamond << QPointF(c.x(), c.y() - r - 1) << QPointF(c.x() + r + 1, c.y()) << QPointF(c.x(), c.y() + r + 1)
                << QPointF(c.x() - r - 1, c.y());
        p->setPen(QPen(color, 1.5));
        p->setBrush(Qt::white);
        p->drawPolygon(diamond);
        const qreal d = r / 2.2;
        p->drawLine(QPointF(c.x() - d, c.y() - d), QPointF(c.x() + d, c.y() + d));
        p->drawLine(QPointF(c.x() - d, c.y() + d), QPointF(c.x() + d, c.y() - d));
        break;
    }
    }
    p->restore();
}

QString TimelineDelegate::needsReviewText()
{
    return tr("needs review");
}

QColor TimelineDelegate::needsReviewColor()
{
    return QColor(0xb0, 0x2a, 0x37);
}

QString TimelineDelegate::formatDuration(double ms)
{
    const QLocale locale;
    if (ms < 1)
        return tr("< 1 ms");
    if (ms < 1000)
        return tr("%1 ms").arg(qRound(ms));
    if (ms < 60000)
        return tr("%1 s").arg(locale.toString(ms / 1000, 'f', 1));
    const qint64 s = qint64(ms / 1000);
    return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
}

QString TimelineDelegate::describe(const QModelIndex &index)
{
    const QLocale locale;
    const State state = stateOf(index);
    QStringList lines;
    lines << tr("%1 — %2").arg(index.data(TimelineModel::RevisionRole).toString(),
                               index.data(TimelineModel::MessageRole).toString());
    lines << tr("State: %1").arg(stateText(state));
    const QString created = index.data(TimelineModel::CreatedRole).toString();
    if (!created.isEmpty())
        lines << tr("Created: %1").arg(DateTimeFormat::fromDbWallClock(created, locale));
    const QDateTime at = index.data(TimelineModel::LastRunAtRole).toDateTime();
    if (at.isValid()) {
        lines << tr("Last run: %1 by %2, took %3")
                     .arg(DateTimeFormat::timestamp(at, locale),
                          index.data(TimelineModel::LastRunByRole).toString(),
                          formatDuration(index.data(TimelineModel::LastRunDurationRole).toDouble()));
    }
    const int failed = index.data(TimelineModel::FailedRunsRole).toInt();
    if (failed > 0)
        lines << (failed == 1 ? tr("1 failed attempt recorded") : tr("%1 failed attempts recorded").arg(failed));
    if (!index.data(TimelineModel::TransactionalRole).toBool() && state != State::MissingScript)
        lines << tr("Non-transactional: each statement commits on its own.");
    if (index.data(TimelineModel::ChecksumChangedRole).toBool())
        lines << tr("⚠ The script was edited after it was applied: its checksum differs from the one recorded.");
    const QStringList labels = index.data(TimelineModel::BranchLabelsRole).toStringList();
    if (!labels.isEmpty())
        lines << tr("Branch labels: %1").arg(labels.join(u", "_s));
    const QStringList dependsOn = index.data(TimelineModel::DependsOnRole).toStringList();
    if (!dependsOn.isEmpty())
        lines << tr("Depends on: %1").arg(dependsOn.join(u", "_s));
    const QString review = index.data(TimelineModel::NeedsReviewRole).toString();
    if (!review.isEmpty())
        lines << tr("Needs review: %1. Translate it by hand, then delete its needs_review header; until then "
                    "it cannot be run or stamped.")
                     .arg(review);
    if (state == State::MissingScript)
        lines << tr("The database records this revision, but no script for it was found.");
    return lines.join(QLatin1Char('\n'));
}

int TimelineDelegate::graphWidth(const QModelIndex &index) const
{
    // Every row uses the widest lane count so the text column lines up down the whole timeline.
    int lanes = 1;
    if (const auto *model = qobject_cast<const TimelineModel *>(index.model()))
        lanes = qMax(lanes, model->maxLaneCount());
    else
        lanes = qMax(lanes, index.data(TimelineModel::LaneCountRole).toInt());
    return kMargin + lanes * laneWidth() + dependencyLaneCount(index) * kDependencyLaneWidth + kMargin;
}

void TimelineDelegate::paintDependencyPiece(QPainter *p, const QRectF &row, const QPointF &dot, qreal laneX,
                                            int kind, const QColor &color)
{
    // Thin and dashed: an ordering constraint, not a parent edge.
    QPen pen(color, 1);
    pen.setDashPattern({3, 3});
    p->save();
    p->setPen(pen);
    p->setBrush(Qt::NoBrush);
    QPainterPath path;
    switch (DependencyLanes::Kind(kind)) {
    case DependencyLanes::Through:
        path.moveTo(laneX, row.top());
        path.lineTo(laneX, row.bottom());
        break;
    case DependencyLanes::Upper:
        path.moveTo(dot.x() + kDotRadius + 2, dot.y());
        path.lineTo(laneX, dot.y());
        path.lineTo(laneX, row.bottom());
        break;
    case DependencyLanes::Lower:
        path.moveTo(laneX, row.top());
        path.lineTo(laneX, dot.y());
        path.lineTo(dot.x() + kDotRadius + 2, dot.y());
        break;
    }
    p->drawPath(path);
    p->restore();
}

void TimelineDelegate::paintTag(QPainter *p, const QRectF &box, const QString &text, const QPalette &palette)
{
    // A branch label: a rounded tag in the palette's own colours, so it reads in light and dark themes.
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QColor accent = palette.color(QPalette::Highlight);
    p->setPen(QPen(accent, 1));
    p->setBrush(mixed(palette.color(QPalette::Base), accent, 0.22));
    p->drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), box.height() / 2, box.height() / 2);
    p->setPen(palette.color(QPalette::Text));
    p->drawText(box, Qt::AlignCenter, text);
    p->restore();
}

QSize TimelineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QFontMetrics fm(option.font);
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.9);
    const QFontMetrics sfm(small);
    const int textWidth = fm.horizontalAdvance(index.data(TimelineModel::MessageRole).toString()) + 300;
    return QSize(graphWidth(index) + textWidth, fm.height() + sfm.height() + 20);
}

void TimelineDelegate::paint(QPainter *p, const QStyleOptionViewItem &opt, const QModelIndex &index) const
{
    QStyleOptionViewItem option = opt;
    initStyleOption(&option, index);
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    option.text.clear();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &option, p, widget);

    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QRect r = option.rect;
    const qreal top = r.top();
    const qreal bottom = r.bottom() + 1;
    const qreal midY = r.center().y() + 0.5;
    auto laneX = [&](int lane) { return r.left() + kMargin + lane * laneWidth() + laneWidth() / 2.0; };

    const int lane = index.data(TimelineModel::LaneRole).toInt();
    const QSet<int> through = intSet(index.data(TimelineModel::PassThroughLanesRole));
    const QSet<int> toParents = intSet(index.data(TimelineModel::ParentLanesRole));
    const QSet<int> incoming = intSet(index.data(TimelineModel::ChildLanesRole));

    for (int l : through) {
        p->setPen(QPen(laneColor(l), 2));
        p->drawLine(QPointF(laneX(l), top), QPointF(laneX(l), bottom));
    }
    const QPointF dot(laneX(lane), midY);
    for (int l : incoming) {
        p->setPen(QPen(laneColor(l), 2));
        drawEdge(p, QPointF(laneX(l), top), dot);
    }
    for (int l : toParents) {
        p->setPen(QPen(laneColor(l), 2));
        drawEdge(p, dot, QPointF(laneX(l), bottom));
    }
    const State state = stateOf(index);
    paintStateDot(p, dot, kDotRadius, state);
    QColor dependencyColor = option.palette.color(QPalette::Text);
    dependencyColor.setAlphaF(0.6f);
    // The dependency lanes sit right of the branch lanes, at the graph column's end.
    const qreal firstDependencyX = r.left() + graphWidth(index) - kMargin
                                   - dependencyLaneCount(index) * kDependencyLaneWidth + kDependencyLaneWidth / 2.0;
    for (const QVariant &piece : index.data(TimelineModel::DependencyPiecesRole).toList()) {
        const qreal x = firstDependencyX + DependencyLanes::lane(piece.toInt()) * kDependencyLaneWidth;
        paintDependencyPiece(p, QRectF(r.left(), top, r.width(), bottom - top), dot, x,
                             DependencyLanes::kind(piece.toInt()), dependencyColor);
    }

    // Text column.
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = option.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    const QColor textColor = option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor muted = textColor;
    muted.setAlphaF(0.65f);

    const int x0 = r.left() + graphWidth(index) + 4;
    const int right = r.right() - kMargin;
    QFont font = option.font;
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(font.pointSizeF());
    mono.setBold(true);
    QFont small = font;
    small.setPointSizeF(font.pointSizeF() * 0.9);
    const QFontMetrics fm(font);
    const QFontMetrics mfm(mono);
    const QFontMetrics sfm(small);
    const int line1Base = r.top() + 9 + fm.ascent();
    const int line2Base = line1Base + fm.descent() + 4 + sfm.ascent();

    int x = x0;
    p->setFont(mono);
    p->setPen(textColor);
    const QString revision = index.data(TimelineModel::RevisionRole).toString();
    p->drawText(QPoint(x, line1Base), revision);
    x += mfm.horizontalAdvance(revision) + 8;
    p->setFont(small);
    for (const QString &label : index.data(TimelineModel::BranchLabelsRole).toStringList()) {
        const int w = sfm.horizontalAdvance(label) + 12;
        paintTag(p, QRectF(x, line1Base - fm.ascent() + 1, w, fm.height() - 2), label, option.palette);
        x += w + 6;
    }

    // The state as a text badge, so colour is never the only cue.
    auto badge = [&](const QString &text, const QColor &color, bool filled) {
        const int w = sfm.horizontalAdvance(text) + 10;
        const QRectF box(x, line1Base - fm.ascent() + 1, w, fm.height() - 2);
        const BadgeColors colors = badgeColors(color, filled, selected, option.palette);
        p->setFont(small);
        p->setPen(QPen(colors.border, 1));
        p->setBrush(colors.background);
        p->drawRoundedRect(box, 4, 4);
        p->setPen(colors.text);
        p->drawText(box, Qt::AlignCenter, text);
        p->setBrush(Qt::NoBrush);
        x += w + 6;
    };
    badge(stateText(state), stateColor(state), state == State::Current || state == State::MissingScript);
    if (index.data(TimelineModel::IsHeadRole).toBool() && state != State::MissingScript)
        badge(tr("head"), QColor(0x60, 0x60, 0x60), false);
    if (index.data(TimelineModel::IsMergePointRole).toBool())
        badge(tr("merge"), QColor(0x60, 0x60, 0x60), false);
    if (index.data(TimelineModel::IsBranchPointRole).toBool())
        badge(tr("branch point"), QColor(0x60, 0x60, 0x60), false);
    if (index.data(TimelineModel::ChecksumChangedRole).toBool())
        badge(tr("⚠ script changed"), QColor(0xb2, 0x6a, 0x00), true);
    const QString review = index.data(TimelineModel::NeedsReviewRole).toString();
    if (!review.isEmpty())
        badge(needsReviewText(), needsReviewColor(), true);

    p->setFont(font);
    p->setPen(textColor);
    const QString message = index.data(TimelineModel::MessageRole).toString();
    p->drawText(QPoint(x, line1Base), fm.elidedText(message, Qt::ElideRight, qMax(0, right - x)));

    QStringList details;
    const QString created = index.data(TimelineModel::CreatedRole).toString();
    if (!created.isEmpty())
        details << tr("created %1").arg(DateTimeFormat::fromDbWallClock(created));
    const QDateTime at = index.data(TimelineModel::LastRunAtRole).toDateTime();
    if (at.isValid()) {
        details << tr("applied %1 by %2 in %3")
                       .arg(DateTimeFormat::timestamp(at),
                            index.data(TimelineModel::LastRunByRole).toString(),
                            formatDuration(index.data(TimelineModel::LastRunDurationRole).toDouble()));
    }
    const int failed = index.data(TimelineModel::FailedRunsRole).toInt();
    if (failed > 0)
        details << (failed == 1 ? tr("1 failed attempt") : tr("%1 failed attempts").arg(failed));
    if (!index.data(TimelineModel::TransactionalRole).toBool() && state != State::MissingScript)
        details << tr("non-transactional");
    const QStringList dependsOn = index.data(TimelineModel::DependsOnRole).toStringList();
    if (!dependsOn.isEmpty())
        details << tr("depends on %1").arg(dependsOn.join(u", "_s));
    if (!review.isEmpty())
        details << tr("needs review: %1").arg(review);
    if (state == State::MissingScript)
        details << tr("recorded in the database, but no script file defines it: it cannot be downgraded from here");
    p->setFont(small);
    p->setPen(muted);
    p->drawText(QPoint(x0, line2Base),
                sfm.elidedText(details.join(u"  ·  "_s), Qt::ElideRight, qMax(0, right - x0)));
    p->restore();
}

bool TimelineDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                                 const QModelIndex &index)
{
    if (event->type() == QEvent::ToolTip && index.isValid()) {
        QToolTip::showText(event->globalPos(), describe(index), view);
        return true;
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

} // namespace MigrationDesk
