#pragma once

#include "db/connectionsettings.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

// The desktop app's four views, in navigation order.
enum class AppView { Migrations, Tables, Schedules, Trash };

// "migrations", "tables", "schedules", "trash": the --view values and the name kept in the settings.
// Case-insensitive.
std::optional<AppView> appViewFromName(const QString &name);
QString appViewName(AppView view);

// The desktop app's command line, read before QApplication exists so that --help, --version and usage
// errors need no display. Qt's own options (-platform, -style, ...) are stepped over and left in argv
// for QApplication. A plain value; any thread (the messages use the installed translator, context "main").
struct GuiOptions
{
    enum class Outcome { Run, Help, Version, Error };

    std::optional<ConnectionSettings> url;
    QString profile;
    QString migrations;
    QString versionTable;
    std::optional<AppView> view;
    bool calendar = false;        // --view calendar: the Schedules view, opened on this week's calendar
    QString table;
    QString schema;
    bool sandbox = false;         // start the local sandbox cluster and connect to it
    bool selfTest = false;        // hidden: show the window, quit after its first paint (smoke test)
    bool selfTestReport = false;  // hidden: print "ready" after the first paint, later "rss <kB>" (bench)
    bool reportMilestones = false; // hidden: print "milestone rows|schedules|trash|timeline" as each appears (bench)

    // `arguments` as in argv: the program first. On Error, *error says why (never with a password).
    static Outcome parse(const QStringList &arguments, GuiOptions *options, QString *error);
    static QString usage();
};

} // namespace MigrationDesk
