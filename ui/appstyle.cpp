#include "appstyle.h"

#include "icons.h"

namespace MigrationDesk {

QIcon AppStyle::standardIcon(StandardPixmap standardIcon, const QStyleOption *option, const QWidget *widget) const
{
    // Every QToolBar asks for this icon when it is built, and Fusion reads it from a PNG through
    // QIcon(path), which loads the JPEG, GIF and ICO plugins (and libjpeg) to ask each whether it reads
    // PNG: memory held for the whole session by a window that shows no such image.
    // Only the horizontal one: the chevrons point right.
    if (standardIcon == SP_ToolBarHorizontalExtensionButton)
        return Icons::get(Icons::More);
    return QProxyStyle::standardIcon(standardIcon, option, widget);
}

} // namespace MigrationDesk
