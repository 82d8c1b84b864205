#include "svgoutline.h"

#include <QByteArray>
#include <QPointF>
#include <QRectF>
#include <QStringView>
#include <QXmlStreamReader>
#include <QtMath>

#include <algorithm>
#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Walks SVG number lists and path data: numbers separated by spaces or commas, or by nothing when the
// next one starts with a sign or a second decimal point ("1-2.5.5").
class Scanner
{
public:
    explicit Scanner(QStringView text) : m_text(text) {}

    void skipSeparators()
    {
        while (m_pos < m_text.size() && (m_text[m_pos].isSpace() || m_text[m_pos] == u','))
            ++m_pos;
    }
    bool atEnd()
    {
        skipSeparators();
        return m_pos >= m_text.size();
    }
    // The next command letter, if the next token is one.
    std::optional<QChar> command()
    {
        skipSeparators();
        if (m_pos < m_text.size() && m_text[m_pos].isLetter())
            return m_text[m_pos++];
        return std::nullopt;
    }
    bool startsNumber()
    {
        skipSeparators();
        if (m_pos >= m_text.size())
            return false;
        const QChar c = m_text[m_pos];
        return c.isDigit() || c == u'-' || c == u'+' || c == u'.';
    }
    std::optional<qreal> number()
    {
        skipSeparators();
        const qsizetype start = m_pos;
        if (m_pos < m_text.size() && (m_text[m_pos] == u'-' || m_text[m_pos] == u'+'))
            ++m_pos;
        bool point = false;
        while (m_pos < m_text.size() && (m_text[m_pos].isDigit() || (m_text[m_pos] == u'.' && !point))) {
            point = point || m_text[m_pos] == u'.';
            ++m_pos;
        }
        if (m_pos < m_text.size() && (m_text[m_pos] == u'e' || m_text[m_pos] == u'E')) {
            ++m_pos;
            if (m_pos < m_text.size() && (m_text[m_pos] == u'-' || m_text[m_pos] == u'+'))
                ++m_pos;
            while (m_pos < m_text.size() && m_text[m_pos].isDigit())
                ++m_pos;
        }
        bool ok = false;
        const qreal value = m_text.mid(start, m_pos - start).toDouble(&ok);
        if (!ok)
            return std::nullopt;
        return value;
    }
    // Arc flags may be written without separators ("a4 4 0 1117 7"), so each is one character.
    std::optional<bool> flag()
    {
        skipSeparators();
        if (m_pos < m_text.size() && (m_text[m_pos] == u'0' || m_text[m_pos] == u'1'))
            return m_text[m_pos++] == u'1';
        return std::nullopt;
    }

private:
    QStringView m_text;
    qsizetype m_pos = 0;
};

qreal vectorAngle(qreal ux, qreal uy, qreal vx, qreal vy)
{
    return std::atan2(ux * vy - uy * vx, ux * vx + uy * vy);
}

// The SVG endpoint arc (implementation notes F.6.5) as a QPainterPath::arcTo. Qt's angles turn the
// other way round from SVG's on a y-down canvas, hence the negated start and sweep.
void arcTo(QPainterPath &path, QPointF from, qreal rx, qreal ry, bool largeArc, bool sweep, QPointF to)
{
    rx = std::abs(rx);
    ry = std::abs(ry);
    if (from == to)
        return;
    if (rx == 0 || ry == 0) {
        path.lineTo(to);
        return;
    }
    const qreal x1p = (from.x() - to.x()) / 2;
    const qreal y1p = (from.y() - to.y()) / 2;
    const qreal lambda = (x1p * x1p) / (rx * rx) + (y1p * y1p) / (ry * ry);
    if (lambda > 1) {
        rx *= std::sqrt(lambda);
        ry *= std::sqrt(lambda);
    }
    const qreal num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p;
    const qreal den = rx * rx * y1p * y1p + ry * ry * x1p * x1p;
    const qreal coef = (largeArc != sweep ? 1 : -1) * std::sqrt(std::max<qreal>(0, num / den));
    const qreal cxp = coef * rx * y1p / ry;
    const qreal cyp = -coef * ry * x1p / rx;
    const QPointF centre(cxp + (from.x() + to.x()) / 2, cyp + (from.y() + to.y()) / 2);
    const qreal ux = (x1p - cxp) / rx, uy = (y1p - cyp) / ry;
    const qreal vx = (-x1p - cxp) / rx, vy = (-y1p - cyp) / ry;
    const qreal start = vectorAngle(1, 0, ux, uy);
    qreal delta = vectorAngle(ux, uy, vx, vy);
    if (!sweep && delta > 0)
        delta -= 2 * M_PI;
    else if (sweep && delta < 0)
        delta += 2 * M_PI;
    const QRectF box(centre.x() - rx, centre.y() - ry, 2 * rx, 2 * ry);
    path.arcTo(box, -qRadiansToDegrees(start), -qRadiansToDegrees(delta));
}

// Path data: M L H V C Q A Z in both cases, with implicit repeats. Empty QString on success.
QString parsePathData(QStringView data, QPainterPath &path)
{
    Scanner in(data);
    QPointF current, subpathStart;
    QChar command;
    while (!in.atEnd()) {
        if (const auto next = in.command())
            command = *next;
        else if (command.isNull() || !in.startsNumber())
            return u"path data must start with a command: %1"_s.arg(data);
        const bool relative = command.isLower();
        const QPointF origin = relative ? current : QPointF();
        auto point = [&]() -> std::optional<QPointF> {
            const auto x = in.number();
            const auto y = in.number();
            if (!x || !y)
                return std::nullopt;
            return origin + QPointF(*x, *y);
        };
        switch (command.toUpper().unicode()) {
        case 'M': {
            const auto p = point();
            if (!p)
                return u"M needs x y"_s;
            path.moveTo(*p);
            current = subpathStart = *p;
            command = relative ? u'l' : u'L'; // further pairs are line-tos
            break;
        }
        case 'L': {
            const auto p = point();
            if (!p)
                return u"L needs x y"_s;
            path.lineTo(*p);
            current = *p;
            break;
        }
        case 'H': {
            const auto x = in.number();
            if (!x)
                return u"H needs x"_s;
            current.setX(relative ? current.x() + *x : *x);
            path.lineTo(current);
            break;
        }
        case 'V': {
            const auto y = in.number();
            if (!y)
                return u"V needs y"_s;
            current.setY(relative ? current.y() + *y : *y);
            path.lineTo(current);
            break;
        }
        case 'C': {
            const auto c1 = point(), c2 = point(), p = point();
            if (!c1 || !c2 || !p)
                return u"C needs six numbers"_s;
            path.cubicTo(*c1, *c2, *p);
            current = *p;
            break;
        }
        case 'Q': {
            const auto c = point(), p = point();
            if (!c || !p)
                return u"Q needs four numbers"_s;
            path.quadTo(*c, *p);
            current = *p;
            break;
        }
        case 'A': {
            const auto rx = in.number(), ry = in.number(), rotation = in.number();
            const auto large = in.flag(), sweep = in.flag();
            const auto p = point();
            if (!rx || !ry || !rotation || !large || !sweep || !p)
                return u"A needs rx ry rotation large-arc sweep x y"_s;
            if (*rotation != 0)
                return u"rotated arcs are outside the icon subset"_s;
            arcTo(path, current, *rx, *ry, *large, *sweep, *p);
            current = *p;
            break;
        }
        case 'Z':
            path.closeSubpath();
            current = subpathStart;
            command = QChar(); // numbers after Z need a new command
            break;
        default:
            return u"path command %1 is outside the icon subset"_s.arg(command);
        }
    }
    return QString();
}

QList<qreal> numberList(QStringView text, bool *ok)
{
    QList<qreal> numbers;
    Scanner in(text);
    *ok = true;
    while (!in.atEnd()) {
        const auto n = in.number();
        if (!n) {
            *ok = false;
            return {};
        }
        numbers.append(*n);
    }
    return numbers;
}

} // namespace

SvgOutline SvgOutline::parse(const QByteArray &svg)
{
    SvgOutline outline;
    QXmlStreamReader xml(svg);
    auto fail = [&outline](const QString &why) {
        outline.m_shapes.clear();
        outline.m_error = why;
        return outline;
    };
    bool inRoot = false;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QXmlStreamAttributes attributes = xml.attributes();
        const QStringView name = xml.name();
        auto number = [&attributes](QLatin1StringView attribute, qreal fallback = 0) {
            bool ok = false;
            const qreal value = attributes.value(attribute).toDouble(&ok);
            return ok ? value : fallback;
        };
        if (!inRoot) {
            if (name != u"svg" || attributes.value("viewBox"_L1).toString().simplified() != "0 0 24 24"_L1)
                return fail(u"the root must be <svg viewBox=\"0 0 24 24\">"_s);
            inRoot = true;
            continue;
        }
        Shape shape;
        shape.filled = attributes.value("fill"_L1) == "currentColor"_L1;
        if (name == u"title" || name == u"desc") {
            xml.skipCurrentElement();
            continue;
        } else if (name == u"path") {
            const QString error = parsePathData(attributes.value("d"_L1), shape.path);
            if (!error.isEmpty())
                return fail(error);
        } else if (name == u"line") {
            shape.path.moveTo(number("x1"_L1), number("y1"_L1));
            shape.path.lineTo(number("x2"_L1), number("y2"_L1));
        } else if (name == u"polyline" || name == u"polygon") {
            bool ok = false;
            const QList<qreal> n = numberList(attributes.value("points"_L1), &ok);
            if (!ok || n.size() < 4 || n.size() % 2 != 0)
                return fail(u"<%1> needs an even list of at least four numbers"_s.arg(name));
            shape.path.moveTo(n[0], n[1]);
            for (qsizetype i = 2; i < n.size(); i += 2)
                shape.path.lineTo(n[i], n[i + 1]);
            if (name == u"polygon")
                shape.path.closeSubpath();
        } else if (name == u"rect") {
            const qreal rx = number("rx"_L1);
            const QRectF rect(number("x"_L1), number("y"_L1), number("width"_L1), number("height"_L1));
            shape.path.addRoundedRect(rect, rx, number("ry"_L1, rx));
        } else if (name == u"circle") {
            const qreal r = number("r"_L1);
            shape.path.addEllipse(QPointF(number("cx"_L1), number("cy"_L1)), r, r);
        } else if (name == u"ellipse") {
            shape.path.addEllipse(QPointF(number("cx"_L1), number("cy"_L1)), number("rx"_L1), number("ry"_L1));
        } else {
            return fail(u"<%1> is outside the icon subset"_s.arg(name));
        }
        if (shape.path.isEmpty())
            return fail(u"an empty <%1>"_s.arg(name));
        outline.m_shapes.append(shape);
    }
    if (xml.hasError())
        return fail(xml.errorString());
    if (outline.m_shapes.isEmpty())
        return fail(u"no shapes"_s);
    return outline;
}

} // namespace MigrationDesk
