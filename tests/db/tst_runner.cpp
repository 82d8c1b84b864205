// In-process tests of MigrationRunner and DriftCheck against the fixture's PostgreSQL: signals, a
// worker thread with cancel, waiting for the run lock, dry runs and lock_timeout.
#include "bundledrevisions.h"
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include "db/connectionsettings.h"
#include "db/pgconnection.h"
#include "migrations/driftcheck.h"
#include "migrations/migrationrunner.h"
#include "migrations/scriptset.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;
using namespace Qt::StringLiterals;

namespace {

const QString kHead = Test::bundledHead();
const QStringList kBundled = Test::bundledRevisions();

// Runs one MigrationRunner on a worker thread the way the desktop app does (worker object moved to
// a QThread, work started with a queued call), while the test's main thread keeps processing events.
class RunnerThread
{
public:
    RunnerThread(const ScriptSet &scripts, const ConnectionSettings &settings, const RunOptions &options)
        : m_runner(new MigrationRunner(scripts, settings, options))
    {
        m_runner->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_runner, &QObject::deleteLater);
        m_thread.start();
    }
    ~RunnerThread()
    {
        // A failed test must not leave the worker blocked on a lock or a sleep.
        m_runner->cancel();
        m_thread.quit();
        m_thread.wait();
    }
    RunnerThread(const RunnerThread &) = delete;
    RunnerThread &operator=(const RunnerThread &) = delete;

    MigrationRunner *runner() const { return m_runner; }

    void upgrade(const QString &target)
    {
        QMetaObject::invokeMethod(
            m_runner,
            [this, target] {
                m_result = m_runner->upgrade(target);
                m_done = true;
            },
            Qt::QueuedConnection);
    }
    bool isDone() const { return m_done.load(); }
    // Only valid once isDone(): the atomic orders the worker's write before this read.
    const RunResult &result() const { return m_result; }

private:
    QThread m_thread;
    MigrationRunner *m_runner;
    std::atomic_bool m_done{false};
    RunResult m_result;
};

QStringList stepRevisions(const QList<MigrationStep> &plan)
{
    QStringList revisions;
    for (const MigrationStep &s : plan)
        revisions << s.revision;
    return revisions;
}

} // namespace

class TestRunner : public QObject
{
    Q_OBJECT

private:
    PgFixture &pg() { return PgFixture::shared(); }

    static ScriptSet bundled()
    {
        return ScriptSet::load(ScriptSet::bundledLocation());
    }

    // The bundled scripts plus one more revision on top, in a folder of their own.
    static void copyBundledTo(const QString &dir)
    {
        const QDir source(ScriptSet::bundledLocation());
        const QStringList names = source.entryList({u"*.sql"_s}, QDir::Files);
        QCOMPARE(names.size(), kBundled.size());
        for (const QString &name : names)
            QVERIFY(QFile::copy(source.filePath(name), QDir(dir).filePath(name)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(pg().isRunning() || pg().start(), qPrintable(pg().errorString()));
        QVERIFY2(bundled().isValid(), qPrintable(bundled().errorText()));
    }

    void upgradeHeadEmitsProgress()
    {
        const QString db = freshDb(u"t_runner_signals"_s);
        const ScriptSet scripts = bundled();
        MigrationRunner runner(scripts, settings(db), RunOptions());
        QSignalSpy planSpy(&runner, &MigrationRunner::planReady);
        QSignalSpy stepStartedSpy(&runner, &MigrationRunner::stepStarted);
        QSignalSpy statementStartedSpy(&runner, &MigrationRunner::statementStarted);
        QSignalSpy statementFinishedSpy(&runner, &MigrationRunner::statementFinished);
        QSignalSpy stepFinishedSpy(&runner, &MigrationRunner::stepFinished);
        QSignalSpy messageSpy(&runner, &MigrationRunner::message);
        QVERIFY(planSpy.isValid() && stepStartedSpy.isValid() && statementStartedSpy.isValid()
                && statementFinishedSpy.isValid() && stepFinishedSpy.isValid());
        // The order in which the signals arrive, in one list.
        QStringList order;
        connect(&runner, &MigrationRunner::planReady, this, [&order] { order << u"plan"_s; });
        connect(&runner, &MigrationRunner::stepStarted, this, [&order](int step) { order << u"step %1"_s.arg(step); });
        connect(&runner, &MigrationRunner::statementStarted, this,
                [&order](int step, int statement) { order << u"statement %1.%2"_s.arg(step).arg(statement); });
        connect(&runner, &MigrationRunner::statementFinished, this,
                [&order](int step, int statement) { order << u"done %1.%2"_s.arg(step).arg(statement); });
        connect(&runner, &MigrationRunner::stepFinished, this,
                [&order](int step, bool ok) { order << u"finished %1 %2"_s.arg(step).arg(int(ok)); });

        QElapsedTimer wall;
        wall.start();
        const RunResult r = runner.upgrade(u"head"_s);
        const qint64 wallMs = wall.elapsed();
        QVERIFY2(r.ok(), qPrintable(r.error));
        QVERIFY(r.error.isEmpty());
        QCOMPARE(stepRevisions(r.plan), kBundled);
        for (const MigrationStep &s : r.plan)
            QVERIFY(s.isUpgrade());
        QVERIFY(r.headsBefore.isEmpty());
        QCOMPARE(r.headsAfter, QStringList{kHead});
        QCOMPARE(r.stepsCompleted, kBundled.size());
        QCOMPARE(versions(db), kHead);

        QCOMPARE(planSpy.count(), 1);
        QCOMPARE(stepRevisions(planSpy.at(0).at(0).value<QList<MigrationStep>>()), kBundled);
        QVERIFY(planSpy.at(0).at(1).toStringList().isEmpty());

        const int steps = int(kBundled.size());
        QCOMPARE(stepStartedSpy.count(), steps);
        QCOMPARE(stepFinishedSpy.count(), steps);
        for (int i = 0; i < steps; ++i) {
            QCOMPARE(stepStartedSpy.at(i).at(0).toInt(), i);
            QCOMPARE(stepStartedSpy.at(i).at(1).toInt(), steps);
            QCOMPARE(stepStartedSpy.at(i).at(2).toString(), kBundled.at(i));
            QCOMPARE(stepStartedSpy.at(i).at(3).toBool(), true);
            QCOMPARE(stepFinishedSpy.at(i).at(0).toInt(), i);
            QCOMPARE(stepFinishedSpy.at(i).at(1).toBool(), true);
        }
        // Each step's time is a duration measured inside this run (not a timestamp, not left unset): the
        // steps fit, together, in the wall time the test measured around upgrade().
        qint64 stepsMs = 0;
        for (int i = 0; i < steps; ++i) {
            const QVariant elapsed = stepFinishedSpy.at(i).at(2);
            QCOMPARE(elapsed.typeId(), QMetaType::LongLong);
            QVERIFY2(elapsed.toLongLong() >= 0, qPrintable(elapsed.toString()));
            stepsMs += elapsed.toLongLong();
        }
        QVERIFY2(stepsMs <= wallMs, qPrintable(u"steps %1 ms, run %2 ms"_s.arg(stepsMs).arg(wallMs)));

        // Statements: how many each revision has, and where each one starts in its file.
        const QList<int> perStep = {6, 1, 14, 8, 2};
        QCOMPARE(perStep.size(), steps);
        QCOMPARE(statementStartedSpy.count(), 31);
        QCOMPARE(statementFinishedSpy.count(), 31);
        QList<int> seen(steps, 0);
        QHash<QString, int> firstLines; // "step.statement" -> line
        for (int i = 0; i < statementStartedSpy.count(); ++i) {
            const QList<QVariant> &args = statementStartedSpy.at(i);
            const int step = args.at(0).toInt();
            const int statement = args.at(1).toInt();
            const int count = args.at(2).toInt();
            const int line = args.at(3).toInt();
            const QString sql = args.at(4).toString();
            QVERIFY(step >= 0 && step < steps);
            QCOMPARE(statement, seen[step]++);
            QCOMPARE(count, perStep.at(step));
            QCOMPARE(statementFinishedSpy.at(i).at(0).toInt(), step);
            QCOMPARE(statementFinishedSpy.at(i).at(1).toInt(), statement);

            const MigrationScript *script = scripts.script(kBundled.at(step));
            QVERIFY(script);
            QFile file(script->fileName);
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(script->fileName));
            const QStringList fileLines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
            QVERIFY2(line > script->upgradeLine - 1 && line < script->downgradeLine - 1,
                     qPrintable(u"%1 statement %2 at line %3"_s.arg(script->fileName).arg(statement).arg(line)));
            // The statement text leaves out the ';', so its first line starts the file's line.
            const QString fileLine = fileLines.at(line - 1).trimmed();
            const QString firstSqlLine = sql.section(QLatin1Char('\n'), 0, 0).trimmed();
            QVERIFY(!firstSqlLine.isEmpty());
            QVERIFY2(fileLine.startsWith(firstSqlLine), qPrintable(fileLine + u" / "_s + firstSqlLine));
            firstLines.insert(u"%1.%2"_s.arg(step).arg(statement), line);
        }
        QCOMPARE(seen, perStep);
        QCOMPARE(firstLines.value(u"0.0"_s), 9);   // CREATE TABLE employees
        QCOMPARE(firstLines.value(u"0.5"_s), 54);  // CREATE INDEX ix_schedules_schedule_id
        QCOMPARE(firstLines.value(u"1.0"_s), 7);   // ALTER TABLE employees ADD COLUMN department
        QCOMPARE(firstLines.value(u"2.6"_s), 19);  // ALTER TABLE employees, a multi-line statement
        QCOMPARE(firstLines.value(u"2.13"_s), 59); // CREATE TRIGGER, after the $$ function body
        QCOMPARE(firstLines.value(u"3.0"_s), 14);  // DROP INDEX CONCURRENTLY IF EXISTS ...
        QCOMPARE(firstLines.value(u"3.7"_s), 29);  // the last CREATE INDEX CONCURRENTLY
        QCOMPARE(firstLines.value(u"4.0"_s), 14);  // 0005: DROP INDEX CONCURRENTLY IF EXISTS ...
        QCOMPARE(firstLines.value(u"4.1"_s), 15);  // 0005: CREATE INDEX CONCURRENTLY, two lines

        // plan, then per step: started, its statements each started and done, finished.
        QStringList expected{u"plan"_s};
        for (int step = 0; step < steps; ++step) {
            expected << u"step %1"_s.arg(step);
            for (int s = 0; s < perStep.at(step); ++s)
                expected << u"statement %1.%2"_s.arg(step).arg(s) << u"done %1.%2"_s.arg(step).arg(s);
            expected << u"finished %1 1"_s.arg(step);
        }
        QCOMPARE(order, expected);
        QVERIFY(messageSpy.count() >= 4);

        // Upgrading again: nothing to do, no steps.
        const RunResult again = runner.upgrade(u"head"_s);
        QVERIFY2(again.ok(), qPrintable(again.error));
        QVERIFY(again.plan.isEmpty());
        QCOMPARE(again.headsBefore, QStringList{kHead});
        QCOMPARE(again.headsAfter, QStringList{kHead});
        QCOMPARE(again.stepsCompleted, 0);
        QCOMPARE(stepStartedSpy.count(), steps);
    }

    void cancelFromMainThreadWhileWorkerRuns()
    {
        const QString db = freshDb(u"t_runner_cancel"_s);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeScript(dir.path(), u"1.sql"_s, u"r1"_s, u"none"_s, u"CREATE TABLE cancel_a (id int);"_s,
                    u"DROP TABLE cancel_a;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"r2"_s, u"r1"_s,
                    u"CREATE TABLE cancel_b (id int);\nSELECT pg_sleep(30);\nCREATE TABLE cancel_c (id int);"_s,
                    u"DROP TABLE cancel_c;\nDROP TABLE cancel_b;"_s);
        const ScriptSet scripts = ScriptSet::load(dir.path());
        QVERIFY2(scripts.isValid(), qPrintable(scripts.errorText()));

        bool sawSleep = false;
        int sleepLine = 0;
        QThread *signalThread = nullptr;
        QElapsedTimer sinceCancel;
        QObject receiver; // main-thread context; destroyed before the locals the lambdas use
        RunnerThread worker(scripts, settings(db), RunOptions());
        MigrationRunner *runner = worker.runner();
        QVERIFY(runner->thread() != QThread::currentThread());
        connect(runner, &MigrationRunner::statementStarted, &receiver,
                [&, runner](int, int, int, int line, const QString &sql) {
                    signalThread = QThread::currentThread();
                    if (!sql.contains(u"pg_sleep"_s) || sawSleep)
                        return;
                    sawSleep = true;
                    sleepLine = line;
                    sinceCancel.start();
                    runner->cancel();
                });

        worker.upgrade(u"head"_s);
        // The sleep statement is announced while the worker is blocked in it.
        QTRY_VERIFY_WITH_TIMEOUT(sawSleep, 20000);
        QCOMPARE(signalThread, QThread::currentThread());
        QCOMPARE(sleepLine, 8); // writeScript: upgrade body starts at line 7
        // Far sooner than the 30 s the statement would take.
        QTRY_VERIFY_WITH_TIMEOUT(worker.isDone(), 10000);
        QVERIFY2(sinceCancel.elapsed() < 10000, "the run did not stop promptly after cancel()");

        const RunResult &r = worker.result();
        QCOMPARE(int(r.status), int(RunResult::Status::Cancelled));
        QVERIFY2(r.error.contains(u"57014"_s), qPrintable(r.error));
        QVERIFY2(r.error.contains(u"r2"_s) && r.error.contains(u"rolled back"_s), qPrintable(r.error));
        QCOMPARE(stepRevisions(r.plan), (QStringList{u"r1"_s, u"r2"_s}));
        QCOMPARE(r.stepsCompleted, 1);
        QCOMPARE(r.headsAfter, QStringList{u"r1"_s});

        // r1 committed; r2 rolled back as a whole, including the statement before the sleep.
        QCOMPARE(versions(db), u"r1"_s);
        QVERIFY(relationExists(db, u"cancel_a"_s));
        QVERIFY(!relationExists(db, u"cancel_b"_s));
        QVERIFY(!relationExists(db, u"cancel_c"_s));
        QCOMPARE(q(db, u"SELECT revision || ':' || success FROM migrationdesk.history ORDER BY id"_s),
                 u"r1:true\nr2:false"_s);
        const QString failedError = q(db, u"SELECT error FROM migrationdesk.history WHERE revision = 'r2' AND NOT success"_s);
        QVERIFY2(failedError.contains(u"57014"_s), qPrintable(failedError));
        QCOMPARE(q(db, u"SELECT statements FROM migrationdesk.history WHERE revision = 'r2'"_s), u"3"_s);
    }

    void waitsForTheRunLock()
    {
        const QString db = freshDb(u"t_runner_lock"_s);
        QSqlDatabase holder = pg().openDatabase(db, u"runner_lock_holder"_s);
        QVERIFY2(holder.isOpen(), qPrintable(holder.lastError().text()));
        QSqlQuery hq(holder);
        QVERIFY2(hq.exec(u"SELECT pg_backend_pid()"_s) && hq.next(), qPrintable(hq.lastError().text()));
        const QString holderPid = hq.value(0).toString();
        // The key names the resolved table, so the runner's unqualified `alembic_version` waits for it.
        const QString lockSql = u"SELECT %2(%1, hashtext('\"public\".\"alembic_version\"'))"_s.arg(MigrationRunner::lockKey());
        QVERIFY2(hq.exec(lockSql.arg(u"pg_advisory_lock"_s)), qPrintable(hq.lastError().text()));

        QString waitingText;
        QThread *signalThread = nullptr;
        QObject receiver;
        RunOptions options;
        options.lockPollIntervalMs = 50;
        RunnerThread worker(bundled(), settings(db), options);
        connect(worker.runner(), &MigrationRunner::lockWaiting, &receiver, [&](const QString &holderText) {
            signalThread = QThread::currentThread();
            waitingText = holderText;
        });
        worker.upgrade(u"head"_s);

        QTRY_VERIFY_WITH_TIMEOUT(!waitingText.isEmpty(), 20000);
        QCOMPARE(signalThread, QThread::currentThread());
        QVERIFY2(waitingText.contains(u"pid %1,"_s.arg(holderPid)), qPrintable(waitingText));
        QVERIFY2(waitingText.contains(pg().superuser()), qPrintable(waitingText));
        // Still waiting, and nothing touched yet.
        QTest::qWait(300);
        QVERIFY(!worker.isDone());
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_namespace WHERE nspname = 'migrationdesk'"_s), u"0"_s);
        QVERIFY(!relationExists(db, u"alembic_version"_s));

        QVERIFY2(hq.exec(lockSql.arg(u"pg_advisory_unlock"_s)) && hq.next(), qPrintable(hq.lastError().text()));
        QCOMPARE(hq.value(0).toBool(), true);
        QTRY_VERIFY_WITH_TIMEOUT(worker.isDone(), 60000);
        const RunResult &r = worker.result();
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.stepsCompleted, kBundled.size());
        QCOMPARE(r.headsAfter, QStringList{kHead});
        QCOMPARE(versions(db), kHead);
        QVERIFY2(r.notes.join(u"\n"_s).contains(u"pid %1,"_s.arg(holderPid)), qPrintable(r.notes.join(u"\n"_s)));

        hq.finish();
        holder.close();
    }

    void dryRunChangesNothing()
    {
        const QString db = freshDb(u"t_runner_dry"_s);
        RunOptions options;
        options.dryRun = true;
        MigrationRunner runner(bundled(), settings(db), options);
        QSignalSpy planSpy(&runner, &MigrationRunner::planReady);
        QSignalSpy stepSpy(&runner, &MigrationRunner::stepStarted);
        QSignalSpy statementSpy(&runner, &MigrationRunner::statementStarted);
        const RunResult r = runner.upgrade(u"head"_s);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(stepRevisions(r.plan), kBundled);
        QVERIFY(r.headsBefore.isEmpty());
        QCOMPARE(r.stepsCompleted, 0);
        QCOMPARE(planSpy.count(), 1);
        QCOMPARE(stepSpy.count(), 0);
        QCOMPARE(statementSpy.count(), 0);
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_namespace WHERE nspname = 'migrationdesk'"_s), u"0"_s);
        QVERIFY(!relationExists(db, u"alembic_version"_s));
        QVERIFY(!relationExists(db, u"employees"_s));
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = 'public'"_s),
                 u"0"_s);
    }

    void lockTimeoutFailsFastAndAppliesNothing()
    {
        const QString db = freshDb(u"t_runner_lock_timeout"_s);
        {
            MigrationRunner first(bundled(), settings(db), RunOptions());
            const RunResult r = first.upgrade(u"head"_s);
            QVERIFY2(r.ok(), qPrintable(r.error));
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        copyBundledTo(dir.path());
        if (QTest::currentTestFailed())
            return;
        writeScript(dir.path(), u"0005_nickname.sql"_s, u"nickname5"_s, kHead,
                    u"ALTER TABLE employees ADD COLUMN nickname VARCHAR;"_s,
                    u"ALTER TABLE employees DROP COLUMN nickname;"_s);
        const ScriptSet scripts = ScriptSet::load(dir.path());
        QVERIFY2(scripts.isValid(), qPrintable(scripts.errorText()));

        QSqlDatabase blocker = pg().openDatabase(db, u"runner_table_locker"_s);
        QVERIFY2(blocker.isOpen(), qPrintable(blocker.lastError().text()));
        QVERIFY(blocker.transaction());
        QSqlQuery bq(blocker);
        QVERIFY2(bq.exec(u"LOCK TABLE employees IN ACCESS EXCLUSIVE MODE"_s), qPrintable(bq.lastError().text()));

        RunOptions options;
        options.lockTimeout = u"500ms"_s;
        MigrationRunner runner(scripts, settings(db), options);
        const RunResult r = runner.upgrade(u"head"_s);
        QVERIFY(blocker.rollback());
        blocker.close();

        QCOMPARE(int(r.status), int(RunResult::Status::Failed));
        QVERIFY2(r.error.contains(u"55P03"_s), qPrintable(r.error));
        QVERIFY2(r.error.contains(u"lock_timeout"_s) && r.error.contains(u"500ms"_s), qPrintable(r.error));
        QVERIFY2(r.error.contains(QDir(dir.path()).filePath(u"0005_nickname.sql"_s) + u":7"_s), qPrintable(r.error));
        QCOMPARE(stepRevisions(r.plan), QStringList{u"nickname5"_s});
        QCOMPARE(r.stepsCompleted, 0);
        QCOMPARE(r.headsAfter, QStringList{kHead});
        QCOMPARE(versions(db), kHead);
        QCOMPARE(q(db, u"SELECT count(*) FROM information_schema.columns WHERE table_name = 'employees' "
                       "AND column_name = 'nickname'"_s),
                 u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'nickname5' AND NOT success"_s), u"1"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision = 'nickname5' AND success"_s), u"0"_s);

        // Once the table is free the same run succeeds.
        const RunResult retry = runner.upgrade(u"head"_s);
        QVERIFY2(retry.ok(), qPrintable(retry.error));
        QCOMPARE(versions(db), u"nickname5"_s);
    }

    void driftCheckCleanThenReportsAddedIndex()
    {
        const QString db = freshDb(u"t_runner_drift"_s);
        const ScriptSet scripts = bundled();
        MigrationRunner runner(scripts, settings(db), RunOptions());
        const RunResult r = runner.upgrade(u"head"_s);
        QVERIFY2(r.ok(), qPrintable(r.error));

        PgConnection connection;
        QString error;
        QVERIFY2(connection.open(settings(db), &error), qPrintable(error));
        const auto clean = DriftCheck::run(connection, scripts, VersionTable(), &error);
        QVERIFY2(clean, qPrintable(error));
        QCOMPARE(clean->heads, QStringList{kHead});
        QVERIFY(clean->hasSnapshot);
        QVERIFY2(!clean->drifted(), qPrintable((clean->schemaDifferences + clean->checksumDifferences).join(u"\n"_s)));

        q(db, u"CREATE INDEX ix_drift_probe ON employees (name)"_s);
        const auto drifted = DriftCheck::run(connection, scripts, VersionTable(), &error);
        QVERIFY2(drifted, qPrintable(error));
        QVERIFY(drifted->drifted());
        QVERIFY(drifted->checksumDifferences.isEmpty());
        QVERIFY2(drifted->schemaDifferences.join(u"\n"_s).contains(u"ix_drift_probe"_s),
                 qPrintable(drifted->schemaDifferences.join(u"\n"_s)));
    }
};

QTEST_GUILESS_MAIN(TestRunner)
#include "tst_runner.moc"
