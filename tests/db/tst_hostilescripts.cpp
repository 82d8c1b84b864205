// Issue 13's hostile scripts against the fixture's real server: scripts that end the runner's
// transaction, touch the version table or the search_path, are edited between a failure and its resume;
// a role without CREATE; a lost connection; the runner's messages. Through the real CLI where the issue's
// repro used it, in-process for the guards that the load-time checks keep scripts from reaching.
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include "db/pgconnection.h"
#include "migrations/bookkeeping.h"
#include "migrations/migrationrunner.h"
#include "migrations/scriptset.h"
#include "migrations/statementexecutor.h"
#include "migrations/transactionguard.h"

#include <QDir>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

#include <algorithm>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;
using namespace Qt::StringLiterals;

namespace {

// Opens connection on db and begins a transaction there as the runner does for a revision, with guard
// knowing its id; the error, or empty.
QString beginRevisionTransaction(const QString &db, PgConnection &connection, TransactionGuard &guard)
{
    QString openError;
    if (!connection.open(settings(db), &openError))
        return openError;
    SqlError error;
    if (!connection.exec(u"BEGIN"_s, &error) || !guard.begin(&error))
        return error.toString();
    return {};
}

} // namespace

class TestHostileScripts : public QObject
{
    Q_OBJECT

private:
    PgFixture &pg() { return PgFixture::shared(); }
    CliResult cli(const QString &db, const QString &migrations, const QStringList &args)
    {
        return runCli(QStringList{u"--url"_s, pg().url(db), u"--migrations"_s, migrations} + args, pg().environment(db));
    }
    CliResult cliAs(const QString &role, const QString &password, const QString &db, const QString &migrations,
                    const QStringList &args)
    {
        const QString url = u"postgresql://%1:%2@%3:%4/%5"_s.arg(role, QString::fromLatin1(QUrl::toPercentEncoding(password)),
                                                               pg().host())
                                .arg(pg().port())
                                .arg(db);
        return runCli(QStringList{u"--url"_s, url, u"--migrations"_s, migrations} + args, pg().environment(db));
    }
    static QString path(const QTemporaryDir &dir, const QString &file) { return QDir(dir.path()).filePath(file); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(pg().isRunning() || pg().start(), qPrintable(pg().errorString()));
    }

    // Issue 13, bug 1, first repro: BEGIN ... COMMIT inside a transactional revision.
    void commitInsideRevisionIsRefusedAtLoad()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"aaa1"_s, u"none"_s, u"CREATE TABLE base_t (id int);"_s, u"DROP TABLE base_t;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"bbb2"_s, u"aaa1"_s,
                    u"BEGIN;\nCREATE TABLE committed_early(id int);\nCOMMIT;\nCREATE TABLE later(id int);\nSELECT 1/0;"_s,
                    u"SELECT 1;"_s);
        const QString db = freshDb(u"t_hostile_commit"_s);
        const CliResult r = cli(db, dir.path(), {u"upgrade"_s, u"head"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(path(dir, u"2.sql"_s) + u":7: transaction control (BEGIN)"_s), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"rolled back"_s), qPrintable(r.err));
        // Refused before connecting: nothing ran, not even the valid first revision.
        QVERIFY(!relationExists(db, u"committed_early"_s));
        QVERIFY(!relationExists(db, u"later"_s));
        QVERIFY(!relationExists(db, u"base_t"_s));
        QVERIFY(!relationExists(db, u"alembic_version"_s));
    }

    // Issue 13, bug 1, second repro: a ROLLBACK that made the run report success.
    void rollbackInsideRevisionIsRefusedAtLoad()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"aaa1"_s, u"none"_s, u"CREATE TABLE rolled_back(id int);\nROLLBACK;"_s,
                    u"DROP TABLE rolled_back;"_s);
        const QString db = freshDb(u"t_hostile_rollback"_s);
        const CliResult r = cli(db, dir.path(), {u"upgrade"_s, u"head"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(path(dir, u"1.sql"_s) + u":8: transaction control (ROLLBACK)"_s), qPrintable(r.err));
        QVERIFY(!relationExists(db, u"alembic_version"_s));
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_namespace WHERE nspname = 'migrationdesk'"_s), u"0"_s);
    }

    // Issue 13, bug 1, third repro: --single-transaction claimed "the database is unchanged" after a COMMIT.
    void commitUnderSingleTransactionIsRefusedAtLoad()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"aaa1"_s, u"none"_s, u"CREATE TABLE single_a(id int);\nCOMMIT;"_s,
                    u"DROP TABLE single_a;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"bbb2"_s, u"aaa1"_s, u"SELECT 1/0;"_s, u"SELECT 1;"_s);
        const QString db = freshDb(u"t_hostile_single"_s);
        const CliResult r = cli(db, dir.path(), {u"--single-transaction"_s, u"upgrade"_s, u"head"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(path(dir, u"1.sql"_s) + u":8: transaction control (COMMIT)"_s), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"database is unchanged"_s), qPrintable(r.err));
        QVERIFY(!relationExists(db, u"single_a"_s));
    }

    // Independently of the load-time check: the guard sees a statement end the transaction, and the
    // server says whether that committed.
    void guardSeesTransactionEnd_data()
    {
        QTest::addColumn<QString>("ender");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<bool>("stillInTransaction");
        QTest::newRow("COMMIT") << u"COMMIT"_s << int(TransactionGuard::Outcome::Committed) << false;
        QTest::newRow("END") << u"END"_s << int(TransactionGuard::Outcome::Committed) << false;
        QTest::newRow("ROLLBACK") << u"ROLLBACK"_s << int(TransactionGuard::Outcome::RolledBack) << false;
        QTest::newRow("ABORT") << u"ABORT"_s << int(TransactionGuard::Outcome::RolledBack) << false;
        QTest::newRow("COMMIT AND CHAIN") << u"COMMIT AND CHAIN"_s << int(TransactionGuard::Outcome::Committed) << true;
    }
    void guardSeesTransactionEnd()
    {
        QFETCH(QString, ender);
        QFETCH(int, outcome);
        QFETCH(bool, stillInTransaction);
        const QString db = freshDb(u"t_hostile_guard"_s);
        PgConnection connection;
        TransactionGuard guard(connection);
        const QString begun = beginRevisionTransaction(db, connection, guard);
        QVERIFY2(begun.isEmpty(), qPrintable(begun));
        SqlError error;
        const QList<SqlStatement> statements = {{u"CREATE TABLE guard_a (id int)"_s, 3},
                                                {ender, 4},
                                                {u"CREATE TABLE guard_b (id int)"_s, 5}};
        QStringList started;
        StatementExecutor::Hooks hooks;
        hooks.started = [&](int, const SqlStatement &st, const QString &) { started << st.text; };
        const auto r = StatementExecutor(connection, guard, TransactionGuard::State::Open).run(statements, 0, hooks);
        if (stillInTransaction) {
            // A chained transaction is open again: the status looks right, only the transaction id betrays
            // the switch, which the runner checks before it records the revision.
            QVERIFY(r.ok);
            QCOMPARE(started.size(), 3);
        } else {
            QVERIFY(!r.ok);
            QVERIFY(r.transactionChanged);
            QCOMPARE(r.failedAt, 1);
            QCOMPARE(r.failedLine, 4);
            QCOMPARE(started, (QStringList{u"CREATE TABLE guard_a (id int)"_s, ender}));
            QVERIFY(!relationExists(db, u"guard_b"_s));
        }
        QVERIFY(!guard.sameTransaction(&error));
        QCOMPARE(int(guard.outcome()), outcome);
        QCOMPARE(relationExists(db, u"guard_a"_s), outcome == int(TransactionGuard::Outcome::Committed));
        connection.exec(u"ROLLBACK"_s);
    }
    // Statements that share a pipeline: a cancel seen between two of them ends the revision before the
    // next, as it would one statement at a time, even though the server had that one already.
    void cancelBetweenPipelinedStatements()
    {
        const QString db = freshDb(u"t_hostile_cancel"_s);
        PgConnection connection;
        TransactionGuard guard(connection);
        const QString begun = beginRevisionTransaction(db, connection, guard);
        QVERIFY2(begun.isEmpty(), qPrintable(begun));
        SqlError error;
        const QList<SqlStatement> statements = {{u"CREATE TABLE cancel_a (id int)"_s, 3},
                                                {u"CREATE TABLE cancel_b (id int)"_s, 4},
                                                {u"CREATE TABLE cancel_c (id int)"_s, 5}};
        QVERIFY(std::all_of(statements.begin(), statements.end(), StatementExecutor::pipelinable));
        bool cancelled = false;
        QStringList started;
        QList<int> finished;
        StatementExecutor::Hooks hooks;
        hooks.cancelled = [&] { return cancelled; };
        hooks.started = [&](int, const SqlStatement &st, const QString &) { started << st.text; };
        hooks.finished = [&](int s, qint64) {
            finished << s;
            cancelled = true; // the user's cancel, right as the first statement ends
        };
        const auto r = StatementExecutor(connection, guard, TransactionGuard::State::Open).run(statements, 0, hooks);
        QVERIFY(!r.ok);
        QCOMPARE(r.failedAt, 1);
        QCOMPARE(r.failedLine, 4);
        QCOMPARE(r.error.sqlState, u"57014"_s);
        QVERIFY(!r.transactionChanged && !r.connectionLost);
        QCOMPARE(started, QStringList{u"CREATE TABLE cancel_a (id int)"_s});
        QCOMPARE(finished, QList<int>{0});
        QCOMPARE(r.log.size(), 1);
        QVERIFY(r.log.first().error.isEmpty());
        // Still the revision's transaction, which the runner rolls back: nothing of it stays.
        QCOMPARE(int(guard.state()), int(TransactionGuard::State::Open));
        QVERIFY(connection.exec(u"ROLLBACK"_s, &error));
        QVERIFY(!relationExists(db, u"cancel_a"_s));
        QVERIFY(!relationExists(db, u"cancel_c"_s));
    }
    // Issue 13, bug 2: a script that changes the version table fails its revision, which rolls back.
    void scriptTouchingTheVersionTableFails_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::newRow("drop (the issue's repro)") << u"DROP TABLE alembic_version;"_s;
        QTest::newRow("rename") << u"ALTER TABLE alembic_version RENAME TO old_versions;"_s;
        QTest::newRow("truncate") << u"TRUNCATE alembic_version;"_s;
        QTest::newRow("truncate and refill") << u"TRUNCATE alembic_version;\nINSERT INTO alembic_version VALUES ('aaa1');"_s;
        QTest::newRow("row changed") << u"UPDATE alembic_version SET version_num = 'bbb2';"_s;
        QTest::newRow("row added") << u"INSERT INTO alembic_version VALUES ('zzz9');"_s;
        QTest::newRow("altered") << u"ALTER TABLE alembic_version ADD COLUMN note text;"_s;
    }
    void scriptTouchingTheVersionTableFails()
    {
        QFETCH(QString, sql);
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"aaa1"_s, u"none"_s, u"CREATE TABLE vt_a (id int);"_s, u"DROP TABLE vt_a;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"bbb2"_s, u"aaa1"_s, u"CREATE TABLE vt_b (id int);\n"_s + sql,
                    u"DROP TABLE vt_b;"_s);
        const QString db = freshDb(u"t_hostile_vt"_s);
        QCOMPARE(cli(db, dir.path(), {u"upgrade"_s, u"aaa1"_s}).exitCode, 0);
        const QString oid = q(db, u"SELECT 'public.alembic_version'::regclass::oid"_s);

        const CliResult r = cli(db, dir.path(), {u"upgrade"_s, u"head"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"changed the version table public.alembic_version"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"Revision bbb2 was rolled back"_s), qPrintable(r.err));
        // The same table, with the same one row: the next run would not re-apply aaa1.
        QCOMPARE(q(db, u"SELECT 'public.alembic_version'::regclass::oid"_s), oid);
        QCOMPARE(versions(db), u"aaa1"_s);
        QVERIFY(!relationExists(db, u"vt_b"_s));
        QVERIFY(!relationExists(db, u"old_versions"_s));
        QCOMPARE(q(db, u"SELECT string_agg(revision || ':' || success, ',' ORDER BY id) FROM migrationdesk.history"_s),
                 u"aaa1:true,bbb2:false"_s);
    }

    // Issue 15: the version write is checked on the server before the COMMIT that shares its round trip. A
    // trigger leaves the table's identity and rows alone, so only the write's own check sees it swallowed.
    void versionWriteSwallowedByATriggerRollsBack()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"aaa1"_s, u"none"_s, u"CREATE TABLE sw_a (id int);"_s, u"DROP TABLE sw_a;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"bbb2"_s, u"aaa1"_s,
                    u"CREATE TABLE sw_b (id int);\n"
                    "CREATE FUNCTION sw_swallow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;\n"
                    "CREATE TRIGGER sw_swallow BEFORE UPDATE ON alembic_version FOR EACH ROW EXECUTE FUNCTION sw_swallow();"_s,
                    u"DROP TABLE sw_b;"_s);
        writeScript(dir.path(), u"3.sql"_s, u"ccc3"_s, u"bbb2"_s, u"CREATE TABLE sw_c (id int);"_s, u"DROP TABLE sw_c;"_s);
        const QString db = freshDb(u"t_hostile_swallow"_s);
        const CliResult r = cli(db, dir.path(), {u"upgrade"_s, u"head"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"expected to match one row when updating 'aaa1' to 'bbb2' in version table "
                                "public.alembic_version; 0 found"_s),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(u"Revision bbb2 was rolled back; 1 earlier revision(s) of this run stay applied"_s),
                 qPrintable(r.err));
        QCOMPARE(versions(db), u"aaa1"_s);
        QVERIFY(relationExists(db, u"sw_a"_s));
        QVERIFY(!relationExists(db, u"sw_b"_s));
        QVERIFY(!relationExists(db, u"sw_c"_s));
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_trigger WHERE tgname = 'sw_swallow'"_s), u"0"_s);
        QCOMPARE(q(db, u"SELECT string_agg(revision || ':' || success, ',' ORDER BY id) FROM migrationdesk.history"_s),
                 u"aaa1:true,bbb2:false"_s);
        // Nothing of the next revision's prologue, which rode in the same round trip, stayed open.
        const CliResult again = cli(db, dir.path(), {u"current"_s});
        QVERIFY2(again.exitCode == 0 && again.out.contains(u"aaa1"_s), qPrintable(again.all()));
    }

    // Issue 13, bug 2: a script's search_path neither redirects the version table nor the next revision.
    void searchPathOfAScriptDoesNotLeak()
    {
        QTemporaryDir dir;
        // The version table does not exist yet when the first revision moves the search_path.
        writeScript(dir.path(), u"1.sql"_s, u"aaa1"_s, u"none"_s,
                    u"CREATE SCHEMA other;\nSET search_path TO other;\nCREATE TABLE in_other (id int);"_s,
                    u"DROP SCHEMA other CASCADE;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"bbb2"_s, u"aaa1"_s, u"CREATE TABLE in_public (id int);"_s,
                    u"DROP TABLE in_public;"_s);
        writeScript(dir.path(), u"3.sql"_s, u"ccc3"_s, u"bbb2"_s,
                    u"SET search_path TO other;\nCREATE INDEX CONCURRENTLY ix_in_other ON in_other (id);"_s,
                    u"DROP INDEX other.ix_in_other;"_s, false);
        writeScript(dir.path(), u"4.sql"_s, u"ddd4"_s, u"ccc3"_s, u"CREATE TABLE also_public (id int);"_s,
                    u"DROP TABLE also_public;"_s);
        const QString db = freshDb(u"t_hostile_path"_s);
        const CliResult r = cli(db, dir.path(), {u"upgrade"_s, u"head"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(q(db, u"SELECT string_agg(version_num, ',') FROM public.alembic_version"_s), u"ddd4"_s);
        QCOMPARE(q(db, u"SELECT to_regclass('other.alembic_version') IS NULL"_s), u"t"_s);
        QCOMPARE(q(db, u"SELECT relnamespace::regnamespace::text FROM pg_class WHERE relname = 'in_other'"_s), u"other"_s);
        QCOMPARE(q(db, u"SELECT relnamespace::regnamespace::text FROM pg_class WHERE relname = 'in_public'"_s), u"public"_s);
        QCOMPARE(q(db, u"SELECT relnamespace::regnamespace::text FROM pg_class WHERE relname = 'also_public'"_s), u"public"_s);
        QCOMPARE(q(db, u"SELECT relnamespace::regnamespace::text FROM pg_class WHERE relname = 'ix_in_other'"_s), u"other"_s);

        // And back down, where the downgrade of aaa1 runs last.
        const CliResult down = cli(db, dir.path(), {u"downgrade"_s, u"base"_s});
        QVERIFY2(down.exitCode == 0, qPrintable(down.all()));
        QCOMPARE(q(db, u"SELECT count(*) FROM public.alembic_version"_s), u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_namespace WHERE nspname = 'other'"_s), u"0"_s);
    }

    // A script that leaves a session-wide search_path with a function shadowing pg_catalog's does not steer
    // the schema snapshot written after the run, though that write now shares its round trip with the reset.
    void searchPathOfAScriptDoesNotSteerTheSnapshot()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"snp1"_s, u"none"_s,
                    u"CREATE SCHEMA shadow;\n"
                    "CREATE FUNCTION shadow.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT timestamptz '2000-01-01 00:00+00' $$;\n"
                    "SET search_path TO shadow, pg_catalog;"_s,
                    u"DROP SCHEMA shadow CASCADE;"_s);
        const QString db = freshDb(u"t_hostile_snapshot_path"_s);
        const CliResult r = cli(db, dir.path(), {u"upgrade"_s, u"head"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY2(!r.all().contains(u"snapshot could not be recorded"_s), qPrintable(r.all()));
        QCOMPARE(q(db, u"SELECT array_to_string(heads, ',') FROM migrationdesk.snapshot"_s), u"snp1"_s);
        QCOMPARE(q(db, u"SELECT taken_at > pg_catalog.now() - interval '1 hour' FROM migrationdesk.snapshot"_s), u"t"_s);
        // The snapshot holds the script's function, so `check` finds no drift.
        const CliResult check = cli(db, dir.path(), {u"check"_s});
        QVERIFY2(check.exitCode == 0, qPrintable(check.all()));
    }

    // Issue 13, bug 2: a version table without a primary key holding a revision twice.
    void duplicateVersionRowsAreRefused()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"aaa1"_s, u"none"_s, u"SELECT 1;"_s, u"SELECT 1;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"bbb2"_s, u"aaa1"_s, u"CREATE TABLE dup_b (id int);"_s, u"DROP TABLE dup_b;"_s);
        writeScript(dir.path(), u"3.sql"_s, u"ccc3"_s, u"bbb2"_s, u"CREATE TABLE dup_c (id int);"_s, u"DROP TABLE dup_c;"_s);
        const QString db = freshDb(u"t_hostile_dup"_s);
        q(db, u"CREATE TABLE alembic_version (version_num varchar(32) NOT NULL); "
              "INSERT INTO alembic_version VALUES ('aaa1'), ('aaa1')"_s);
        const CliResult r = cli(db, dir.path(), {u"upgrade"_s, u"head"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"holds revision aaa1 more than once"_s), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"now at"_s), qPrintable(r.err));
        QCOMPARE(q(db, u"SELECT string_agg(version_num, ',') FROM alembic_version"_s), u"aaa1,aaa1"_s);
        QVERIFY(!relationExists(db, u"dup_b"_s));
        QVERIFY(!relationExists(db, u"dup_c"_s));
    }

    // Issue 13, bug 2: each version-table write must match exactly one row (Alembic's check).
    void versionWritesMustMatchOneRow()
    {
        const QString db = freshDb(u"t_hostile_onerow"_s);
        q(db, u"CREATE TABLE alembic_version (version_num varchar(32) NOT NULL); "
              "INSERT INTO alembic_version VALUES ('x1'), ('x1')"_s);
        PgConnection connection;
        QString openError;
        QVERIFY2(connection.open(settings(db), &openError), qPrintable(openError));
        Bookkeeping books(&connection, VersionTable());
        SqlError error;
        QVERIFY2(books.resolveVersionTable(&error), qPrintable(error.toString()));
        QCOMPARE(books.versionTable().displayName(), u"public.alembic_version"_s);

        VersionOp update{VersionOp::Kind::Update, u"x1"_s, u"y2"_s};
        QVERIFY(connection.exec(u"BEGIN"_s));
        QVERIFY(!books.applyOps({update}, &error));
        QVERIFY2(error.message.contains(u"expected to match one row when updating 'x1' to 'y2'"_s)
                     && error.message.contains(u"; 2 found"_s),
                 qPrintable(error.message));
        QVERIFY(connection.exec(u"ROLLBACK"_s));

        VersionOp remove{VersionOp::Kind::Delete, u"nope"_s, {}};
        error = {};
        QVERIFY(connection.exec(u"BEGIN"_s));
        QVERIFY(!books.applyOps({remove}, &error));
        QVERIFY2(error.message.contains(u"deleting 'nope'"_s) && error.message.contains(u"; 0 found"_s),
                 qPrintable(error.message));
        QVERIFY(connection.exec(u"ROLLBACK"_s));
        QCOMPARE(q(db, u"SELECT string_agg(version_num, ',') FROM alembic_version"_s), u"x1,x1"_s);
    }

    // Issue 13, bug 5: a role without CREATE on the schema runs an ALTER-only revision of a table it owns.
    void roleWithoutCreateRunsAlterOnlyRevision()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"aaa1"_s, u"none"_s, u"CREATE TABLE owned (id int);"_s, u"DROP TABLE owned;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"bbb2"_s, u"aaa1"_s, u"ALTER TABLE owned ADD COLUMN note text;"_s,
                    u"ALTER TABLE owned DROP COLUMN note;"_s);
        const QString db = freshDb(u"t_hostile_nocreate"_s);
        QCOMPARE(cli(db, dir.path(), {u"upgrade"_s, u"aaa1"_s}).exitCode, 0);
        const QString role = u"md_alter_only"_s;
        const QString password = u"alter-only-pw"_s;
        QString error;
        QVERIFY2(pg().createRole(role, password, false, &error), qPrintable(error));
        q(db, u"ALTER TABLE owned OWNER TO md_alter_only; "
              "GRANT SELECT, INSERT, UPDATE, DELETE ON alembic_version TO md_alter_only; "
              "GRANT USAGE ON SCHEMA migrationdesk TO md_alter_only; "
              "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA migrationdesk TO md_alter_only; "
              "GRANT USAGE ON ALL SEQUENCES IN SCHEMA migrationdesk TO md_alter_only"_s);
        // PostgreSQL 15 no longer grants CREATE on public to everyone.
        QCOMPARE(q(db, u"SELECT has_schema_privilege('md_alter_only', 'public', 'CREATE')"_s), u"f"_s);

        const CliResult r = cliAs(role, password, db, dir.path(), {u"upgrade"_s, u"head"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), u"bbb2"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM information_schema.columns WHERE table_name = 'owned' AND column_name = 'note'"_s),
                 u"1"_s);
        const CliResult down = cliAs(role, password, db, dir.path(), {u"downgrade"_s, u"aaa1"_s});
        QVERIFY2(down.exitCode == 0, qPrintable(down.all()));
        QCOMPARE(versions(db), u"aaa1"_s);
        q(db, u"DROP OWNED BY md_alter_only; DROP TABLE IF EXISTS owned"_s);
    }
    // Issue 13, bug 4: a failed non-transactional revision whose script was edited is not resumed by position.
    void editedInterruptedRevisionIsNotResumedByPosition()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"r1"_s, u"none"_s,
                    u"CREATE TABLE t (id int, grp int);\nINSERT INTO t VALUES (1, 1), (2, 2), (3, 2);"_s,
                    u"DROP TABLE t;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"r2"_s, u"r1"_s,
                    u"CREATE INDEX CONCURRENTLY ix_a ON t (id);\n\nCREATE UNIQUE INDEX CONCURRENTLY ix_dup ON t (grp);"_s,
                    u"DROP INDEX CONCURRENTLY ix_dup;\nDROP INDEX CONCURRENTLY ix_a;"_s, false);
        const QString db = freshDb(u"t_hostile_resume"_s);
        CliResult r = cli(db, dir.path(), {u"upgrade"_s, u"head"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"1 of its 2 statements had completed"_s), qPrintable(r.err));
        const QString oidA = q(db, u"SELECT to_regclass('ix_a')::oid"_s);

        // The user fixes the data and puts a new statement first: resuming "at statement 2" would skip it.
        q(db, u"DELETE FROM t WHERE id = 3"_s);
        writeScript(dir.path(), u"2.sql"_s, u"r2"_s, u"r1"_s,
                    u"CREATE INDEX CONCURRENTLY ix_new ON t (grp, id);\n\nCREATE INDEX CONCURRENTLY ix_a ON t (id);\n\n"
                    "CREATE UNIQUE INDEX CONCURRENTLY ix_dup ON t (grp);"_s,
                    u"DROP INDEX CONCURRENTLY ix_dup;\nDROP INDEX CONCURRENTLY ix_a;\nDROP INDEX CONCURRENTLY ix_new;"_s, false);
        r = cli(db, dir.path(), {u"upgrade"_s, u"head"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"has changed since then"_s) && r.err.contains(u"--restart-revision"_s), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"Resuming it at statement"_s), qPrintable(r.err));
        QVERIFY(!relationExists(db, u"ix_new"_s));
        QVERIFY(!relationExists(db, u"ix_dup"_s));
        QCOMPARE(versions(db), u"r1"_s);
        QCOMPARE(q(db, u"SELECT revision || ':' || statements_done FROM migrationdesk.interrupted"_s), u"r2:1"_s);
        {
            // The desktop app's path (DatabaseWorker runs the runner without the option) is refused the same way.
            MigrationRunner runner(ScriptSet::load(dir.path()), settings(db), RunOptions());
            const RunResult gui = runner.upgrade(u"head"_s);
            QCOMPARE(int(gui.status), int(RunResult::Status::Refused));
            QVERIFY2(gui.error.contains(u"has changed since then"_s), qPrintable(gui.error));
            QCOMPARE(gui.stepsCompleted, 0);
            QVERIFY(!relationExists(db, u"ix_new"_s));
        }

        // Made idempotent, the revision restarts from statement 1 when asked to.
        writeScript(dir.path(), u"2.sql"_s, u"r2"_s, u"r1"_s,
                    u"CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_new ON t (grp, id);\n\n"
                    "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_a ON t (id);\n\n"
                    "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_dup ON t (grp);"_s,
                    u"DROP INDEX CONCURRENTLY ix_dup;\nDROP INDEX CONCURRENTLY ix_a;\nDROP INDEX CONCURRENTLY ix_new;"_s, false);
        r = cli(db, dir.path(), {u"upgrade"_s, u"head"_s, u"--restart-revision"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY2(r.err.contains(u"Restarting it at statement 1"_s), qPrintable(r.err));
        QVERIFY(relationExists(db, u"ix_new"_s));
        QVERIFY(relationExists(db, u"ix_dup"_s));
        QCOMPARE(q(db, u"SELECT to_regclass('ix_a')::oid"_s), oidA);
        QCOMPARE(versions(db), u"r2"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.interrupted"_s), u"0"_s);
        const CliResult check = cli(db, dir.path(), {u"check"_s});
        // Every statement of the script that is on record ran, so "no drift" is now the truth.
        QVERIFY2(check.exitCode == 0, qPrintable(check.all()));
    }
    // Issue 13, bug 4: abandoning a failed non-transactional revision (by downgrading) reports its
    // leftovers and does not fold them into the schema snapshot.
    void abandonedLeftoversAreReportedNotSnapshotted()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"r1"_s, u"none"_s,
                    u"CREATE TABLE t (id int, grp int);\nINSERT INTO t VALUES (1, 1), (2, 1);"_s, u"DROP TABLE t;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"r2"_s, u"r1"_s,
                    u"CREATE TABLE leftover_tbl (id int);\n\nCREATE UNIQUE INDEX CONCURRENTLY ix_dup ON t (grp);"_s,
                    u"DROP INDEX CONCURRENTLY ix_dup;\nDROP TABLE leftover_tbl;"_s, false);
        const QString db = freshDb(u"t_hostile_abandon"_s);
        QCOMPARE(cli(db, dir.path(), {u"upgrade"_s, u"r1"_s}).exitCode, 0);
        CliResult r = cli(db, dir.path(), {u"upgrade"_s, u"head"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(relationExists(db, u"leftover_tbl"_s));

        r = cli(db, dir.path(), {u"downgrade"_s, u"base"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY2(r.err.contains(u"line 8: CREATE TABLE leftover_tbl (id int)"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"schema snapshot was not updated"_s), qPrintable(r.err));
        QVERIFY(relationExists(db, u"leftover_tbl"_s));
        QCOMPARE(versions(db), QString());
        // `check` still sees the table that no revision accounts for.
        const CliResult check = cli(db, dir.path(), {u"check"_s});
        QCOMPARE(check.exitCode, 4);
        QVERIFY2(check.all().contains(u"leftover_tbl"_s), qPrintable(check.all()));
    }

    // Issue 13, bug 10: a connection lost mid-run exits 3 with the connection message first.
    void lostConnectionExitsThree()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"r1"_s, u"none"_s, u"CREATE TABLE kept (id int);"_s, u"DROP TABLE kept;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"r2"_s, u"r1"_s,
                    u"CREATE TABLE lost (id int);\nSELECT pg_terminate_backend(pg_backend_pid());"_s, u"DROP TABLE lost;"_s);
        const QString db = freshDb(u"t_hostile_lost"_s);
        const CliResult r = cli(db, dir.path(), {u"upgrade"_s, u"head"_s});
        QCOMPARE(r.exitCode, 3);
        const QString errorLine = r.err.mid(r.err.indexOf(u"error: "_s));
        QVERIFY2(errorLine.startsWith(u"error: The connection to the server was lost during statement 2 of revision r2"_s),
                 qPrintable(r.err));
        QVERIFY2(errorLine.contains(u"revision r2 is not applied; 1 earlier revision(s) of this run stay applied"_s),
                 qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"snapshot"_s), qPrintable(r.err));
        QCOMPARE(versions(db), u"r1"_s);
        QVERIFY(relationExists(db, u"kept"_s));
        QVERIFY(!relationExists(db, u"lost"_s));
    }

    // Issue 13, bug 10: a read-only role's refused downgrade ran nothing and must not talk of resuming.
    void readOnlyDowngradeSaysNothingRan()
    {
        const QString db = u"t_hostile_readonly"_s;
        const QString failure = freshDbAtHead(db);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        const QString role = u"md_read_only"_s;
        const QString password = u"read-only-pw"_s;
        QString error;
        QVERIFY2(pg().createRole(role, password, false, &error), qPrintable(error));
        q(db, u"ALTER ROLE md_read_only IN DATABASE t_hostile_readonly SET default_transaction_read_only = on; "
              "GRANT SELECT ON alembic_version TO md_read_only; GRANT USAGE ON SCHEMA migrationdesk TO md_read_only; "
              "GRANT SELECT ON ALL TABLES IN SCHEMA migrationdesk TO md_read_only"_s);
        const QString before = versions(db);
        const CliResult r = runCli({u"--url"_s, u"postgresql://%1:%2@%3:%4/%5"_s.arg(role, password, pg().host())
                                                    .arg(pg().port())
                                                    .arg(db),
                                    u"downgrade"_s, u"-1"_s},
                                   pg().environment(db));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"was not started"_s) && r.err.contains(u"Nothing was changed"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"read-only transaction"_s), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"resume"_s) && !r.err.contains(u"stay in place"_s), qPrintable(r.err));
        QCOMPARE(versions(db), before);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.interrupted"_s), u"0"_s);
    }

    // Issue 13, bug 10: --verbose echoes statements without their password literals.
    void verboseRedactsPasswordLiterals()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"r1"_s, u"none"_s,
                    u"CREATE ROLE md_verbose_secret LOGIN PASSWORD 'hunter2-plain';\n"
                    "ALTER ROLE md_verbose_secret WITH ENCRYPTED PASSWORD E'hunter2-\\'escaped';\n"
                    "ALTER ROLE md_verbose_secret PASSWORD $pw$hunter2-dollar$pw$;"_s,
                    u"DROP ROLE md_verbose_secret;"_s);
        const QString db = freshDb(u"t_hostile_verbose"_s);
        pg().psql(u"postgres"_s, u"DROP ROLE IF EXISTS md_verbose_secret"_s);
        const CliResult r = cli(db, dir.path(), {u"--verbose"_s, u"upgrade"_s, u"head"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY2(!r.all().contains(u"hunter2"_s), qPrintable(r.all()));
        QVERIFY2(r.err.contains(u"CREATE ROLE md_verbose_secret LOGIN PASSWORD '***'"_s), qPrintable(r.err));
        QCOMPARE(r.err.count(u"PASSWORD '***'"_s), 3);
        QCOMPARE(cli(db, dir.path(), {u"downgrade"_s, u"base"_s}).exitCode, 0);
    }

    void redactPasswordLiteralsForms_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << u"CREATE ROLE a PASSWORD 'x''y' LOGIN"_s << u"CREATE ROLE a PASSWORD '***' LOGIN"_s;
        QTest::newRow("lower case, newline") << u"alter role a password\n'x'"_s << u"alter role a password\n'***'"_s;
        QTest::newRow("E string") << u"ALTER ROLE a PASSWORD E'x\\'y' VALID UNTIL 'infinity'"_s
                                  << u"ALTER ROLE a PASSWORD '***' VALID UNTIL 'infinity'"_s;
        QTest::newRow("dollar") << u"ALTER ROLE a PASSWORD $q$x'y$q$ LOGIN"_s << u"ALTER ROLE a PASSWORD '***' LOGIN"_s;
        QTest::newRow("unterminated") << u"ALTER ROLE a PASSWORD 'x"_s << u"ALTER ROLE a PASSWORD '***'"_s;
        QTest::newRow("NULL stays") << u"ALTER ROLE a PASSWORD NULL"_s << u"ALTER ROLE a PASSWORD NULL"_s;
        QTest::newRow("column named password") << u"SELECT password FROM t WHERE id = 'x'"_s
                                               << u"SELECT password FROM t WHERE id = 'x'"_s;
    }
    void redactPasswordLiteralsForms()
    {
        QFETCH(QString, sql);
        QFETCH(QString, expected);
        QCOMPARE(redactPasswordLiterals(sql), expected);
    }

    // Issue 13, bug 10: stamp --dry-run says what it would do, and does nothing.
    void stampDryRunDoesNotSayStamped()
    {
        const QString db = freshDb(u"t_hostile_stampdry"_s);
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"r1"_s, u"none"_s, u"CREATE TABLE s1 (id int);"_s, u"DROP TABLE s1;"_s);
        const CliResult r = cli(db, dir.path(), {u"stamp"_s, u"head"_s, u"--dry-run"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY2(!r.all().contains(u"Stamped"_s), qPrintable(r.all()));
        QVERIFY2(r.err.contains(u"Would stamp"_s) && r.err.contains(u"from base to r1"_s)
                     && r.err.contains(u"dry run, nothing changed"_s),
                 qPrintable(r.err));
        QVERIFY(!relationExists(db, u"alembic_version"_s));
    }

    // Issue 13, bug 10: psql meta-commands are refused when the scripts load, with file:line.
    void psqlMetaCommandsAreRefusedAtLoad()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"r1"_s, u"none"_s, u"CREATE TABLE meta_a (id int);\n\\i other.sql"_s,
                    u"DROP TABLE meta_a;"_s);
        const QString db = freshDb(u"t_hostile_meta"_s);
        const CliResult r = cli(db, dir.path(), {u"upgrade"_s, u"head"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(path(dir, u"1.sql"_s) + u":8: psql meta-commands are not supported (\\i)"_s), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"syntax error"_s), qPrintable(r.err));
        QVERIFY(!relationExists(db, u"meta_a"_s));
    }
};

QTEST_GUILESS_MAIN(TestHostileScripts)
#include "tst_hostilescripts.moc"
