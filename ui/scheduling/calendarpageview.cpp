#include "scheduling/calendarpageview.h"

#include <QMouseEvent>
#include <QPainter>

namespace MigrationDesk {

CalendarPageView::CalendarPageView(QWidget *parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    m_page.result = &m_result;
}

void CalendarPageView::setResult(const CalendarResult &result)
{
    m_result = result;
    m_page.loading = false;
    update();
}

void CalendarPageView::setLoading(bool loading)
{
    m_page.loading = loading;
    update();
}

void CalendarPageView::setSelectedId(const QString &id)
{
    m_page.selectedId = id;
    update();
}

QRectF CalendarPageView::itemRect(const QString &id) const
{
    for (const CalendarPainter::Hit &hit : m_hits) {
        if (m_result.items.value(hit.item).id == id)
            return hit.rect;
    }
    return {};
}

void CalendarPageView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), Qt::white); // the page draws inside the last pixel row and column
    m_hits = m_page.paint(painter, QRectF(rect()).adjusted(0, 0, -1, -1));
}

int CalendarPageView::itemAt(const QPointF &point) const
{
    // The last drawn wins: it lies on top.
    for (auto it = m_hits.crbegin(); it != m_hits.crend(); ++it) {
        if (it->rect.contains(point))
            return it->item;
    }
    return -1;
}

void CalendarPageView::mousePressEvent(QMouseEvent *event)
{
    const int item = itemAt(event->position());
    if (event->button() == Qt::LeftButton && item >= 0)
        Q_EMIT itemClicked(m_result.items.at(item));
    QWidget::mousePressEvent(event);
}

void CalendarPageView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const int item = itemAt(event->position());
    if (event->button() == Qt::LeftButton && item >= 0)
        Q_EMIT itemActivated(m_result.items.at(item));
    QWidget::mouseDoubleClickEvent(event);
}

} // namespace MigrationDesk
