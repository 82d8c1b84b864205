#pragma once

#include "scheduling/calendarlayout.h"
#include "scheduling/calendarrangequery.h"

#include <QList>
#include <QLocale>
#include <QRectF>

class QPainter;

namespace MigrationDesk {

// Draws a calendar page (a week of hours or a month of days) from a CalendarResult into any painter: the
// widgets paint with it, and so does the PDF export, so what prints is what shows. Remembers where each
// item landed for hit-testing. GUI thread.
class CalendarPainter
{
public:
    struct Hit
    {
        QRectF rect;
        int item = -1; // index into the result's items
    };

    CalendarLayout::Mode mode = CalendarLayout::Mode::Week;
    QDate anchor;              // any day of the page's week or month
    QDate today;
    Qt::DayOfWeek firstDayOfWeek = Qt::Monday;
    QLocale locale;
    const CalendarResult *result = nullptr;
    bool loading = false;
    QString selectedId;

    // Paints the page into `rect` and returns where each drawn item is.
    QList<Hit> paint(QPainter &painter, const QRectF &rect) const;

    // The fill and the accent (left bar, swatch border) of a status; scheduled and unknown are white/blue.
    static QColor statusFill(const QString &status);
    static QColor statusAccent(const QString &status);

private:
    QList<Hit> paintWeek(QPainter &painter, const QRectF &rect) const;
    QList<Hit> paintMonth(QPainter &painter, const QRectF &rect) const;
    void paintBlock(QPainter &painter, const QRectF &rect, const CalendarItem &item, bool withTime) const;
    void paintCount(QPainter &painter, const QRectF &rect, const QDate &day, bool large) const;
};

} // namespace MigrationDesk
