// Times `upgrade head` + `downgrade base` of the bundled chain against psql running the offline
// scripts for the same moves, in the same run; a plain program on the main thread.
//
//   bench_migrate [--rounds N] [--check] [--no-engine]
//
// Every arm gets a fresh database per round and connects over TCP with scram, so psql pays the same
// connection cost as we do. The arms are interleaved, in an order that rotates every round, so
// machine noise hits them alike; round 0 is a warm-up and is not counted. --check exits 1 when the
// CLI's median is more than 1.3x psql's.
#include "clirunner.h"
#include "pgfixture.h"

#include "db/connectionsettings.h"
#include "migrations/migrationrunner.h"
#include "migrations/scriptset.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

constexpr double kTarget = 1.3;

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int failWith(const QString &message)
{
    out().flush();
    QTextStream(stderr) << "bench_migrate: " << message << '\n';
    return 2;
}

// One upgrade + downgrade, in milliseconds; negative when it failed.
struct Timing
{
    double up = -1;
    double down = -1;
};

// The counted rounds of one arm.
struct Samples
{
    QList<double> up;
    QList<double> down;
    QList<double> total;

    void add(const Timing &t)
    {
        up << t.up;
        down << t.down;
        total << t.up + t.down;
    }
};

double median(QList<double> v)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const qsizetype n = v.size();
    return n % 2 ? v.at(n / 2) : (v.at(n / 2 - 1) + v.at(n / 2)) / 2;
}

double minimum(const QList<double> &v)
{
    return v.isEmpty() ? 0 : *std::min_element(v.begin(), v.end());
}

QString ms(double value)
{
    return QString::number(value, 'f', 1) + u" ms"_s;
}

QString ratio(double ours, double theirs)
{
    return theirs > 0 ? QString::number(ours / theirs, 'f', 2) + u"x"_s : u"n/a"_s;
}

// Runs one program to completion and returns its wall time from start() to exit, in ms: what a user
// (or a deploy script) waits for, process start and exit included. Negative with *error on failure.
double timeProcess(const QString &program, const QStringList &args, const QProcessEnvironment &env, QString *error)
{
    QProcess process;
    process.setProgram(program);
    process.setArguments(args);
    process.setProcessEnvironment(env);
    process.setStandardInputFile(QProcess::nullDevice());
    QElapsedTimer timer;
    timer.start();
    process.start();
    if (!process.waitForStarted(30000)) {
        *error = u"cannot run %1: %2"_s.arg(program, process.errorString());
        return -1;
    }
    if (!process.waitForFinished(300000)) {
        process.kill();
        process.waitForFinished(5000);
        *error = u"%1 %2 did not finish within 300 s"_s.arg(QFileInfo(program).fileName(), args.join(u' '));
        return -1;
    }
    const double elapsed = double(timer.nsecsElapsed()) / 1e6;
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = u"%1 %2 failed (exit %3):\n%4%5"_s.arg(QFileInfo(program).fileName(), args.join(u' '))
                     .arg(process.exitCode())
                     .arg(QString::fromUtf8(process.readAllStandardOutput()),
                          QString::fromUtf8(process.readAllStandardError()));
        return -1;
    }
    return elapsed;
}

// Runs the benchmark against one fixture cluster; main thread.
class Bench
{
public:
    Bench(PgFixture &pg, int rounds, bool engine)
        : m_pg(pg)
        , m_rounds(rounds)
        , m_engine(engine)
    {
    }

    // Prints the report; returns the ratio of the CLI's median total to psql's, or a negative
    // value with *error when something failed.
    double run(QString *error)
    {
        if (!prepare(error))
            return -1;
        struct Arm
        {
            QString name;
            QString database;
            std::function<Timing(const QString &, QString *)> once;
            Samples samples;
        };
        QList<Arm> arms;
        arms.append({u"psql offline scripts"_s, u"bench_psql"_s,
                     [this](const QString &db, QString *e) { return runPsql(db, e); }, {}});
        arms.append({u"migrationdesk-cli"_s, u"bench_cli"_s,
                     [this](const QString &db, QString *e) { return runCliArm(db, e); }, {}});
        if (m_engine)
            arms.append({u"in-process engine"_s, u"bench_engine"_s,
                         [this](const QString &db, QString *e) { return runEngine(db, e); }, {}});

        for (int round = 0; round <= m_rounds; ++round) {
            for (qsizetype k = 0; k < arms.size(); ++k) {
                Arm &arm = arms[(round + k) % arms.size()];
                if (!m_pg.createDatabase(arm.database, error))
                    return -1;
                const Timing t = arm.once(arm.database, error);
                if (t.up < 0 || t.down < 0) {
                    *error = arm.name + u": "_s + *error;
                    return -1;
                }
                if (round > 0)
                    arm.samples.add(t);
            }
        }
        // Clean-up only: a database left behind is removed with the throwaway cluster anyway.
        for (const Arm &arm : std::as_const(arms)) {
            QString ignored;
            if (!m_pg.dropDatabase(arm.database, &ignored))
                out() << u"note: could not drop %1: %2\n"_s.arg(arm.database, ignored);
        }

        const Samples &psql = arms.at(0).samples;
        const Samples &cli = arms.at(1).samples;
        out() << u"upgrade head + downgrade base, bundled chain (%1 revisions), %2 rounds (+1 warm-up), "
                 "each on a fresh database over TCP with scram:\n"_s.arg(m_revisions).arg(m_rounds);
        report(psql.total, cli.total, true);
        for (const bool up : {true, false}) {
            out() << (up ? u"upgrade head alone:\n"_s : u"downgrade base alone:\n"_s);
            report(up ? psql.up : psql.down, up ? cli.up : cli.down, false);
        }
        if (m_engine) {
            const Samples &engine = arms.at(2).samples;
            out() << u"in-process engine (MigrationRunner::upgrade + downgrade, no process start):\n"_s;
            line(u"total"_s, engine.total, psql.total);
            line(u"upgrade head"_s, engine.up, psql.up);
            line(u"downgrade base"_s, engine.down, psql.down);
        }
        out().flush();
        return median(cli.total) / median(psql.total);
    }

private:
    bool prepare(QString *error)
    {
        if (!m_dir.isValid()) {
            *error = u"cannot create a temporary directory"_s;
            return false;
        }
        m_scripts = ScriptSet::load(ScriptSet::bundledLocation());
        if (!m_scripts.isValid() || m_scripts.isEmpty()) {
            *error = u"the bundled scripts did not load:\n"_s + m_scripts.errorText();
            return false;
        }
        m_revisions = int(m_scripts.scripts().size());
        m_heads = m_scripts.graph().heads();

        m_psql = QDir(m_pg.binDir()).filePath(u"psql"_s);
        if (!QFileInfo(m_psql).isExecutable())
            m_psql = QStandardPaths::findExecutable(u"psql"_s);
        if (m_psql.isEmpty()) {
            *error = u"psql not found in %1 or PATH"_s.arg(m_pg.binDir());
            return false;
        }

        // The offline scripts need no database; they are rendered once, outside any timing.
        const struct { QStringList args; QString file; } scripts[] = {
            {{u"upgrade"_s, u"head"_s, u"--sql"_s}, u"upgrade.sql"_s},
            {{u"downgrade"_s, u"head:base"_s, u"--sql"_s}, u"downgrade.sql"_s},
        };
        for (const auto &s : scripts) {
            const CliResult r = runCli(s.args, QProcessEnvironment::systemEnvironment());
            if (r.exitCode != 0 || r.out.trimmed().isEmpty()) {
                *error = u"migrationdesk-cli %1 failed (exit %2):\n%3"_s.arg(s.args.join(u' ')).arg(r.exitCode).arg(r.all());
                return false;
            }
            QFile f(m_dir.filePath(s.file));
            if (!f.open(QIODevice::WriteOnly) || f.write(r.out.toUtf8()) < 0) {
                *error = u"cannot write %1"_s.arg(f.fileName());
                return false;
            }
        }
        return true;
    }

    // The CLI reads the URL from DATABASE_URL (the same fromUrl() as --url), so the password stays
    // out of argv.
    QProcessEnvironment cliEnvironment(const QString &db) const
    {
        QProcessEnvironment env = m_pg.environment(db);
        env.insert(u"DATABASE_URL"_s, m_pg.url(db));
        return env;
    }

    Timing runPsql(const QString &db, QString *error)
    {
        const QProcessEnvironment env = m_pg.environment(db); // PGPASSWORD, TCP
        Timing t;
        const auto psql = [&](const QString &file) {
            return timeProcess(m_psql, {u"-X"_s, u"-q"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-f"_s, m_dir.filePath(file)},
                               env, error);
        };
        if ((t.up = psql(u"upgrade.sql"_s)) < 0 || !verifyAtHead(db, error))
            return t;
        if ((t.down = psql(u"downgrade.sql"_s)) >= 0 && !verifyAtBase(db, error))
            t.down = -1;
        return t;
    }

    Timing runCliArm(const QString &db, QString *error)
    {
        const QProcessEnvironment env = cliEnvironment(db);
        const QString cli = QStringLiteral(MD_CLI_PATH);
        Timing t;
        if ((t.up = timeProcess(cli, {u"upgrade"_s, u"head"_s}, env, error)) < 0 || !verifyAtHead(db, error))
            return t;
        if ((t.down = timeProcess(cli, {u"downgrade"_s, u"base"_s}, env, error)) >= 0 && !verifyAtBase(db, error))
            t.down = -1;
        return t;
    }

    Timing runEngine(const QString &db, QString *error)
    {
        Timing t;
        const auto settings = ConnectionSettings::fromUrl(m_pg.url(db), error);
        if (!settings)
            return t;
        QElapsedTimer timer;
        timer.start();
        MigrationRunner runner(ScriptSet::load(ScriptSet::bundledLocation()), *settings, RunOptions{});
        const RunResult up = runner.upgrade(u"head"_s);
        if (!up.ok()) {
            *error = up.error;
            return t;
        }
        t.up = double(timer.nsecsElapsed()) / 1e6;
        if (!verifyAtHead(db, error)) {
            t.up = -1;
            return t;
        }
        timer.restart();
        const RunResult down = runner.downgrade(u"base"_s);
        if (!down.ok()) {
            *error = down.error;
            return t;
        }
        t.down = double(timer.nsecsElapsed()) / 1e6;
        if (!verifyAtBase(db, error))
            t.down = -1;
        return t;
    }

    // Checked between the timed moves, so an arm that silently did nothing cannot look fast.
    bool verifyAtHead(const QString &db, QString *error)
    {
        bool ok = false;
        const QString heads = m_pg.psql(db, u"SELECT string_agg(version_num, ',' ORDER BY version_num) FROM alembic_version"_s,
                                        &ok, error);
        if (ok && heads == m_heads.join(u','))
            return true;
        if (ok)
            *error = u"after the upgrade %1 is at '%2', not at %3"_s.arg(db, heads, m_heads.join(u','));
        return false;
    }

    bool verifyAtBase(const QString &db, QString *error)
    {
        bool ok = false;
        const QString tables = m_pg.psql(
            db, u"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relname <> 'alembic_version'"_s,
            &ok, error);
        if (!ok)
            return false;
        const QString versions = m_pg.psql(
            db, u"SELECT CASE WHEN to_regclass('public.alembic_version') IS NULL THEN 0 ELSE "
                "(xpath('/row/n/text()', query_to_xml('SELECT count(*) AS n FROM public.alembic_version', false, true, '')))[1]::text::int END"_s,
            &ok, error);
        if (!ok)
            return false;
        if (tables == u"0"_s && versions == u"0"_s)
            return true;
        *error = u"after the downgrade %1 still has %2 relation(s) in public and %3 version row(s)"_s.arg(db, tables, versions);
        return false;
    }

    void line(const QString &label, const QList<double> &ours, const QList<double> &psql)
    {
        out() << u"  %1 median %2 (min %3), %4 of psql's median, %5 of its min\n"_s
                     .arg(label + u':', -16)
                     .arg(ms(median(ours)), ms(minimum(ours)), ratio(median(ours), median(psql)),
                          ratio(minimum(ours), minimum(psql)));
    }

    void report(const QList<double> &psql, const QList<double> &cli, bool withTarget)
    {
        out() << u"  psql offline scripts: median %1 (min %2)\n"_s.arg(ms(median(psql)), ms(minimum(psql)));
        out() << u"  migrationdesk-cli:    median %1 (min %2)\n"_s.arg(ms(median(cli)), ms(minimum(cli)));
        out() << u"  ratio: %1 of medians, %2 of mins%3\n"_s.arg(ratio(median(cli), median(psql)),
                                                                 ratio(minimum(cli), minimum(psql)),
                                                                 withTarget ? u" (target <= %1x)"_s.arg(kTarget) : QString());
    }

    PgFixture &m_pg;
    int m_rounds;
    bool m_engine;
    QTemporaryDir m_dir;
    ScriptSet m_scripts;
    QStringList m_heads;
    QString m_psql;
    int m_revisions = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int rounds = 15;
    bool check = false;
    bool engine = true;
    const QStringList args = QCoreApplication::arguments().mid(1);
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == u"--rounds"_s && i + 1 < args.size()) {
            bool ok = false;
            rounds = args.at(++i).toInt(&ok);
            if (!ok || rounds < 1)
                return failWith(u"--rounds needs a positive number"_s);
        } else if (a == u"--check"_s) {
            check = true;
        } else if (a == u"--no-engine"_s) {
            engine = false;
        } else {
            return failWith(u"usage: bench_migrate [--rounds N] [--check] [--no-engine]"_s);
        }
    }

    PgFixture pg;
    QString error;
    if (!pg.start(&error))
        return failWith(u"cannot start the PostgreSQL fixture: "_s + error);
    Bench bench(pg, rounds, engine);
    const double r = bench.run(&error);
    if (r < 0)
        return failWith(error);
    if (check && r > kTarget) {
        out() << u"FAIL: migrationdesk-cli takes %1x as long as psql; the target is <= %2x.\n"_s.arg(r, 0, 'f', 2).arg(kTarget);
        out().flush();
        return 1;
    }
    return 0;
}
