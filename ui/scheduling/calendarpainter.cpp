#include "scheduling/calendarpainter.h"

#include "i18n/datetimeformat.h"
#include "scheduling/scheduledelegate.h"
#include "scheduling/schedulingenums.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

constexpr qreal kHeaderHeight = 34;
constexpr qreal kBandRowHeight = 20;
constexpr int kDefaultFirstHour = 8;
constexpr int kDefaultLastHour = 18;

const QColor kGrid(0xd0, 0xd4, 0xda);
const QColor kText(0x1a, 0x1a, 0x1a);
const QColor kMuted(0x5f, 0x63, 0x68);
const QColor kToday(0x1a, 0x5f, 0xd0);
const QColor kTodayFill(0xf2, 0xf7, 0xff);
const QColor kBusy(0xc2, 0x4e, 0x00);

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("MigrationDesk::CalendarPainter", text, nullptr, n);
}

} // namespace

QColor CalendarPainter::statusFill(const QString &status)
{
    const QColor grid = ScheduleDelegate::statusBackground(status);
    return grid.isValid() ? grid : QColor(0xff, 0xff, 0xff);
}

QColor CalendarPainter::statusAccent(const QString &status)
{
    using SchedulingEnums::Status;
    if (status == QLatin1String(SchedulingEnums::value(Status::Completed)))
        return QColor(0x2f, 0x8a, 0x3e);
    if (status == QLatin1String(SchedulingEnums::value(Status::Cancelled)))
        return QColor(0x86, 0x8e, 0x96);
    if (status == QLatin1String(SchedulingEnums::value(Status::InProgress)))
        return QColor(0x1c, 0x6e, 0xd6);
    return QColor(0xd0, 0x8c, 0x00);
}

QList<CalendarPainter::Hit> CalendarPainter::paint(QPainter &painter, const QRectF &rect) const
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.fillRect(rect, Qt::white);
    const QList<Hit> hits = mode == CalendarLayout::Mode::Week ? paintWeek(painter, rect) : paintMonth(painter, rect);
    if (loading || (result && !result->error.isEmpty())) {
        const QString text = loading ? tr("Reading…") : result->error;
        QFont font = painter.font();
        painter.setFont(font);
        const QRectF box = painter.boundingRect(rect.adjusted(40, 0, -40, 0), Qt::AlignCenter | Qt::TextWordWrap, text)
                               .adjusted(-12, -8, 12, 8);
        painter.setPen(kGrid);
        painter.setBrush(QColor(0xff, 0xff, 0xff, 235));
        painter.drawRoundedRect(box, 6, 6);
        painter.setPen(loading ? kMuted : QColor(0xa3, 0x1f, 0x1f));
        painter.drawText(box, Qt::AlignCenter | Qt::TextWordWrap, text);
    }
    painter.restore();
    return hits;
}

void CalendarPainter::paintBlock(QPainter &painter, const QRectF &rect, const CalendarItem &item, bool withTime) const
{
    const bool selected = !selectedId.isEmpty() && item.id == selectedId;
    const QColor accent = statusAccent(item.status);
    painter.setPen(selected ? QPen(kToday, 2) : QPen(accent.lighter(140), 1));
    painter.setBrush(statusFill(item.status));
    painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
    painter.fillRect(QRectF(rect.left() + 1, rect.top() + 1, 3, rect.height() - 2), accent);

    const QRectF text = rect.adjusted(6, 1, -3, -1);
    if (text.width() < 8 || text.height() < 6)
        return;
    painter.save();
    painter.setClipRect(text);
    const QFont font = painter.font();
    const QFontMetricsF metrics(font);
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF boldMetrics(bold);
    const bool cancelled = item.status == QLatin1String(SchedulingEnums::value(SchedulingEnums::Status::Cancelled));
    // What fits, most telling first: the title, then the times, then who.
    QStringList lines;
    const int room = std::max(1, int(text.height() / metrics.height()));
    const QString start = item.start.isValid() ? DateTimeFormat::time(item.start, locale) : QString();
    if (room == 1) {
        // A narrow month cell keeps the title rather than the time (the week shows both).
        const QString timed = start + u' ' + item.title;
        const bool fits = boldMetrics.horizontalAdvance(timed) <= text.width() || text.width() >= 140;
        lines.append(withTime && !start.isEmpty() && fits ? timed : item.title);
    } else {
        lines.append(item.title);
        if (withTime && !start.isEmpty()) {
            lines.append(item.end.isValid() && item.end > item.start
                             ? tr("%1 – %2").arg(start, DateTimeFormat::time(item.end, locale))
                             : start);
        }
        if (!item.employeeName.isEmpty())
            lines.append(item.employeeName);
    }
    qreal y = text.top();
    for (int i = 0; i < lines.size() && i < room; ++i) {
        painter.setFont(i == 0 ? bold : font);
        painter.setPen(i == 0 && !cancelled ? kText : kMuted);
        const QFontMetricsF &m = i == 0 ? boldMetrics : metrics;
        painter.drawText(QRectF(text.left(), y, text.width(), m.height()), Qt::AlignLeft | Qt::AlignTop,
                         m.elidedText(lines.at(i), Qt::ElideRight, text.width()));
        y += m.height();
    }
    painter.restore();
}

void CalendarPainter::paintCount(QPainter &painter, const QRectF &rect, const QDate &day, bool large) const
{
    const qint64 count = result ? result->dayCounts.value(day) : 0;
    const bool busiest = result && count > 0 && result->busiestDay() == day;
    qint64 most = 1;
    if (result) {
        for (qint64 n : result->dayCounts)
            most = std::max(most, n);
    }
    // A heat tint: how full the day is next to the page's busiest day.
    if (count > 0) {
        QColor tint = kToday;
        tint.setAlphaF(0.04 + 0.22 * double(count) / double(most));
        painter.fillRect(rect, tint);
    }
    const QFont font = painter.font();
    QFont big = font;
    big.setPointSizeF(font.pointSizeF() * (large ? 1.8 : 1.25));
    big.setBold(true);
    const QFontMetricsF bigMetrics(big);
    const qreal top = rect.center().y() - bigMetrics.height() / 2;
    painter.setFont(big);
    painter.setPen(count > 0 ? kText : kMuted);
    painter.drawText(QRectF(rect.left(), top, rect.width(), bigMetrics.height()), Qt::AlignCenter, locale.toString(count));
    painter.setFont(font);
    if (busiest) {
        painter.setPen(QPen(kBusy, 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(rect.adjusted(2, 2, -2, -2));
        QFont small = font;
        small.setBold(true);
        painter.setFont(small);
        painter.setPen(kBusy);
        const QString label = tr("Busiest day");
        const QString star = u"\u2605"_s;
        const qreal width = rect.width() - 8;
        const QString shown = QFontMetricsF(small).horizontalAdvance(star + u' ' + label) <= width ? star + u' ' + label : star;
        painter.drawText(rect.adjusted(4, 4, -4, -4), Qt::AlignHCenter | Qt::AlignBottom, shown);
        painter.setFont(font);
    }
}

QList<CalendarPainter::Hit> CalendarPainter::paintWeek(QPainter &painter, const QRectF &rect) const
{
    QList<Hit> hits;
    const auto [first, last] = CalendarLayout::visibleRange(CalendarLayout::Mode::Week, anchor, firstDayOfWeek);
    const QFontMetricsF metrics(painter.font());
    const bool counts = result && result->countsOnly;
    // The hours' labels set the gutter, whatever the locale writes ("11:00 PM", "오후 11:00", "23:00").
    const qreal gutter = counts ? 0
                                : std::max({metrics.horizontalAdvance(DateTimeFormat::time(QTime(23, 0), locale)),
                                            metrics.horizontalAdvance(DateTimeFormat::time(QTime(11, 0), locale)),
                                            metrics.horizontalAdvance(tr("All day"))}) + 10;
    const qreal dayWidth = (rect.width() - gutter) / 7.0;
    auto dayX = [&](int day) { return rect.left() + gutter + day * dayWidth; };

    // Untimed items sit in a band under the day names, one row each, as many rows as the fullest day.
    QList<QList<int>> untimed(7), timed(7);
    int firstHour = kDefaultFirstHour;
    int lastHour = kDefaultLastHour;
    if (result && !counts) {
        for (int i = 0; i < result->items.size(); ++i) {
            const CalendarItem &item = result->items.at(i);
            const qint64 day = first.daysTo(item.date);
            if (day < 0 || day > 6)
                continue;
            if (!item.start.isValid()) {
                untimed[day].append(i);
                continue;
            }
            timed[day].append(i);
            firstHour = std::min(firstHour, item.start.hour());
            const QTime end = item.end.isValid() && item.end > item.start ? item.end : item.start.addSecs(1800);
            lastHour = std::max(lastHour, end.minute() > 0 ? end.hour() + 1 : end.hour());
        }
    }
    int bandRows = 0;
    for (const auto &day : std::as_const(untimed))
        bandRows = std::max(bandRows, int(day.size()));
    bandRows = std::min(bandRows, 4);
    const qreal bandHeight = counts ? 0 : std::max<qreal>(kBandRowHeight, bandRows * kBandRowHeight) + 6;
    const qreal bodyTop = rect.top() + kHeaderHeight + bandHeight;

    // Day names, today's in blue.
    for (int day = 0; day < 7; ++day) {
        const QDate date = first.addDays(day);
        const QRectF column(dayX(day), rect.top(), dayWidth, rect.height());
        if (date == today)
            painter.fillRect(column.adjusted(0, kHeaderHeight, 0, 0), kTodayFill);
        QFont font = painter.font();
        QFont header = font;
        header.setBold(date == today);
        painter.setFont(header);
        painter.setPen(date == today ? kToday : kText);
        const QString label = locale.dayName(date.dayOfWeek(), QLocale::ShortFormat) + u' ' + locale.toString(date.day());
        painter.drawText(QRectF(column.left(), rect.top(), dayWidth, kHeaderHeight), Qt::AlignCenter,
                         QFontMetricsF(header).elidedText(label, Qt::ElideRight, dayWidth - 4));
        painter.setFont(font);
    }
    painter.setPen(kGrid);
    painter.drawLine(QPointF(rect.left(), rect.top() + kHeaderHeight), QPointF(rect.right(), rect.top() + kHeaderHeight));
    for (int day = 0; day <= 7; ++day)
        painter.drawLine(QPointF(dayX(day), rect.top()), QPointF(dayX(day), rect.bottom()));

    if (counts) {
        for (int day = 0; day < 7; ++day)
            paintCount(painter, QRectF(dayX(day), bodyTop, dayWidth, rect.bottom() - bodyTop), first.addDays(day), true);
        return hits;
    }

    // The untimed band.
    painter.setPen(kMuted);
    painter.drawText(QRectF(rect.left(), rect.top() + kHeaderHeight, gutter - 5, bandHeight),
                     Qt::AlignRight | Qt::AlignVCenter, tr("All day"));
    for (int day = 0; day < 7; ++day) {
        const QList<int> &items = untimed.at(day);
        for (int row = 0; row < items.size() && row < bandRows; ++row) {
            const bool more = row == bandRows - 1 && items.size() > bandRows;
            const QRectF box(dayX(day) + 2, rect.top() + kHeaderHeight + 3 + row * kBandRowHeight, dayWidth - 4,
                             kBandRowHeight - 2);
            if (more) {
                painter.setPen(kMuted);
                painter.drawText(box, Qt::AlignCenter, tr("+%n more", int(items.size() - row)));
                continue;
            }
            paintBlock(painter, box, result->items.at(items.at(row)), false);
            hits.append({box, items.at(row)});
        }
    }
    painter.setPen(kGrid);
    painter.drawLine(QPointF(rect.left(), bodyTop), QPointF(rect.right(), bodyTop));

    // Hours.
    const int hours = std::max(1, lastHour - firstHour);
    const qreal hourHeight = (rect.bottom() - bodyTop) / hours;
    for (int h = 0; h <= hours; ++h) {
        const qreal y = bodyTop + h * hourHeight;
        painter.setPen(QColor(0xe6, 0xe8, 0xeb));
        painter.drawLine(QPointF(rect.left() + gutter, y), QPointF(rect.right(), y));
        if (h < hours) {
            painter.setPen(kMuted);
            painter.drawText(QRectF(rect.left(), y + 1, gutter - 5, metrics.height()), Qt::AlignRight | Qt::AlignTop,
                             DateTimeFormat::time(QTime(firstHour + h, 0), locale));
        }
    }
    auto yOf = [&](const QTime &time) {
        return bodyTop + (time.msecsSinceStartOfDay() / 3600000.0 - firstHour) * hourHeight;
    };
    for (int day = 0; day < 7; ++day) {
        const QList<int> &items = timed.at(day);
        QList<std::pair<QTime, QTime>> spans;
        for (int i : items)
            spans.append({result->items.at(i).start, result->items.at(i).end});
        const QList<CalendarPlacement> placed = CalendarLayout::placeDay(spans);
        for (int k = 0; k < items.size(); ++k) {
            const CalendarItem &item = result->items.at(items.at(k));
            const QTime end = item.end.isValid() && item.end > item.start ? item.end : item.start.addSecs(1800);
            const qreal width = (dayWidth - 4) / placed.at(k).columns;
            const QRectF box(dayX(day) + 2 + placed.at(k).column * width, yOf(item.start), width - 1,
                             std::max<qreal>(yOf(end) - yOf(item.start) - 1, metrics.height() * 0.8));
            paintBlock(painter, box, item, true);
            hits.append({box, items.at(k)});
        }
    }
    return hits;
}

QList<CalendarPainter::Hit> CalendarPainter::paintMonth(QPainter &painter, const QRectF &rect) const
{
    QList<Hit> hits;
    const auto [first, last] = CalendarLayout::visibleRange(CalendarLayout::Mode::Month, anchor, firstDayOfWeek);
    const int weeks = int(first.daysTo(last) + 1) / 7;
    const qreal headerHeight = 24;
    const qreal dayWidth = rect.width() / 7.0;
    const qreal weekHeight = (rect.height() - headerHeight) / weeks;
    const QFontMetricsF metrics(painter.font());
    const bool counts = result && result->countsOnly;

    QMap<QDate, QList<int>> byDay;
    if (result && !counts) {
        for (int i = 0; i < result->items.size(); ++i)
            byDay[result->items.at(i).date].append(i);
    }
    for (int day = 0; day < 7; ++day) {
        painter.setPen(kMuted);
        const int weekday = (int(firstDayOfWeek) - 1 + day) % 7 + 1;
        painter.drawText(QRectF(rect.left() + day * dayWidth, rect.top(), dayWidth, headerHeight), Qt::AlignCenter,
                         locale.dayName(weekday, QLocale::ShortFormat));
    }
    for (int week = 0; week < weeks; ++week) {
        for (int day = 0; day < 7; ++day) {
            const QDate date = first.addDays(week * 7 + day);
            const QRectF cell(rect.left() + day * dayWidth, rect.top() + headerHeight + week * weekHeight, dayWidth,
                              weekHeight);
            const bool inMonth = date.month() == anchor.month();
            painter.fillRect(cell, date == today ? kTodayFill : inMonth ? QColor(Qt::white) : QColor(0xf6, 0xf7, 0xf8));
            painter.setPen(kGrid);
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(cell);
            // The day's number, today's in a blue disc.
            const QString number = locale.toString(date.day());
            const QRectF numberBox(cell.left() + 3, cell.top() + 2, metrics.horizontalAdvance(number) + 10, metrics.height() + 2);
            if (date == today) {
                painter.setPen(Qt::NoPen);
                painter.setBrush(kToday);
                painter.drawRoundedRect(numberBox, numberBox.height() / 2, numberBox.height() / 2);
                painter.setPen(Qt::white);
            } else {
                painter.setPen(inMonth ? kText : kMuted);
            }
            painter.drawText(numberBox, Qt::AlignCenter, number);
            const QRectF body = cell.adjusted(2, numberBox.height() + 4, -2, -2);
            if (counts) {
                paintCount(painter, body, date, false);
                continue;
            }
            const QList<int> items = byDay.value(date);
            const qreal line = metrics.height() + 3;
            const int fit = std::max(0, int(body.height() / line));
            for (int k = 0; k < items.size() && k < fit; ++k) {
                const QRectF box(body.left(), body.top() + k * line, body.width(), line - 1);
                if (k == fit - 1 && items.size() > fit) {
                    painter.setPen(kMuted);
                    painter.drawText(box, Qt::AlignLeft | Qt::AlignVCenter, tr("+%n more", int(items.size() - k)));
                    break;
                }
                paintBlock(painter, box, result->items.at(items.at(k)), true);
                hits.append({box, items.at(k)});
            }
        }
    }
    return hits;
}

} // namespace MigrationDesk
