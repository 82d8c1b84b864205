#include "cli/cliparser.h"

#include "migrations/versiontable.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Longer arguments are refused before any lookup, and echoed cut short: a revision id, a prefix or a
// FROM:TO range of two ids never comes near this.
constexpr int maxRevisionArgument = 200;

} // namespace

QString CliParser::echo(const QString &argument)
{
    constexpr int shown = 40;
    if (argument.size() <= shown)
        return argument;
    return tr("%1... (%n characters)", nullptr, int(argument.size())).arg(argument.left(shown));
}

CliRequest CliParser::parse(const QStringList &arguments)
{
    CliRequest request;
    CliGlobals &global = request.globals;
    auto usageError = [&request, &arguments](const QString &message) {
        request.kind = CliRequest::Kind::UsageError;
        request.error = message;
        // The caller asked for JSON even if the error came before (or instead of) reading --json.
        if (arguments.contains(u"--json"_s))
            request.globals.json = true;
        return request;
    };
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
                global.url = value;
                global.urlGiven = true;
            } else if (key == QLatin1String("--migrations")) {
                global.migrations = value;
            } else if (key == QLatin1String("--version-table")) {
                global.versionTable = value;
            } else {
                global.lockTimeout = value;
            }
        } else if (key == QLatin1String("--lock-retries") || key == QLatin1String("--statement-timeout")) {
            if (!takeValue(a, key, &value))
                return usageError(tr("%1 needs a value").arg(key));
            const QString guardError = parseRunGuard(key, value, &global);
            if (!guardError.isEmpty())
                return usageError(guardError);
        } else if (a == QLatin1String("--json")) {
            global.json = true;
        } else if (a == QLatin1String("--verbose") || a == QLatin1String("-v")) {
            global.verbose = true;
        } else if (a == QLatin1String("--quiet") || a == QLatin1String("-q")) {
            global.quiet = true;
        } else if (a == QLatin1String("--sandbox")) {
            global.sandbox = true;
        } else if (a == QLatin1String("--single-transaction")) {
            global.singleTransaction = true;
        } else if (a == QLatin1String("--version")) {
            request.kind = CliRequest::Kind::Version;
            return request;
        } else if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
            request.kind = CliRequest::Kind::Help;
            return request;
        } else {
            return usageError(tr("unknown global option '%1' (global options come before the command)").arg(echo(a)));
        }
    }
    if (i >= n)
        return usageError(tr("no command given"));
    QString error;
    const auto command = parseCommand(arguments.at(i), arguments.mid(i + 1), &error);
    if (!command)
        return usageError(error);
    if (!VersionTable::fromName(global.versionTable, &error))
        return usageError(error);
    // --sql prints a script on stdout; --json promises one JSON object there. They cannot both hold.
    if (global.json && command->has(u"--sql"_s))
        return usageError(tr("--json cannot be combined with --sql (the SQL script is the output)"));
    request.command = *command;
    return request;
}

QString CliParser::parseRunGuard(const QString &option, const QString &value, CliGlobals *globals)
{
    if (option == QLatin1String("--lock-retries")) {
        bool ok = false;
        const int n = value.toInt(&ok);
        if (!ok || n < 0 || n > 100)
            return tr("--lock-retries needs a whole number from 0 to 100, not '%1'").arg(echo(value));
        globals->lockRetries = n;
        return {};
    }
    // PostgreSQL's own units for time settings; the server checks the value again before the run changes anything.
    static const QRegularExpression duration(u"^\\d{1,9}(\\.\\d+)?\\s*(us|ms|s|min|h|d)?$"_s);
    if (!duration.match(value.trimmed()).hasMatch())
        return tr("--statement-timeout needs a duration such as 500ms, 30s or 5min, not '%1'").arg(echo(value));
    globals->statementTimeout = value.trimmed();
    return {};
}

std::optional<CliCommand> CliParser::parseCommand(const QString &name, const QStringList &args, QString *error)
{
    struct Spec { QStringList valued; QStringList flags; int minPositional; int maxPositional; };
    static const QHash<QString, Spec> specs = {
        {u"current"_s, {{}, {u"--verbose"_s, u"-v"_s}, 0, 0}},
        {u"history"_s, {{u"-r"_s, u"--rev-range"_s},
                                     {u"--verbose"_s, u"-v"_s, u"-i"_s, u"--indicate-current"_s}, 0, 0}},
        {u"heads"_s, {{}, {u"--verbose"_s, u"-v"_s}, 0, 0}},
        {u"branches"_s, {{}, {u"--verbose"_s, u"-v"_s}, 0, 0}},
        {u"show"_s, {{}, {}, 1, 1}},
        {u"upgrade"_s, {{u"--backup"_s}, {u"--sql"_s, u"--dry-run"_s, u"--single-transaction"_s, u"--restart-revision"_s}, 1, 1}},
        {u"downgrade"_s, {{u"--backup"_s}, {u"--sql"_s, u"--dry-run"_s, u"--single-transaction"_s, u"--restart-revision"_s}, 1, 1}},
        {u"stamp"_s, {{}, {u"--dry-run"_s}, 1, 1}},
        {u"check"_s, {{}, {u"--baseline"_s}, 0, 0}},
        {u"revision"_s, {{u"-m"_s, u"--message"_s, u"--head"_s, u"--rev-id"_s}, {}, 0, 0}},
        {u"merge"_s, {{u"-m"_s, u"--message"_s, u"--rev-id"_s}, {}, 1, 1000}},
        {u"demo-data"_s, {{u"--employees"_s, u"--schedules"_s, u"--deleted-ratio"_s,
                                        u"--seed"_s}, {}, 0, 0}},
        // import-alembic: PATH is a file path, not a revision (see below)
        {u"import-alembic"_s, {{u"--out"_s, u"--python"_s}, {}, 1, 1}},
        {u"review"_s, {{u"--fail-on"_s, u"--from"_s, u"--danger-rows"_s, u"--danger-bytes"_s},
                       {u"--downgrade"_s, u"--offline"_s}, 0, 1}},
    };
    // The pre-flight review's options of upgrade and downgrade (issue 12); --accept may be repeated.
    static const QHash<QString, QStringList> reviewOptions = {
        {u"upgrade"_s, {u"--accept"_s, u"--danger-rows"_s, u"--danger-bytes"_s}},
        {u"downgrade"_s, {u"--accept"_s, u"--danger-rows"_s, u"--danger-bytes"_s}},
    };
    const auto it = specs.constFind(name);
    if (it == specs.constEnd()) {
        *error = tr("unknown command '%1'").arg(echo(name));
        return std::nullopt;
    }
    Spec spec = *it;
    spec.valued += reviewOptions.value(name);
    CliCommand c;
    c.name = name;
    for (int i = 0; i < args.size(); ++i) {
        const QString a = args.at(i);
        const QString key = a.startsWith(QLatin1String("--")) ? a.section(QLatin1Char('='), 0, 0) : a;
        if (spec.valued.contains(key)) {
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
            if (key == QLatin1String("--accept") && c.values.contains(key))
                value = c.values.value(key) + QLatin1Char(',') + value;
            c.values.insert(key, value);
        } else if (it->flags.contains(a)) {
            c.flags.insert(a);
        } else if (a.startsWith(QLatin1String("--"))) {
            *error = tr("unknown option '%1' for %2").arg(echo(a), name);
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
        *error = tr("unexpected argument '%1' for %2").arg(echo(c.positional.at(it->maxPositional)), name);
        return std::nullopt;
    }
    // Every positional argument is a revision, a target or a range (import-alembic's is a path).
    QStringList revisionArguments = name == QLatin1String("import-alembic") ? QStringList() : c.positional;
    for (const QString &option : {u"-r"_s, u"--rev-range"_s, u"--head"_s, u"--rev-id"_s}) {
        if (c.values.contains(option))
            revisionArguments << c.values.value(option);
    }
    for (const QString &r : std::as_const(revisionArguments)) {
        if (r.trimmed().isEmpty()) {
            *error = tr("%1: a revision argument is empty").arg(name);
            return std::nullopt;
        }
        if (r.size() > maxRevisionArgument) {
            // One arg() call: the echoed text may itself hold "%1".
            *error = tr("%1: the revision argument '%2' is too long (at most %3 characters)")
                         .arg(name, echo(r), QString::number(maxRevisionArgument));
            return std::nullopt;
        }
    }
    return c;
}

} // namespace MigrationDesk
