#pragma once

#include <QList>
#include <QPainterPath>
#include <QString>

class QByteArray;

namespace MigrationDesk {

// Reads the small SVG subset our action icons are drawn in (resources/icons) into painter paths, so
// they can be painted in any colour without QtSvg. Any thread; a plain value.
//
// The subset: a root <svg> with viewBox "0 0 24 24"; <path> (M L H V C Q A Z, absolute and relative),
// <line>, <polyline>, <polygon>, <rect> (with rx), <circle> and <ellipse>. Every shape is stroked;
// one with fill="currentColor" is filled too. Anything else is an error rather than a silently
// missing stroke, so tst_icons catches an icon drawn outside the subset.
class SvgOutline
{
public:
    struct Shape
    {
        QPainterPath path;
        bool filled = false;
    };

    static constexpr qreal kGrid = 24; // the viewBox every icon is drawn on

    // Parses one document; on failure the outline is empty and error() says why.
    static SvgOutline parse(const QByteArray &svg);

    bool isEmpty() const { return m_shapes.isEmpty(); }
    const QList<Shape> &shapes() const { return m_shapes; }
    QString error() const { return m_error; }

private:
    QList<Shape> m_shapes;
    QString m_error;
};

} // namespace MigrationDesk
