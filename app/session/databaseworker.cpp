#include "session/databaseworker.h"

#include "db/pgconnection.h"
#include "db/sqlident.h"
#include "migrations/dropfinder.h"
#include "migrations/offlinerenderer.h"
#include "migrations/sqlsplitter.h"

#include <QLocale>

namespace MigrationDesk {

namespace {
struct MetaTypes
{
    MetaTypes()
    {
        qRegisterMetaType<ConnectionSettings>();
        qRegisterMetaType<DatabaseStatus>();
        qRegisterMetaType<PlanPreview>();
        qRegisterMetaType<RunResult>();
        qRegisterMetaType<DriftReport>();
        qRegisterMetaType<ScriptSet>();
    }
};
} // namespace

DatabaseWorker::DatabaseWorker(QObject *parent)
    : QObject(parent)
{
    static MetaTypes registered;
    Q_UNUSED(registered);
    m_scripts = ScriptSet::load(ScriptSet::bundledLocation());
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
    Q_EMIT scriptsLoaded(m_scripts);
    refreshStatus();
    Q_EMIT busyChanged(false);
}

void DatabaseWorker::disconnectFromDatabase()
{
    m_connection.reset();
    m_connectedOnce = false;
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
    if (const auto heads = books.readHeads(&error))
        status.heads = *heads;
    else
        Q_EMIT logMessage(tr("Could not read the version table: %1").arg(error.toString()));
    const auto flags = m_connection->query(
        QStringLiteral("SELECT current_setting('default_transaction_read_only') = 'on' OR pg_is_in_recovery(), "
                       "has_database_privilege(current_database(), 'CREATE')"),
        {}, &error);
    if (flags && !flags->isEmpty()) {
        status.readOnly = flags->first().value(0) == QLatin1String("t");
        status.canMigrate = !status.readOnly && flags->first().value(1) == QLatin1String("t");
    }
    if (const auto history = books.history(QString(), 0, &error))
        status.history = *history;
    if (const auto sums = books.appliedChecksums(&error))
        status.appliedChecksums = *sums;
    const bool first = !m_connectedOnce;
    m_connectedOnce = true;
    if (first)
        Q_EMIT connected(status);
    Q_EMIT statusReady(status);
}

void DatabaseWorker::preparePlan(const QString &kind, const QString &target)
{
    PlanPreview plan;
    plan.kind = kind;
    plan.target = target;
    if (!m_connection || !m_connection->isOpen()) {
        plan.error = tr("Not connected to a database.");
        Q_EMIT planReady(plan);
        return;
    }
    if (!m_scripts.isValid()) {
        plan.error = tr("The migration scripts are invalid:\n%1").arg(m_scripts.errorText());
        Q_EMIT planReady(plan);
        return;
    }
    const VersionTable vt = VersionTable::fromName(m_versionTable, nullptr).value_or(VersionTable());
    Bookkeeping books(m_connection.get(), vt);
    SqlError sqlError;
    const auto heads = books.readHeads(&sqlError);
    if (!heads) {
        plan.error = sqlError.toString();
        Q_EMIT planReady(plan);
        return;
    }
    plan.headsBefore = *heads;
    const RevisionGraph &graph = m_scripts.graph();
    QString error;
    if (kind == QLatin1String("stamp")) {
        QStringList after;
        if (!graph.stampOps(*heads, target, &after, &error)) {
            plan.error = error;
        } else {
            after.sort();
            plan.headsAfter = after;
            plan.ok = true;
        }
        Q_EMIT planReady(plan);
        return;
    }
    const bool upgrade = kind == QLatin1String("upgrade");
    const auto steps = upgrade ? graph.upgradePlan(*heads, target, &error) : graph.downgradePlan(*heads, target, &error);
    if (!steps) {
        plan.error = error;
        Q_EMIT planReady(plan);
        return;
    }
    if (!upgrade) {
        const QString warning = graph.downgradeWarning(*heads, target);
        if (!warning.isEmpty())
            plan.warnings << warning;
    }
    QStringList current = *heads;
    const QLocale locale;
    for (const MigrationStep &step : *steps) {
        const MigrationScript *script = m_scripts.script(step.revision);
        PlanStepPreview preview;
        preview.step = step;
        preview.message = script ? script->message : QString();
        preview.transactional = script ? script->transactional : true;
        preview.sql = OfflineRenderer::stepSql(m_scripts, step, current, vt);
        graph.versionOps(step, &current);
        if (script) {
            const auto statements = splitSql(script->sectionSql(step.isUpgrade()));
            for (const SqlStatement &st : statements) {
                for (const DroppedObject &d : findDroppedObjects(st.text)) {
                    // Estimated from the planner's statistics; tables never analyzed get a bounded count.
                    const auto rows = m_connection->query(
                        QStringLiteral("SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END, n.nspname, c.relname "
                                       "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                       "WHERE c.oid = to_regclass($1)"),
                        {d.table}, nullptr);
                    if (!rows || rows->isEmpty())
                        continue;
                    QString count = rows->first().value(0);
                    if (count.isNull()) {
                        const auto exact = m_connection->query(
                            QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM %1 LIMIT 100001) s")
                                .arg(quoteQualified(rows->first().value(1), rows->first().value(2))),
                            {}, nullptr);
                        count = exact && !exact->isEmpty() ? exact->first().value(0) : QString();
                    }
                    const QString rowsText = count.isEmpty() ? tr("unknown row count")
                        : count.toLongLong() > 100000 && !rows->first().value(0).isNull()
                        ? tr("≈ %1 rows").arg(locale.toString(count.toLongLong()))
                        : count.toLongLong() > 100000 ? tr("more than 100,000 rows")
                                                      : tr("≈ %1 rows").arg(locale.toString(count.toLongLong()));
                    preview.warnings << (d.column.isEmpty()
                                             ? tr("Drops table %1 and all its data (%2).").arg(d.table, rowsText)
                                             : tr("Drops column %1.%2 and its values (%3).").arg(d.table, d.column, rowsText));
                }
            }
        }
        plan.steps << preview;
    }
    current.sort();
    plan.headsAfter = current;
    plan.ok = true;
    Q_EMIT planReady(plan);
}

void DatabaseWorker::runMigration(const QString &kind, const QString &target, const QString &backupFile)
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
    connect(&runner, &MigrationRunner::planReady, this, [this, &kind, &target](const QList<MigrationStep> &steps, const QStringList &heads) {
        PlanPreview plan;
        plan.ok = true;
        plan.kind = kind;
        plan.target = target;
        plan.headsBefore = heads;
        for (const MigrationStep &s : steps) {
            PlanStepPreview p;
            p.step = s;
            const MigrationScript *script = m_scripts.script(s.revision);
            p.message = script ? script->message : QString();
            p.transactional = script ? script->transactional : true;
            plan.steps << p;
        }
        Q_EMIT runStarted(plan);
    });
    m_runner = &runner;
    RunResult result = kind == QLatin1String("upgrade") ? runner.upgrade(target)
        : kind == QLatin1String("downgrade")          ? runner.downgrade(target)
                                                       : runner.stamp(target);
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

} // namespace MigrationDesk
