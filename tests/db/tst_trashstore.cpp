// Restoring and permanently deleting soft-deleted rows against the fixture's real PostgreSQL:
// one transaction per request, audit rows with the before-values, conflicts and CHECK violations
// refused with nothing changed, foreign keys, privileges and hostile values.
#include "browse/catalog.h"
#include "clirunner.h"
#include "db/pgconnection.h"
#include "dbtest.h"
#include "pgfixture.h"
#include "scheduling/auditlog.h"
#include "scheduling/trashstore.h"
#include "scheduling/trashworker.h"

#include <QSignalSpy>
#include <QTest>
#include <QScopeGuard>
#include <QThread>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {

const QString db = u"md_trash_test"_s;
const QString hostile = u"it's; DROP TABLE schedules; -- \"we\"ird %1 \uc77c\uc815"_s;

// Employees 1 (live), 2 (deleted, owns schedule 20), 3 (deleted, hostile name, owns schedule 30),
// 4 (deleted, owns nothing). Schedules 10-13 deleted (employee 1), 14 live, 20 of employee 2,
// 30 of employee 3 with a hostile title, 40 deleted with the title 'x'.
// moc cannot parse raw string literals, hence the escapes.
const char *seedSql =
    "TRUNCATE schedules, employees RESTART IDENTITY CASCADE;\n"
    "TRUNCATE migrationdesk.audit;\n"
    "ALTER TABLE schedules DROP CONSTRAINT IF EXISTS ck_no_x;\n"
    "ALTER TABLE employees DROP CONSTRAINT IF EXISTS ck_employees_department;\n"
    "INSERT INTO employees (employee_id, email, username, password, name, role, department, is_deleted, deleted_at) VALUES\n"
    " (1, 'a@example.com', 'alice', 'h1', 'Alice', 'user', 'Sales', false, NULL),\n"
    " (2, 'b@example.com', 'bob', 'h2', 'Bob', 'user', 'Sales', true, '2025-03-01 10:00:00.123456'),\n"
    " (3, 'c@example.com', 'carol', 'h3', :'hostile', 'user', 'Ops', true, '2025-03-02 11:00:00.654321'),\n"
    " (4, 'd@example.com', 'dave', 'h4', 'Dave', 'admin', NULL, true, '2025-03-03 12:00:00');\n"
    "INSERT INTO schedules (schedule_id, employee_id, schedule_type, title, schedule_date, client_name, is_deleted, deleted_at) VALUES\n"
    " (10, 1, 'visit', 'Visit ten', '2025-04-01', 'ACME', true, '2025-03-10 09:00:00.000001'),\n"
    " (11, 1, 'meeting', 'Meeting eleven', '2025-04-02', 'Globex', true, '2025-03-11 09:00:00'),\n"
    " (12, 1, 'report', 'Report twelve', '2025-04-03', NULL, true, '2025-03-12 09:00:00'),\n"
    " (13, 1, 'other', 'Other thirteen', '2025-04-04', NULL, true, '2025-03-13 09:00:00'),\n"
    " (14, 1, 'visit', 'Live fourteen', '2025-04-05', NULL, false, NULL),\n"
    " (20, 2, 'visit', 'Bob visit', '2025-04-06', NULL, true, '2025-03-01 10:00:00.123456'),\n"
    " (30, 3, 'training', :'hostile', '2025-04-07', :'hostile', true, '2025-03-02 11:00:00.654321'),\n"
    " (40, 1, 'visit', 'x', '2025-04-08', NULL, true, '2025-03-14 09:00:00');\n";

} // namespace

class TestTrashStore : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<PgConnection> openAs(const ConnectionSettings &s)
    {
        auto conn = std::make_unique<PgConnection>();
        QString error;
        if (!conn->open(s, &error)) {
            qWarning("open failed: %s", qPrintable(error));
            return nullptr;
        }
        return conn;
    }

    // The row as the grid would have read it.
    TrashRow schedule(qint64 id)
    {
        TrashRow row;
        row.id = id;
        row.label = q(db, u"SELECT title FROM schedules WHERE schedule_id = %1"_s.arg(id));
        row.updatedAt = q(db, u"SELECT updated_at::text FROM schedules WHERE schedule_id = %1"_s.arg(id));
        return row;
    }
    TrashRow employee(qint64 id)
    {
        TrashRow row;
        row.id = id;
        row.label = q(db, u"SELECT name FROM employees WHERE employee_id = %1"_s.arg(id));
        row.deletedAt = q(db, u"SELECT deleted_at::text FROM employees WHERE employee_id = %1"_s.arg(id));
        row.isDeleted = q(db, u"SELECT is_deleted::text FROM employees WHERE employee_id = %1"_s.arg(id));
        return row;
    }
    QString deletedFlags(const QString &table, const QString &key, const QString &ids)
    {
        return q(db, u"SELECT string_agg(%2 || ':' || is_deleted || ':' || coalesce(deleted_at::text, 'null'), ',' "
                     "ORDER BY %2) FROM %1 WHERE %2 IN (%3)"_s.arg(table, key, ids));
    }
    QString auditCount() { return q(db, u"SELECT count(*) FROM migrationdesk.audit"_s); }

    std::unique_ptr<PgConnection> m_conn;

private Q_SLOTS:
    void initTestCase()
    {
        const QString setUp = freshDbAtHead(db);
        QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
        // The migration bookkeeping knows nothing of the trash: its audit table comes with the first use.
        QVERIFY(relationExists(db, u"migrationdesk.history"_s));
        QVERIFY(!relationExists(db, u"migrationdesk.audit"_s));
        auto conn = openAs(settings(db));
        QVERIFY(conn);
        QString error;
        QVERIFY2(TrashStore(*conn).ensureAudit(&error), qPrintable(error));
        QVERIFY(relationExists(db, u"migrationdesk.audit"_s));
    }

    void init()
    {
        QString out;
        const QString script = u"\\set hostile '%1'\n"_s.arg(QString(hostile).replace(u"'"_s, u"''"_s))
            + QString::fromUtf8(seedSql);
        QVERIFY2(PgFixture::shared().psqlScript(db, script, &out), qPrintable(out));
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE is_deleted"_s), u"7"_s);
        m_conn = openAs(settings(db));
        QVERIFY(m_conn);
    }

    void cleanup() { m_conn.reset(); }

    void restoreOne()
    {
        const TrashRow row = schedule(10);
        const TrashOutcome outcome = TrashStore(*m_conn).restore(TrashTable::Schedules, {row});
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(outcome.rowsChanged, 1);
        QCOMPARE(deletedFlags(u"schedules"_s, u"schedule_id"_s, u"10,11"_s),
                 u"10:false:null,11:true:2025-03-11 09:00:00"_s);
        QCOMPARE(q(db, u"SELECT action || '|' || table_schema || '|' || table_name || '|' || row_key::text || '|' || "
                       "db_user || '|' || (os_user <> '')::text || '|' || (before_values->>'is_deleted') || '|' || "
                       "(before_values->>'deleted_at') || '|' || (before_values->>'title') FROM migrationdesk.audit"_s),
                 u"restore|public|schedules|{\"schedule_id\": 10}|postgres|true|true|2025-03-10T09:00:00.000001|Visit ten"_s);
        QVERIFY(!TrashStore::osUser().isEmpty());
    }

    void restoreMany()
    {
        const TrashOutcome outcome = TrashStore(*m_conn).restore(
            TrashTable::Schedules, {schedule(11), schedule(12), schedule(13), schedule(12)});
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(outcome.rowsChanged, 3);
        QCOMPARE(deletedFlags(u"schedules"_s, u"schedule_id"_s, u"11,12,13"_s),
                 u"11:false:null,12:false:null,13:false:null"_s);
        QCOMPARE(q(db, u"SELECT string_agg(row_key->>'schedule_id', ',' ORDER BY id) FROM migrationdesk.audit "
                       "WHERE action = 'restore' AND before_values->>'is_deleted' = 'true'"_s),
                 u"11,12,13"_s);
    }

    void restoreEmployees()
    {
        const TrashOutcome outcome = TrashStore(*m_conn).restore(TrashTable::Employees, {employee(4), employee(2)});
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(outcome.rowsChanged, 2);
        QCOMPARE(deletedFlags(u"employees"_s, u"employee_id"_s, u"2,3,4"_s),
                 u"2:false:null,3:true:2025-03-02 11:00:00.654321,4:false:null"_s);
        QCOMPARE(q(db, u"SELECT string_agg((row_key->>'employee_id') || '=' || (before_values->>'name'), ',' ORDER BY id) "
                       "FROM migrationdesk.audit WHERE table_name = 'employees'"_s),
                 u"4=Dave,2=Bob"_s);
    }

    void ownersOfferedAndRestored()
    {
        TrashStore store(*m_conn);
        QString error;
        const auto owners = store.deletedOwners({10, 20, 30}, &error);
        QVERIFY2(owners, qPrintable(error));
        QCOMPARE(owners->size(), 2);
        QCOMPARE(owners->at(0).id, qint64(2));
        QCOMPARE(owners->at(0).name, u"Bob"_s);
        QCOMPARE(owners->at(1).name, hostile);
        QVERIFY(store.deletedOwners({10, 11}, &error)->isEmpty());

        // Schedules only: the employee stays in the trash.
        TrashOutcome outcome = store.restore(TrashTable::Schedules, {schedule(20)}, false);
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(outcome.ownersRestored, 0);
        QCOMPARE(deletedFlags(u"employees"_s, u"employee_id"_s, u"2"_s), u"2:true:2025-03-01 10:00:00.123456"_s);

        // With the owner: both in one transaction, both audited.
        outcome = store.restore(TrashTable::Schedules, {schedule(30)}, true);
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(outcome.rowsChanged, 1);
        QCOMPARE(outcome.ownersRestored, 1);
        QCOMPARE(deletedFlags(u"employees"_s, u"employee_id"_s, u"3"_s), u"3:false:null"_s);
        QCOMPARE(deletedFlags(u"schedules"_s, u"schedule_id"_s, u"30"_s), u"30:false:null"_s);
        QCOMPARE(q(db, u"SELECT string_agg(table_name || ':' || (before_values->>'is_deleted'), ',' ORDER BY id) "
                       "FROM migrationdesk.audit WHERE row_key->>'employee_id' = '3' OR row_key->>'schedule_id' = '30'"_s),
                 u"employees:true,schedules:true"_s);
    }

    void ownerRestoreRolledBackWithSchedule()
    {
        // The schedule changed meanwhile: its employee, restored earlier in the same transaction,
        // goes back to the trash with it.
        const TrashRow stale = schedule(20);
        q(db, u"UPDATE schedules SET description = 'edited' WHERE schedule_id = 20"_s);
        const TrashOutcome outcome = TrashStore(*m_conn).restore(TrashTable::Schedules, {stale}, true);
        QVERIFY(!outcome.ok);
        QCOMPARE(deletedFlags(u"employees"_s, u"employee_id"_s, u"2"_s), u"2:true:2025-03-01 10:00:00.123456"_s);
        QCOMPARE(auditCount(), u"0"_s);
    }

    void changedMeanwhileRefused()
    {
        const TrashRow ten = schedule(10);
        const TrashRow eleven = schedule(11);
        q(db, u"UPDATE schedules SET title = 'Changed eleven' WHERE schedule_id = 11"_s); // the trigger moves updated_at
        TrashOutcome outcome = TrashStore(*m_conn).restore(TrashTable::Schedules, {ten, eleven});
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.message.contains(u"Schedule 11"_s) && outcome.message.contains(u"changed by someone else"_s),
                 qPrintable(outcome.message));
        QVERIFY(outcome.message.contains(u"Nothing was changed"_s));
        QCOMPARE(deletedFlags(u"schedules"_s, u"schedule_id"_s, u"10,11"_s),
                 u"10:true:2025-03-10 09:00:00.000001,11:true:2025-03-11 09:00:00"_s);
        QCOMPARE(auditCount(), u"0"_s);
        QVERIFY(!m_conn->inTransaction());

        // Employees have no updated_at: a moved deleted_at is the change.
        const TrashRow four = employee(4);
        q(db, u"UPDATE employees SET deleted_at = deleted_at + interval '1 microsecond' WHERE employee_id = 4"_s);
        outcome = TrashStore(*m_conn).restore(TrashTable::Employees, {employee(2), four});
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.message.contains(u"Employee 4 (Dave)"_s), qPrintable(outcome.message));
        QCOMPARE(deletedFlags(u"employees"_s, u"employee_id"_s, u"2,4"_s),
                 u"2:true:2025-03-01 10:00:00.123456,4:true:2025-03-03 12:00:00.000001"_s);
        QCOMPARE(auditCount(), u"0"_s);

        // The same row read afresh restores.
        outcome = TrashStore(*m_conn).restore(TrashTable::Schedules, {schedule(11)});
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
    }

    void alreadyRestoredOrPurgedRefused()
    {
        TrashStore store(*m_conn);
        const TrashRow ten = schedule(10);
        QVERIFY(store.restore(TrashTable::Schedules, {ten}).ok);
        TrashOutcome outcome = store.restore(TrashTable::Schedules, {ten});
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.message.contains(u"already restored"_s), qPrintable(outcome.message));
        // Purging a restored row is refused as well: only rows still in the trash go.
        outcome = store.purge(TrashTable::Schedules, {schedule(10)});
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.message.contains(u"restored by someone else"_s), qPrintable(outcome.message));
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE schedule_id = 10"_s), u"1"_s);

        const TrashRow twelve = schedule(12);
        q(db, u"DELETE FROM schedules WHERE schedule_id = 12"_s);
        outcome = store.restore(TrashTable::Schedules, {schedule(13), twelve});
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.message.contains(u"deleted it permanently"_s), qPrintable(outcome.message));
        QCOMPARE(deletedFlags(u"schedules"_s, u"schedule_id"_s, u"13"_s), u"13:true:2025-03-13 09:00:00"_s);
        QCOMPARE(auditCount(), u"1"_s); // only the first, successful restore
    }

    void checkAddedAfterDeletionRefused()
    {
        q(db, u"ALTER TABLE schedules ADD CONSTRAINT ck_no_x CHECK (title <> 'x') NOT VALID"_s);
        const TrashOutcome outcome = TrashStore(*m_conn).restore(TrashTable::Schedules, {schedule(10), schedule(40)});
        QVERIFY(!outcome.ok);
        QCOMPARE(outcome.sqlState, u"23514"_s);
        QVERIFY2(outcome.message.contains(u"ck_no_x"_s) && outcome.message.contains(u"Schedule 40"_s),
                 qPrintable(outcome.message));
        QCOMPARE(deletedFlags(u"schedules"_s, u"schedule_id"_s, u"10,40"_s),
                 u"10:true:2025-03-10 09:00:00.000001,40:true:2025-03-14 09:00:00"_s);
        QCOMPARE(auditCount(), u"0"_s);
        QVERIFY(!m_conn->inTransaction());
        // The server's "Failing row contains (...)" would show every column.
        QVERIFY2(!outcome.message.contains(u"Failing row"_s), qPrintable(outcome.message));

        // An employee's failing row would include the password hash: it stays out of the message.
        q(db, u"ALTER TABLE employees ADD CONSTRAINT ck_employees_department CHECK (department IS NOT NULL) NOT VALID"_s);
        const TrashOutcome employees = TrashStore(*m_conn).restore(TrashTable::Employees, {employee(4)});
        QVERIFY(!employees.ok);
        QVERIFY2(employees.message.contains(u"ck_employees_department"_s) && !employees.message.contains(u"h4"_s),
                 qPrintable(employees.message));
        QCOMPARE(deletedFlags(u"employees"_s, u"employee_id"_s, u"4"_s), u"4:true:2025-03-03 12:00:00"_s);
    }

    void purgeWithAudit()
    {
        const TrashOutcome outcome = TrashStore(*m_conn).purge(TrashTable::Schedules, {schedule(12), schedule(13)});
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(outcome.rowsChanged, 2);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE schedule_id IN (12, 13)"_s), u"0"_s);
        QCOMPARE(q(db, u"SELECT string_agg(action || ':' || (row_key->>'schedule_id') || ':' || "
                       "(before_values->>'title') || ':' || (before_values->>'employee_id'), ',' ORDER BY id) "
                       "FROM migrationdesk.audit"_s),
                 u"purge:12:Report twelve:1,purge:13:Other thirteen:1"_s);

        // An employee without schedules can go too.
        const TrashOutcome employees = TrashStore(*m_conn).purge(TrashTable::Employees, {employee(4)});
        QVERIFY2(employees.ok, qPrintable(employees.message));
        QCOMPARE(q(db, u"SELECT count(*) FROM employees WHERE employee_id = 4"_s), u"0"_s);
        QCOMPARE(q(db, u"SELECT before_values->>'username' FROM migrationdesk.audit WHERE table_name = 'employees'"_s),
                 u"dave"_s);
        // The purged password hash is not kept in the audit trail; that there was one is.
        QCOMPARE(q(db, u"SELECT before_values->>'password' FROM migrationdesk.audit WHERE table_name = 'employees'"_s),
                 u"(masked)"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.audit WHERE before_values::text LIKE '%h4%'"_s), u"0"_s);
    }

    void purgeEmployeeWithSchedulesRefused()
    {
        const TrashOutcome outcome = TrashStore(*m_conn).purge(TrashTable::Employees, {employee(4), employee(2)});
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.message.contains(u"Employee 2 (Bob) still has 1 schedule"_s)
                     && outcome.message.contains(u"foreign key"_s),
                 qPrintable(outcome.message));
        QCOMPARE(q(db, u"SELECT count(*) FROM employees WHERE employee_id IN (2, 4)"_s), u"2"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE employee_id = 2"_s), u"1"_s);
        QCOMPARE(auditCount(), u"0"_s);
    }

    void readOnlyRoleRefused()
    {
        QString error;
        QVERIFY2(PgFixture::shared().createRole(u"md_trash_reader"_s, u"reader pw"_s, false, &error), qPrintable(error));
        q(db, u"GRANT SELECT ON employees, schedules TO md_trash_reader; "
              "GRANT USAGE ON SCHEMA migrationdesk TO md_trash_reader; "
              "GRANT SELECT ON ALL TABLES IN SCHEMA migrationdesk TO md_trash_reader"_s);
        ConnectionSettings s = settings(db);
        s.user = u"md_trash_reader"_s;
        s.password = u"reader pw"_s;
        auto reader = openAs(s);
        QVERIFY(reader);

        // What the view disables Restore and Delete permanently on.
        const auto info = Catalog(*reader).table(u"public"_s, u"schedules"_s, &error);
        QVERIFY2(info && info->isValid(), qPrintable(error));
        QVERIFY(info->canSelect);
        QVERIFY(!info->canUpdate);
        QVERIFY(!info->canDelete);
        QVERIFY(!info->columns.at(info->columnIndex(u"is_deleted"_s)).canUpdate);

        TrashOutcome outcome = TrashStore(*reader).restore(TrashTable::Schedules, {schedule(10)});
        QVERIFY(!outcome.ok);
        QCOMPARE(outcome.sqlState, u"42501"_s);
        QVERIFY2(outcome.message.contains(u"permission denied"_s), qPrintable(outcome.message));
        outcome = TrashStore(*reader).purge(TrashTable::Schedules, {schedule(10)});
        QVERIFY(!outcome.ok);
        QCOMPARE(deletedFlags(u"schedules"_s, u"schedule_id"_s, u"10"_s), u"10:true:2025-03-10 09:00:00.000001"_s);
        QCOMPARE(auditCount(), u"0"_s);
    }

    void noAuditNoChange()
    {
        // The role may restore schedules but not write the audit: the restore is refused.
        QString error;
        QVERIFY2(PgFixture::shared().createRole(u"md_trash_unaudited"_s, u"pw"_s, false, &error), qPrintable(error));
        q(db, u"GRANT SELECT, UPDATE ON employees, schedules TO md_trash_unaudited; "
              "GRANT USAGE ON SCHEMA migrationdesk TO md_trash_unaudited; "
              "GRANT SELECT ON ALL TABLES IN SCHEMA migrationdesk TO md_trash_unaudited"_s);
        ConnectionSettings s = settings(db);
        s.user = u"md_trash_unaudited"_s;
        s.password = u"pw"_s;
        auto writer = openAs(s);
        QVERIFY(writer);
        const TrashOutcome outcome = TrashStore(*writer).restore(TrashTable::Schedules, {schedule(10), schedule(11)});
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.message.contains(u"migrationdesk.audit"_s), qPrintable(outcome.message));
        QCOMPARE(deletedFlags(u"schedules"_s, u"schedule_id"_s, u"10,11"_s),
                 u"10:true:2025-03-10 09:00:00.000001,11:true:2025-03-11 09:00:00"_s);

        // Without the audit table and without the right to create it: refused before anything runs.
        q(db, u"ALTER TABLE migrationdesk.audit RENAME TO audit_kept"_s);
        const TrashOutcome missing = TrashStore(*writer).restore(TrashTable::Schedules, {schedule(10)});
        q(db, u"ALTER TABLE migrationdesk.audit_kept RENAME TO audit"_s);
        QVERIFY(!missing.ok);
        QVERIFY2(missing.message.contains(u"cannot create it"_s), qPrintable(missing.message));
        QCOMPARE(deletedFlags(u"schedules"_s, u"schedule_id"_s, u"10"_s), u"10:true:2025-03-10 09:00:00.000001"_s);
    }

    void auditTableCreatedWhenMissing()
    {
        // A database whose bookkeeping predates the audit table gets it on the first restore.
        q(db, u"DROP TABLE migrationdesk.audit"_s);
        QVERIFY(!relationExists(db, u"migrationdesk.audit"_s));
        const TrashOutcome outcome = TrashStore(*m_conn).restore(TrashTable::Schedules, {schedule(10)});
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(auditCount(), u"1"_s);
    }

    void auditTableCreatedOnceWhenSessionsRace()
    {
        // A session holds the creation half done; a second one arriving meanwhile waits for it and
        // then uses the table it made, instead of failing on the catalog's unique keys.
        q(db, u"DROP TABLE migrationdesk.audit"_s);
        SqlError error;
        QVERIFY2(m_conn->exec(u"BEGIN; SELECT pg_advisory_xact_lock(hashtext('migrationdesk.audit')); "
                              "CREATE TABLE migrationdesk.audit (id bigserial PRIMARY KEY, changed_at timestamptz NOT NULL "
                              "DEFAULT now(), db_user text NOT NULL DEFAULT current_user, os_user text, action text NOT NULL, "
                              "table_schema text NOT NULL, table_name text NOT NULL, row_key jsonb NOT NULL, "
                              "before_values jsonb NOT NULL)"_s,
                              &error),
                 qPrintable(error.toString()));
        std::atomic_bool created = false;
        QString secondError;
        std::unique_ptr<QThread> second(QThread::create([&] {
            PgConnection conn;
            if (!conn.open(settings(db), &secondError))
                return;
            SqlError e;
            created = AuditLog(conn).ensureTable(&e);
            if (!created)
                secondError = e.toString();
        }));
        second->start();
        // A failed check below returns early: the thread reads this function's locals, so it is joined
        // first, after the lock it waits for is released.
        const auto joinSecond = qScopeGuard([&] {
            if (second->isRunning()) {
                (void)m_conn->exec(u"ROLLBACK"_s); // cleanup after a failure already reported
                second->wait();
            }
        });
        const QString waiting = u"SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                                "WHERE NOT l.granted AND a.datname = current_database()"_s;
        QVERIFY(QTest::qWaitFor([&] { return q(db, waiting) != u"0"_s; }, 20000));
        QVERIFY2(m_conn->exec(u"COMMIT"_s, &error), qPrintable(error.toString()));
        QVERIFY(second->wait(20000));
        QVERIFY2(created, qPrintable(secondError));
        // The first session's table, not a second one: its CHECK-less action column is still there.
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_constraint WHERE conrelid = 'migrationdesk.audit'::regclass "
                       "AND contype = 'c'"_s),
                 u"0"_s);

        // An existing table is used as it is.
        const TrashOutcome outcome = TrashStore(*m_conn).restore(TrashTable::Schedules, {schedule(10)});
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(auditCount(), u"1"_s);
        q(db, u"DROP TABLE migrationdesk.audit"_s);
        QString ensureError;
        QVERIFY2(TrashStore(*m_conn).ensureAudit(&ensureError), qPrintable(ensureError));
    }

    void hostileValues()
    {
        TrashStore store(*m_conn);
        // A value that is not a timestamp is refused by the cast, never run as SQL.
        TrashRow bad = schedule(10);
        bad.updatedAt = u"2025-01-01'; DROP TABLE schedules; --"_s;
        TrashOutcome outcome = store.restore(TrashTable::Schedules, {bad});
        QVERIFY(!outcome.ok);
        QCOMPARE(outcome.sqlState, u"22007"_s);
        QVERIFY(relationExists(db, u"public.schedules"_s));
        QCOMPARE(auditCount(), u"0"_s);

        // Quotes, semicolons, %1 and double quotes in names and titles travel as values.
        const TrashRow thirty = schedule(30);
        QCOMPARE(thirty.label, hostile);
        outcome = store.restore(TrashTable::Schedules, {thirty}, true);
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(q(db, u"SELECT before_values->>'title' FROM migrationdesk.audit WHERE table_name = 'schedules'"_s),
                 hostile);
        QCOMPARE(q(db, u"SELECT before_values->>'name' FROM migrationdesk.audit WHERE table_name = 'employees'"_s),
                 hostile);

        // A refusal quotes the hostile label as it is.
        q(db, u"UPDATE schedules SET is_deleted = true, deleted_at = now() WHERE schedule_id = 30"_s);
        const TrashRow again = schedule(30);
        q(db, u"UPDATE schedules SET client_name = 'moved' WHERE schedule_id = 30"_s);
        outcome = store.purge(TrashTable::Schedules, {again});
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.message.contains(hostile), qPrintable(outcome.message));
    }

    void workerOnItsThread()
    {
        QThread thread;
        auto *worker = new TrashWorker;
        worker->moveToThread(&thread);
        connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start();
        QSignalSpy opened(worker, &TrashWorker::opened);
        QSignalSpy owners(worker, &TrashWorker::ownersFound);
        QSignalSpy restored(worker, &TrashWorker::restored);
        const ConnectionSettings s = settings(db);
        QMetaObject::invokeMethod(worker, [worker, s] { worker->open(s); }, Qt::QueuedConnection);
        QVERIFY(DbTest::waitForEmissions(opened));
        QVERIFY(opened.first().at(0).toBool());
        const auto status = opened.first().at(2).value<TrashStatus>();
        QVERIFY(status.schedulesExist && status.employeesExist && !status.readOnly);

        const QList<TrashRow> rows{schedule(20)};
        QMetaObject::invokeMethod(worker, [worker, rows] { worker->findDeletedOwners(rows); }, Qt::QueuedConnection);
        QVERIFY(DbTest::waitForEmissions(owners));
        const auto found = owners.first().at(1).value<QList<TrashOwner>>();
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().id, qint64(2));

        QMetaObject::invokeMethod(worker, [worker, rows] { worker->restore(TrashTable::Schedules, rows, true); },
                                  Qt::QueuedConnection);
        QVERIFY(DbTest::waitForEmissions(restored));
        const auto outcome = restored.first().at(0).value<TrashOutcome>();
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(outcome.ownersRestored, 1);
        QCOMPARE(deletedFlags(u"employees"_s, u"employee_id"_s, u"2"_s), u"2:false:null"_s);
        QMetaObject::invokeMethod(worker, [worker] { worker->close(); }, Qt::QueuedConnection);
        thread.quit();
        thread.wait();
    }
};

QTEST_GUILESS_MAIN(TestTrashStore)
#include "tst_trashstore.moc"
