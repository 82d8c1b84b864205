#include "migrations/migrationrunner.h"

#include "db/pgconnection.h"
#include "db/pgtools.h"
#include "migrations/advisorylockwaiter.h"
#include "migrations/bookkeeping.h"
#include "migrations/interruptedrunrecovery.h"
#include "migrations/runlock.h"
#include "migrations/schemasnapshot.h"
#include "migrations/sqlsplitter.h"

#include <QElapsedTimer>
#include <QMutexLocker>
#include <QScopeGuard>
#include <QSysInfo>
#include <QUuid>

#include <pwd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

QString osUser()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("LOGNAME");
    if (user.isEmpty()) {
        // Services and CI jobs often run without USER; the password database still knows us.
        if (const passwd *pw = getpwuid(geteuid()))
            user = QString::fromLocal8Bit(pw->pw_name);
    }
    return user;
}

} // namespace

MigrationRunner::MigrationRunner(const ScriptSet &scripts, const ConnectionSettings &settings,
                                 const RunOptions &options, QObject *parent)
    : QObject(parent)
    , m_scripts(scripts)
    , m_settings(settings)
    , m_options(options)
{
}

MigrationRunner::~MigrationRunner() = default;

RunResult MigrationRunner::upgrade(const QString &target)
{
    return run(MigrationOp::Upgrade, target);
}

RunResult MigrationRunner::downgrade(const QString &target)
{
    return run(MigrationOp::Downgrade, target);
}

RunResult MigrationRunner::stamp(const QString &target)
{
    return run(MigrationOp::Stamp, target);
}

void MigrationRunner::cancel()
{
    m_cancelled = true;
    QMutexLocker locker(&m_cancelMutex);
    if (m_canceller)
        m_canceller->cancel();
}

RunResult MigrationRunner::run(MigrationOp op, const QString &target)
{
    RunResult result;
    m_resumeFrom.clear();
    m_runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!m_scripts.isValid()) {
        result.fail(RunResult::Status::Refused,
                    tr("The migration scripts are invalid; nothing was run:\n%1").arg(m_scripts.errorText()));
        return result;
    }

    RunLock lock(m_settings, m_options.versionTable, m_options.lockPollIntervalMs);
    PgConnection connection;
    if (!lock.open(connection, &result))
        return result;
    m_pooled = lock.pooled();
    if (m_pooled) {
        const QString note = tr("Connected through a connection pooler (PgBouncer or similar): the migration lock is "
                                "held in a transaction, settings are made per transaction, and non-transactional "
                                "revisions are refused.");
        result.notes << note;
        Q_EMIT message(note);
    }
    {
        QMutexLocker locker(&m_cancelMutex);
        m_canceller = connection.canceller();
    }
    auto dropCanceller = qScopeGuard([this] {
        QMutexLocker locker(&m_cancelMutex);
        m_canceller.reset();
    });
    const auto waiting = [this, &result](AdvisoryLockWaiter::Holder holder, const QString &who, const QString &note) {
        if (holder == AdvisoryLockWaiter::Holder::OtherMigration)
            Q_EMIT lockWaiting(who);
        else
            Q_EMIT waitingForInterruptedRun(who);
        Q_EMIT message(note);
        result.notes << note;
    };
    if (!lock.take(connection, [this] { return isCancelled(); }, waiting, &result))
        return result;

    Bookkeeping books(&connection, m_options.versionTable);
    const auto heads = readHeads(books, &result);
    if (!heads)
        return result;
    if (op == MigrationOp::Stamp) {
        runStamp(connection, books, *heads, target, &result);
        return result;
    }
    const auto plan = planSteps(connection, books, op, *heads, target, &result);
    if (!plan || m_options.dryRun || plan->isEmpty())
        return result;
    if (prepareToChange(connection, &result))
        runPlan(connection, books, *plan, *heads, &result);
    return result;
}

std::optional<QStringList> MigrationRunner::readHeads(Bookkeeping &books, RunResult *result)
{
    SqlError sqlError;
    if (!m_options.dryRun && !books.ensureSchema(&sqlError)) {
        result->fail(RunResult::Status::Failed, tr("Could not create the bookkeeping schema %1: %2")
                                                     .arg(Bookkeeping::schemaName(), sqlError.toString()));
        return std::nullopt;
    }
    const auto heads = books.readHeads(&sqlError);
    if (!heads) {
        result->fail(RunResult::Status::Failed, tr("Could not read the version table %1: %2")
                                                     .arg(m_options.versionTable.displayName(), sqlError.toString()));
        return std::nullopt;
    }
    result->headsBefore = *heads;
    result->headsAfter = *heads;
    for (const QString &h : *heads) {
        if (!m_scripts.graph().contains(h)) {
            result->fail(RunResult::Status::Refused,
                         tr("Can't locate revision identified by '%1': the database is at a revision that is "
                            "missing from the scripts in %2.")
                             .arg(h, m_scripts.directory()));
            return std::nullopt;
        }
    }
    return heads;
}

void MigrationRunner::runStamp(PgConnection &connection, Bookkeeping &books, const QStringList &heads,
                               const QString &target, RunResult *result)
{
    QString planError;
    QStringList newHeads = heads;
    const auto ops = m_scripts.graph().stampOps(heads, target, &newHeads, &planError);
    if (!ops) {
        result->fail(RunResult::Status::Refused, planError);
        return;
    }
    if (m_options.dryRun) {
        result->headsAfter = newHeads;
        return;
    }
    QElapsedTimer timer;
    timer.start();
    const QDateTime started = QDateTime::currentDateTimeUtc();
    SqlError sqlError;
    bool ok = connection.exec(u"BEGIN"_s, &sqlError) && books.ensureVersionTable(&sqlError)
              && books.applyOps(*ops, &sqlError);
    const QStringList stamped = QSet<QString>(newHeads.begin(), newHeads.end())
                                    .subtract(QSet<QString>(heads.begin(), heads.end()))
                                    .values();
    for (const QString &rev : (stamped.isEmpty() ? newHeads : stamped)) {
        if (!ok)
            break;
        const MigrationScript *script = m_scripts.script(rev);
        HistoryEntry h = historyEntry(rev, MigrationOp::Stamp, script ? script->sha256 : QString(), started);
        h.durationMs = double(timer.nsecsElapsed()) / 1e6;
        h.success = true;
        ok = books.recordHistory(h, &sqlError);
    }
    if (!ok || !connection.exec(u"COMMIT"_s, &sqlError)) {
        connection.exec(u"ROLLBACK"_s);
        result->fail(RunResult::Status::Failed, tr("Stamp failed, nothing was changed: %1").arg(sqlError.toString()));
        return;
    }
    newHeads.sort();
    result->headsAfter = newHeads;
    recordSnapshot(connection, books, newHeads, result);
}

std::optional<QList<MigrationStep>> MigrationRunner::planSteps(PgConnection &connection, Bookkeeping &books,
                                                               MigrationOp op, const QStringList &heads,
                                                               const QString &target, RunResult *result)
{
    const RevisionGraph &graph = m_scripts.graph();
    QString planError;
    auto plan = op == MigrationOp::Upgrade ? graph.upgradePlan(heads, target, &planError)
                                           : graph.downgradePlan(heads, target, &planError);
    if (!plan) {
        result->fail(RunResult::Status::Refused, planError);
        return std::nullopt;
    }
    // Before anything touches the database, the interrupted-run recovery included.
    if (m_pooled) {
        for (const MigrationStep &step : std::as_const(*plan)) {
            if (!m_scripts.script(step.revision)->transactional) {
                result->fail(RunResult::Status::Refused,
                             tr("Revision %1 is non-transactional (for example CREATE INDEX CONCURRENTLY), and this "
                                "connection goes through a connection pooler (PgBouncer or similar), where each of its "
                                "statements may run in another server session, without the migration lock or its "
                                "settings. Nothing was run: connect directly to the PostgreSQL server to apply it.")
                                 .arg(step.revision));
                return std::nullopt;
            }
        }
    }
    if (op == MigrationOp::Downgrade) {
        const QString warning = graph.downgradeWarning(heads, target);
        if (!warning.isEmpty()) {
            result->notes << warning;
            Q_EMIT message(warning);
        }
    }
    if (!m_options.dryRun) {
        InterruptedRunRecovery recovery(connection, books, m_scripts, [this](const QString &text) { Q_EMIT message(text); });
        m_resumeFrom = recovery.recover(*plan, &result->notes);
    }
    result->plan = *plan;
    Q_EMIT planReady(*plan, heads);

    if (m_options.singleTransaction) {
        for (const MigrationStep &step : std::as_const(*plan)) {
            if (!m_scripts.script(step.revision)->transactional) {
                result->fail(RunResult::Status::Refused,
                             tr("--single-transaction cannot run revision %1: it is non-transactional "
                                "(for example CREATE INDEX CONCURRENTLY). Run without --single-transaction.")
                                 .arg(step.revision));
                return std::nullopt;
            }
        }
    }
    if (plan->isEmpty())
        Q_EMIT message(tr("Nothing to do: the database is already at the target."));
    return plan;
}

bool MigrationRunner::prepareToChange(PgConnection &connection, RunResult *result)
{
    if (!m_options.backupFile.isEmpty()) {
        Q_EMIT message(tr("Backing up the database to %1 with pg_dump -Fc...").arg(m_options.backupFile));
        QString backupError;
        if (!PgTools::dumpDatabase(m_settings, m_options.backupFile, &backupError, [this] { return isCancelled(); }))
            return result->fail(isCancelled() ? RunResult::Status::Cancelled : RunResult::Status::Failed,
                                tr("The backup failed, so nothing was migrated: %1").arg(backupError));
        Q_EMIT message(tr("Backup written to %1.").arg(m_options.backupFile));
    }

    // lock_timeout keeps a migration from queueing production traffic behind a lock it cannot get;
    // client_connection_check_interval makes the server abort our work promptly if we are killed.
    // Behind a pooler a session setting would land on a server session other clients share: there
    // this only checks the value, and setTransactionSettings applies it inside each transaction.
    SqlError sqlError;
    if (!connection.query(u"SELECT set_config('lock_timeout', $1, $2::boolean), "
                                         "set_config('client_connection_check_interval', '1s', $2::boolean)"_s,
                          {m_options.lockTimeout, m_pooled ? u"true"_s : u"false"_s}, &sqlError))
        return result->fail(RunResult::Status::Refused,
                            tr("Invalid lock timeout '%1': %2").arg(m_options.lockTimeout, sqlError.toString()));
    return true;
}

void MigrationRunner::runPlan(PgConnection &connection, Bookkeeping &books, const QList<MigrationStep> &plan,
                              const QStringList &heads, RunResult *result)
{
    SqlError sqlError;
    if (m_options.singleTransaction
        && !(connection.exec(u"BEGIN"_s, &sqlError) && setTransactionSettings(connection, &sqlError))) {
        result->fail(RunResult::Status::Failed, sqlError.toString());
        return;
    }
    // With one transaction for all, a failure anywhere leaves the database where it started.
    auto nothingApplied = [&] {
        result->headsAfter = heads;
        result->stepsCompleted = 0;
    };
    QStringList currentHeads = heads;
    const int count = int(plan.size());
    for (int i = 0; i < count; ++i) {
        if (!runStep(connection, books, i, count, plan.at(i), &currentHeads, result)) {
            if (m_options.singleTransaction)
                nothingApplied();
            // What did commit is real schema; keep the snapshot in step with it.
            if (result->stepsCompleted > 0)
                recordSnapshot(connection, books, result->headsAfter, result);
            return;
        }
    }
    if (m_options.singleTransaction && !connection.exec(u"COMMIT"_s, &sqlError)) {
        result->fail(RunResult::Status::Failed,
                     tr("The final COMMIT failed, so nothing was applied: %1").arg(sqlError.toString()));
        nothingApplied();
        return;
    }
    recordSnapshot(connection, books, result->headsAfter, result);
}

void MigrationRunner::completeStep(int index, const QStringList &newHeads, QStringList *heads, RunResult *result,
                                   qint64 elapsedMs)
{
    *heads = newHeads;
    heads->sort();
    result->headsAfter = *heads;
    ++result->stepsCompleted;
    Q_EMIT stepFinished(index, true, elapsedMs);
}

HistoryEntry MigrationRunner::historyEntry(const QString &revision, MigrationOp op, const QString &scriptSha256,
                                          const QDateTime &started) const
{
    HistoryEntry h;
    h.runId = m_runId;
    h.revision = revision;
    h.direction = migrationOpName(op);
    h.startedAt = started;
    h.osUser = osUser();
    h.clientHost = QSysInfo::machineHostName();
    h.appVersion = m_options.appVersion;
    h.scriptSha256 = scriptSha256;
    return h;
}

QString MigrationRunner::describeFailure(const MigrationStep &step, const MigrationScript &script, int statement,
                                         int line, const SqlError &error) const
{
    if (statement < 0)
        return tr("Revision %1 failed while recording it: %2").arg(step.revision, error.toString());
    QString text = tr("Revision %1 (%2) failed during %3, statement %4 at %5:%6:\n%7")
                       .arg(script.revision, script.message, migrationOpName(step.direction))
                       .arg(statement + 1)
                       .arg(script.fileName)
                       .arg(line)
                       .arg(error.toString());
    if (error.sqlState == QLatin1String("55P03"))
        text += QLatin1Char('\n') + tr("The statement could not get a lock within lock_timeout (%1); "
                                       "retry when the table is less busy, or raise --lock-timeout.")
                                        .arg(m_options.lockTimeout);
    return text;
}

bool MigrationRunner::setTransactionSettings(PgConnection &connection, SqlError *error)
{
    return !m_pooled
           || connection.query(u"SELECT set_config('lock_timeout', $1, true), "
                                "set_config('client_connection_check_interval', '1s', true)"_s,
                               {m_options.lockTimeout}, error);
}

bool MigrationRunner::runStep(PgConnection &connection, Bookkeeping &books, int index, int count,
                              const MigrationStep &step, QStringList *heads, RunResult *result)
{
    const MigrationScript &script = *m_scripts.script(step.revision);
    const bool up = step.isUpgrade();
    Q_EMIT stepStarted(index, count, step.revision, up);
    Q_EMIT message(tr("Running %1 %2: %3").arg(migrationOpName(step.direction), step.revision, script.message));
    if (!script.transactional && !m_options.singleTransaction)
        return runNonTransactional(connection, books, index, step, script, heads, result);

    QElapsedTimer timer;
    timer.start();
    const QDateTime started = QDateTime::currentDateTimeUtc();
    const auto statements = splitSql(script.sectionSql(up), script.sectionLine(up));
    SqlError error;
    int failedAt = -1;
    int failedLine = 0;
    const bool ownTransaction = !m_options.singleTransaction;
    bool ok = !ownTransaction || (connection.exec(u"BEGIN"_s, &error) && setTransactionSettings(connection, &error));
    for (int s = 0; ok && s < statements.size(); ++s) {
        if (isCancelled()) {
            error.message = tr("cancelled by the user");
            error.sqlState = u"57014"_s;
            ok = false;
            failedAt = s;
            failedLine = statements.at(s).line;
            break;
        }
        Q_EMIT statementStarted(index, s, int(statements.size()), statements.at(s).line, statements.at(s).text);
        QElapsedTimer st;
        st.start();
        if (!connection.exec(statements.at(s).text, &error)) {
            ok = false;
            failedAt = s;
            failedLine = statements.at(s).line;
            break;
        }
        Q_EMIT statementFinished(index, s, st.elapsed());
    }
    QStringList newHeads = *heads;
    const auto ops = m_scripts.graph().versionOps(step, &newHeads);
    if (ok && !books.ensureVersionTable(&error))
        ok = false;
    if (ok && !books.applyOps(ops, &error))
        ok = false;

    HistoryEntry h = historyEntry(step.revision, step.direction, script.sha256, started);
    h.statements = int(statements.size());
    if (ok) {
        h.success = true;
        h.durationMs = double(timer.nsecsElapsed()) / 1e6;
        // Recorded inside the revision's own transaction: the history can never claim a run that rolled back.
        ok = books.recordHistory(h, &error) && (!ownTransaction || connection.exec(u"COMMIT"_s, &error));
        if (ok) {
            completeStep(index, newHeads, heads, result, timer.elapsed());
            return true;
        }
    }

    connection.exec(u"ROLLBACK"_s);
    const QString text = describeFailure(step, script, failedAt, failedLine, error) + QLatin1Char('\n')
        + (m_options.singleTransaction ? tr("The whole run was rolled back; the database is unchanged.")
                                       : tr("Revision %1 was rolled back; %n earlier revision(s) of this run stay applied.",
                                            nullptr, result->stepsCompleted)
                                             .arg(step.revision));
    return failStep(books, index, h, timer, error, text, result);
}

bool MigrationRunner::runNonTransactional(PgConnection &connection, Bookkeeping &books, int index,
                                          const MigrationStep &step, const MigrationScript &script,
                                          QStringList *heads, RunResult *result)
{
    const bool up = step.isUpgrade();
    QElapsedTimer timer;
    timer.start();
    const QDateTime started = QDateTime::currentDateTimeUtc();
    const auto statements = splitSql(script.sectionSql(up), script.sectionLine(up));
    const int resumeAt = m_resumeFrom.value(step.revision, 0);
    InterruptedRunRecovery recovery(connection, books, m_scripts, [this](const QString &text) { Q_EMIT message(text); });
    SqlError error;

    InterruptedRun marker;
    marker.revision = step.revision;
    marker.direction = migrationOpName(step.direction);
    marker.statementsDone = resumeAt;
    marker.statementsTotal = int(statements.size());
    marker.scriptSha256 = script.sha256;
    bool ok = books.markInterrupted(marker, &error);
    int failedAt = -1;
    int failedLine = 0;
    for (int s = resumeAt; ok && s < statements.size(); ++s) {
        const SqlStatement &st = statements.at(s);
        if (isCancelled()) {
            error.message = tr("cancelled by the user");
            error.sqlState = u"57014"_s;
            ok = false;
            failedAt = s;
            failedLine = st.line;
            break;
        }
        // A killed run may have finished this index build after its last bookkeeping write.
        if (s == resumeAt && resumeAt > 0) {
            if (const auto index = recovery.builtIndex(st.text)) {
                Q_EMIT message(tr("Index %1 already exists and is valid; skipping statement %2.").arg(*index).arg(s + 1));
                continue;
            }
        }
        Q_EMIT statementStarted(index, s, int(statements.size()), st.line, st.text);
        QElapsedTimer t;
        t.start();
        if (!connection.exec(st.text, &error)) {
            ok = false;
            failedAt = s;
            failedLine = st.line;
            break;
        }
        Q_EMIT statementFinished(index, s, t.elapsed());
        marker.statementsDone = s + 1;
        ok = books.markInterrupted(marker, &error);
    }

    QStringList newHeads = *heads;
    const auto ops = m_scripts.graph().versionOps(step, &newHeads);
    HistoryEntry h = historyEntry(step.revision, step.direction, script.sha256, started);
    h.statements = int(statements.size());
    if (ok) {
        h.success = true;
        h.durationMs = double(timer.nsecsElapsed()) / 1e6;
        // The version row, the history row and the end of the marker commit together.
        ok = connection.exec(u"BEGIN"_s, &error) && books.ensureVersionTable(&error)
             && books.applyOps(ops, &error) && books.recordHistory(h, &error)
             && books.clearInterrupted(step.revision, &error) && connection.exec(u"COMMIT"_s, &error);
        if (ok) {
            completeStep(index, newHeads, heads, result, timer.elapsed());
            return true;
        }
        connection.exec(u"ROLLBACK"_s);
    }

    const QStringList dropped = recovery.dropInvalidIndexes(script, step.direction);
    QString left = tr("Revision %1 is non-transactional, so it could not be rolled back as a whole: "
                      "%2 of its %3 statements had completed and stay in place.")
                       .arg(step.revision)
                       .arg(marker.statementsDone)
                       .arg(statements.size());
    if (!dropped.isEmpty())
        left += QLatin1Char(' ') + tr("The half-built invalid index(es) %1 were dropped.").arg(dropped.join(u", "_s));
    left += QLatin1Char(' ') + tr("The version table was not changed; the next run resumes at statement %1.")
                                   .arg(marker.statementsDone + 1);
    const QString text = describeFailure(step, script, failedAt, failedLine, error) + QLatin1Char('\n') + left;
    return failStep(books, index, h, timer, error, text, result);
}

bool MigrationRunner::failStep(Bookkeeping &books, int index, HistoryEntry history, const QElapsedTimer &timer,
                               const SqlError &error, const QString &text, RunResult *result)
{
    const bool cancelled = isCancelled() || error.sqlState == QLatin1String("57014");
    result->fail(cancelled ? RunResult::Status::Cancelled : RunResult::Status::Failed, text);
    history.success = false;
    history.durationMs = double(timer.nsecsElapsed()) / 1e6;
    history.error = text;
    SqlError ignored;
    // Failed attempts are history too, written after the rollback so they survive it.
    books.recordHistory(history, &ignored);
    Q_EMIT stepFinished(index, false, timer.elapsed());
    return false;
}

void MigrationRunner::recordSnapshot(PgConnection &connection, Bookkeeping &books, const QStringList &heads,
                                     RunResult *result)
{
    QString error;
    QStringList excludedTables;
    const auto where = connection.query(u"SELECT n.nspname || '.' || c.relname FROM pg_class c "
                                                       "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)"_s,
                                        {m_options.versionTable.qualifiedSql()}, nullptr);
    if (where && !where->isEmpty())
        excludedTables << where->first().value(0);
    const auto snapshot = SchemaSnapshot::capture(connection.database(), {Bookkeeping::schemaName()}, excludedTables, &error);
    SqlError sqlError;
    if (!snapshot || !books.saveSnapshot(heads, QString::fromLatin1(snapshot->fingerprint()), snapshot->toText(), &sqlError)) {
        const QString note = tr("Warning: the schema snapshot could not be recorded, so `check` cannot detect drift "
                                "until the next run: %1")
                                 .arg(snapshot ? sqlError.toString() : error);
        result->notes << note;
        Q_EMIT message(note);
    }
}

} // namespace MigrationDesk
