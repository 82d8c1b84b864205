// migrationdesk: the desktop app's thin main. Reads the command line by hand so that --help, --version
// and usage errors are answered before QApplication loads a platform plugin (they work with no display).
#include "mainwindow.h"
#include "connect/startupprobe.h"

#include "db/connectionsettings.h"
#include "i18n/translator.h"
#include "migrations/versiontable.h"
#include "session/stopsignalwatcher.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QIcon>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <utility>

using MigrationDesk::MainWindow;

namespace {

// Gives lupdate the same context ("main") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(main)
};

QString usage()
{
    return Text::tr("Usage: migrationdesk [options]\n"
                    "\n"
                    "The MigrationDesk desktop app: PostgreSQL schema migrations with a revision timeline.\n"
                    "\n"
                    "Options:\n"
                    "  --url URL              postgresql://user@host:port/db?sslmode=... to connect to at start\n"
                    "  --profile NAME         a saved connection profile (--url wins if both are given)\n"
                    "  --sandbox              start a private local PostgreSQL (created, migrated and filled with\n"
                    "                         demo data on first use) and connect to it\n"
                    "  --migrations DIR       the migration scripts (default: the bundled ones)\n"
                    "  --version-table NAME   the version table, [schema.]name (default: alembic_version)\n"
                    "  --view VIEW            the view to show: migrations, tables, schedules or trash\n"
                    "  --table NAME           with --view tables: open this table (its name as the catalog\n"
                    "                         stores it, not SQL-quoted)\n"
                    "  --schema SCHEMA        the schema of --table (default: the search path)\n"
                    "  --version              print the version and exit\n"
                    "  -h, --help             print this help and exit\n"
                    "\n"
                    "Without --url or --profile the connection comes from the environment, as for\n"
                    "migrationdesk-cli: DATABASE_URL, then POSTGRES_USER/PASSWORD/DB/HOST/PORT (connect at\n"
                    "once), else libpq's PG* variables prefill the connection dialog.\n"
                    "Qt's own options (-platform NAME, -style NAME, ...) are passed on to Qt.\n");
}

struct Options
{
    std::optional<MigrationDesk::ConnectionSettings> url;
    QString profile;
    QString migrations;
    QString versionTable;
    std::optional<MainWindow::View> view;
    QString table;
    QString schema;
    bool sandbox = false;         // start the local sandbox cluster and connect to it
    bool selfTest = false;        // hidden: show the window, quit after its first paint (smoke test)
    bool selfTestReport = false;  // hidden: print "ready" after the first paint, later "rss <kB>" (bench)
};

enum class Parse { Run, Help, Version, Error };

// Qt's command-line options that take a value; QApplication removes them from argv itself.
bool isQtOptionWithValue(const QString &option)
{
    static const QStringList options = {
        QStringLiteral("-platform"),     QStringLiteral("-platformpluginpath"), QStringLiteral("-platformtheme"),
        QStringLiteral("-plugin"),       QStringLiteral("-qwindowgeometry"),    QStringLiteral("-qwindowicon"),
        QStringLiteral("-qwindowtitle"), QStringLiteral("-display"),            QStringLiteral("-geometry"),
        QStringLiteral("-style"),        QStringLiteral("-stylesheet"),         QStringLiteral("-session"),
        QStringLiteral("-title"),        QStringLiteral("-icon"),               QStringLiteral("-name"),
    };
    return options.contains(option);
}

bool isQtFlag(const QString &option)
{
    static const QStringList flags = {QStringLiteral("-reverse"), QStringLiteral("-nograb"), QStringLiteral("-dograb"),
                                      QStringLiteral("-sync"),    QStringLiteral("-widgetcount"),
                                      QStringLiteral("-testability")};
    return flags.contains(option) || option.startsWith(QLatin1String("-qmljsdebugger="));
}

Parse parse(int argc, char *argv[], Options *options, QString *error)
{
    QString viewName;
    for (int i = 1; i < argc; ++i) {
        QString arg = QString::fromLocal8Bit(argv[i]);
        QString value;
        bool hasInlineValue = false;
        if (arg.startsWith(QLatin1String("--")) && arg.contains(QLatin1Char('='))) {
            value = arg.section(QLatin1Char('='), 1);
            arg = arg.section(QLatin1Char('='), 0, 0);
            hasInlineValue = true;
        }
        auto takeValue = [&](QString *out) {
            if (hasInlineValue) {
                *out = value;
                return true;
            }
            if (i + 1 >= argc) {
                *error = Text::tr("%1 needs a value.").arg(arg);
                return false;
            }
            *out = QString::fromLocal8Bit(argv[++i]);
            return true;
        };

        if (arg == QLatin1String("--help") || arg == QLatin1String("-h"))
            return Parse::Help;
        if (arg == QLatin1String("--version") || arg == QLatin1String("-v"))
            return Parse::Version;
        if (arg == QLatin1String("--self-test")) {
            options->selfTest = true;
        } else if (arg == QLatin1String("--self-test-report")) {
            options->selfTestReport = true;
        } else if (arg == QLatin1String("--url")) {
            QString url;
            if (!takeValue(&url))
                return Parse::Error;
            QString why;
            options->url = MigrationDesk::ConnectionSettings::fromUrl(url, &why);
            if (!options->url) {
                *error = MigrationDesk::redactSecrets(Text::tr("Invalid --url: %1").arg(why));
                return Parse::Error;
            }
        } else if (arg == QLatin1String("--sandbox")) {
            options->sandbox = true;
        } else if (arg == QLatin1String("--profile")) {
            if (!takeValue(&options->profile))
                return Parse::Error;
        } else if (arg == QLatin1String("--migrations")) {
            if (!takeValue(&options->migrations))
                return Parse::Error;
            if (!QDir(options->migrations).exists()) {
                *error = Text::tr("--migrations: the folder %1 does not exist.").arg(options->migrations);
                return Parse::Error;
            }
        } else if (arg == QLatin1String("--version-table")) {
            if (!takeValue(&options->versionTable))
                return Parse::Error;
            QString why;
            if (!MigrationDesk::VersionTable::fromName(options->versionTable, &why)) {
                *error = Text::tr("Invalid --version-table: %1").arg(why);
                return Parse::Error;
            }
        } else if (arg == QLatin1String("--view")) {
            if (!takeValue(&viewName))
                return Parse::Error;
            options->view = MainWindow::viewFromName(viewName);
            if (!options->view) {
                *error = Text::tr("--view must be migrations, tables, schedules or trash, not \"%1\".").arg(viewName);
                return Parse::Error;
            }
        } else if (arg == QLatin1String("--table")) {
            if (!takeValue(&options->table))
                return Parse::Error;
        } else if (arg == QLatin1String("--schema")) {
            if (!takeValue(&options->schema))
                return Parse::Error;
        } else {
            // Qt accepts its options with one dash or two.
            const QString qtOption = arg.startsWith(QLatin1String("--")) ? arg.mid(1) : arg;
            if (isQtOptionWithValue(qtOption) && !hasInlineValue) {
                ++i;
                continue;
            }
            if (isQtFlag(qtOption))
                continue;
            *error = arg.startsWith(QLatin1Char('-')) ? Text::tr("Unknown option %1.").arg(arg)
                                                      : Text::tr("Unexpected argument %1.").arg(arg);
            return Parse::Error;
        }
    }
    if (!options->table.isEmpty() && options->view && *options->view != MainWindow::View::Tables) {
        *error = Text::tr("--table opens the tables view; it cannot be combined with --view %1.").arg(viewName);
        return Parse::Error;
    }
    if (options->table.isEmpty() && !options->schema.isEmpty()) {
        *error = Text::tr("--schema needs --table.");
        return Parse::Error;
    }
    return Parse::Run;
}

void print(FILE *stream, const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stream);
    std::fflush(stream);
}

} // namespace

int main(int argc, char *argv[])
{
    Options options;
    QString error;
    Parse parsed = parse(argc, argv, &options, &error);
    // Help and usage errors need no display, but they do need the translations: a QCoreApplication
    // is enough to install them, then the command line is read again in the user's language.
    std::optional<QCoreApplication> messagesOnly;
    if (parsed != Parse::Run) {
        messagesOnly.emplace(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("migrationdesk"));
        QCoreApplication::setOrganizationName(QStringLiteral("MigrationDesk"));
        MigrationDesk::Translator::installFromSettings();
        options = Options();
        parsed = parse(argc, argv, &options, &error);
    }
    switch (parsed) {
    case Parse::Help:
        print(stdout, usage());
        return 0;
    case Parse::Version:
        print(stdout, QStringLiteral("migrationdesk %1\n").arg(QStringLiteral(MIGRATIONDESK_VERSION)));
        return 0;
    case Parse::Error:
        print(stderr, QStringLiteral("migrationdesk: %1\n%2\n").arg(error, Text::tr("Try migrationdesk --help.")));
        return 2;
    case Parse::Run:
        break;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("migrationdesk"));
    QApplication::setOrganizationName(QStringLiteral("MigrationDesk"));
    QApplication::setApplicationVersion(QStringLiteral(MIGRATIONDESK_VERSION));
    QApplication::setApplicationDisplayName(QStringLiteral("MigrationDesk"));
    MigrationDesk::Translator::installFromSettings();
    // Ties the window to the installed .desktop file and icon (Wayland needs this to show the icon).
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.migrationdesk.MigrationDesk"));

    // SIGTERM (a logout, `kill`) and Ctrl-C close the windows as the user would, so the sandbox stops and
    // the settings are saved; a second one exits at once.
    MigrationDesk::StopSignalWatcher stopSignals;
    QObject::connect(&stopSignals, &MigrationDesk::StopSignalWatcher::stopRequested, &app, [](int, int count) {
        if (count > 1)
            std::_Exit(128 + SIGTERM);
        // As if the user closed them: the last window closed ends the event loop.
        QApplication::closeAllWindows();
    });

    // On the heap: a language switch replaces the window with a fresh one, and the old one deletes itself.
    auto window = new MainWindow;
    window->setAttribute(Qt::WA_DeleteOnClose);
    if (!options.migrations.isEmpty() || !options.versionTable.isEmpty())
        window->setScripts(options.migrations, options.versionTable);
    if (options.view)
        window->setCurrentView(*options.view);
    if (!options.table.isEmpty())
        window->openTable(options.schema, options.table);
    window->show();

    if (options.selfTest) {
        new MigrationDesk::StartupProbe::FirstPaint(window, [] { QCoreApplication::exit(0); });
        QTimer::singleShot(30000, &app, [] {
            print(stderr, QStringLiteral("migrationdesk: self-test: the main window was never painted\n"));
            QCoreApplication::exit(1);
        });
    }
    if (options.selfTestReport) {
        new MigrationDesk::StartupProbe::FirstPaint(window, [&app] {
            print(stdout, QStringLiteral("ready\n"));
            // Idle memory: read once the start-up work (connection dialog, worker) has settled.
            QTimer::singleShot(1000, &app, [] {
                print(stdout, QStringLiteral("rss %1\n").arg(MigrationDesk::StartupProbe::residentKilobytes()));
                QCoreApplication::exit(0);
            });
        });
    }

    // What the window's first paint does not need waits until it is done: the icon theme look-up, and the
    // connection with everything it brings (the connection dialog, the keychain probe on D-Bus, the
    // worker's session). The window is on screen first, the dialog opens over it a moment later.
    // Installed after the self-test probes, so it runs before them (the last filter installed is asked
    // first): the self-test quits with the connection under way, and "ready" counts the dialog's set-up.
    new MigrationDesk::StartupProbe::FirstPaint(window, [window, options] {
        QApplication::setWindowIcon(QIcon(QStringLiteral(":/app/io.github.migrationdesk.MigrationDesk-256.png")));
        if (options.sandbox)
            window->connectToSandbox();
        else if (options.url)
            window->connectToDatabase(*options.url);
        else if (!options.profile.isEmpty())
            window->connectToProfile(options.profile);
        else
            window->connectFromEnvironment(QProcessEnvironment::systemEnvironment());
    });

    const int code = app.exec();
    // A quit that leaves windows open (the self-test, the end of a session) must still end their worker
    // threads, which their destructors join, before Qt's globals are torn down under them.
    QList<QPointer<QWidget>> windows;
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        if (!widget->parentWidget())
            windows.append(widget);
    }
    for (const QPointer<QWidget> &widget : std::as_const(windows))
        delete widget.data();
    return code;
}
