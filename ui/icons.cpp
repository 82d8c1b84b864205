#include "icons.h"

#include "monochromeiconengine.h"
#include "svgoutline.h"

#include <QFile>
#include <QHash>
#include <QImage>
#include <QPixmap>
#include <QtEndian>

#include <iterator>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

struct Entry
{
    Icons::Name name;
    const char *file; // resources/icons/<file>.svg
};

// In enum order.
constexpr Entry kEntries[] = {
    {Icons::Connect, "connect"},
    {Icons::Disconnect, "disconnect"},
    {Icons::Refresh, "refresh"},
    {Icons::Upgrade, "upgrade"},
    {Icons::Downgrade, "downgrade"},
    {Icons::Stamp, "stamp"},
    {Icons::CheckDrift, "checkdrift"},
    {Icons::Export, "export"},
    {Icons::Restore, "restore"},
    {Icons::DeletePermanently, "deletepermanently"},
    {Icons::Edit, "edit"},
    {Icons::Language, "language"},
    {Icons::Migrations, "migrations"},
    {Icons::Tables, "tables"},
    {Icons::Schedules, "schedules"},
    {Icons::Trash, "trash"},
    {Icons::FindingInfo, "findinginfo"},
    {Icons::FindingWarning, "findingwarning"},
    {Icons::FindingDanger, "findingdanger"},
    {Icons::FindingError, "findingerror"},
    {Icons::More, "more"},
    {Icons::ShowPassword, "showpassword"},
    {Icons::Copy, "copy"},
};
constexpr bool inEnumOrder()
{
    for (std::size_t i = 0; i < std::size(kEntries); ++i) {
        if (kEntries[i].name != static_cast<int>(i))
            return false;
    }
    return std::size(kEntries) == Icons::Copy + 1;
}
static_assert(inEnumOrder(), "kEntries lists every Icons::Name once, in enum order");

} // namespace

QIcon Icons::windowIcon()
{
    // resources/rawimage.cpp wrote it: "MDRAWIMG", width, height, premultiplied ARGB32 rows.
    QFile file(u":/app/windowicon-128.argb"_s);
    const QByteArray data = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    constexpr qsizetype header = 16;
    if (data.size() < header || !data.startsWith("MDRAWIMG")) {
        qWarning("window icon missing from the resources");
        return QIcon();
    }
    const auto width = qFromLittleEndian<quint32>(data.constData() + 8);
    const auto height = qFromLittleEndian<quint32>(data.constData() + 12);
    if (width == 0 || height == 0 || width > 1024 || height > 1024
        || data.size() != header + qsizetype(width) * qsizetype(height) * 4) {
        qWarning("window icon in the resources is malformed");
        return QIcon();
    }
    const QImage view(reinterpret_cast<const uchar *>(data.constData() + header), int(width), int(height),
                      int(width) * 4, QImage::Format_ARGB32_Premultiplied);
    return QIcon(QPixmap::fromImage(view.copy())); // the copy owns its pixels; `data` goes away
}

QString Icons::resourcePath(Name name)
{
    return u":/icons/%1.svg"_s.arg(QLatin1StringView(kEntries[name].file));
}

QList<Icons::Name> Icons::all()
{
    QList<Name> names;
    for (const Entry &entry : kEntries)
        names.append(entry.name);
    return names;
}

QIcon Icons::get(Name name)
{
    // Each SVG is read once; the outlines are small and the icons are asked for on every window build.
    static QHash<int, SvgOutline> outlines;
    auto it = outlines.constFind(name);
    if (it == outlines.cend()) {
        QFile file(resourcePath(name));
        SvgOutline outline;
        if (file.open(QIODevice::ReadOnly))
            outline = SvgOutline::parse(file.readAll());
        if (outline.isEmpty()) {
            qWarning("icon %s unusable: %s", qPrintable(file.fileName()),
                     qPrintable(file.isOpen() ? outline.error() : file.errorString()));
            return QIcon();
        }
        it = outlines.insert(name, outline);
    }
    return QIcon(new MonochromeIconEngine(*it, QLatin1StringView(kEntries[name].file)));
}

} // namespace MigrationDesk
