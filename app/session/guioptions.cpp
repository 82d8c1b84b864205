#include "session/guioptions.h"

#include "migrations/versiontable.h"

#include <QCoreApplication>
#include <QDir>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate the same context ("main") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(main)
};

constexpr AppView kViews[] = {AppView::Migrations, AppView::Tables, AppView::Schedules, AppView::Trash};

// Qt's command-line options that take a value; QApplication removes them from argv itself.
bool isQtOptionWithValue(const QString &option)
{
    static const QStringList options = {
        u"-platform"_s,     u"-platformpluginpath"_s, u"-platformtheme"_s,
        u"-plugin"_s,       u"-qwindowgeometry"_s,    u"-qwindowicon"_s,
        u"-qwindowtitle"_s, u"-display"_s,            u"-geometry"_s,
        u"-style"_s,        u"-stylesheet"_s,         u"-session"_s,
        u"-title"_s,        u"-icon"_s,               u"-name"_s,
    };
    return options.contains(option);
}

bool isQtFlag(const QString &option)
{
    static const QStringList flags = {u"-reverse"_s, u"-nograb"_s, u"-dograb"_s,
                                      u"-sync"_s,    u"-widgetcount"_s,
                                      u"-testability"_s};
    return flags.contains(option) || option.startsWith(QLatin1String("-qmljsdebugger="));
}

} // namespace

std::optional<AppView> appViewFromName(const QString &name)
{
    for (AppView view : kViews) {
        if (appViewName(view).compare(name, Qt::CaseInsensitive) == 0)
            return view;
    }
    return std::nullopt;
}

QString appViewName(AppView view)
{
    switch (view) {
    case AppView::Migrations:
        return u"migrations"_s;
    case AppView::Tables:
        return u"tables"_s;
    case AppView::Schedules:
        return u"schedules"_s;
    case AppView::Trash:
        return u"trash"_s;
    }
    return QString();
}

QString GuiOptions::usage()
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
                    "  --view VIEW            the view to show: migrations, tables, schedules, calendar (the\n"
                    "                         schedules as a week) or trash\n"
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

GuiOptions::Outcome GuiOptions::parse(const QStringList &arguments, GuiOptions *options, QString *error)
{
    using Parse = Outcome;
    const qsizetype argc = arguments.size();
    QString viewName;
    for (qsizetype i = 1; i < argc; ++i) {
        QString arg = arguments.at(i);
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
            *out = arguments.at(++i);
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
        } else if (arg == QLatin1String("--report-milestones")) {
            options->reportMilestones = true;
        } else if (arg == QLatin1String("--url")) {
            QString url;
            if (!takeValue(&url))
                return Parse::Error;
            QString why;
            options->url = ConnectionSettings::fromUrl(url, &why);
            if (!options->url) {
                *error = redactSecrets(Text::tr("Invalid --url: %1").arg(why));
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
            if (!VersionTable::fromName(options->versionTable, &why)) {
                *error = Text::tr("Invalid --version-table: %1").arg(why);
                return Parse::Error;
            }
        } else if (arg == QLatin1String("--view")) {
            if (!takeValue(&viewName))
                return Parse::Error;
            // The calendar is the Schedules view in its Week mode, not a view of its own.
            options->calendar = viewName.compare(QLatin1String("calendar"), Qt::CaseInsensitive) == 0;
            options->view = options->calendar ? std::optional<AppView>(AppView::Schedules) : appViewFromName(viewName);
            if (!options->view) {
                *error = Text::tr("--view must be migrations, tables, schedules, calendar or trash, not \"%1\".")
                             .arg(viewName);
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
    if (!options->table.isEmpty() && options->view && *options->view != AppView::Tables) {
        *error = Text::tr("--table opens the tables view; it cannot be combined with --view %1.").arg(viewName);
        return Parse::Error;
    }
    if (options->table.isEmpty() && !options->schema.isEmpty()) {
        *error = Text::tr("--schema needs --table.");
        return Parse::Error;
    }
    return Parse::Run;
}

} // namespace MigrationDesk
