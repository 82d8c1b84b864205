#include "migrations/migrationrunner.h"

#include "migrations/bookkeeping.h"
#include "db/locksession.h"
#include "db/pgconnection.h"
#include "db/pgtools.h"
#include "db/sqlident.h"
#include "migrations/schemasnapshot.h"
#include "migrations/sqlsplitter.h"

#include <QElapsedTimer>

#include <pwd.h>
#include <unistd.h>

#include <QScopeGuard>
#include <QSysInfo>
#include <QMutexLocker>
#include <QRegularExpression>
#include <QThread>
#include <QUuid>

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

// The index a CREATE INDEX statement makes, and the table it is on, so leftovers of an interrupted
// CREATE INDEX CONCURRENTLY can be found. Names may be quoted.
struct IndexRef { QString name; QString table; };
std::optional<IndexRef> createdIndex(const QString &statement)
{
    static const QRegularExpression re(
        QStringLiteral("^\\s*CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(?:CONCURRENTLY\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?"
                       "(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)\\s+ON\\s+(?:ONLY\\s+)?"
                       "((?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)(?:\\.(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*))?)"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(statement);
    if (!m.hasMatch())
        return std::nullopt;
    QString name = m.captured(1);
    if (name.startsWith(QLatin1Char('"')))
        name = name.mid(1, name.size() - 2).replace(QStringLiteral("\"\""), QStringLiteral("\""));
    else
        name = name.toLower();
    return IndexRef{name, m.captured(2)};
}

// DROP INDEX CONCURRENTLY that died half-way leaves the index invalid too; its name is what to finish.
std::optional<QString> droppedIndex(const QString &statement)
{
    static const QRegularExpression re(
        QStringLiteral("^\\s*DROP\\s+INDEX\\s+(?:CONCURRENTLY\\s+)?(?:IF\\s+EXISTS\\s+)?"
                       "((?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)(?:\\.(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*))?)"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(statement);
    return m.hasMatch() ? std::optional<QString>(m.captured(1)) : std::nullopt;
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

bool MigrationRunner::acquireLock(const QueryFunction &query, qint32 key, bool announce, RunResult *result)
{
    bool announced = false;
    QElapsedTimer sinceAnnounce;
    const QString keyText = QString::number(key);
    const QString table = m_options.versionTable.displayName();
    for (;;) {
        SqlError error;
        // Polled outside any transaction so the waiting session never holds a snapshot that a
        // CREATE INDEX CONCURRENTLY in the holder would have to wait for.
        const auto rows = query(QStringLiteral("SELECT pg_try_advisory_lock($1::integer, hashtext($2))"),
                                {keyText, table}, &error);
        if (!rows) {
            result->status = RunResult::Status::Failed;
            result->error = tr("Could not take the migration lock: %1").arg(error.toString());
            return false;
        }
        if (!rows->isEmpty() && rows->first().value(0) == QLatin1String("t"))
            return true;
        if (isCancelled()) {
            result->status = RunResult::Status::Cancelled;
            result->error = tr("Cancelled while waiting for the migration lock.");
            return false;
        }
        if (!announced || sinceAnnounce.elapsed() > 10000) {
            const auto holder = query(
                QStringLiteral("SELECT a.pid, coalesce(a.usename, ''), coalesce(a.application_name, ''), "
                               "coalesce(host(a.client_addr), 'local socket'), "
                               "coalesce(to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ'), '') "
                               "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                               "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::integer::oid "
                               "AND l.objid = hashtext($2)::oid AND l.objsubid = 2 "
                               "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
                {keyText, table}, nullptr);
            QString who = tr("another session");
            if (holder && !holder->isEmpty()) {
                const QStringList &h = holder->first();
                who = tr("pid %1, user %2, application %3, from %4, connected since %5")
                          .arg(h.value(0), h.value(1), h.value(2), h.value(3), h.value(4));
            }
            const QString text = announce
                ? tr("Another migration holds the lock on this database (%1); waiting for it to finish.").arg(who)
                : tr("Waiting for the server to end the session of an interrupted run (%1).").arg(who);
            if (announce)
                Q_EMIT lockWaiting(who);
            else
                Q_EMIT waitingForInterruptedRun(who);
            Q_EMIT message(text);
            result->notes << text;
            announced = true;
            sinceAnnounce.start();
        }
        QThread::msleep(uint(m_options.lockPollIntervalMs));
    }
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

    LockSession lockSession;
    PgConnection connection;
    if (!openConnections(lockSession, connection, &result))
        return result;
    {
        QMutexLocker locker(&m_cancelMutex);
        m_canceller = connection.canceller();
    }
    auto dropCanceller = qScopeGuard([this] {
        QMutexLocker locker(&m_cancelMutex);
        m_canceller.reset();
    });
    if (!takeLocks(lockSession, connection, &result))
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

bool MigrationRunner::openConnections(LockSession &lockSession, PgConnection &connection, RunResult *result)
{
    // The lock session connects on its own thread while the worker connection opens here.
    lockSession.startConnect(m_settings);
    QString connectError;
    const bool workerOpen = connection.open(m_settings, &connectError);
    QString lockError;
    const bool lockOpen = lockSession.waitConnected(&lockError);
    if (workerOpen && lockOpen)
        return true;
    return result->fail(RunResult::Status::ConnectionError, workerOpen ? lockError : connectError);
}

bool MigrationRunner::takeLocks(LockSession &lockSession, PgConnection &connection, RunResult *result)
{
    if (!acquireLock([&lockSession](const QString &sql, const QStringList &params, SqlError *error) {
            return lockSession.query(sql, params, error);
        }, lockKey(), true, result))
        return false;
    // The worker lock is only free once the SQL session of any killed earlier run has ended, so we
    // never race a dying backend that still holds table locks or an unfinished index build.
    return acquireLock([&connection](const QString &sql, const QStringList &params, SqlError *error) {
        return connection.query(sql, params, error);
    }, workerLockKey(), false, result);
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
    bool ok = connection.exec(QStringLiteral("BEGIN"), &sqlError) && books.ensureVersionTable(&sqlError)
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
    if (!ok || !connection.exec(QStringLiteral("COMMIT"), &sqlError)) {
        connection.exec(QStringLiteral("ROLLBACK"));
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
    if (op == MigrationOp::Downgrade) {
        const QString warning = graph.downgradeWarning(heads, target);
        if (!warning.isEmpty()) {
            result->notes << warning;
            Q_EMIT message(warning);
        }
    }
    if (!m_options.dryRun)
        cleanUpInterrupted(connection, books, &*plan, result);
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
    SqlError sqlError;
    if (!connection.query(QStringLiteral("SELECT set_config('lock_timeout', $1, false), "
                                         "set_config('client_connection_check_interval', '1s', false)"),
                          {m_options.lockTimeout}, &sqlError))
        return result->fail(RunResult::Status::Refused,
                            tr("Invalid lock timeout '%1': %2").arg(m_options.lockTimeout, sqlError.toString()));
    return true;
}

void MigrationRunner::runPlan(PgConnection &connection, Bookkeeping &books, const QList<MigrationStep> &plan,
                              const QStringList &heads, RunResult *result)
{
    SqlError sqlError;
    if (m_options.singleTransaction && !connection.exec(QStringLiteral("BEGIN"), &sqlError)) {
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
    if (m_options.singleTransaction && !connection.exec(QStringLiteral("COMMIT"), &sqlError)) {
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

QString MigrationRunner::describeFailure(const MigrationScript &script, MigrationOp op, int statement, int line,
                                         const SqlError &error) const
{
    QString text = tr("Revision %1 (%2) failed during %3, statement %4 at %5:%6:\n%7")
                       .arg(script.revision, script.message, migrationOpName(op))
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
    bool ok = !ownTransaction || connection.exec(QStringLiteral("BEGIN"), &error);
    for (int s = 0; ok && s < statements.size(); ++s) {
        if (isCancelled()) {
            error.message = tr("cancelled by the user");
            error.sqlState = QStringLiteral("57014");
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
        ok = books.recordHistory(h, &error) && (!ownTransaction || connection.exec(QStringLiteral("COMMIT"), &error));
        if (ok) {
            completeStep(index, newHeads, heads, result, timer.elapsed());
            return true;
        }
    }

    connection.exec(QStringLiteral("ROLLBACK"));
    const bool cancelled = isCancelled() || error.sqlState == QLatin1String("57014");
    result->status = cancelled ? RunResult::Status::Cancelled : RunResult::Status::Failed;
    if (failedAt >= 0)
        result->error = describeFailure(script, step.direction, failedAt, failedLine, error);
    else
        result->error = tr("Revision %1 failed while recording it: %2").arg(step.revision, error.toString());
    result->error += QLatin1Char('\n')
        + (m_options.singleTransaction ? tr("The whole run was rolled back; the database is unchanged.")
                                       : tr("Revision %1 was rolled back; %n earlier revision(s) of this run stay applied.",
                                            nullptr, result->stepsCompleted)
                                             .arg(step.revision));
    h.success = false;
    h.durationMs = double(timer.nsecsElapsed()) / 1e6;
    h.error = result->error;
    SqlError ignored;
    // Failed attempts are history too, written after the rollback so they survive it.
    books.recordHistory(h, &ignored);
    Q_EMIT stepFinished(index, false, timer.elapsed());
    return false;
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
            error.sqlState = QStringLiteral("57014");
            ok = false;
            failedAt = s;
            failedLine = st.line;
            break;
        }
        // A killed run may have finished this index build after its last bookkeeping write.
        if (const auto idx = createdIndex(st.text); idx && s == resumeAt && resumeAt > 0) {
            const auto rows = connection.query(
                QStringLiteral("SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                               "WHERE c.relname = $1 AND c.relnamespace = (SELECT relnamespace FROM pg_class "
                               "WHERE oid = to_regclass($2))"),
                {idx->name, idx->table}, nullptr);
            if (rows && !rows->isEmpty() && rows->first().value(0) == QLatin1String("t")) {
                Q_EMIT message(tr("Index %1 already exists and is valid; skipping statement %2.").arg(idx->name).arg(s + 1));
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
        ok = connection.exec(QStringLiteral("BEGIN"), &error) && books.ensureVersionTable(&error)
             && books.applyOps(ops, &error) && books.recordHistory(h, &error)
             && books.clearInterrupted(step.revision, &error) && connection.exec(QStringLiteral("COMMIT"), &error);
        if (ok) {
            completeStep(index, newHeads, heads, result, timer.elapsed());
            return true;
        }
        connection.exec(QStringLiteral("ROLLBACK"));
    }

    const bool cancelled = isCancelled() || error.sqlState == QLatin1String("57014");
    result->status = cancelled ? RunResult::Status::Cancelled : RunResult::Status::Failed;
    result->error = failedAt >= 0 ? describeFailure(script, step.direction, failedAt, failedLine, error)
                                  : tr("Revision %1 failed while recording it: %2").arg(step.revision, error.toString());
    const QStringList dropped = dropInvalidIndexesOf(connection, script, up);
    QString left = tr("Revision %1 is non-transactional, so it could not be rolled back as a whole: "
                      "%2 of its %3 statements had completed and stay in place.")
                       .arg(step.revision)
                       .arg(marker.statementsDone)
                       .arg(statements.size());
    if (!dropped.isEmpty())
        left += QLatin1Char(' ') + tr("The half-built invalid index(es) %1 were dropped.").arg(dropped.join(QStringLiteral(", ")));
    left += QLatin1Char(' ') + tr("The version table was not changed; the next run resumes at statement %1.")
                                   .arg(marker.statementsDone + 1);
    result->error += QLatin1Char('\n') + left;
    h.success = false;
    h.durationMs = double(timer.nsecsElapsed()) / 1e6;
    h.error = result->error;
    SqlError ignored;
    books.recordHistory(h, &ignored);
    Q_EMIT stepFinished(index, false, timer.elapsed());
    return false;
}

QStringList MigrationRunner::dropInvalidIndexesOf(PgConnection &connection, const MigrationScript &script, bool upgrade)
{
    QStringList dropped;
    const auto statements = splitSql(script.sectionSql(upgrade), script.sectionLine(upgrade));
    for (const SqlStatement &st : statements) {
        QString name;
        QString table;
        if (const auto idx = createdIndex(st.text)) {
            name = idx->name;
            table = idx->table;
        } else if (const auto d = droppedIndex(st.text)) {
            // For DROP INDEX CONCURRENTLY the statement itself finishes the job on retry.
            continue;
        } else {
            continue;
        }
        const auto rows = connection.query(
            QStringLiteral("SELECT n.nspname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                           "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid AND c.relname = $1 "
                           "AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = to_regclass($2))"),
            {name, table}, nullptr);
        if (!rows || rows->isEmpty())
            continue;
        SqlError error;
        const QString qualified = quoteQualified(rows->first().value(0), name);
        if (connection.exec(QStringLiteral("DROP INDEX CONCURRENTLY IF EXISTS %1").arg(qualified), &error)) {
            dropped << qualified;
            Q_EMIT message(tr("Dropped the invalid index %1 left by an interrupted CREATE INDEX CONCURRENTLY.").arg(qualified));
        } else {
            Q_EMIT message(tr("Could not drop the invalid index %1: %2").arg(qualified, error.toString()));
        }
    }
    return dropped;
}

void MigrationRunner::cleanUpInterrupted(PgConnection &connection, Bookkeeping &books, QList<MigrationStep> *plan,
                                         RunResult *result)
{
    SqlError error;
    const auto runs = books.interrupted(&error);
    if (!runs)
        return;
    for (const InterruptedRun &run : *runs) {
        const MigrationScript *script = m_scripts.script(run.revision);
        const bool up = migrationOpFromName(run.direction) == MigrationOp::Upgrade;
        QString note = tr("Found an interrupted run of non-transactional revision %1 (%2, started %3): "
                          "%4 of %5 statements had completed.")
                           .arg(run.revision, run.direction, run.startedAt.toString(Qt::ISODate))
                           .arg(run.statementsDone)
                           .arg(run.statementsTotal);
        if (script) {
            const QStringList dropped = dropInvalidIndexesOf(connection, *script, up);
            if (!dropped.isEmpty())
                note += QLatin1Char(' ') + tr("Dropped the invalid index(es) it left behind: %1.").arg(dropped.join(QStringLiteral(", ")));
            if (!run.scriptSha256.isEmpty() && run.scriptSha256 != script->sha256)
                note += QLatin1Char(' ') + tr("The script has changed since then.");
        }
        bool resumes = false;
        for (const MigrationStep &step : std::as_const(*plan)) {
            if (step.revision == run.revision && migrationOpFromName(run.direction) == step.direction) {
                m_resumeFrom.insert(run.revision, run.statementsDone);
                resumes = true;
            }
        }
        if (resumes) {
            note += QLatin1Char(' ') + tr("Resuming it at statement %1.").arg(run.statementsDone + 1);
        } else {
            books.clearInterrupted(run.revision, &error);
            note += QLatin1Char(' ') + tr("This run does not retry it; its completed statements were left in place.");
        }
        result->notes << note;
        Q_EMIT message(note);
    }
}

void MigrationRunner::recordSnapshot(PgConnection &connection, Bookkeeping &books, const QStringList &heads,
                                     RunResult *result)
{
    QString error;
    QStringList excludedTables;
    const auto where = connection.query(QStringLiteral("SELECT n.nspname || '.' || c.relname FROM pg_class c "
                                                       "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)"),
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
