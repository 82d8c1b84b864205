// migrationdesk: the desktop app's thin main. The command line is read (GuiOptions) before QApplication
// loads a platform plugin, so --help, --version and usage errors work with no display. AppServices, the
// composition root, is built before the first window and destroyed after the event loop: it ends every
// worker thread in a known order while Qt's globals still exist.
#include "appstyle.h"
#include "icons.h"
#include "mainwindow.h"
#include "milestonereport.h"
#include "scheduling/schedulesview.h"
#include "connect/startupprobe.h"

#include "i18n/translator.h"
#include "session/appservices.h"
#include "session/guioptions.h"
#include "session/stopsignalwatcher.h"

#include <QApplication>
#include <QCoreApplication>
#include <QIcon>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>

using namespace Qt::StringLiterals;

using MigrationDesk::GuiOptions;
using MigrationDesk::MainWindow;

namespace {

// Gives lupdate the same context ("main") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(main)
};

void print(FILE *stream, const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stream);
    std::fflush(stream);
}

QStringList arguments(int argc, char *argv[])
{
    QStringList list;
    for (int i = 0; i < argc; ++i)
        list.append(QString::fromLocal8Bit(argv[i]));
    return list;
}

} // namespace

int main(int argc, char *argv[])
{
    using Parse = GuiOptions::Outcome;
    GuiOptions options;
    QString error;
    Parse parsed = GuiOptions::parse(arguments(argc, argv), &options, &error);
    // Help and usage errors need no display, but they do need the translations: a QCoreApplication
    // is enough to install them, then the command line is read again in the user's language.
    std::optional<QCoreApplication> messagesOnly;
    if (parsed != Parse::Run) {
        messagesOnly.emplace(argc, argv);
        QCoreApplication::setApplicationName(u"migrationdesk"_s);
        QCoreApplication::setOrganizationName(u"MigrationDesk"_s);
        MigrationDesk::Translator::installFromSettings();
        options = GuiOptions();
        parsed = GuiOptions::parse(arguments(argc, argv), &options, &error);
    }
    switch (parsed) {
    case Parse::Help:
        print(stdout, GuiOptions::usage());
        return 0;
    case Parse::Version:
        print(stdout, u"migrationdesk %1\n"_s.arg(QStringLiteral(MIGRATIONDESK_VERSION)));
        return 0;
    case Parse::Error:
        print(stderr, u"migrationdesk: %1\n%2\n"_s.arg(error, Text::tr("Try migrationdesk --help.")));
        return 2;
    case Parse::Run:
        break;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(u"migrationdesk"_s);
    QApplication::setOrganizationName(u"MigrationDesk"_s);
    QApplication::setApplicationVersion(QStringLiteral(MIGRATIONDESK_VERSION));
    QApplication::setApplicationDisplayName(u"MigrationDesk"_s);
    QApplication::setStyle(new MigrationDesk::AppStyle);
    MigrationDesk::Translator::installFromSettings();
    // Ties the window to the installed .desktop file and icon (Wayland needs this to show the icon).
    QGuiApplication::setDesktopFileName(u"io.github.migrationdesk.MigrationDesk"_s);

    // SIGTERM (a logout, `kill`) and Ctrl-C close the windows as the user would, so the sandbox stops and
    // the settings are saved; a second one exits at once.
    MigrationDesk::StopSignalWatcher stopSignals;
    QObject::connect(&stopSignals, &MigrationDesk::StopSignalWatcher::stopRequested, &app, [](int, int count) {
        if (count > 1)
            std::_Exit(128 + SIGTERM);
        // As if the user closed them: the last window closed ends the event loop.
        QApplication::closeAllWindows();
    });

    MigrationDesk::AppServices services;
    // On the heap: a language switch replaces the window with a fresh one, and the old one deletes itself.
    auto window = new MainWindow(services);
    window->setAttribute(Qt::WA_DeleteOnClose);
    if (!options.migrations.isEmpty() || !options.versionTable.isEmpty())
        window->setScripts(options.migrations, options.versionTable);
    if (options.view)
        window->setCurrentView(*options.view);
    if (options.calendar)
        window->schedulesView()->setMode(MigrationDesk::SchedulesView::Mode::Week);
    if (!options.table.isEmpty())
        window->openTable(options.schema, options.table);
    window->show();

    // What the window's first paint does not need waits until it is done: the icon theme look-up, and the
    // connection with everything it brings (the connection dialog, the keychain probe on D-Bus, the
    // worker's session). The window is on screen first, the dialog opens over it a moment later.
    // Installed before the self-test probes, so it runs after them (the last filter installed is asked
    // first): "ready" marks the first paint itself, and the self-test quits one turn later, with the
    // connection under way.
    new MigrationDesk::StartupProbe::FirstPaint(window, [window, options] {
        QApplication::setWindowIcon(MigrationDesk::Icons::windowIcon());
        if (options.sandbox)
            window->connectToSandbox();
        else if (options.url)
            window->connectToDatabase(*options.url);
        else if (!options.profile.isEmpty())
            window->connectToProfile(options.profile);
        else
            window->connectFromEnvironment(QProcessEnvironment::systemEnvironment());
    });

    if (options.selfTest) {
        new MigrationDesk::StartupProbe::FirstPaint(window, [&app] {
            QTimer::singleShot(0, &app, [] { QCoreApplication::exit(0); });
        });
        QTimer::singleShot(30000, &app, [] {
            print(stderr, u"migrationdesk: self-test: the main window was never painted\n"_s);
            QCoreApplication::exit(1);
        });
    }
    if (options.reportMilestones) {
        // Started before the first paint, so a milestone is never missed; the benchmark stops the app.
        new MigrationDesk::MilestoneReport(window, [](const QString &milestone) {
            print(stdout, u"milestone %1\n"_s.arg(milestone));
        });
    }
    if (options.selfTestReport) {
        new MigrationDesk::StartupProbe::FirstPaint(window, [&app] {
            print(stdout, u"ready\n"_s);
            // Idle memory: read once the start-up work (connection dialog, worker) has settled.
            QTimer::singleShot(1000, &app, [] {
                print(stdout, u"rss %1\n"_s.arg(MigrationDesk::StartupProbe::residentKilobytes()));
                QCoreApplication::exit(0);
            });
        });
    }

    return app.exec();
}
