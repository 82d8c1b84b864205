#pragma once

#include "svgoutline.h"

#include <QIconEngine>

namespace MigrationDesk {

// Paints one SvgOutline in the application palette's text colour, read at paint time, so an icon
// stays legible under a light or a dark palette and follows a palette change without being rebuilt.
// GUI thread (it reads QGuiApplication::palette()).
//
// Why not QIcon(":/icons/x.svg"): that needs the QtSvg icon engine plugin (libqt6svg6), which is not
// among our dependencies, and it would draw the SVG's own colours, not the palette's.
class MonochromeIconEngine : public QIconEngine
{
public:
    explicit MonochromeIconEngine(const SvgOutline &outline, const QString &name = QString());

    // The colour each mode is drawn in: the palette's window text; its highlighted text for a selected
    // item; for a disabled one the window text faded towards the background, whatever the palette's
    // disabled group holds (custom dark palettes often leave it equal to the active one).
    static QColor color(QIcon::Mode mode);

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override;
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override;
    QIconEngine *clone() const override;
    QString key() const override;
    QString iconName() override;
    bool isNull() override;

private:
    void paintOutline(QPainter *painter, const QRectF &rect, const QColor &color) const;

    SvgOutline m_outline;
    QString m_name;
};

} // namespace MigrationDesk
