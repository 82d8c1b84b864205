#include "cli/cliapp.h"

#include "db/pgconnection.h"
#include "scheduling/demodata.h"
#include "migrations/bookkeeping.h"
#include "migrations/driftcheck.h"
#include "migrations/migrationrunner.h"
#include "migrations/offlinerenderer.h"
#include "migrations/scriptset.h"
#include "migrations/scriptwriter.h"
#include "sandbox/sandbox.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace MigrationDesk {

namespace {

// Alembic's Script._format_down_revision.
QString formatDown(const MigrationScript &s)
{
    return s.downRevisions.isEmpty() ? QStringLiteral("<base>") : s.downRevisions.join(QStringLiteral(", "));
}

// Alembic's Script._head_only (the one-line form of history, current and heads).
QString headOnly(const ScriptSet &set, const QString &rev, bool includeParents, bool includeDoc,
                 bool treeIndicators, bool current)
{
    const MigrationScript *s = set.script(rev);
    const RevisionGraph &g = set.graph();
    QString text = rev;
    if (includeParents && s)
        text = formatDown(*s) + QStringLiteral(" -> ") + text;
    if (g.isHead(rev))
        text += QStringLiteral(" (head)");
    if (current)
        text += QStringLiteral(" (current)");
    if (treeIndicators) {
        if (g.isBranchPoint(rev))
            text += QStringLiteral(" (branchpoint)");
        if (g.isMergePoint(rev))
            text += QStringLiteral(" (mergepoint)");
    }
    if (includeDoc && s)
        text += QStringLiteral(", ") + s->message;
    return text;
}

// Alembic's Script.log_entry (the --verbose form).
QString logEntry(const ScriptSet &set, const QString &rev, bool current)
{
    const MigrationScript *s = set.script(rev);
    const RevisionGraph &g = set.graph();
    QString e = QStringLiteral("Rev: ") + rev;
    if (g.isHead(rev))
        e += QStringLiteral(" (head)");
    if (g.isBranchPoint(rev))
        e += QStringLiteral(" (branchpoint)");
    if (g.isMergePoint(rev))
        e += QStringLiteral(" (mergepoint)");
    if (current)
        e += QStringLiteral(" (current)");
    e += QLatin1Char('\n');
    if (!s)
        return e;
    e += (g.isMergePoint(rev) ? QStringLiteral("Merges: ") : QStringLiteral("Parent: ")) + formatDown(*s) + QLatin1Char('\n');
    if (g.isBranchPoint(rev)) {
        QStringList kids = g.children(rev);
        kids.sort();
        e += QStringLiteral("Branches into: ") + kids.join(QStringLiteral(", ")) + QLatin1Char('\n');
    }
    e += QStringLiteral("Path: ") + s->fileName + QLatin1Char('\n');
    e += QStringLiteral("\n    %1\n\n    Revision ID: %2\n    Revises: %3\n    Create Date: %4\n")
             .arg(s->message, rev, s->downRevisions.join(QStringLiteral(", ")), s->created);
    if (!s->transactional)
        e += QStringLiteral("    Transactional: false\n");
    return e;
}

QJsonObject revisionJson(const ScriptSet &set, const QString &rev)
{
    QJsonObject o;
    o[QStringLiteral("revision")] = rev;
    const MigrationScript *s = set.script(rev);
    if (s) {
        o[QStringLiteral("down_revisions")] = QJsonArray::fromStringList(s->downRevisions);
        o[QStringLiteral("message")] = s->message;
        o[QStringLiteral("created")] = s->created;
        o[QStringLiteral("transactional")] = s->transactional;
        o[QStringLiteral("path")] = s->fileName;
    } else {
        o[QStringLiteral("missing_script")] = true;
    }
    o[QStringLiteral("is_head")] = set.graph().isHead(rev);
    o[QStringLiteral("is_branch_point")] = set.graph().isBranchPoint(rev);
    o[QStringLiteral("is_merge_point")] = set.graph().isMergePoint(rev);
    return o;
}

QJsonArray planJson(const ScriptSet &set, const QList<MigrationStep> &plan)
{
    QJsonArray a;
    for (const MigrationStep &step : plan) {
        QJsonObject o;
        o[QStringLiteral("revision")] = step.revision;
        o[QStringLiteral("direction")] = step.isUpgrade() ? QStringLiteral("upgrade") : QStringLiteral("downgrade");
        const MigrationScript *s = set.script(step.revision);
        o[QStringLiteral("message")] = s ? s->message : QString();
        o[QStringLiteral("transactional")] = s ? s->transactional : true;
        a.append(o);
    }
    return a;
}

} // namespace

CliApp::CliApp(QTextStream &out, QTextStream &err, const QProcessEnvironment &environment, QObject *parent)
    : QObject(parent)
    , m_out(out)
    , m_err(err)
    , m_env(environment)
{
}

QString CliApp::usage() const
{
    return tr("Usage: migrationdesk-cli [global options] <command> [arguments] [command options]\n"
              "\n"
              "Global options:\n"
              "  --url URL              postgresql://user:pass@host:port/db?sslmode=... (also postgres:// and\n"
              "                         postgresql+psycopg2://). Default: DATABASE_URL, then POSTGRES_USER/\n"
              "                         POSTGRES_PASSWORD/POSTGRES_DB/POSTGRES_HOST/POSTGRES_PORT, then libpq's\n"
              "                         PG* variables, ~/.pgpass and service files.\n"
              "  --migrations DIR       read migration scripts from DIR instead of the bundled ones\n"
              "  --version-table NAME   version table (default alembic_version; schema.table allowed)\n"
              "  --lock-timeout T       lock_timeout for migration statements (default 10s)\n"
              "  --single-transaction   run the whole upgrade/downgrade in one transaction\n"
              "  --sandbox              use the local sandbox cluster (created, migrated and filled with demo\n"
              "                         data on first use; the same one the desktop app's --sandbox uses)\n"
              "  --json                 machine-readable output on stdout\n"
              "  --verbose              show each statement as it runs\n"
              "  --quiet                print only errors\n"
              "  --version, --help\n"
              "\n"
              "Commands (as in Alembic):\n"
              "  current [--verbose]                      revision(s) of the database\n"
              "  history [-r RANGE] [--verbose] [-i]      revisions, newest first (RANGE like base:head, -3:current)\n"
              "  heads [--verbose] | branches [--verbose] | show REV\n"
              "  upgrade TARGET [--sql] [--backup FILE] [--dry-run]\n"
              "  downgrade TARGET [--sql] [--backup FILE] [--dry-run]\n"
              "                                           TARGET: head, heads, base, REV, prefix, +N, -N, REV+N, REV-N;\n"
              "                                           with --sql, FROM:TO ranges print the offline script\n"
              "  stamp TARGET [--dry-run]                 write the version table without running anything\n"
              "  check                                    exit 4 if the schema drifted or an applied script changed\n"
              "  revision -m MSG [--head REV] [--rev-id ID]  new empty script in --migrations DIR\n"
              "  merge -m MSG REV... [--rev-id ID]        merge revision of several heads in --migrations DIR\n"
              "  demo-data --employees N --schedules M [--deleted-ratio R] [--seed S]\n"
              "                                           append demo rows to a database at head (R default 0.02)\n"
              "\n"
              "Exit codes: 0 success, 1 migration failure, 2 usage error, 3 connection error, 4 drift found.\n");
}

void CliApp::cancel()
{
    m_cancelRequested = true;
    if (MigrationRunner *r = m_activeRunner.load())
        r->cancel();
}

int CliApp::usageError(const QString &message)
{
    m_err << tr("error: %1").arg(message) << '\n' << tr("Run 'migrationdesk-cli --help' for usage.") << '\n';
    m_err.flush();
    return UsageError;
}

int CliApp::fail(int code, const QString &message)
{
    const QString text = redactSecrets(message);
    if (m_global.json) {
        QJsonObject o;
        o[QStringLiteral("ok")] = false;
        o[QStringLiteral("exit_code")] = code;
        o[QStringLiteral("error")] = text;
        printJson(o);
    }
    m_err << tr("error: %1").arg(text) << '\n';
    m_err.flush();
    return code;
}

void CliApp::info(const QString &text)
{
    if (m_global.quiet)
        return;
    m_err << redactSecrets(text) << '\n';
    m_err.flush();
}

void CliApp::printJson(const QJsonObject &object)
{
    m_out << QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
    m_out.flush();
}

int CliApp::run(const QStringList &arguments)
{
    int i = 0;
    const int n = int(arguments.size());
    auto takeValue = [&](const QString &arg, const QString &name, QString *value) -> bool {
        const QString prefix = name + QLatin1Char('=');
        if (arg.startsWith(prefix)) {
            *value = arg.mid(prefix.size());
            return true;
        }
        if (i + 1 >= n)
            return false;
        *value = arguments.at(++i);
        return true;
    };
    for (; i < n; ++i) {
        const QString a = arguments.at(i);
        if (!a.startsWith(QLatin1Char('-')))
            break;
        const QString key = a.section(QLatin1Char('='), 0, 0);
        QString value;
        if (key == QLatin1String("--url") || key == QLatin1String("--migrations") || key == QLatin1String("--version-table")
            || key == QLatin1String("--lock-timeout")) {
            if (!takeValue(a, key, &value))
                return usageError(tr("%1 needs a value").arg(key));
            if (key == QLatin1String("--url")) {
                m_global.url = value;
                m_global.urlGiven = true;
            } else if (key == QLatin1String("--migrations")) {
                m_global.migrations = value;
            } else if (key == QLatin1String("--version-table")) {
                m_global.versionTable = value;
            } else {
                m_global.lockTimeout = value;
            }
        } else if (a == QLatin1String("--json")) {
            m_global.json = true;
        } else if (a == QLatin1String("--verbose") || a == QLatin1String("-v")) {
            m_global.verbose = true;
        } else if (a == QLatin1String("--quiet") || a == QLatin1String("-q")) {
            m_global.quiet = true;
        } else if (a == QLatin1String("--sandbox")) {
            m_global.sandbox = true;
        } else if (a == QLatin1String("--single-transaction")) {
            m_global.singleTransaction = true;
        } else if (a == QLatin1String("--version")) {
            m_out << QStringLiteral("migrationdesk-cli %1\n").arg(QStringLiteral(MIGRATIONDESK_VERSION));
            m_out.flush();
            return Ok;
        } else if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
            m_out << usage();
            m_out.flush();
            return Ok;
        } else {
            return usageError(tr("unknown global option '%1' (global options come before the command)").arg(a));
        }
    }
    if (i >= n)
        return usageError(tr("no command given"));
    const QString name = arguments.at(i);
    QString error;
    const auto command = parseCommand(name, arguments.mid(i + 1), &error);
    if (!command)
        return usageError(error);
    QString vtError;
    if (!VersionTable::fromName(m_global.versionTable, &vtError))
        return usageError(vtError);
    return dispatch(*command);
}

std::optional<CliApp::Command> CliApp::parseCommand(const QString &name, const QStringList &args, QString *error) const
{
    struct Spec { QStringList valued; QStringList flags; int minPositional; int maxPositional; };
    static const QHash<QString, Spec> specs = {
        {QStringLiteral("current"), {{}, {QStringLiteral("--verbose"), QStringLiteral("-v")}, 0, 0}},
        {QStringLiteral("history"), {{QStringLiteral("-r"), QStringLiteral("--rev-range")},
                                     {QStringLiteral("--verbose"), QStringLiteral("-v"), QStringLiteral("-i"), QStringLiteral("--indicate-current")}, 0, 0}},
        {QStringLiteral("heads"), {{}, {QStringLiteral("--verbose"), QStringLiteral("-v")}, 0, 0}},
        {QStringLiteral("branches"), {{}, {QStringLiteral("--verbose"), QStringLiteral("-v")}, 0, 0}},
        {QStringLiteral("show"), {{}, {}, 1, 1}},
        {QStringLiteral("upgrade"), {{QStringLiteral("--backup")}, {QStringLiteral("--sql"), QStringLiteral("--dry-run"), QStringLiteral("--single-transaction")}, 1, 1}},
        {QStringLiteral("downgrade"), {{QStringLiteral("--backup")}, {QStringLiteral("--sql"), QStringLiteral("--dry-run"), QStringLiteral("--single-transaction")}, 1, 1}},
        {QStringLiteral("stamp"), {{}, {QStringLiteral("--dry-run")}, 1, 1}},
        {QStringLiteral("check"), {{}, {}, 0, 0}},
        {QStringLiteral("revision"), {{QStringLiteral("-m"), QStringLiteral("--message"), QStringLiteral("--head"), QStringLiteral("--rev-id")}, {}, 0, 0}},
        {QStringLiteral("merge"), {{QStringLiteral("-m"), QStringLiteral("--message"), QStringLiteral("--rev-id")}, {}, 1, 1000}},
        {QStringLiteral("demo-data"), {{QStringLiteral("--employees"), QStringLiteral("--schedules"), QStringLiteral("--deleted-ratio"),
                                        QStringLiteral("--seed")}, {}, 0, 0}},
    };
    const auto it = specs.constFind(name);
    if (it == specs.constEnd()) {
        *error = tr("unknown command '%1'").arg(name);
        return std::nullopt;
    }
    Command c;
    c.name = name;
    for (int i = 0; i < args.size(); ++i) {
        const QString a = args.at(i);
        const QString key = a.startsWith(QLatin1String("--")) ? a.section(QLatin1Char('='), 0, 0) : a;
        if (it->valued.contains(key)) {
            QString value;
            if (key != a) {
                value = a.mid(key.size() + 1);
            } else if (i + 1 < args.size()) {
                // The value is taken verbatim even if it starts with '-': -r -3:current.
                value = args.at(++i);
            } else {
                *error = tr("%1 needs a value").arg(key);
                return std::nullopt;
            }
            c.values.insert(key, value);
        } else if (it->flags.contains(a)) {
            c.flags.insert(a);
        } else if (a.startsWith(QLatin1String("--"))) {
            *error = tr("unknown option '%1' for %2").arg(a, name);
            return std::nullopt;
        } else {
            // Anything else, including -1 and -2:head, is an argument.
            c.positional << a;
        }
    }
    if (c.positional.size() < it->minPositional) {
        *error = it->minPositional == 1 ? tr("%1 needs a target revision").arg(name) : tr("%1 needs at least %2 revisions").arg(name).arg(it->minPositional);
        return std::nullopt;
    }
    if (c.positional.size() > it->maxPositional) {
        *error = tr("unexpected argument '%1' for %2").arg(c.positional.at(it->maxPositional), name);
        return std::nullopt;
    }
    return c;
}

bool CliApp::isVerbose(const Command &c) const
{
    return m_global.verbose || c.flags.contains(QStringLiteral("--verbose")) || c.flags.contains(QStringLiteral("-v"));
}

void CliApp::printRevisionList(const QString &key, const ScriptSet &scripts, const QStringList &revisions)
{
    QJsonArray arr;
    for (const QString &r : revisions)
        arr.append(revisionJson(scripts, r));
    QJsonObject o;
    o[QStringLiteral("ok")] = true;
    o[key] = arr;
    printJson(o);
}

int CliApp::dispatch(const Command &c)
{
    if (c.name == QLatin1String("current"))
        return cmdCurrent(c);
    if (c.name == QLatin1String("history"))
        return cmdHistory(c);
    if (c.name == QLatin1String("heads"))
        return cmdHeads(c);
    if (c.name == QLatin1String("branches"))
        return cmdBranches(c);
    if (c.name == QLatin1String("show"))
        return cmdShow(c);
    if (c.name == QLatin1String("upgrade"))
        return cmdMigrate(c, true);
    if (c.name == QLatin1String("downgrade"))
        return cmdMigrate(c, false);
    if (c.name == QLatin1String("stamp"))
        return cmdStamp(c);
    if (c.name == QLatin1String("check"))
        return cmdCheck(c);
    if (c.name == QLatin1String("revision"))
        return cmdRevision(c, false);
    if (c.name == QLatin1String("demo-data"))
        return cmdDemoData(c);
    return cmdRevision(c, true);
}

std::optional<ScriptSet> CliApp::loadScripts(int *exitCode)
{
    const QString dir = m_global.migrations.isEmpty() ? ScriptSet::bundledLocation() : m_global.migrations;
    ScriptSet set = ScriptSet::load(dir);
    if (!set.isValid()) {
        *exitCode = fail(MigrationFailed, tr("the migration scripts are invalid; nothing was done:\n%1").arg(set.errorText()));
        return std::nullopt;
    }
    return set;
}

std::optional<ConnectionSettings> CliApp::connection(int *exitCode)
{
    QString error;
    if (m_global.sandbox) {
        if (m_global.urlGiven) {
            *exitCode = usageError(tr("--sandbox and --url cannot be combined"));
            return std::nullopt;
        }
        // The same private cluster the desktop app uses; started (and created on first use) if needed.
        Sandbox sandbox;
        connect(&sandbox, &Sandbox::progress, this, [this](const QString &step, int percent) {
            info(tr("Sandbox: %1 (%2%)").arg(step).arg(percent));
        });
        auto s = sandbox.ensureRunning(&error);
        if (!s) {
            *exitCode = fail(ConnectionFailed, error);
            return std::nullopt;
        }
        return s;
    }
    if (m_global.urlGiven) {
        auto s = ConnectionSettings::fromUrl(m_global.url, &error);
        if (!s) {
            *exitCode = usageError(redactSecrets(tr("invalid --url: %1").arg(error)));
            return std::nullopt;
        }
        return s;
    }
    QString source;
    auto s = ConnectionSettings::fromEnvironment(m_env, &source, &error);
    if (!s) {
        *exitCode = usageError(redactSecrets(error));
        return std::nullopt;
    }
    if (m_global.verbose)
        info(tr("Connection settings from %1.").arg(source));
    return s;
}

std::optional<ConnectionSettings> CliApp::openDatabase(PgConnection &connection, int *exitCode)
{
    auto settings = this->connection(exitCode);
    if (!settings)
        return std::nullopt;
    QString error;
    if (!connection.open(*settings, &error)) {
        *exitCode = fail(ConnectionFailed, error);
        return std::nullopt;
    }
    return settings;
}

std::optional<QStringList> CliApp::currentHeads(const ConnectionSettings &settings, int *exitCode)
{
    PgConnection conn;
    QString error;
    if (!conn.open(settings, &error)) {
        *exitCode = fail(ConnectionFailed, error);
        return std::nullopt;
    }
    Bookkeeping books(&conn, *VersionTable::fromName(m_global.versionTable, nullptr));
    SqlError sqlError;
    auto heads = books.readHeads(&sqlError);
    if (!heads) {
        *exitCode = fail(MigrationFailed, tr("could not read the version table: %1").arg(sqlError.toString()));
        return std::nullopt;
    }
    return heads;
}

int CliApp::cmdCurrent(const Command &c)
{
    int code = Ok;
    const auto scripts = loadScripts(&code);
    if (!scripts)
        return code;
    const auto settings = connection(&code);
    if (!settings)
        return code;
    const auto heads = currentHeads(*settings, &code);
    if (!heads)
        return code;
    const bool verbose = isVerbose(c);
    if (m_global.json) {
        printRevisionList(QStringLiteral("current"), *scripts, *heads);
        return Ok;
    }
    if (verbose)
        info(tr("Current revision(s) for %1:").arg(settings->displayName()));
    for (const QString &h : *heads) {
        if (!scripts->graph().contains(h))
            m_out << h << tr(" (missing from the scripts)") << '\n';
        else
            m_out << (verbose ? logEntry(*scripts, h, false) : headOnly(*scripts, h, false, false, true, false)) << '\n';
    }
    m_out.flush();
    return Ok;
}

int CliApp::cmdHistory(const Command &c)
{
    int code = Ok;
    const auto scripts = loadScripts(&code);
    if (!scripts)
        return code;
    QString range = c.values.value(QStringLiteral("-r"), c.values.value(QStringLiteral("--rev-range")));
    const bool verbose = isVerbose(c);
    const bool indicate = c.flags.contains(QStringLiteral("-i")) || c.flags.contains(QStringLiteral("--indicate-current"));
    QString lower, upper;
    if (!range.isEmpty()) {
        if (!range.contains(QLatin1Char(':')))
            return usageError(tr("history range '%1' must be of the form [start]:[end]").arg(range));
        lower = range.section(QLatin1Char(':'), 0, 0);
        upper = range.section(QLatin1Char(':'), 1);
    }
    const bool needsDb = indicate || lower == QLatin1String("current") || upper == QLatin1String("current")
                         || lower.startsWith(QLatin1Char('-')) || lower.startsWith(QLatin1Char('+'))
                         || upper.startsWith(QLatin1Char('-')) || upper.startsWith(QLatin1Char('+'));
    QStringList heads;
    if (needsDb) {
        const auto settings = connection(&code);
        if (!settings)
            return code;
        const auto h = currentHeads(*settings, &code);
        if (!h)
            return code;
        heads = *h;
    }
    QString error;
    const auto revs = scripts->graph().walk(lower, upper, heads, &error);
    if (!revs)
        return fail(UsageError, error);
    if (m_global.json) {
        QJsonArray arr;
        for (const QString &r : *revs) {
            QJsonObject o = revisionJson(*scripts, r);
            if (indicate)
                o[QStringLiteral("current")] = heads.contains(r);
            arr.append(o);
        }
        QJsonObject o;
        o[QStringLiteral("ok")] = true;
        o[QStringLiteral("history")] = arr;
        printJson(o);
        return Ok;
    }
    for (const QString &r : *revs) {
        const bool cur = indicate && heads.contains(r);
        m_out << (verbose ? logEntry(*scripts, r, cur) : headOnly(*scripts, r, true, true, true, cur)) << '\n';
    }
    m_out.flush();
    return Ok;
}

int CliApp::cmdHeads(const Command &c)
{
    int code = Ok;
    const auto scripts = loadScripts(&code);
    if (!scripts)
        return code;
    const bool verbose = isVerbose(c);
    const QStringList heads = scripts->graph().heads();
    if (m_global.json) {
        printRevisionList(QStringLiteral("heads"), *scripts, heads);
        return Ok;
    }
    for (const QString &h : heads)
        m_out << (verbose ? logEntry(*scripts, h, false) : headOnly(*scripts, h, false, false, false, false)) << '\n';
    m_out.flush();
    return Ok;
}

int CliApp::cmdBranches(const Command &c)
{
    int code = Ok;
    const auto scripts = loadScripts(&code);
    if (!scripts)
        return code;
    const bool verbose = isVerbose(c);
    const RevisionGraph &g = scripts->graph();
    QJsonArray arr;
    for (const QString &r : g.revisions()) {
        if (!g.isBranchPoint(r))
            continue;
        QStringList kids = g.children(r);
        kids.sort();
        if (m_global.json) {
            QJsonObject o = revisionJson(*scripts, r);
            o[QStringLiteral("branches_into")] = QJsonArray::fromStringList(kids);
            arr.append(o);
            continue;
        }
        m_out << (verbose ? logEntry(*scripts, r, false) : headOnly(*scripts, r, false, false, true, false)) << '\n';
        for (const QString &k : kids)
            m_out << QString(r.size(), QLatin1Char(' ')) << QStringLiteral(" -> ")
                  << headOnly(*scripts, k, false, verbose, true, false) << '\n';
    }
    if (m_global.json) {
        QJsonObject o;
        o[QStringLiteral("ok")] = true;
        o[QStringLiteral("branches")] = arr;
        printJson(o);
    }
    m_out.flush();
    return Ok;
}

int CliApp::cmdShow(const Command &c)
{
    int code = Ok;
    const auto scripts = loadScripts(&code);
    if (!scripts)
        return code;
    QString error;
    const auto revs = scripts->graph().resolveTarget(c.positional.first(), {}, &error);
    if (!revs)
        return fail(UsageError, error);
    if (m_global.json) {
        printRevisionList(QStringLiteral("revisions"), *scripts, *revs);
        return Ok;
    }
    for (const QString &r : *revs)
        m_out << logEntry(*scripts, r, false) << '\n';
    m_out.flush();
    return Ok;
}

void CliApp::attachProgress(MigrationRunner &runner)
{
    connect(&runner, &MigrationRunner::message, this, [this](const QString &text) {
        if (m_global.verbose)
            info(text);
    });
    connect(&runner, &MigrationRunner::lockWaiting, this, [this](const QString &holder) {
        info(tr("Waiting for the migration lock, held by %1...").arg(holder));
    });
    connect(&runner, &MigrationRunner::waitingForInterruptedRun, this, [this](const QString &session) {
        info(tr("Waiting for the server to end the session of an interrupted earlier run (%1)...").arg(session));
    });
    connect(&runner, &MigrationRunner::statementStarted, this,
            [this](int, int statement, int count, int line, const QString &sql) {
                if (m_global.verbose)
                    info(tr("  [%1/%2] line %3: %4").arg(statement + 1).arg(count).arg(line).arg(sql.simplified().left(120)));
            });
    connect(&runner, &MigrationRunner::statementFinished, this, [this](int, int, qint64 ms) {
        if (m_global.verbose)
            info(tr("        done in %1 ms").arg(ms));
    });
}

int CliApp::cmdMigrate(const Command &c, bool upgrade)
{
    int code = Ok;
    const auto scripts = loadScripts(&code);
    if (!scripts)
        return code;
    const bool sql = c.flags.contains(QStringLiteral("--sql"));
    if (sql) {
        if (c.values.contains(QStringLiteral("--backup")) || c.flags.contains(QStringLiteral("--dry-run")))
            return usageError(tr("--sql does not connect, so it cannot be combined with --backup or --dry-run"));
        return cmdOffline(*scripts, c, upgrade);
    }
    const QString target = c.positional.first();
    if (target.contains(QLatin1Char(':')))
        return usageError(tr("a FROM:TO range is only meaningful with --sql"));
    const auto settings = connection(&code);
    if (!settings)
        return code;

    RunOptions options;
    options.versionTable = *VersionTable::fromName(m_global.versionTable, nullptr);
    options.lockTimeout = m_global.lockTimeout;
    options.singleTransaction = m_global.singleTransaction || c.flags.contains(QStringLiteral("--single-transaction"));
    options.backupFile = c.values.value(QStringLiteral("--backup"));
    options.dryRun = c.flags.contains(QStringLiteral("--dry-run"));
    MigrationRunner runner(*scripts, *settings, options);
    attachProgress(runner);
    connect(&runner, &MigrationRunner::stepStarted, this, [this, &scripts](int, int, const QString &revision, bool up) {
        const MigrationScript *s = scripts->script(revision);
        const QString parents = s ? s->downRevisions.join(QStringLiteral(", ")) : QString();
        info(up ? tr("Running upgrade %1 -> %2, %3").arg(parents, revision, s ? s->message : QString())
                : tr("Running downgrade %1 -> %2, %3").arg(revision, parents, s ? s->message : QString()));
    });
    m_activeRunner = &runner;
    if (m_cancelRequested)
        runner.cancel();
    const RunResult r = upgrade ? runner.upgrade(target) : runner.downgrade(target);
    m_activeRunner = nullptr;

    for (const QString &note : r.notes)
        info(note);
    const int exit = r.status == RunResult::Status::Ok ? Ok
        : r.status == RunResult::Status::ConnectionError ? ConnectionFailed
        : r.status == RunResult::Status::Refused ? UsageError : MigrationFailed;
    if (m_global.json) {
        QJsonObject o;
        o[QStringLiteral("ok")] = r.ok();
        o[QStringLiteral("exit_code")] = exit;
        o[QStringLiteral("dry_run")] = options.dryRun;
        o[QStringLiteral("plan")] = planJson(*scripts, r.plan);
        o[QStringLiteral("heads_before")] = QJsonArray::fromStringList(r.headsBefore);
        o[QStringLiteral("heads_after")] = QJsonArray::fromStringList(r.headsAfter);
        o[QStringLiteral("steps_completed")] = r.stepsCompleted;
        o[QStringLiteral("notes")] = QJsonArray::fromStringList(r.notes);
        if (!r.ok())
            o[QStringLiteral("error")] = redactSecrets(r.error);
        printJson(o);
        if (!r.ok())
            m_err << tr("error: %1").arg(redactSecrets(r.error)) << '\n';
        m_err.flush();
        return exit;
    }
    if (!r.ok())
        return fail(exit, r.error);
    if (options.dryRun) {
        const QString from = r.headsBefore.isEmpty() ? QStringLiteral("<base>") : r.headsBefore.join(QStringLiteral(", "));
        if (r.plan.isEmpty()) {
            m_out << tr("Nothing to do: the database (%1) is already at %2.").arg(settings->displayName(), target) << '\n';
        } else {
            m_out << tr("Plan for %1 %2 on %3, from %4 (dry run, nothing changed):")
                         .arg(upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"), target, settings->displayName(), from)
                  << '\n';
            int n = 0;
            for (const MigrationStep &step : r.plan) {
                const MigrationScript *s = scripts->script(step.revision);
                m_out << QStringLiteral("  %1. %2 %3  %4%5\n")
                             .arg(++n)
                             .arg(step.isUpgrade() ? QStringLiteral("upgrade  ") : QStringLiteral("downgrade"), step.revision,
                                  s ? s->message : QString(),
                                  s && !s->transactional ? tr("  [non-transactional]") : QString());
            }
        }
        m_out.flush();
        return Ok;
    }
    if (r.plan.isEmpty())
        info(tr("Nothing to do: the database is already at %1.").arg(r.headsAfter.isEmpty() ? QStringLiteral("base") : r.headsAfter.join(QStringLiteral(", "))));
    else
        info(tr("Done: %n revision(s) applied; now at %1.", nullptr, r.stepsCompleted)
                 .arg(r.headsAfter.isEmpty() ? QStringLiteral("base") : r.headsAfter.join(QStringLiteral(", "))));
    return Ok;
}

int CliApp::cmdOffline(const ScriptSet &scripts, const Command &c, bool upgrade)
{
    const QString arg = c.positional.first();
    QString from, to = arg;
    if (arg.contains(QLatin1Char(':'))) {
        from = arg.section(QLatin1Char(':'), 0, 0);
        to = arg.section(QLatin1Char(':'), 1);
    } else if (!upgrade) {
        return usageError(tr("downgrade with --sql requires <fromrev>:<torev>"));
    }
    const RevisionGraph &g = scripts.graph();
    QString error;
    QStringList start;
    if (!from.isEmpty() && from != QLatin1String("base")) {
        const auto resolved = g.resolveTarget(from, {}, &error);
        if (!resolved)
            return fail(UsageError, error);
        start = *resolved;
    }
    const auto plan = upgrade ? g.upgradePlan(start, to, &error) : g.downgradePlan(start, to, &error);
    if (!plan)
        return fail(UsageError, error);
    OfflineRenderer::Options options;
    options.versionTable = *VersionTable::fromName(m_global.versionTable, nullptr);
    options.singleTransaction = m_global.singleTransaction || c.flags.contains(QStringLiteral("--single-transaction"));
    options.lockTimeout = m_global.lockTimeout;
    const auto sql = OfflineRenderer::render(scripts, *plan, start, options, &error);
    if (!sql)
        return fail(UsageError, error);
    m_out << *sql;
    m_out.flush();
    return Ok;
}

int CliApp::cmdStamp(const Command &c)
{
    int code = Ok;
    const auto scripts = loadScripts(&code);
    if (!scripts)
        return code;
    const auto settings = connection(&code);
    if (!settings)
        return code;
    RunOptions options;
    options.versionTable = *VersionTable::fromName(m_global.versionTable, nullptr);
    options.dryRun = c.flags.contains(QStringLiteral("--dry-run"));
    MigrationRunner runner(*scripts, *settings, options);
    attachProgress(runner);
    const RunResult r = runner.stamp(c.positional.first());
    for (const QString &note : r.notes)
        info(note);
    const int exit = r.ok() ? Ok
        : r.status == RunResult::Status::ConnectionError ? ConnectionFailed
        : r.status == RunResult::Status::Refused ? UsageError : MigrationFailed;
    if (m_global.json) {
        QJsonObject o;
        o[QStringLiteral("ok")] = r.ok();
        o[QStringLiteral("exit_code")] = exit;
        o[QStringLiteral("heads_before")] = QJsonArray::fromStringList(r.headsBefore);
        o[QStringLiteral("heads_after")] = QJsonArray::fromStringList(r.headsAfter);
        if (!r.ok())
            o[QStringLiteral("error")] = redactSecrets(r.error);
        printJson(o);
        return exit;
    }
    if (!r.ok())
        return fail(exit, r.error);
    info(tr("Stamped %1: version table now at %2.")
             .arg(settings->displayName(), r.headsAfter.isEmpty() ? QStringLiteral("base") : r.headsAfter.join(QStringLiteral(", "))));
    return Ok;
}

int CliApp::cmdCheck(const Command &)
{
    int code = Ok;
    const auto scripts = loadScripts(&code);
    if (!scripts)
        return code;
    PgConnection conn;
    const auto settings = openDatabase(conn, &code);
    if (!settings)
        return code;
    QString error;
    const auto report = DriftCheck::run(conn, *scripts, *VersionTable::fromName(m_global.versionTable, nullptr), &error);
    if (!report)
        return fail(MigrationFailed, tr("check failed: %1").arg(error));
    const int exit = report->drifted() ? DriftFound : Ok;
    if (m_global.json) {
        QJsonObject o;
        o[QStringLiteral("ok")] = !report->drifted();
        o[QStringLiteral("exit_code")] = exit;
        o[QStringLiteral("heads")] = QJsonArray::fromStringList(report->heads);
        o[QStringLiteral("has_snapshot")] = report->hasSnapshot;
        o[QStringLiteral("schema_differences")] = QJsonArray::fromStringList(report->schemaDifferences);
        o[QStringLiteral("checksum_differences")] = QJsonArray::fromStringList(report->checksumDifferences);
        o[QStringLiteral("notes")] = QJsonArray::fromStringList(report->notes);
        printJson(o);
        return exit;
    }
    for (const QString &note : report->notes)
        info(note);
    if (!report->drifted()) {
        m_out << tr("No drift: the schema of %1 matches what its applied revisions built, and no applied script changed.")
                     .arg(settings->displayName())
              << '\n';
        m_out.flush();
        return Ok;
    }
    m_out << tr("Drift found in %1:").arg(settings->displayName()) << '\n';
    for (const QString &d : report->schemaDifferences)
        m_out << tr("  schema: %1").arg(d) << '\n';
    for (const QString &d : report->checksumDifferences)
        m_out << tr("  script: %1").arg(d) << '\n';
    m_out.flush();
    return DriftFound;
}

int CliApp::cmdRevision(const Command &c, bool merge)
{
    if (m_global.migrations.isEmpty())
        return usageError(tr("%1 writes a new script and needs --migrations DIR (the bundled scripts are read-only)").arg(c.name));
    const QString message = c.values.value(QStringLiteral("-m"), c.values.value(QStringLiteral("--message")));
    if (message.isEmpty())
        return usageError(tr("%1 needs a message: -m \"...\"").arg(c.name));
    int code = Ok;
    const auto scripts = loadScripts(&code);
    if (!scripts)
        return code;
    const RevisionGraph &g = scripts->graph();
    QStringList parents;
    QString error;
    if (merge) {
        for (const QString &r : c.positional) {
            const auto resolved = g.resolveTarget(r, {}, &error);
            if (!resolved)
                return fail(UsageError, error);
            for (const QString &x : *resolved)
                if (!parents.contains(x))
                    parents << x;
        }
        if (parents.size() < 2)
            return fail(UsageError, tr("merge needs at least two distinct revisions"));
    } else if (c.values.contains(QStringLiteral("--head"))) {
        const auto resolved = g.resolveTarget(c.values.value(QStringLiteral("--head")), {}, &error);
        if (!resolved)
            return fail(UsageError, error);
        parents = *resolved;
    } else {
        parents = g.heads();
        if (parents.size() > 1)
            return fail(UsageError, tr("Multiple heads are present (%1); please specify the head revision on which the "
                                       "new revision should be based with --head, or perform a merge.")
                                        .arg(parents.join(QStringLiteral(", "))));
    }
    const auto path = ScriptWriter::write(*scripts, message, parents, &error, c.values.value(QStringLiteral("--rev-id")));
    if (!path)
        return fail(UsageError, error);
    if (m_global.json) {
        QJsonObject o;
        o[QStringLiteral("ok")] = true;
        o[QStringLiteral("path")] = *path;
        printJson(o);
    } else {
        m_out << tr("Generating %1 ...  done").arg(*path) << '\n';
        m_out.flush();
    }
    return Ok;
}

int CliApp::cmdDemoData(const Command &c)
{
    if (!c.values.contains(QStringLiteral("--employees")) || !c.values.contains(QStringLiteral("--schedules")))
        return usageError(tr("demo-data needs --employees N and --schedules M"));
    DemoDataOptions options;
    bool ok = false;
    options.employees = c.values.value(QStringLiteral("--employees")).toLongLong(&ok);
    if (!ok || options.employees < 0)
        return usageError(tr("--employees needs a whole number of 0 or more"));
    options.schedules = c.values.value(QStringLiteral("--schedules")).toLongLong(&ok);
    if (!ok || options.schedules < 0)
        return usageError(tr("--schedules needs a whole number of 0 or more"));
    if (c.values.contains(QStringLiteral("--deleted-ratio"))) {
        options.deletedRatio = c.values.value(QStringLiteral("--deleted-ratio")).toDouble(&ok);
        if (!ok || !(options.deletedRatio >= 0.0 && options.deletedRatio <= 1.0))
            return usageError(tr("--deleted-ratio needs a number between 0 and 1"));
    }
    if (c.values.contains(QStringLiteral("--seed"))) {
        options.seed = c.values.value(QStringLiteral("--seed")).toULongLong(&ok);
        if (!ok)
            return usageError(tr("--seed needs a whole number of 0 or more"));
    }
    options.versionTable = m_global.versionTable;

    int code = Ok;
    PgConnection conn;
    const auto settings = openDatabase(conn, &code);
    if (!settings)
        return code;
    QString error;

    QElapsedTimer sinceReport;
    sinceReport.start();
    auto progress = [this, &sinceReport](qint64 done, qint64 total) {
        if (m_global.quiet || (done < total && sinceReport.elapsed() < 1000))
            return;
        sinceReport.restart();
        info(tr("Added %1 of %2 rows (%3%)").arg(done).arg(total).arg(total > 0 ? done * 100 / total : 100));
    };
    DemoDataResult result;
    if (!DemoDataGenerator::generate(conn, options, progress, &m_cancelRequested, &error, &result))
        return fail(MigrationFailed, error);

    const qint64 rows = result.employeesAdded + result.schedulesAdded;
    const double perSecond = result.seconds > 0 ? double(rows) / result.seconds : 0.0;
    if (m_global.json) {
        QJsonObject o;
        o[QStringLiteral("ok")] = true;
        o[QStringLiteral("exit_code")] = Ok;
        o[QStringLiteral("employees_added")] = result.employeesAdded;
        o[QStringLiteral("schedules_added")] = result.schedulesAdded;
        o[QStringLiteral("first_employee_id")] = result.firstEmployeeId;
        o[QStringLiteral("first_schedule_id")] = result.firstScheduleId;
        o[QStringLiteral("seed")] = QString::number(options.seed);
        o[QStringLiteral("deleted_ratio")] = options.deletedRatio;
        o[QStringLiteral("seconds")] = result.seconds;
        o[QStringLiteral("rows_per_second")] = perSecond;
        printJson(o);
        return Ok;
    }
    m_out << tr("Added %1 employees and %2 schedules to %3 in %4 s (%5 rows/s).")
                 .arg(result.employeesAdded)
                 .arg(result.schedulesAdded)
                 .arg(settings->displayName())
                 .arg(result.seconds, 0, 'f', 1)
                 .arg(qint64(perSecond))
          << '\n';
    m_out.flush();
    return Ok;
}

} // namespace MigrationDesk
