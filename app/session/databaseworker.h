#pragma once

#include "db/connectionsettings.h"
#include "migrations/bookkeeping.h"
#include "migrations/driftcheck.h"
#include "migrations/historyquery.h"
#include "migrations/migrationrunner.h"
#include "migrations/planreview.h"
#include "migrations/scriptset.h"

#include <QObject>
#include <QTimer>
#include <QStringList>

#include <atomic>
#include <memory>

namespace MigrationDesk {

class PgConnection;

// What the status bar and the timeline show about the connected database.
struct DatabaseStatus
{
    QString displayName;           // user@host:port/db
    QString serverVersion;         // e.g. "15.18"
    QStringList heads;             // the version table's rows
    bool readOnly = false;         // default_transaction_read_only or a hot standby
    bool canMigrate = false;       // the role may create in the database (CREATE privilege)
    QList<HistoryEntry> history;   // newest first, all revisions
    QHash<QString, QString> appliedChecksums; // revision -> recorded sha256
};

// All database work of the desktop app for one connection: lives on its own QThread with its own
// connection and runs migrations there, so the GUI thread never waits on the database. Every public
// slot is meant to be invoked through a queued connection; results come back as signals.
// cancel() is the one exception: it is thread-safe and is called directly from the GUI thread.
class DatabaseWorker : public QObject
{
    Q_OBJECT

public:
    explicit DatabaseWorker(QObject *parent = nullptr);
    ~DatabaseWorker() override;

    // Thread-safe: stops the running migration through libpq's cancel (rolls back within a second).
    void cancel();

    // How often the round-trip time is measured again while the worker is idle.
    static constexpr int kRoundTripIntervalMs = 10000;

public Q_SLOTS:
    // Uses the bundled scripts when migrationsDir is empty.
    void setScripts(const QString &migrationsDir, const QString &versionTable);
    // Opens the worker's connection; emits connected() or connectionFailed() with a plain message.
    void connectTo(const MigrationDesk::ConnectionSettings &settings);
    void disconnectFromDatabase();
    // Reads heads, history, checksums and privileges; emits statusReady().
    void refreshStatus();
    // Reviews a plan without changing anything; emits planReady().
    void preparePlan(MigrationDesk::MigrationOp op, const QString &target);
    // Runs the plan; progress through the signals below, then runFinished(). backupFile may be empty.
    void runMigration(MigrationDesk::MigrationOp op, const QString &target, const QString &backupFile);
    // Runs the drift check; emits checkFinished().
    void runCheck();
    // `check --baseline`: records the schema as the snapshot of revisions applied outside MigrationDesk;
    // emits baselineRecorded() with the check's report afterwards.
    void recordBaseline();
    // Reads the runs the filter matches; emits historyLoaded() with the same request number.
    void loadHistory(const MigrationDesk::HistoryFilter &filter, int request);
    // Reads one recorded run's statements; emits statementLogLoaded().
    void loadStatementLog(qint64 historyId);

Q_SIGNALS:
    void scriptsLoaded(const MigrationDesk::ScriptSet &scripts);   // also when invalid: check isValid()
    void connected(const MigrationDesk::DatabaseStatus &status);
    void connectionFailed(const QString &message);
    void statusReady(const MigrationDesk::DatabaseStatus &status);
    void planReady(const MigrationDesk::PlanReview &plan);
    void runStarted(const MigrationDesk::PlanReview &plan);
    void stepStarted(int step, int stepCount, const QString &revision, bool upgrade);
    void statementStarted(int step, int statement, int statementCount, int line, const QString &sql);
    void statementFinished(int step, int statement, qint64 elapsedMs);
    void stepFinished(int step, bool ok, qint64 elapsedMs);
    void logMessage(const QString &text);
    // Who holds the lock the running statement waits for; empty once it no longer waits. Emitted on the
    // runner's blocker watcher thread (this worker's thread is busy in the statement): receivers get it queued.
    void blockersChanged(const QList<MigrationDesk::LockBlocker> &blockers);
    void runFinished(const MigrationDesk::RunResult &result);
    void checkFinished(const MigrationDesk::DriftReport &report, const QString &error);
    void baselineRecorded(const MigrationDesk::DriftReport &report, const QString &error);
    void busyChanged(bool busy);
    // error is empty on success; entries newest first.
    void historyLoaded(int request, const QList<MigrationDesk::HistoryEntry> &entries, const QString &error);
    void statementLogLoaded(qint64 historyId, const QList<MigrationDesk::LoggedStatement> &statements,
                            const QString &error);
    // The time one empty statement took on this worker's connection: when connecting, then every
    // kRoundTripIntervalMs while idle (a migration keeps the thread, so never during one).
    void roundTripMeasured(int milliseconds);

private:
    void measureRoundTrip();

    ScriptSet m_scripts;
    bool m_scriptsLoaded = false;
    QString m_versionTable = QStringLiteral("alembic_version");
    ConnectionSettings m_settings;
    std::unique_ptr<PgConnection> m_connection;
    std::atomic<MigrationRunner *> m_runner{nullptr};
    bool m_connectedOnce = false;
    QTimer *m_roundTripTimer = nullptr; // made on the worker's thread at the first connection
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::DatabaseStatus)
