// Latency benchmark (issue 15): the same work on loopback and behind a delaying proxy (tests/common/
// delayproxy), against psql doing the equivalent work through the same proxy, in the same run; a plain
// program on the main thread, the proxy on its own.
//
//   bench_latency [--delay MS] [--rounds N] [--schedules N] [--no-gui]
//
// --delay is one way (default 10, so 20 ms RTT). Each figure is the median of N rounds after one
// warm-up round, with the arms interleaved. Next to the times it prints the round trips the proxy
// counted (all connections, and the busiest one) and the round trips on the critical path, which is
// (time behind the proxy - time on loopback) / RTT: the round trips the user actually waits for.
#include "clirunner.h"
#include "delayproxy.h"
#include "pgfixture.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QUrl>

#include <algorithm>
#include <functional>
#include <map>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

double median(QList<double> v)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const qsizetype n = v.size();
    return n % 2 ? v.at(n / 2) : (v.at(n / 2 - 1) + v.at(n / 2)) / 2;
}

// One timed run: wall time and what the proxy counted meanwhile.
struct Sample
{
    double ms = -1;
    int roundTrips = 0;
    int busiestConnection = 0;
    int connections = 0;
};

struct Series
{
    QList<double> ms;
    QList<double> trips;
    QList<double> busiest;
    QList<double> connections;
    void add(const Sample &s)
    {
        ms << s.ms;
        trips << s.roundTrips;
        busiest << s.busiestConnection;
        connections << s.connections;
    }
};

// One process to completion; its wall time from start to exit. Negative with *error on failure.
double timeProcess(const QString &program, const QStringList &args, const QProcessEnvironment &env, QString *error)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.setStandardInputFile(QProcess::nullDevice());
    QElapsedTimer timer;
    timer.start();
    process.start(program, args);
    if (!process.waitForStarted(30000) || !process.waitForFinished(300000)) {
        process.kill();
        process.waitForFinished(5000);
        *error = u"%1 %2 did not run to the end"_s.arg(QFileInfo(program).fileName(), args.join(u' '));
        return -1;
    }
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = u"%1 %2 failed (exit %3): %4%5"_s.arg(QFileInfo(program).fileName(), args.join(u' '))
                     .arg(process.exitCode())
                     .arg(QString::fromUtf8(process.readAllStandardOutput()),
                          QString::fromUtf8(process.readAllStandardError()));
        return -1;
    }
    return ms;
}

class Bench
{
public:
    Bench(PgFixture &pg, int delayMs, int rounds, int schedules, bool gui)
        : m_pg(pg), m_delayMs(delayMs), m_rounds(rounds), m_schedules(schedules), m_gui(gui)
    {
    }

    bool run(QString *error)
    {
        if (!prepare(error))
            return false;
        const QList<int> delays{0, m_delayMs};
        for (int delay : delays) {
            auto proxy = std::make_unique<DelayProxy>(m_pg.host(), m_pg.port(), delay);
            if (!proxy->start(error))
                return false;
            m_proxies[delay] = std::move(proxy);
        }
        for (int round = 0; round <= m_rounds; ++round) {
            for (int delay : delays) {
                DelayProxy &proxy = *m_proxies[delay];
                const auto keep = [&](const QString &figure, const Sample &s) {
                    if (round > 0)
                        m_series[figure][delay].add(s);
                };
                for (const auto &figure : figures()) {
                    const Sample s = figure.second(proxy, error);
                    if (s.ms < 0) {
                        *error = figure.first + u": "_s + *error;
                        return false;
                    }
                    keep(figure.first, s);
                }
            }
        }
        report();
        return true;
    }

private:
    using Figure = std::pair<QString, std::function<Sample(DelayProxy &, QString *)>>;

    QList<Figure> figures()
    {
        QList<Figure> list{
            {u"chain: psql offline scripts"_s, [this](DelayProxy &p, QString *e) { return psqlChain(p, e); }},
            {u"chain: migrationdesk-cli"_s, [this](DelayProxy &p, QString *e) { return cliChain(p, e); }},
            {u"current: psql"_s, [this](DelayProxy &p, QString *e) {
                 return psql(p, u"SELECT version_num FROM alembic_version"_s, e); }},
            {u"current: migrationdesk-cli"_s, [this](DelayProxy &p, QString *e) { return cli(p, {u"current"_s}, e); }},
            {u"history -i: migrationdesk-cli"_s, [this](DelayProxy &p, QString *e) {
                 return cli(p, {u"history"_s, u"--indicate-current"_s}, e); }},
            {u"check: psql (one catalog read)"_s, [this](DelayProxy &p, QString *e) {
                 return psql(p, u"SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                                "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                                "WHERE n.nspname = 'public' AND a.attnum > 0"_s, e); }},
            {u"check: migrationdesk-cli"_s, [this](DelayProxy &p, QString *e) { return cli(p, {u"check"_s}, e); }},
        };
        if (m_gui) {
            list.append({u"app: launch to first rows (Tables, schedules)"_s, [this](DelayProxy &p, QString *e) {
                              return app(p, {u"--view"_s, u"tables"_s, u"--table"_s, u"schedules"_s}, u"rows"_s, e); }});
            list.append({u"app: launch to the timeline"_s, [this](DelayProxy &p, QString *e) {
                              return app(p, {u"--view"_s, u"migrations"_s}, u"timeline"_s, e); }});
            list.append({u"app: launch to the trash's first page"_s, [this](DelayProxy &p, QString *e) {
                              return app(p, {u"--view"_s, u"trash"_s}, u"trash"_s, e); }});
        }
        return list;
    }

    QString url(const DelayProxy &proxy, const QString &db) const
    {
        QUrl u;
        u.setScheme(u"postgresql"_s);
        u.setUserName(m_pg.superuser());
        u.setPassword(m_pg.password());
        u.setHost(u"127.0.0.1"_s);
        u.setPort(proxy.port());
        u.setPath(u"/"_s + db);
        return u.toString(QUrl::FullyEncoded);
    }

    QProcessEnvironment env(const DelayProxy &proxy, const QString &db) const
    {
        QProcessEnvironment e = m_pg.environment(db);
        e.insert(u"PGHOST"_s, u"127.0.0.1"_s);
        e.insert(u"PGPORT"_s, QString::number(proxy.port()));
        e.insert(u"DATABASE_URL"_s, url(proxy, db));
        return e;
    }

    static Sample finish(DelayProxy &proxy, double ms)
    {
        const DelayProxy::Stats s = proxy.stats();
        return {ms, s.roundTrips, s.maxConnectionTrips, s.connections};
    }

    Sample psqlChain(DelayProxy &proxy, QString *error)
    {
        if (!m_pg.createDatabase(u"lat_psql"_s, error))
            return {};
        proxy.resetStats();
        double total = 0;
        for (const QString &file : {u"upgrade.sql"_s, u"downgrade.sql"_s}) {
            const double ms = timeProcess(m_psqlPath, {u"-X"_s, u"-q"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-f"_s,
                                                       m_dir.filePath(file)}, env(proxy, u"lat_psql"_s), error);
            if (ms < 0)
                return {};
            total += ms;
        }
        return finish(proxy, total);
    }

    Sample cliChain(DelayProxy &proxy, QString *error)
    {
        if (!m_pg.createDatabase(u"lat_cli"_s, error))
            return {};
        proxy.resetStats();
        double total = 0;
        for (const QStringList &args : {QStringList{u"upgrade"_s, u"head"_s}, QStringList{u"downgrade"_s, u"base"_s}}) {
            const double ms = timeProcess(QStringLiteral(MD_CLI_PATH), args, env(proxy, u"lat_cli"_s), error);
            if (ms < 0)
                return {};
            total += ms;
        }
        return finish(proxy, total);
    }

    Sample cli(DelayProxy &proxy, const QStringList &args, QString *error)
    {
        proxy.resetStats();
        const double ms = timeProcess(QStringLiteral(MD_CLI_PATH), args, env(proxy, u"lat_app"_s), error);
        return ms < 0 ? Sample{} : finish(proxy, ms);
    }

    Sample psql(DelayProxy &proxy, const QString &sql, QString *error)
    {
        proxy.resetStats();
        const double ms = timeProcess(m_psqlPath, {u"-X"_s, u"-q"_s, u"-At"_s, u"-c"_s, sql},
                                      env(proxy, u"lat_app"_s), error);
        return ms < 0 ? Sample{} : finish(proxy, ms);
    }

    // Starts the app, waits for "milestone <name>", and reads the proxy's counters at that moment.
    Sample app(DelayProxy &proxy, const QStringList &args, const QString &milestone, QString *error)
    {
        QTemporaryDir home;
        QProcessEnvironment e = env(proxy, u"lat_app"_s);
        e.remove(u"DATABASE_URL"_s);
        e.insert(u"HOME"_s, home.path());
        e.insert(u"XDG_CONFIG_HOME"_s, home.path() + u"/config"_s);
        e.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        QProcess process;
        process.setProcessEnvironment(e);
        proxy.resetStats();
        QElapsedTimer timer;
        timer.start();
        process.start(QStringLiteral(MD_GUI_PATH),
                      QStringList{u"--url"_s, url(proxy, u"lat_app"_s), u"--report-milestones"_s} + args);
        Sample sample;
        QByteArray buffer;
        const QByteArray wanted = "milestone " + milestone.toUtf8();
        while (sample.ms < 0 && timer.elapsed() < 60000) {
            if (!process.waitForReadyRead(int(60000 - timer.elapsed())))
                break;
            buffer += process.readAllStandardOutput();
            for (const QByteArray &line : buffer.split('\n')) {
                if (line.trimmed() == wanted) {
                    sample = finish(proxy, double(timer.nsecsElapsed()) / 1e6);
                    break;
                }
            }
        }
        process.terminate();
        if (!process.waitForFinished(10000)) {
            process.kill();
            process.waitForFinished(5000);
        }
        if (sample.ms < 0)
            *error = u"the app never reported '%1'; it printed:\n%2%3"_s.arg(
                milestone, QString::fromUtf8(buffer), QString::fromUtf8(process.readAllStandardError()));
        return sample;
    }

    bool prepare(QString *error)
    {
        m_psqlPath = QDir(m_pg.binDir()).filePath(u"psql"_s);
        const struct { QStringList args; QString file; } scripts[] = {
            {{u"upgrade"_s, u"head"_s, u"--sql"_s}, u"upgrade.sql"_s},
            {{u"downgrade"_s, u"head:base"_s, u"--sql"_s}, u"downgrade.sql"_s},
        };
        for (const auto &s : scripts) {
            const CliResult r = runCli(s.args, QProcessEnvironment::systemEnvironment());
            QFile f(m_dir.filePath(s.file));
            if (r.exitCode != 0 || !f.open(QIODevice::WriteOnly) || f.write(r.out.toUtf8()) < 0) {
                *error = u"cannot render %1: %2"_s.arg(s.file, r.all());
                return false;
            }
        }
        // The database the read-only figures and the app use: at head, with demo data and a trash.
        if (!m_pg.createDatabase(u"lat_app"_s, error))
            return false;
        const QProcessEnvironment direct = m_pg.environment(u"lat_app"_s);
        for (const QStringList &args : {QStringList{u"--url"_s, m_pg.url(u"lat_app"_s), u"upgrade"_s, u"head"_s},
                                        QStringList{u"--url"_s, m_pg.url(u"lat_app"_s), u"demo-data"_s,
                                                    u"--employees"_s, u"200"_s, u"--schedules"_s,
                                                    QString::number(m_schedules)}}) {
            const CliResult r = runCli(args, direct, 600000);
            if (r.exitCode != 0) {
                *error = u"setting up lat_app failed: %1"_s.arg(r.all());
                return false;
            }
        }
        return true;
    }

    void report()
    {
        const int d = m_delayMs;
        out() << u"\nbench_latency: %1 rounds (+1 warm-up), one-way delay %2 ms (RTT %3 ms), %4 schedules\n"_s
                     .arg(m_rounds).arg(d).arg(2 * d).arg(m_schedules);
        out() << u"median ms on loopback | behind the proxy | round trips counted there (all connections / "
                 "busiest connection / connections) | round trips on the critical path\n"_s;
        for (const Figure &figure : figures()) {
            const Series &l = m_series[figure.first][0];
            const Series &r = m_series[figure.first][d];
            const double critical = d > 0 ? (median(r.ms) - median(l.ms)) / (2.0 * d) : 0;
            out() << u"  %1: %2 | %3 | %4 / %5 / %6 | %7\n"_s.arg(figure.first, -48)
                         .arg(median(l.ms), 0, 'f', 1).arg(median(r.ms), 0, 'f', 1)
                         .arg(median(r.trips), 0, 'f', 0).arg(median(r.busiest), 0, 'f', 0)
                         .arg(median(r.connections), 0, 'f', 0).arg(critical, 0, 'f', 1);
        }
        const auto ratio = [&](const QString &ours, const QString &theirs, int delay) {
            const double t = median(m_series[theirs][delay].ms);
            return t > 0 ? median(m_series[ours][delay].ms) / t : 0;
        };
        out() << u"ratios to psql (loopback | %1 ms RTT):\n"_s.arg(2 * d);
        const QList<std::pair<QString, QString>> pairs{
            {u"chain: migrationdesk-cli"_s, u"chain: psql offline scripts"_s},
            {u"current: migrationdesk-cli"_s, u"current: psql"_s},
            {u"history -i: migrationdesk-cli"_s, u"current: psql"_s},
            {u"check: migrationdesk-cli"_s, u"check: psql (one catalog read)"_s},
        };
        for (const auto &p : pairs)
            out() << u"  %1: %2x | %3x\n"_s.arg(p.first, -32).arg(ratio(p.first, p.second, 0), 0, 'f', 2)
                         .arg(ratio(p.first, p.second, d), 0, 'f', 2);
        out().flush();
    }

    PgFixture &m_pg;
    int m_delayMs;
    int m_rounds;
    int m_schedules;
    bool m_gui;
    QTemporaryDir m_dir;
    QString m_psqlPath;
    std::map<int, std::unique_ptr<DelayProxy>> m_proxies;
    std::map<QString, std::map<int, Series>> m_series;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int delay = 10;
    int rounds = 5;
    int schedules = 20000;
    bool gui = true;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        const QString a = args.at(i);
        if (a == u"--delay"_s && i + 1 < args.size())
            delay = args.at(++i).toInt();
        else if (a == u"--rounds"_s && i + 1 < args.size())
            rounds = std::max(1, args.at(++i).toInt());
        else if (a == u"--schedules"_s && i + 1 < args.size())
            schedules = args.at(++i).toInt();
        else if (a == u"--no-gui"_s)
            gui = false;
        else {
            QTextStream(stderr) << "usage: bench_latency [--delay MS] [--rounds N] [--schedules N] [--no-gui]\n";
            return 2;
        }
    }
    PgFixture pg;
    QString error;
    if (!pg.start(&error)) {
        QTextStream(stderr) << "bench_latency: " << error << '\n';
        return 2;
    }
    Bench bench(pg, delay, rounds, schedules, gui);
    if (!bench.run(&error)) {
        out().flush();
        QTextStream(stderr) << "bench_latency: " << error << '\n';
        return 1;
    }
    return 0;
}
