#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QSet>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

// The options that come before the command.
struct CliGlobals
{
    QString url;
    bool urlGiven = false;
    QString migrations;
    QString versionTable = QStringLiteral("alembic_version");
    QString lockTimeout = QStringLiteral("10s");
    bool json = false;
    bool verbose = false;
    bool quiet = false;
    bool singleTransaction = false;
    bool sandbox = false;
    // Runtime guards of upgrade/downgrade (issue 12).
    int lockRetries = 0;
    QString statementTimeout; // PostgreSQL units (500ms, 30s, 5min); empty: the server's setting
};

// One command after the global options: its name, its arguments and its own options.
struct CliCommand
{
    QString name;
    QStringList positional;
    QHash<QString, QString> values; // option -> value
    QSet<QString> flags;

    bool has(const QString &flag, const QString &alias = QString()) const
    {
        return flags.contains(flag) || (!alias.isEmpty() && flags.contains(alias));
    }
    QString value(const QString &option, const QString &alias = QString()) const
    {
        return values.value(option, alias.isEmpty() ? QString() : values.value(alias));
    }
};

// What a command line asks for: a command to run, or help, the version, or a usage error to print.
struct CliRequest
{
    enum class Kind { Run, Help, Version, UsageError };
    Kind kind = Kind::Run;
    CliGlobals globals;
    CliCommand command;
    QString error;                  // UsageError: what was wrong
};

// Parses Alembic-style command lines. Global options come before the command, the command's own
// options after its arguments; targets such as -1 and -r -3:current are arguments, never options.
// Shares CliApp's translation context, so the CLI's translations stay in one place. Any thread.
class CliParser
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::CliApp)

public:
    static CliRequest parse(const QStringList &arguments);
    // A user's argument as messages quote it: cut short with its length when it is long.
    static QString echo(const QString &argument);

private:
    // --lock-retries N and --statement-timeout T into *globals; else the usage error.
    static QString parseRunGuard(const QString &option, const QString &value, CliGlobals *globals);
    static std::optional<CliCommand> parseCommand(const QString &name, const QStringList &args, QString *error);
};

} // namespace MigrationDesk
