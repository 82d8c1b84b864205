// The baseline for bench_startup: an empty QMainWindow of the same size as migrationdesk's, started
// and measured the same way. Prints "ready" once the window's first paint is done, then, after the
// same second of idling, "rss <kB>" from /proc/self/status, and quits. Not a benchmark by itself.
#if !__has_include(<QMainWindow>)
// Built without Qt6::Widgets (tests/bench links only md_testsupport by default): say so instead of
// breaking the build. bench_startup then reports this program as failed.
#include <cstdio>

int main()
{
    std::fputs("bench_bare_mainwindow was built without Qt6::Widgets; link it to Qt6::Widgets\n", stderr);
    return 1;
}
#else
#include "connect/startupprobe.h"

#include <QApplication>
#include <QEvent>
#include <QFile>
#include <QMainWindow>
#include <QStatusBar>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <utility>

using namespace Qt::StringLiterals;

using namespace MigrationDesk::StartupProbe;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QMainWindow window;
    window.setWindowTitle(u"bare"_s);
    window.resize(1180, 760);
    window.statusBar();
    window.show();
    new FirstPaint(&window, [&app] {
        std::fputs("ready\n", stdout);
        std::fflush(stdout);
        QTimer::singleShot(1000, &app, [] {
            std::fprintf(stdout, "rss %lld\n", static_cast<long long>(residentKilobytes()));
            std::fflush(stdout);
            QCoreApplication::exit(0);
        });
    });
    return app.exec();
}
#endif
