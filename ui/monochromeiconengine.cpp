#include "monochromeiconengine.h"

#include <QGuiApplication>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QPixmapCache>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The stroke width every icon is drawn with, in viewBox units (resources/icons use stroke-width 2).
constexpr qreal kStrokeWidth = 2;
// How much of the text colour a disabled icon keeps: clearly fainter, still recognisable.
constexpr qreal kDisabledOpacity = 0.4;

} // namespace

MonochromeIconEngine::MonochromeIconEngine(const SvgOutline &outline, const QString &name)
    : m_outline(outline)
    , m_name(name)
{
}

QColor MonochromeIconEngine::color(QIcon::Mode mode)
{
    const QPalette palette = QGuiApplication::palette();
    switch (mode) {
    case QIcon::Selected:
        return palette.color(QPalette::Active, QPalette::HighlightedText);
    case QIcon::Disabled: {
        QColor faded = palette.color(QPalette::Active, QPalette::WindowText);
        faded.setAlphaF(faded.alphaF() * kDisabledOpacity);
        return faded;
    }
    case QIcon::Normal:
    case QIcon::Active:
        break;
    }
    return palette.color(QPalette::Active, QPalette::WindowText);
}

void MonochromeIconEngine::paintOutline(QPainter *painter, const QRectF &rect, const QColor &color) const
{
    // Centred and square, as a QIcon is expected to draw into any rectangle.
    const qreal side = std::min(rect.width(), rect.height());
    const QRectF square(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->translate(square.topLeft());
    painter->scale(side / SvgOutline::kGrid, side / SvgOutline::kGrid);
    // A translucent colour would darken where strokes overlap; one opaque layer faded as a whole does not.
    QColor opaque = color;
    opaque.setAlphaF(1);
    painter->setOpacity(painter->opacity() * color.alphaF());
    painter->setPen(QPen(opaque, kStrokeWidth, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    for (const SvgOutline::Shape &shape : m_outline.shapes()) {
        painter->setBrush(shape.filled ? QBrush(opaque) : QBrush(Qt::NoBrush));
        painter->drawPath(shape.path);
    }
    painter->restore();
}

void MonochromeIconEngine::paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State)
{
    paintOutline(painter, rect, color(mode));
}

QPixmap MonochromeIconEngine::pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state)
{
    return scaledPixmap(size, mode, state, 1);
}

QPixmap MonochromeIconEngine::scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State, qreal)
{
    // QIcon hands over the size already multiplied by the device pixel ratio (and sets the ratio on
    // the result itself), so the scale needs no further use here.
    if (size.isEmpty())
        return QPixmap();
    const QColor colour = color(mode);
    // The colour is part of the key, so a palette change finds no stale pixmap.
    const QString cacheKey = u"md-icon:%1:%2x%3:%4"_s.arg(m_name)
                                 .arg(size.width())
                                 .arg(size.height())
                                 .arg(colour.rgba(), 8, 16, QLatin1Char('0'));
    QPixmap pixmap;
    if (!m_name.isEmpty() && QPixmapCache::find(cacheKey, &pixmap))
        return pixmap;
    pixmap = QPixmap(size);
    pixmap.fill(Qt::transparent);
    {
        QPainter painter(&pixmap);
        paintOutline(&painter, QRectF(QPointF(0, 0), QSizeF(size)), colour);
    }
    if (!m_name.isEmpty())
        QPixmapCache::insert(cacheKey, pixmap);
    return pixmap;
}

QIconEngine *MonochromeIconEngine::clone() const
{
    return new MonochromeIconEngine(m_outline, m_name);
}

QString MonochromeIconEngine::key() const
{
    return u"MonochromeIconEngine"_s;
}

QString MonochromeIconEngine::iconName()
{
    return m_name;
}

bool MonochromeIconEngine::isNull()
{
    return m_outline.isEmpty();
}

} // namespace MigrationDesk
