#include "cli/clicontext.h"

#include "cli/cliapp.h"
#include "db/pgconnection.h"
#include "db/tlsnotice.h"
#include "migrations/bookkeeping.h"
#include "migrations/migrationrunner.h"
#include "sandbox/sandbox.h"

#include <QJsonDocument>
#include <QMutexLocker>

#include <memory>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

CliContext::CliContext(QTextStream &out, QTextStream &err, const QProcessEnvironment &environment, QObject *owner)
    : m_out(out)
    , m_err(err)
    , m_env(environment)
    , m_owner(owner)
{
}

VersionTable CliContext::versionTable() const
{
    // The parser refused the command line already if the name is invalid.
    return *VersionTable::fromName(m_globals.versionTable, nullptr);
}

bool CliContext::isVerbose(const CliCommand &c) const
{
    return m_globals.verbose || c.has(u"--verbose"_s, u"-v"_s);
}

std::optional<ScriptSet> CliContext::loadScripts(CommandOutput *failed)
{
    const QString dir = m_globals.migrations.isEmpty() ? ScriptSet::bundledLocation() : m_globals.migrations;
    ScriptSet set = ScriptSet::load(dir);
    if (!set.isValid()) {
        *failed = CommandOutput::failure(CliApp::MigrationFailed,
                                         tr("the migration scripts are invalid; nothing was done:\n%1").arg(set.errorText()));
        return std::nullopt;
    }
    return set;
}

std::optional<ConnectionSettings> CliContext::connection(CommandOutput *failed)
{
    auto settings = resolveConnection(failed);
    if (settings && !m_tlsWarned) {
        const QString warning = unverifiedTlsWarning(*settings);
        if (!warning.isEmpty()) {
            m_tlsWarned = true;
            m_err << tr("warning: %1").arg(warning) << '\n';
            m_err.flush();
        }
    }
    return settings;
}

std::optional<ConnectionSettings> CliContext::resolveConnection(CommandOutput *failed)
{
    QString error;
    if (m_globals.sandbox) {
        if (m_globals.urlGiven) {
            *failed = CommandOutput::usage(tr("--sandbox and --url cannot be combined"));
            return std::nullopt;
        }
        // The same private cluster the desktop app uses; started (and created on first use) if needed.
        Sandbox sandbox;
        QObject::connect(&sandbox, &Sandbox::progress, m_owner, [this](const QString &step, int percent) {
            info(tr("Sandbox: %1 (%2%)").arg(step).arg(percent));
        });
        auto s = sandbox.ensureRunning(&error);
        if (!s)
            *failed = CommandOutput::failure(CliApp::ConnectionFailed, error);
        return s;
    }
    if (m_globals.urlGiven) {
        auto s = ConnectionSettings::fromUrl(m_globals.url, &error);
        if (!s)
            *failed = CommandOutput::usage(redactSecrets(tr("invalid --url: %1").arg(error)));
        return s;
    }
    QString source;
    auto s = ConnectionSettings::fromEnvironment(m_env, &source, &error);
    if (!s) {
        *failed = CommandOutput::usage(redactSecrets(error));
        return std::nullopt;
    }
    if (m_globals.verbose)
        info(tr("Connection settings from %1.").arg(source));
    return s;
}

std::optional<ConnectionSettings> CliContext::openDatabase(PgConnection &connection, CommandOutput *failed)
{
    auto settings = this->connection(failed);
    if (!settings)
        return std::nullopt;
    QString error;
    if (!connection.open(*settings, &error)) {
        *failed = CommandOutput::failure(CliApp::ConnectionFailed, error);
        return std::nullopt;
    }
    return settings;
}

std::optional<QStringList> CliContext::currentHeads(const ConnectionSettings &settings, CommandOutput *failed)
{
    PgConnection conn;
    QString error;
    if (!conn.open(settings, &error)) {
        *failed = CommandOutput::failure(CliApp::ConnectionFailed, error);
        return std::nullopt;
    }
    Bookkeeping books(&conn, versionTable());
    SqlError sqlError;
    auto heads = books.readHeads(&sqlError);
    if (!heads)
        *failed = CommandOutput::failure(CliApp::MigrationFailed,
                                         tr("could not read the version table: %1").arg(sqlError.toString()));
    return heads;
}

void CliContext::info(const QString &text)
{
    if (m_globals.quiet)
        return;
    QMutexLocker locker(&m_errMutex);
    m_err << redactSecrets(text) << '\n';
    m_err.flush();
}

void CliContext::warn(const QString &text)
{
    if (m_globals.quiet)
        return;
    QMutexLocker locker(&m_errMutex);
    m_err << tr("warning: %1").arg(redactSecrets(text)) << '\n';
    m_err.flush();
}

void CliContext::print(const CommandOutput &output)
{
    if (m_globals.json && !output.textOnly) {
        // Exactly one JSON object on stdout, whatever happened; a command that left its document
        // empty still gets the failure (or success) shape.
        QJsonObject json = output.json;
        if (json.isEmpty()) {
            json = output.exitCode == CliApp::Ok && output.error.isEmpty()
                       ? CommandOutput::okJson(u"exit_code"_s, CliApp::Ok)
                       : CommandOutput::failure(output.exitCode == CliApp::Ok ? CliApp::MigrationFailed : output.exitCode,
                                                output.error).json;
        }
        m_out << QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented));
    } else if (!output.usageError) {
        for (const QString &line : output.info)
            info(line);
        m_out << output.text;
    }
    m_out.flush();
    if (!output.error.isEmpty())
        m_err << tr("error: %1").arg(redactSecrets(output.error)) << '\n';
    if (output.usageError)
        m_err << tr("Run 'migrationdesk-cli --help' for usage.") << '\n';
    m_err.flush();
}

void CliContext::attachProgress(MigrationRunner &runner)
{
    QObject::connect(&runner, &MigrationRunner::message, m_owner, [this](const QString &text) {
        if (m_globals.verbose)
            info(text);
    });
    QObject::connect(&runner, &MigrationRunner::lockWaiting, m_owner, [this](const QString &holder) {
        info(tr("Waiting for the migration lock, held by %1...").arg(holder));
    });
    QObject::connect(&runner, &MigrationRunner::waitingForInterruptedRun, m_owner, [this](const QString &session) {
        info(tr("Waiting for the server to end the session of an interrupted earlier run (%1)...").arg(session));
    });
    QObject::connect(&runner, &MigrationRunner::statementStarted, m_owner,
                     [this](int, int statement, int count, int line, const QString &sql) {
                         if (m_globals.verbose)
                             info(tr("  [%1/%2] line %3: %4").arg(statement + 1).arg(count).arg(line).arg(sql.simplified().left(120)));
                     });
    // Said once per wait, as soon as the watcher names the blockers: this thread is blocked in the statement
    // meanwhile, so it is printed on the watcher's thread.
    auto shownPids = std::make_shared<QList<int>>();
    QObject::connect(
        &runner, &MigrationRunner::blockersChanged, m_owner,
        [this, shownPids](const QList<LockBlocker> &blockers) {
            QList<int> pids;
            for (const LockBlocker &b : blockers)
                pids << b.pid;
            if (pids == *shownPids)
                return;
            *shownPids = pids;
            if (!blockers.isEmpty())
                info(BlockerWatcher::describe(blockers));
        },
        Qt::DirectConnection);
    QObject::connect(&runner, &MigrationRunner::lockRetry, m_owner, [this](int attempt, int retries, int pauseMs) {
        info(tr("Lock timeout on try %1 of %2; trying again in %3 s...")
                 .arg(attempt + 1)
                 .arg(retries + 1)
                 .arg(QString::number(pauseMs / 1000.0)));
    });
    QObject::connect(&runner, &MigrationRunner::statementFinished, m_owner, [this](int, int, qint64 ms) {
        if (m_globals.verbose)
            info(tr("        done in %1 ms").arg(ms));
    });
}

RunResult CliContext::runCancellable(MigrationRunner &runner, MigrationOp op, const QString &target)
{
    m_activeRunner = &runner;
    if (m_cancelRequested)
        runner.cancel();
    const RunResult result = runner.run(op, target);
    m_activeRunner = nullptr;
    return result;
}

void CliContext::requestCancel()
{
    m_cancelRequested = true;
    if (MigrationRunner *r = m_activeRunner.load())
        r->cancel();
}

} // namespace MigrationDesk
