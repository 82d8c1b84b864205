// Start-up benchmark of the desktop app: time from starting the process to its main window's first
// paint, and resident memory after a second of idling, for migrationdesk and, in the same run and
// interleaved with it, a bare QMainWindow program (bench_bare_mainwindow). Targets: 300 ms and 80 MB.
//
//   bench_startup [--runs N] [--platform offscreen|xvfb|both]
//
// xvfb (the default when Xvfb is installed, together with offscreen) puts a real X server in the
// path; offscreen measures Qt alone. "first run" is the first start of this benchmark, the coldest one
// available without dropping the page cache (which needs root).
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

constexpr double kTargetMs = 300.0;
constexpr double kTargetMb = 80.0;

struct Sample
{
    double startMs = 0;
    double rssMb = 0;
};

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    if (n == 0)
        return 0;
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Both programs print "ready" after their first paint and "rss <kB>" a second later, then quit.
std::optional<Sample> measure(const QString &program, const QStringList &args, const QProcessEnvironment &env,
                              QString *error)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::SeparateChannels);
    QElapsedTimer timer;
    timer.start();
    process.start(program, args);
    if (!process.waitForStarted(10000)) {
        *error = process.errorString();
        return std::nullopt;
    }
    Sample sample;
    bool ready = false;
    bool haveRss = false;
    QByteArray buffer;
    while (!haveRss) {
        if (!process.waitForReadyRead(30000)) {
            *error = u"no output (%1); stderr: %2"_s
                         .arg(process.errorString(), QString::fromLocal8Bit(process.readAllStandardError()));
            process.kill();
            process.waitForFinished();
            return std::nullopt;
        }
        buffer += process.readAllStandardOutput();
        qsizetype newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
            const QByteArray line = buffer.left(newline).trimmed();
            buffer.remove(0, newline + 1);
            if (line == "ready" && !ready) {
                sample.startMs = timer.nsecsElapsed() / 1e6;
                ready = true;
            } else if (line.startsWith("rss ")) {
                sample.rssMb = line.mid(4).toDouble() / 1024.0;
                haveRss = true;
            }
        }
    }
    if (!process.waitForFinished(10000)) {
        process.kill();
        process.waitForFinished();
    }
    if (!ready) {
        *error = u"printed no ready line"_s;
        return std::nullopt;
    }
    return sample;
}

// Starts Xvfb on a display it picks itself (-displayfd); returns the DISPLAY value.
QString startXvfb(QProcess *xvfb)
{
    const QString program = QStandardPaths::findExecutable(u"Xvfb"_s);
    if (program.isEmpty())
        return QString();
    xvfb->start(program, {u"-displayfd"_s, u"1"_s, u"-screen"_s,
                          u"0"_s, u"1600x1000x24"_s, u"-nolisten"_s,
                          u"tcp"_s});
    if (!xvfb->waitForStarted(5000))
        return QString();
    QByteArray number;
    while (!number.contains('\n') && xvfb->waitForReadyRead(10000))
        number += xvfb->readAllStandardOutput();
    number = number.trimmed();
    return number.isEmpty() ? QString() : QLatin1Char(':') + QString::fromLatin1(number);
}

bool runPlatform(const QString &label, const QProcessEnvironment &baseEnv, const QStringList &qtArgs, int runs)
{
    const QString gui = QStringLiteral(MD_GUI_PATH);
    const QString bare = QCoreApplication::applicationDirPath() + u"/bench_bare_mainwindow"_s;
    for (const QString &program : {gui, bare}) {
        if (!QFileInfo(program).isExecutable()) {
            out() << "missing " << program << " (build it first)\n";
            return false;
        }
    }

    // Own settings and no database in the environment: the app starts as on a first launch, with
    // the connection dialog over the main window, and never waits on a server.
    QTemporaryDir home;
    QProcessEnvironment env = baseEnv;
    for (const QString &key : env.keys()) {
        if (key.startsWith(QLatin1String("PG")) || key.startsWith(QLatin1String("POSTGRES_"))
            || key == QLatin1String("DATABASE_URL"))
            env.remove(key);
    }
    env.insert(u"HOME"_s, home.path());
    env.insert(u"XDG_CONFIG_HOME"_s, home.path() + u"/config"_s);
    env.insert(u"XDG_CACHE_HOME"_s, home.path() + u"/cache"_s);

    QList<double> guiMs, guiMb, bareMs, bareMb;
    std::optional<Sample> guiFirst, bareFirst;
    QString error;
    for (int i = 0; i < runs; ++i) {
        // Interleaved, and alternating which goes first, so both see the same machine load.
        const bool guiFirstThisRound = i % 2 == 0;
        for (int k = 0; k < 2; ++k) {
            const bool isGui = (k == 0) == guiFirstThisRound;
            QStringList args = qtArgs;
            if (isGui)
                args << u"--self-test-report"_s;
            const auto sample = measure(isGui ? gui : bare, args, env, &error);
            if (!sample) {
                out() << label << ": " << (isGui ? "migrationdesk" : "bare QMainWindow") << " failed: " << error
                      << "\n";
                out().flush();
                return false;
            }
            (isGui ? guiMs : bareMs) << sample->startMs;
            (isGui ? guiMb : bareMb) << sample->rssMb;
            if (isGui && !guiFirst)
                guiFirst = sample;
            if (!isGui && !bareFirst)
                bareFirst = sample;
        }
    }

    const double ms = median(guiMs), mb = median(guiMb), bms = median(bareMs), bmb = median(bareMb);
    auto verdict = [](double value, double target) {
        return value <= target ? u"ok"_s : u"OVER TARGET"_s;
    };
    out() << "\n" << label << ", " << runs << " runs each, medians:\n";
    out() << u"  %1 %2 %3 %4  %5\n"_s
                 .arg(QString(), -26)
                 .arg(u"migrationdesk"_s, 14)
                 .arg(u"bare QMainWindow"_s, 17)
                 .arg(u"ratio"_s, 6)
                 .arg(u"target"_s);
    out() << u"  %1 %2 %3 %4  %5 %6\n"_s
                 .arg(u"start to first paint"_s, -26)
                 .arg(u"%1 ms"_s.arg(ms, 0, 'f', 1), 14)
                 .arg(u"%1 ms"_s.arg(bms, 0, 'f', 1), 17)
                 .arg(u"%1x"_s.arg(bms > 0 ? ms / bms : 0, 0, 'f', 2), 6)
                 .arg(u"%1 ms"_s.arg(kTargetMs, 0, 'f', 0), verdict(ms, kTargetMs));
    out() << u"  %1 %2 %3 %4  %5 %6\n"_s
                 .arg(u"idle resident memory"_s, -26)
                 .arg(u"%1 MB"_s.arg(mb, 0, 'f', 1), 14)
                 .arg(u"%1 MB"_s.arg(bmb, 0, 'f', 1), 17)
                 .arg(u"%1x"_s.arg(bmb > 0 ? mb / bmb : 0, 0, 'f', 2), 6)
                 .arg(u"%1 MB"_s.arg(kTargetMb, 0, 'f', 0), verdict(mb, kTargetMb));
    out() << u"  %1 %2 %3 %4\n"_s
                 .arg(u"first run (coldest) start"_s, -26)
                 .arg(u"%1 ms"_s.arg(guiFirst->startMs, 0, 'f', 1), 14)
                 .arg(u"%1 ms"_s.arg(bareFirst->startMs, 0, 'f', 1), 17)
                 .arg(u"%1x"_s.arg(guiFirst->startMs / bareFirst->startMs, 0, 'f', 2), 6);
    out() << u"  %1 %2 %3\n"_s
                 .arg(u"start range (min-max)"_s, -26)
                 .arg(u"%1-%2"_s.arg(*std::min_element(guiMs.begin(), guiMs.end()), 0, 'f', 0)
                          .arg(*std::max_element(guiMs.begin(), guiMs.end()), 0, 'f', 0), 14)
                 .arg(u"%1-%2"_s.arg(*std::min_element(bareMs.begin(), bareMs.end()), 0, 'f', 0)
                          .arg(*std::max_element(bareMs.begin(), bareMs.end()), 0, 'f', 0), 17);
    out().flush();
    return ms <= kTargetMs && mb <= kTargetMb;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int runs = 10;
    QString platform = u"both"_s;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--runs") && i + 1 < args.size())
            runs = std::max(1, args[++i].toInt());
        else if (args[i] == QLatin1String("--platform") && i + 1 < args.size())
            platform = args[++i];
        else {
            out() << "usage: bench_startup [--runs N] [--platform offscreen|xvfb|both]\n";
            return 2;
        }
    }

    out() << "Start-up of migrationdesk " << MIGRATIONDESK_VERSION << " next to a bare QMainWindow program\n"
          << "(time from process start to the main window's first paint; VmRSS after 1 s idle).\n";
    out().flush();

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"QT_QPA_PLATFORM"_s);
    bool ok = true;
    bool ran = false;
    if (platform == QLatin1String("offscreen") || platform == QLatin1String("both")) {
        ok = runPlatform(u"offscreen platform"_s, env, {u"-platform"_s, u"offscreen"_s},
                         runs) && ok;
        ran = true;
    }
    if (platform == QLatin1String("xvfb") || platform == QLatin1String("both")) {
        QProcess xvfb;
        const QString display = startXvfb(&xvfb);
        if (display.isEmpty()) {
            out() << "\nXvfb not available: xcb figures skipped (apt install xvfb).\n";
            ok = ok && platform == QLatin1String("both");
        } else {
            QProcessEnvironment xenv = env;
            xenv.insert(u"DISPLAY"_s, display);
            xenv.remove(u"WAYLAND_DISPLAY"_s);
            ok = runPlatform(u"xcb platform on Xvfb "_s + display, xenv,
                             {u"-platform"_s, u"xcb"_s}, runs) && ok;
            xvfb.terminate();
            xvfb.waitForFinished(5000);
        }
        ran = true;
    }
    if (!ran) {
        out() << "unknown platform " << platform << "\n";
        return 2;
    }
    out() << (ok ? "\nAll targets met.\n" : "\nA target was missed (see above).\n");
    return ok ? 0 : 1;
}
