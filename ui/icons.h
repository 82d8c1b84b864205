#pragma once

#include <QIcon>
#include <QList>
#include <QString>

namespace MigrationDesk {

// The app's action and navigation icons: each one a resources/icons/<file>.svg compiled in as
// :/icons/<file>.svg and painted in the palette's text colour (MonochromeIconEngine). GUI thread.
class Icons
{
public:
    enum Name {
        Connect,
        Disconnect,
        Refresh,
        Upgrade,
        Downgrade,
        Stamp,
        CheckDrift,
        Export,
        Restore,
        DeletePermanently,
        Edit,
        Language,
        Migrations,
        Tables,
        Schedules,
        Trash,
        FindingInfo,
        FindingWarning,
        FindingDanger,
        FindingError,
        More, // a toolbar's overflow button (AppStyle)
        ShowPassword, // the password field's show/hide toggle
        Copy,
    };

    // A null icon (and a warning) only if the SVG is missing or outside the subset SvgOutline reads;
    // tst_icons checks every name.
    static QIcon get(Name name);
    // The application icon for windows (128 px), from raw pixels: no image-format plugin is loaded.
    static QIcon windowIcon();
    static QString resourcePath(Name name);
    static QList<Name> all();
};

} // namespace MigrationDesk
