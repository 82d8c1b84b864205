#include "session/databaseworker.h"

#include "db/pgconnection.h"
#include "migrations/driftbaseline.h"
#include "migrations/reviewrules.h"

#include <QElapsedTimer>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
struct MetaTypes
{
    MetaTypes()
    {
        qRegisterMetaType<ConnectionSettings>();
        qRegisterMetaType<DatabaseStatus>();
        qRegisterMetaType<PlanReview>();
        qRegisterMetaType<RunResult>();
        qRegisterMetaType<DriftReport>();
        qRegisterMetaType<ScriptSet>();
    }
};
// The pre-flight review's "large table" thresholds, as the CLI's --danger-rows/--danger-bytes set them:
// review/dangerRows and review/dangerBytes in the app's settings; a missing or invalid value keeps the default.
ReviewThresholds reviewThresholdsFromSettings()
{
    ReviewThresholds thresholds;
    const QSettings settings;
    bool ok = false;
    const qint64 rows = settings.value(u"review/dangerRows"_s).toLongLong(&ok);
    if (ok && rows > 0)
        thresholds.dangerRows = rows;
    const qint64 bytes = settings.value(u"review/dangerBytes"_s).toLongLong(&ok);
    if (ok && bytes > 0)
        thresholds.dangerBytes = bytes;
    return thresholds;
}

} // namespace

DatabaseWorker::DatabaseWorker(QObject *parent)
    : QObject(parent)
{
    static MetaTypes registered;
    Q_UNUSED(registered);
}

DatabaseWorker::~DatabaseWorker() = default;

void DatabaseWorker::cancel()
{
    if (MigrationRunner *r = m_runner.load())
        r->cancel();
}

void DatabaseWorker::setScripts(const QString &migrationsDir, const QString &versionTable)
{
    m_scripts = ScriptSet::load(migrationsDir.isEmpty() ? ScriptSet::bundledLocation() : migrationsDir);
    m_scriptsLoaded = true;
    if (!versionTable.isEmpty())
        m_versionTable = versionTable;
    Q_EMIT scriptsLoaded(m_scripts);
}

void DatabaseWorker::connectTo(const ConnectionSettings &settings)
{
    Q_EMIT busyChanged(true);
    auto connection = std::make_unique<PgConnection>();
    QString error;
    if (!connection->open(settings, &error)) {
        Q_EMIT busyChanged(false);
        Q_EMIT connectionFailed(error);
        return;
    }
    m_settings = settings;
    m_connection = std::move(connection);
    m_connectedOnce = false;
    // The bundled scripts are parsed here, on this thread, at the first connection: the worker is built
    // on the GUI thread before the first paint, and a first launch may never connect at all.
    if (!m_scriptsLoaded) {
        m_scripts = ScriptSet::load(ScriptSet::bundledLocation());
        m_scriptsLoaded = true;
    }
    Q_EMIT scriptsLoaded(m_scripts);
    refreshStatus();
    // Not busy first: the window counts as connected from refreshStatus() on, and the measurement
    // below must not make a user's next action (a language switch, a run) wait or be refused.
    Q_EMIT busyChanged(false);
    measureRoundTrip();
    if (!m_roundTripTimer) {
        m_roundTripTimer = new QTimer(this);
        m_roundTripTimer->setInterval(kRoundTripIntervalMs);
        connect(m_roundTripTimer, &QTimer::timeout, this, &DatabaseWorker::measureRoundTrip);
    }
    m_roundTripTimer->start();
}

void DatabaseWorker::disconnectFromDatabase()
{
    if (m_roundTripTimer)
        m_roundTripTimer->stop();
    m_connection.reset();
    m_connectedOnce = false;
}

void DatabaseWorker::measureRoundTrip()
{
    if (!m_connection || !m_connection->isOpen() || m_connection->inTransaction())
        return;
    // An empty statement: the server parses nothing and answers at once, so the time is the network's
    // (plus libpq's own few microseconds).
    QElapsedTimer timer;
    timer.start();
    if (m_connection->exec(QString()))
        Q_EMIT roundTripMeasured(int(timer.nsecsElapsed() / 1000000));
}

void DatabaseWorker::refreshStatus()
{
    if (!m_connection || !m_connection->isOpen())
        return;
    DatabaseStatus status;
    status.displayName = m_settings.displayName();
    status.serverVersion = m_connection->serverVersionString();
    const auto vt = VersionTable::fromName(m_versionTable, nullptr);
    Bookkeeping books(m_connection.get(), vt.value_or(VersionTable()));
    SqlError error;
    // Heads, checksums, the flags and the history in one round trip; the snapshot is the drift check's
    // business. A part that could not ride along (a missing table, an older history) is asked on its own.
    const PgPipeline::Statement flagsRead{
        u"SELECT current_setting('default_transaction_read_only') = 'on' OR pg_is_in_recovery(), "
        "has_database_privilege(current_database(), 'CREATE')"_s,
        {}};
    const auto overview = books.readOverview(&error, false, {flagsRead, books.historyStatement(QString(), 0)});
    if (overview) {
        status.heads = overview->heads;
        status.appliedChecksums = overview->appliedChecksums;
    } else {
        Q_EMIT logMessage(tr("Could not read the version table: %1").arg(error.toString()));
    }
    const QList<PgPipeline::Result> extras = overview ? overview->extras : QList<PgPipeline::Result>();
    const auto flags = extras.value(0).ok ? std::optional(extras.value(0).rows)
                                          : m_connection->query(flagsRead.sql, flagsRead.params, &error);
    if (flags && !flags->isEmpty()) {
        status.readOnly = flags->first().value(0) == QLatin1String("t");
        status.canMigrate = !status.readOnly && flags->first().value(1) == QLatin1String("t");
    }
    if (extras.value(1).ok)
        status.history = HistoryQuery::entriesFrom(extras.value(1).rows);
    else if (const auto history = books.history(QString(), 0, &error))
        status.history = *history;
    if (!overview) {
        if (const auto sums = books.appliedChecksums(&error))
            status.appliedChecksums = *sums;
    }
    const bool first = !m_connectedOnce;
    m_connectedOnce = true;
    if (first)
        Q_EMIT connected(status);
    Q_EMIT statusReady(status);
}

void DatabaseWorker::preparePlan(MigrationOp op, const QString &target)
{
    if (!m_connection || !m_connection->isOpen()) {
        PlanReview plan;
        plan.op = op;
        plan.target = target;
        plan.error = tr("Not connected to a database.");
        Q_EMIT planReady(plan);
        return;
    }
    const VersionTable vt = VersionTable::fromName(m_versionTable, nullptr).value_or(VersionTable());
    PlanReviewer reviewer(*m_connection, m_scripts, vt);
    reviewer.setThresholds(reviewThresholdsFromSettings());
    Q_EMIT planReady(reviewer.review(op, target));
}

void DatabaseWorker::runMigration(MigrationOp op, const QString &target, const QString &backupFile)
{
    Q_EMIT busyChanged(true);
    RunOptions options;
    options.versionTable = VersionTable::fromName(m_versionTable, nullptr).value_or(VersionTable());
    options.backupFile = backupFile;
    MigrationRunner runner(m_scripts, m_settings, options);
    connect(&runner, &MigrationRunner::stepStarted, this, &DatabaseWorker::stepStarted);
    connect(&runner, &MigrationRunner::statementStarted, this, &DatabaseWorker::statementStarted);
    connect(&runner, &MigrationRunner::statementFinished, this, &DatabaseWorker::statementFinished);
    connect(&runner, &MigrationRunner::stepFinished, this, &DatabaseWorker::stepFinished);
    connect(&runner, &MigrationRunner::message, this, &DatabaseWorker::logMessage);
    connect(&runner, &MigrationRunner::blockersChanged, this, &DatabaseWorker::blockersChanged, Qt::DirectConnection);
    connect(&runner, &MigrationRunner::planReady, this, [this, op, &target](const QList<MigrationStep> &steps, const QStringList &heads) {
        PlanReview plan;
        plan.ok = true;
        plan.op = op;
        plan.target = target;
        plan.headsBefore = heads;
        for (const MigrationStep &s : steps) {
            PlanStepReview p;
            p.step = s;
            const MigrationScript *script = m_scripts.script(s.revision);
            p.message = script ? script->message : QString();
            p.transactional = script ? script->transactional : true;
            plan.steps << p;
        }
        Q_EMIT runStarted(plan);
    });
    m_runner = &runner;
    const RunResult result = runner.run(op, target);
    m_runner = nullptr;
    Q_EMIT runFinished(result);
    refreshStatus();
    Q_EMIT busyChanged(false);
}

void DatabaseWorker::runCheck()
{
    if (!m_connection || !m_connection->isOpen()) {
        Q_EMIT checkFinished(DriftReport(), tr("Not connected to a database."));
        return;
    }
    Q_EMIT busyChanged(true);
    QString error;
    const auto report = DriftCheck::run(*m_connection, m_scripts,
                                        VersionTable::fromName(m_versionTable, nullptr).value_or(VersionTable()), &error);
    Q_EMIT checkFinished(report.value_or(DriftReport()), report ? QString() : error);
    Q_EMIT busyChanged(false);
}

void DatabaseWorker::recordBaseline()
{
    if (!m_connection || !m_connection->isOpen()) {
        Q_EMIT baselineRecorded(DriftReport(), tr("Not connected to a database."));
        return;
    }
    Q_EMIT busyChanged(true);
    QString error;
    const auto report = DriftBaseline::record(*m_connection, m_scripts,
                                              VersionTable::fromName(m_versionTable, nullptr).value_or(VersionTable()), &error);
    Q_EMIT baselineRecorded(report.value_or(DriftReport()), report ? QString() : error);
    Q_EMIT busyChanged(false);
}

void DatabaseWorker::loadHistory(const HistoryFilter &filter, int request)
{
    if (!m_connection || !m_connection->isOpen()) {
        Q_EMIT historyLoaded(request, {}, tr("Not connected to a database."));
        return;
    }
    SqlError error;
    const VersionTable vt = VersionTable::fromName(m_versionTable, nullptr).value_or(VersionTable());
    HistoryQuery query(m_connection.get(), vt.displayName());
    const auto entries = query.find(filter, &error);
    Q_EMIT historyLoaded(request, entries.value_or(QList<HistoryEntry>()), entries ? QString() : error.toString());
}

void DatabaseWorker::loadStatementLog(qint64 historyId)
{
    if (!m_connection || !m_connection->isOpen()) {
        Q_EMIT statementLogLoaded(historyId, {}, tr("Not connected to a database."));
        return;
    }
    SqlError error;
    const VersionTable vt = VersionTable::fromName(m_versionTable, nullptr).value_or(VersionTable());
    HistoryQuery query(m_connection.get(), vt.displayName());
    const auto log = query.statementLog(historyId, &error);
    Q_EMIT statementLogLoaded(historyId, log.value_or(QList<LoggedStatement>()), log ? QString() : error.toString());
}

} // namespace MigrationDesk
