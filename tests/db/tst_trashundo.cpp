// Undo of a restore, the messages that name restored rows, and the audit reader, against the
// fixture's real PostgreSQL at head: an undone restore puts each row back in the trash with its old
// deletion time (and the employees restored with it), is audited as "delete", and is refused, changing
// nothing, when any row was changed after the restore. The reader lists the newest rows with secrets
// masked, whoever wrote them.
#include "db/auditlog.h"
#include "i18n/datetimeformat.h"
#include "db/pgconnection.h"
#include "dbtest.h"
#include "pgfixture.h"
#include "scheduling/auditreader.h"
#include "scheduling/trashstore.h"

#include <QDate>
#include <QLocale>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {

const QString db = u"md_trashundo_test"_s;

const char *seedSql =
    "TRUNCATE schedules, employees RESTART IDENTITY CASCADE;\n"
    "TRUNCATE migrationdesk.audit;\n"
    "INSERT INTO employees (employee_id, email, username, password, name, role, department, is_deleted, deleted_at) VALUES\n"
    " (1, 'a@example.com', 'alice', 'h1', 'Alice Kim', 'user', 'Sales', false, NULL),\n"
    " (2, 'b@example.com', 'bob', 'h2', 'Bob Lee', 'user', 'Support', true, '2025-03-01 08:00:00.5');\n"
    "INSERT INTO schedules (schedule_id, employee_id, schedule_type, title, schedule_date, client_name, is_deleted, deleted_at) VALUES\n"
    " (10, 1, 'visit', 'Visit ACME', '2025-04-01', 'ACME', true, '2025-03-10 09:00:00.000001'),\n"
    " (11, 1, 'meeting', 'Quarterly review', '2025-04-02', 'Globex', true, '2025-03-12 17:30:00'),\n"
    " (12, 1, 'report', 'Monthly report', '2025-04-03', NULL, true, '2025-03-11 12:00:00'),\n"
    " (20, 2, 'visit', 'Bob''s visit', '2025-04-06', 'Initech', true, '2025-03-01 08:00:00.5');\n";

TrashRow schedule(qint64 id)
{
    TrashRow row;
    row.id = id;
    row.label = q(db, u"SELECT title FROM schedules WHERE schedule_id = %1"_s.arg(id));
    row.date = q(db, u"SELECT schedule_date::text FROM schedules WHERE schedule_id = %1"_s.arg(id));
    row.updatedAt = q(db, u"SELECT updated_at::text FROM schedules WHERE schedule_id = %1"_s.arg(id));
    return row;
}

QString state(const QString &ids)
{
    return q(db, u"SELECT string_agg(schedule_id || ':' || is_deleted || ':' || coalesce(deleted_at::text, 'null'), ',' "
                  "ORDER BY schedule_id) FROM schedules WHERE schedule_id IN (%1)"_s.arg(ids));
}

} // namespace

class TestTrashUndo : public QObject
{
    Q_OBJECT

private:
    PgConnection m_connection;

private Q_SLOTS:
    void initTestCase()
    {
        const QString setUp = freshDbAtHead(db);
        QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
        QString error;
        QVERIFY2(m_connection.open(settings(db), &error), qPrintable(error));
        SqlError sqlError;
        QVERIFY2(AuditLog(m_connection).ensureTable(&sqlError), qPrintable(sqlError.toString()));
    }

    void init()
    {
        QString out;
        QVERIFY2(PgFixture::shared().psqlScript(db, QString::fromUtf8(seedSql), &out), qPrintable(out));
    }

    void restoreNamesTitlesAndDates()
    {
        TrashStore store(m_connection);
        const TrashOutcome outcome = store.restore(TrashTable::Schedules, {schedule(11), schedule(12)});
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        const QString date = DateTimeFormat::date(QDate(2025, 4, 2));
        QCOMPARE(outcome.message, u"Restored 2 schedule(s): \u201cQuarterly review\u201d (%1), \u201cMonthly report\u201d (%2)."_s
                                      .arg(date, DateTimeFormat::date(QDate(2025, 4, 3))));
        QCOMPARE(outcome.undo.rows.size(), 2);
        // Undo checks against the updated_at the restore left, and puts back the old deleted_at.
        QCOMPARE(outcome.undo.rows.at(0).updatedAt, q(db, u"SELECT updated_at::text FROM schedules WHERE schedule_id = 11"_s));
        QCOMPARE(outcome.undo.rows.at(0).deletedAt, u"2025-03-12 17:30:00"_s);
        QVERIFY(TrashStore::rowNames(TrashTable::Schedules, {schedule(10), schedule(11), schedule(12), schedule(20)})
                    .endsWith(u" and 1 more"_s));
    }

    void undoPutsTheRowsBack()
    {
        TrashStore store(m_connection);
        const TrashOutcome restored = store.restore(TrashTable::Schedules, {schedule(11), schedule(12)});
        QVERIFY2(restored.ok, qPrintable(restored.message));
        QCOMPARE(state(u"11,12"_s), u"11:false:null,12:false:null"_s);

        const TrashOutcome undone = store.undoRestore(restored.undo);
        QVERIFY2(undone.ok, qPrintable(undone.message));
        QVERIFY2(undone.message.contains(u"\u201cQuarterly review\u201d"_s), qPrintable(undone.message));
        QCOMPARE(state(u"11,12"_s), u"11:true:2025-03-12 17:30:00,12:true:2025-03-11 12:00:00"_s);
        QCOMPARE(q(db, u"SELECT string_agg(action || ':' || (row_key->>'schedule_id') || ':' || (before_values->>'is_deleted'), ',' "
                       "ORDER BY id) FROM migrationdesk.audit"_s),
                 u"restore:11:true,restore:12:true,delete:11:false,delete:12:false"_s);
        // Undone once: the same rows are in the trash now, so a second undo changes nothing.
        const TrashOutcome again = store.undoRestore(restored.undo);
        QVERIFY(!again.ok);
        QVERIFY2(again.message.contains(u"already back in the trash"_s), qPrintable(again.message));
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.audit"_s), u"4"_s);
    }

    void undoRefusedWhenChangedMeanwhile()
    {
        TrashStore store(m_connection);
        const TrashOutcome restored = store.restore(TrashTable::Schedules, {schedule(11), schedule(12)});
        QVERIFY2(restored.ok, qPrintable(restored.message));
        // Someone edits one of the restored rows before Undo is clicked.
        q(db, u"UPDATE schedules SET title = 'Quarterly review (moved)' WHERE schedule_id = 12"_s);
        const TrashOutcome undone = store.undoRestore(restored.undo);
        QVERIFY(!undone.ok);
        QVERIFY2(undone.message.contains(u"changed by someone else"_s) && undone.message.contains(u"Nothing was changed"_s),
                 qPrintable(undone.message));
        // All or nothing: 11 was unchanged, and is still live too.
        QCOMPARE(state(u"11,12"_s), u"11:false:null,12:false:null"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.audit WHERE action = 'delete'"_s), u"0"_s);
        QVERIFY(!m_connection.inTransaction());
    }

    void undoTakesTheOwnersBackToo()
    {
        TrashStore store(m_connection);
        const TrashOutcome restored = store.restore(TrashTable::Schedules, {schedule(20)}, true);
        QVERIFY2(restored.ok, qPrintable(restored.message));
        QCOMPARE(restored.undo.owners.size(), 1);
        QVERIFY2(restored.message.contains(u"Bob Lee"_s), qPrintable(restored.message));
        QCOMPARE(q(db, u"SELECT is_deleted FROM employees WHERE employee_id = 2"_s), u"f"_s);
        const TrashOutcome undone = store.undoRestore(restored.undo);
        QVERIFY2(undone.ok, qPrintable(undone.message));
        QCOMPARE(q(db, u"SELECT is_deleted || ':' || deleted_at FROM employees WHERE employee_id = 2"_s),
                 u"true:2025-03-01 08:00:00.5"_s);
        QCOMPARE(state(u"20"_s), u"20:true:2025-03-01 08:00:00.5"_s);
    }

    void readerListsNewestFirstWithSecretsMasked()
    {
        TrashStore store(m_connection);
        TrashRow bob;
        bob.id = 2;
        bob.label = u"Bob Lee"_s;
        bob.isDeleted = u"true"_s;
        bob.deletedAt = u"2025-03-01 08:00:00.5"_s;
        QVERIFY(store.restore(TrashTable::Employees, {bob}).ok);
        // A row written by another tool, secret unmasked: the reader masks it on the way out.
        q(db, u"INSERT INTO migrationdesk.audit (action, table_schema, table_name, row_key, before_values) VALUES "
              "('purge', 'public', 'employees', '{\"employee_id\": 9}', '{\"password\": \"hunter2\", \"name\": \"Eve\", \"api_token\": null}')"_s);
        SqlError error;
        const auto records = AuditReader(m_connection).newest(10, &error);
        QVERIFY2(records, qPrintable(error.toString()));
        QCOMPARE(records->size(), 2);
        QCOMPARE(records->at(0).action, u"purge"_s);
        QVERIFY(!records->at(0).before.contains(u"hunter2"_s));
        QVERIFY2(records->at(0).before.contains(u"\"password\":\"(masked)\""_s), qPrintable(records->at(0).before));
        QVERIFY(records->at(0).before.contains(u"\"api_token\":null"_s)); // a null held nothing to hide
        QCOMPARE(records->at(1).action, u"restore"_s);
        QCOMPARE(records->at(1).table, u"public.employees"_s);
        QVERIFY(!records->at(1).before.contains(u"h2"_s));
        QCOMPARE(records->at(1).dbUser, q(db, u"SELECT current_user"_s));
        QCOMPARE(records->at(1).changedAt.size(), 19); // to the second, no microseconds
        // Before anything was ever audited there is no table, and nothing to list.
        q(db, u"ALTER TABLE migrationdesk.audit RENAME TO audit_kept"_s);
        const auto none = AuditReader(m_connection).newest(10, &error);
        q(db, u"ALTER TABLE migrationdesk.audit_kept RENAME TO audit"_s);
        QVERIFY(none && none->isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTrashUndo)
#include "tst_trashundo.moc"
