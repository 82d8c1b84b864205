#include "cli/cliapp.h"

#include "cli/clicontext.h"
#include "cli/cliparser.h"
#include "cli/datacommands.h"
#include "cli/importcommands.h"
#include "cli/migratecommands.h"
#include "cli/reviewcommands.h"
#include "cli/revisioncommands.h"
#include "cli/schemacommands.h"
#include "db/connectionsettings.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

using CommandFunction = CommandOutput (*)(CliContext &, const CliCommand &);

CommandOutput upgrade(CliContext &ctx, const CliCommand &c)
{
    return MigrateCommands::migrate(ctx, c, MigrationOp::Upgrade);
}

CommandOutput downgrade(CliContext &ctx, const CliCommand &c)
{
    return MigrateCommands::migrate(ctx, c, MigrationOp::Downgrade);
}

// Every command the parser accepts, by name.
const QHash<QString, CommandFunction> &commands()
{
    static const QHash<QString, CommandFunction> table = {
        {u"current"_s, &RevisionCommands::current},
        {u"history"_s, &RevisionCommands::history},
        {u"heads"_s, &RevisionCommands::heads},
        {u"branches"_s, &RevisionCommands::branches},
        {u"show"_s, &RevisionCommands::show},
        {u"upgrade"_s, &upgrade},
        {u"downgrade"_s, &downgrade},
        {u"stamp"_s, &MigrateCommands::stamp},
        {u"check"_s, &SchemaCommands::check},
        {u"revision"_s, &SchemaCommands::revision},
        {u"merge"_s, &SchemaCommands::merge},
        {u"demo-data"_s, &DataCommands::demoData},
        {u"import-alembic"_s, &ImportCommands::importAlembic},
        {u"review"_s, &ReviewCommands::review},
    };
    return table;
}

} // namespace

CliApp::CliApp(QTextStream &out, QTextStream &err, const QProcessEnvironment &environment, QObject *parent)
    : QObject(parent)
    , m_out(out)
    , m_context(std::make_unique<CliContext>(out, err, environment, this))
{
}

CliApp::~CliApp() = default;

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
              "  check [--baseline]                       exit 4 if the schema drifted or an applied script changed, 6 if\n"
              "                                           no snapshot exists for revisions applied outside MigrationDesk;\n"
              "                                           --baseline records the current schema as that snapshot\n"
              "  revision -m MSG [--head REV] [--rev-id ID]  new empty script in --migrations DIR\n"
              "  merge -m MSG REV... [--rev-id ID]        merge revision of several heads in --migrations DIR\n"
              "  demo-data --employees N --schedules M [--deleted-ratio R] [--seed S]\n"
              "                                           append demo rows to a database at head (R default 0.02)\n"
              "\n"
              "Exit codes: 0 success, 1 migration failure, 2 usage error, 3 connection error, 4 drift found,\n"
              "5 review findings, 6 no schema snapshot for the applied revisions (see check --baseline).\n")
        // A message of its own, so the translated text above stays valid.
        + tr("\nupgrade and downgrade also take --restart-revision: run an interrupted non-transactional revision\n"
             "again from statement 1, once its script is safe to repeat (an edited one is never resumed by position).\n")
        + tr("\nRuntime guards of upgrade and downgrade (global options):\n"
             "  --lock-retries N       after a lock timeout, roll the revision back and try it again up to N times,\n"
             "                         pausing 1 s, 2 s, 4 s ... (at most 30 s) in between (default 0)\n"
             "  --statement-timeout T  statement_timeout for each migration statement, e.g. 500ms, 30s, 5min\n"
             "                         (default: the server's setting)\n")
        + tr("\nimport-alembic PATH --out DIR [--python EXE]\n"
             "                                           write an Alembic project (PATH: alembic.ini or its folder) as\n"
             "                                           scripts in DIR, keeping revision ids, branch labels and depends_on;\n"
             "                                           exit 1 if some revision needs review\n")
        + tr("\nPre-flight review (what each step locks, rewrites or drops, weighed by the live table sizes):\n"
             "  review [TARGET] [--downgrade] [--fail-on LEVEL] [--offline [--from REV]]\n"
             "         [--danger-rows N] [--danger-bytes SIZE]\n"
             "                     TARGET defaults to head; --downgrade reviews a downgrade to TARGET. Exit 5 when a\n"
             "                     finding is at or above LEVEL (info, warning, danger, error; default error).\n"
             "                     --offline reads only the scripts (sizes unknown), from REV (default: base for an\n"
             "                     upgrade, the heads for a downgrade). A step is danger from N rows (default\n"
             "                     100000) or SIZE (default 100MB) on.\n"
             "  upgrade/downgrade print danger and error findings first; an error finding stops them before anything\n"
             "  changes (exit 5) unless --accept RULE (repeatable) names its rule. --dry-run shows every finding.\n"
             "  A comment \"-- review: allow RULE reason\" right above a statement allows that finding.\n"
             "Exit code 5: the review found what --fail-on names, or an error finding stopped the run.\n");
}

void CliApp::cancel()
{
    m_context->requestCancel();
}

int CliApp::run(const QStringList &arguments)
{
    const CliRequest request = CliParser::parse(arguments);
    switch (request.kind) {
    case CliRequest::Kind::Version:
        m_out << u"migrationdesk-cli %1\n"_s.arg(QStringLiteral(MIGRATIONDESK_VERSION));
        m_out.flush();
        return Ok;
    case CliRequest::Kind::Help:
        m_out << usage();
        m_out.flush();
        return Ok;
    case CliRequest::Kind::UsageError: {
        m_context->setGlobals(request.globals);
        const CommandOutput output = CommandOutput::usage(request.error);
        m_context->print(output);
        return output.exitCode;
    }
    case CliRequest::Kind::Run:
        break;
    }
    m_context->setGlobals(request.globals);
    if (request.globals.urlGiven) {
        const auto settings = ConnectionSettings::fromUrl(request.globals.url, nullptr);
        if (settings && !settings->password.isEmpty())
            m_context->warn(tr("a password given in --url is visible to other users of this machine (ps, "
                               "/proc/PID/cmdline) until the tool starts. Use PGPASSWORD, ~/.pgpass or the desktop "
                               "app's keychain instead."));
    }
    const CommandOutput output = commands().value(request.command.name)(*m_context, request.command);
    m_context->print(output);
    return output.exitCode;
}

} // namespace MigrationDesk
