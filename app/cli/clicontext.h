#pragma once

#include "cli/cliparser.h"
#include "cli/commandoutput.h"
#include "db/connectionsettings.h"
#include "migrations/migrationop.h"
#include "migrations/scriptset.h"
#include "migrations/versiontable.h"

#include <QCoreApplication>
#include <QMutex>
#include <QProcessEnvironment>
#include <QTextStream>

#include <atomic>
#include <optional>

namespace MigrationDesk {

class MigrationRunner;
class PgConnection;
struct RunResult;

// What every CLI command works with: the global options, the scripts, the database connection and
// the one output path (print()). Each helper that can fail fills a CommandOutput with the failure the
// command returns as is. Lives on the CLI's main thread; requestCancel() is safe from any thread.
class CliContext
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::CliApp)

public:
    // `owner` receives the signal connections of sandboxes and runners made here.
    CliContext(QTextStream &out, QTextStream &err, const QProcessEnvironment &environment, QObject *owner);

    void setGlobals(const CliGlobals &globals) { m_globals = globals; }
    const CliGlobals &globals() const { return m_globals; }
    VersionTable versionTable() const;
    bool isVerbose(const CliCommand &c) const;

    std::optional<ScriptSet> loadScripts(CommandOutput *failed);
    // The settings to connect with; warns once on stderr (even with --quiet) when they do not verify TLS.
    std::optional<ConnectionSettings> connection(CommandOutput *failed);
    // connection() plus opening it.
    std::optional<ConnectionSettings> openDatabase(PgConnection &connection, CommandOutput *failed);
    std::optional<QStringList> currentHeads(const ConnectionSettings &settings, CommandOutput *failed);

    // Narration on stderr, unless --quiet.
    void info(const QString &text);
    // "warning: ..." on stderr, unless --quiet (also with --json, whose stdout stays one object).
    void warn(const QString &text);
    // The one place output is written: JSON or text as --json says, then the error line.
    void print(const CommandOutput &output);

    // Progress of a runner on stderr, as --verbose asks.
    void attachProgress(MigrationRunner &runner);
    // Runs op to target so that requestCancel() stops it, also when the request came first.
    RunResult runCancellable(MigrationRunner &runner, MigrationOp op, const QString &target);
    void requestCancel();
    std::atomic_bool *cancelFlag() { return &m_cancelRequested; }

private:
    std::optional<ConnectionSettings> resolveConnection(CommandOutput *failed);

    QTextStream &m_out;
    QTextStream &m_err;
    QProcessEnvironment m_env;
    QObject *m_owner;
    CliGlobals m_globals;
    std::atomic<MigrationRunner *> m_activeRunner{nullptr};
    std::atomic_bool m_cancelRequested{false};
    bool m_tlsWarned = false; // the unverified-TLS warning goes out once per process
    // info() and warn() are also called on a runner's blocker watcher thread, while the main thread waits
    // in a statement.
    QMutex m_errMutex;
};

} // namespace MigrationDesk
