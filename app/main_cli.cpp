// migrationdesk-cli: the command-line tool's thin main. One thread of its own besides main: the stop-signal
// waiter below. It is a plain detached std::thread, not a WorkerThreads worker, on purpose: it blocks in
// sigwait() for the whole run and has no event loop, so a QThread could neither quit it nor join it, and
// the process ends with _Exit() (no teardown at all) while it is still waiting.
#include "cli/argvscrubber.h"
#include "cli/cliapp.h"
#include "i18n/translator.h"

#include <QCoreApplication>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <pthread.h>
#include <thread>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    // SIGINT/SIGTERM are taken by a plain thread with sigwait, so a Ctrl-C cancels the running
    // statement through libpq and the revision rolls back, instead of killing the client mid-way.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"migrationdesk"_s);
    QCoreApplication::setOrganizationName(u"MigrationDesk"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(MIGRATIONDESK_VERSION));
    MigrationDesk::Translator::installFromSettings();

    QTextStream out(stdout);
    QTextStream err(stderr);
    MigrationDesk::CliApp cli(out, err, QProcessEnvironment::systemEnvironment());

    std::thread([&cli, stopSignals] {
        int received = 0;
        int count = 0;
        while (sigwait(&stopSignals, &received) == 0) {
            if (++count > 1)
                std::_Exit(130); // a second Ctrl-C means "now"
            std::fputs("Cancelling: the running statement is being stopped and rolled back...\n", stderr);
            cli.cancel();
        }
    }).detach();

    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    // Read once above; from here on ps and /proc/PID/cmdline show '*' instead of a --url password
    // (CliApp warns about it). The signal thread never reads argv.
    MigrationDesk::ArgvScrubber::hideUrlPasswords(argc, argv);
    const int code = cli.run(args);
    // Everything is written and every connection closed by now; tearing Qt down as well would only
    // add to the start-to-exit time that deploy scripts pay on every call.
    out.flush();
    err.flush();
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(code);
}
