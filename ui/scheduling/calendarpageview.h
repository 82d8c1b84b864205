#pragma once

#include "scheduling/calendarpainter.h"

#include <QWidget>

namespace MigrationDesk {

// Shows one calendar page (a week or a month) through CalendarPainter and turns clicks into items: a
// click selects, a double click activates. It holds the last result it was given; it never reads the
// database. GUI thread.
class CalendarPageView : public QWidget
{
    Q_OBJECT

public:
    explicit CalendarPageView(QWidget *parent = nullptr);

    CalendarPainter &page() { return m_page; }
    const CalendarPainter &page() const { return m_page; }
    void setResult(const MigrationDesk::CalendarResult &result);
    const CalendarResult &result() const { return m_result; }
    void setLoading(bool loading);
    void setSelectedId(const QString &id);
    // The drawn rectangle of an item by schedule id, in widget coordinates (tests click there); null if not drawn.
    QRectF itemRect(const QString &id) const;
    int drawnItemCount() const { return int(m_hits.size()); }

    QSize sizeHint() const override { return {700, 480}; }
    // Seven days of about 54 px each: the window still fits half of a 1920-pixel screen beside the details.
    QSize minimumSizeHint() const override { return {380, 300}; }

Q_SIGNALS:
    void itemClicked(const MigrationDesk::CalendarItem &item);
    void itemActivated(const MigrationDesk::CalendarItem &item);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;

private:
    int itemAt(const QPointF &point) const;

    CalendarPainter m_page;
    CalendarResult m_result;
    QList<CalendarPainter::Hit> m_hits;
};

} // namespace MigrationDesk
