// `check` on a database whose revisions were applied outside MigrationDesk (no snapshot for them) and
// `check --baseline`, against the fixture's real server: a distinct exit code naming the revisions,
// a baseline that records the schema and nothing else, then real drift found against it.
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include "db/pgconnection.h"
#include "migrations/advisorylockwaiter.h"
#include "migrations/migrationrunner.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {

// What Alembic leaves behind after `alembic upgrade r1` / `r2`: the schema and its version row.
void alembicBuilt(const QString &db, const QString &head)
{
    q(db, u"CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, "
          "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"_s);
    q(db, u"CREATE TABLE employees (id serial PRIMARY KEY, name text NOT NULL)"_s);
    if (head == QLatin1String("r2"))
        q(db, u"ALTER TABLE employees ADD COLUMN email text"_s);
    q(db, u"INSERT INTO alembic_version VALUES ('%1')"_s.arg(head));
}

QJsonObject json(const CliResult &r)
{
    return QJsonDocument::fromJson(r.out.toUtf8()).object();
}

} // namespace

class TestCheckBaseline : public QObject
{
    Q_OBJECT

private:
    PgFixture &pg() { return PgFixture::shared(); }
    QTemporaryDir m_dir;

    CliResult desk(const QString &db, const QStringList &args)
    {
        return runCli(QStringList{u"--migrations"_s, m_dir.path()} + args, pg().environment(db));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(pg().isRunning() || pg().start(), qPrintable(pg().errorString()));
        QVERIFY(m_dir.isValid());
        writeScript(m_dir.path(), u"r1.sql"_s, u"r1"_s, u"none"_s,
                    u"CREATE TABLE employees (id serial PRIMARY KEY, name text NOT NULL);"_s, u"DROP TABLE employees;"_s);
        writeScript(m_dir.path(), u"r2.sql"_s, u"r2"_s, u"r1"_s, u"ALTER TABLE employees ADD COLUMN email text;"_s,
                    u"ALTER TABLE employees DROP COLUMN email;"_s);
    }

    void noSnapshotSaysWhyAndExitsSix()
    {
        const QString db = freshDb(u"t_baseline_none"_s);
        alembicBuilt(db, u"r1"_s);
        const CliResult r = desk(db, {u"check"_s});
        QVERIFY2(r.exitCode == 6, qPrintable(r.all()));
        QVERIFY2(r.out.contains(u"No schema snapshot is recorded for revision r1"_s), qPrintable(r.out));
        QVERIFY2(r.out.contains(u"applied outside MigrationDesk (e.g. by Alembic)"_s), qPrintable(r.out));
        QVERIFY2(r.out.contains(u"check --baseline"_s), qPrintable(r.out));
        QVERIFY2(!r.out.contains(u"No drift"_s) && !r.out.contains(u"Drift found"_s), qPrintable(r.out));

        const CliResult j = desk(db, {u"--json"_s, u"check"_s});
        QCOMPARE(j.exitCode, 6);
        const QJsonObject o = json(j);
        QCOMPARE(o.value(u"exit_code"_s).toInt(), 6);
        QCOMPARE(o.value(u"ok"_s).toBool(true), false);
        QCOMPARE(o.value(u"no_snapshot_for"_s).toArray().toVariantList(), QVariantList{u"r1"_s});
        QCOMPARE(o.value(u"applied_outside"_s).toBool(), true);
        QCOMPARE(o.value(u"has_snapshot"_s).toBool(true), false);
        QCOMPARE(o.value(u"baseline_recorded"_s).toBool(true), false);
        QVERIFY(o.value(u"schema_differences"_s).toArray().isEmpty());
        // A check only reads: no bookkeeping schema appears.
        QCOMPARE(q(db, u"SELECT to_regnamespace('migrationdesk') IS NULL"_s), u"t"_s);
    }

    void baselineRecordsThenLaterCheckFindsRealDrift()
    {
        const QString db = freshDb(u"t_baseline_record"_s);
        alembicBuilt(db, u"r1"_s);
        const QString versionTableBefore = q(db, u"SELECT string_agg(attname || ':' || format_type(atttypid, atttypmod), ',' "
                                                  "ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'alembic_version'::regclass "
                                                  "AND attnum > 0"_s);
        const QString schemaBefore = pg().schemaDump(db, {u"migrationdesk"_s});
        CliResult r = desk(db, {u"--json"_s, u"check"_s, u"--baseline"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        const QJsonObject o = json(r);
        QCOMPARE(o.value(u"ok"_s).toBool(), true);
        QCOMPARE(o.value(u"baseline_recorded"_s).toBool(), true);
        QCOMPARE(o.value(u"heads"_s).toArray().toVariantList(), QVariantList{u"r1"_s});
        QVERIFY(o.value(u"schema_differences"_s).toArray().isEmpty());
        QVERIFY(o.value(u"no_snapshot_for"_s).toArray().isEmpty());
        // recorded like any other snapshot; the version table and the user's schema are untouched
        QCOMPARE(q(db, u"SELECT array_to_string(heads, ',') FROM migrationdesk.snapshot"_s), u"r1"_s);
        QCOMPARE(versions(db), u"r1"_s);
        QCOMPARE(q(db, u"SELECT string_agg(attname || ':' || format_type(atttypid, atttypmod), ',' ORDER BY attnum) "
                       "FROM pg_attribute WHERE attrelid = 'alembic_version'::regclass AND attnum > 0"_s),
                 versionTableBefore);
        QCOMPARE(pg().schemaDump(db, {u"migrationdesk"_s}), schemaBefore);

        r = desk(db, {u"check"_s});
        QVERIFY2(r.exitCode == 0 && r.out.contains(u"No drift"_s), qPrintable(r.all()));

        // The guide's own hand-made change, made without a revision: real drift, found against the baseline.
        q(db, u"ALTER TABLE employees ADD COLUMN department varchar"_s);
        r = desk(db, {u"check"_s});
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.out.contains(u"department"_s), qPrintable(r.out));

        // A baseline never papers over drift against a snapshot that describes the current revisions.
        const QString snapshotBefore = q(db, u"SELECT fingerprint || taken_at::text FROM migrationdesk.snapshot"_s);
        r = desk(db, {u"check"_s, u"--baseline"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"already recorded for r1"_s), qPrintable(r.err));
        QCOMPARE(q(db, u"SELECT fingerprint || taken_at::text FROM migrationdesk.snapshot"_s), snapshotBefore);
        QCOMPARE(desk(db, {u"check"_s}).exitCode, 4);
    }

    // MigrationDesk recorded a snapshot at r1, then Alembic moved the database to r2: no snapshot describes
    // r2, so check says so instead of listing Alembic's work as drift.
    void alembicMovedPastTheSnapshot()
    {
        const QString db = freshDb(u"t_baseline_moved"_s);
        CliResult r = desk(db, {u"upgrade"_s, u"r1"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        q(db, u"ALTER TABLE employees ADD COLUMN email text"_s);
        q(db, u"UPDATE alembic_version SET version_num = 'r2'"_s);
        r = desk(db, {u"check"_s});
        QVERIFY2(r.exitCode == 6, qPrintable(r.all()));
        QVERIFY2(r.out.contains(u"revision r2"_s) && r.out.contains(u"applied outside MigrationDesk"_s), qPrintable(r.out));
        QVERIFY2(r.err.contains(u"The last schema snapshot was recorded at r1."_s), qPrintable(r.err));
        r = desk(db, {u"check"_s, u"--baseline"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        r = desk(db, {u"check"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        // and MigrationDesk moves on from there, keeping the snapshot in step
        r = desk(db, {u"downgrade"_s, u"r1"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(desk(db, {u"check"_s}).exitCode, 0);
    }

    // Where MigrationDesk itself moved the heads but left the snapshot behind, check keeps reporting drift.
    void ownRunsAreNotMistakenForAlembic()
    {
        const QString db = freshDb(u"t_baseline_own"_s);
        QCOMPARE(desk(db, {u"upgrade"_s, u"r2"_s}).exitCode, 0);
        // the snapshot of an older state at r1, as a run that could not record one would leave it
        QCOMPARE(desk(db, {u"downgrade"_s, u"r1"_s}).exitCode, 0);
        const QString r1Snapshot = q(db, u"SELECT schema_text FROM migrationdesk.snapshot"_s);
        QCOMPARE(desk(db, {u"upgrade"_s, u"r2"_s}).exitCode, 0);
        q(db, u"UPDATE migrationdesk.snapshot SET heads = '{r1}', schema_text = $$%1$$"_s.arg(r1Snapshot));
        const CliResult r = desk(db, {u"check"_s});
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.out.contains(u"the version table says r2 but the snapshot was recorded at r1"_s), qPrintable(r.out));
        QCOMPARE(desk(db, {u"check"_s, u"--baseline"_s}).exitCode, 1);
    }

    void baselineAtBaseRecordsNothing()
    {
        const QString db = freshDb(u"t_baseline_base"_s);
        const CliResult r = desk(db, {u"check"_s, u"--baseline"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"(base)"_s), qPrintable(r.err));
        QCOMPARE(q(db, u"SELECT to_regnamespace('migrationdesk') IS NULL"_s), u"t"_s);
        QCOMPARE(desk(db, {u"check"_s}).exitCode, 0);
    }

    // The run lock is the migrations' own: a baseline never races a running migration.
    void baselineRefusesWhileAMigrationRuns()
    {
        const QString db = freshDb(u"t_baseline_lock"_s);
        alembicBuilt(db, u"r1"_s);
        PgConnection holder;
        QString error;
        QVERIFY2(holder.open(settings(db), &error), qPrintable(error));
        SqlError sqlError;
        // the scope a run on `alembic_version` locks, as the runner computes it
        const auto scope = AdvisoryLockWaiter::scopeFor(
            [&holder](const QString &sql, const QStringList &params, SqlError *e) { return holder.query(sql, params, e); },
            *VersionTable::fromName(u"alembic_version"_s, nullptr), &sqlError);
        QVERIFY2(scope, qPrintable(sqlError.toString()));
        QVERIFY2(holder.query(u"SELECT pg_advisory_lock($1::integer, hashtext($2))"_s,
                              {QString::number(MigrationRunner::lockKey()), *scope}, &sqlError),
                 qPrintable(sqlError.toString()));
        const CliResult r = desk(db, {u"check"_s, u"--baseline"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"A migration is running"_s), qPrintable(r.err));
        QCOMPARE(q(db, u"SELECT to_regnamespace('migrationdesk') IS NULL"_s), u"t"_s);
        // once the run is over, the same command records
        QVERIFY(holder.query(u"SELECT pg_advisory_unlock_all()"_s));
        QCOMPARE(desk(db, {u"check"_s, u"--baseline"_s}).exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestCheckBaseline)
#include "tst_checkbaseline.moc"
