#pragma once

#include "db/connectionsettings.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTextStream>

#include <atomic>
#include <optional>

namespace MigrationDesk {

class MigrationRunner;
class PgConnection;
class ScriptSet;

// migrationdesk-cli: parses Alembic-style command lines and runs them on the calling thread.
// Global options come before the command, the command's own options after its arguments; targets
// such as -1 and -r -3:current are arguments, never options.
class CliApp : public QObject
{
    Q_OBJECT

public:
    enum ExitCode { Ok = 0, MigrationFailed = 1, UsageError = 2, ConnectionFailed = 3, DriftFound = 4 };

    CliApp(QTextStream &out, QTextStream &err, const QProcessEnvironment &environment, QObject *parent = nullptr);

    int run(const QStringList &arguments);
    // Asks the running migration to stop (SIGINT/SIGTERM); safe from any thread.
    void cancel();

    QString usage() const;

private:
    struct Global
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
    };
    struct Command
    {
        QString name;
        QStringList positional;
        QHash<QString, QString> values;  // option -> value
        QSet<QString> flags;
    };

    int dispatch(const Command &command);
    std::optional<Command> parseCommand(const QString &name, const QStringList &args, QString *error) const;
    std::optional<ScriptSet> loadScripts(int *exitCode);
    std::optional<ConnectionSettings> connection(int *exitCode);
    // connection() plus opening it; on failure *exitCode is set and the error printed.
    std::optional<ConnectionSettings> openDatabase(PgConnection &connection, int *exitCode);
    std::optional<QStringList> currentHeads(const ConnectionSettings &settings, int *exitCode);

    int cmdCurrent(const Command &c);
    int cmdHistory(const Command &c);
    int cmdHeads(const Command &c);
    int cmdBranches(const Command &c);
    int cmdShow(const Command &c);
    int cmdMigrate(const Command &c, bool upgrade);
    int cmdOffline(const ScriptSet &scripts, const Command &c, bool upgrade);
    int cmdStamp(const Command &c);
    int cmdCheck(const Command &c);
    int cmdRevision(const Command &c, bool merge);
    int cmdDemoData(const Command &c);

    bool isVerbose(const Command &c) const;
    void printRevisionList(const QString &key, const ScriptSet &scripts, const QStringList &revisions);
    int usageError(const QString &message);
    int fail(int code, const QString &message);
    void info(const QString &text);
    void printJson(const QJsonObject &object);
    void attachProgress(MigrationRunner &runner);

    QTextStream &m_out;
    QTextStream &m_err;
    QProcessEnvironment m_env;
    Global m_global;
    std::atomic<MigrationRunner *> m_activeRunner{nullptr};
    std::atomic_bool m_cancelRequested{false};
};

} // namespace MigrationDesk
