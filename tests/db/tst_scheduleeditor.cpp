// Saving a manager's schedule edit against the fixture's real PostgreSQL: the optimistic check on
// updated_at, deleted and vanished rows, bad statuses, hostile text and a role without UPDATE.
#include "browse/catalog.h"
#include "clirunner.h"
#include "db/pgconnection.h"
#include "dbtest.h"
#include "i18n/datetimeformat.h"
#include "scheduling/scheduleeditor.h"
#include "pgfixture.h"

#include <QDate>
#include <QLocale>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {

const QString db = u"md_schedule_editor"_s;

} // namespace

class TestScheduleEditor : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<PgConnection> openAs(const ConnectionSettings &s)
    {
        auto connection = std::make_unique<PgConnection>();
        QString error;
        if (!connection->open(s, &error)) {
            qWarning("open failed: %s", qPrintable(error));
            return nullptr;
        }
        return connection;
    }

    // A fresh live schedule; its id.
    QString newSchedule(const QString &status = u"scheduled"_s)
    {
        return q(db, u"INSERT INTO schedules (employee_id, schedule_type, title, schedule_date, status, result) "
                     "VALUES (1, 'visit', 'Visit ACME', DATE '2026-11-24', '%1', 'old result') RETURNING schedule_id"_s
                         .arg(status));
    }
    QString updatedAt(const QString &id)
    {
        return q(db, u"SELECT updated_at::text FROM schedules WHERE schedule_id = %1"_s.arg(id));
    }
    ScheduleEdit edit(const QString &id, const QString &status, const QString &result, const QString &followUp)
    {
        return {id, updatedAt(id), status, result, followUp};
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString setUp = freshDbAtHead(db);
        QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
        QCOMPARE(q(db, u"INSERT INTO employees (email, username, password, name, role, department) "
                       "VALUES ('kim@example.com', 'kim', 'x', '김민준', 'user', '영업') RETURNING employee_id"_s),
                 u"1"_s);
    }

    void saveStoresValuesAndBumpsUpdatedAt()
    {
        const QString id = newSchedule();
        // An old updated_at with microseconds: the text form must match exactly.
        q(db, u"ALTER TABLE schedules DISABLE TRIGGER trg_schedules_set_updated_at; "
              "UPDATE schedules SET updated_at = '2025-01-02 03:04:05.123456' WHERE schedule_id = %1; "
              "ALTER TABLE schedules ENABLE TRIGGER trg_schedules_set_updated_at"_s.arg(id));
        const QString before = updatedAt(id);
        QCOMPARE(before, u"2025-01-02 03:04:05.123456"_s);
        auto connection = openAs(settings(db));
        QVERIFY(connection);
        const ScheduleSaveOutcome out =
            ScheduleEditor::saveOn(*connection, {id, before, u"completed"_s, u"Signed"_s, u"Call in May"_s});
        QVERIFY2(out.ok(), qPrintable(out.message));
        QCOMPARE(out.kind, ScheduleSaveOutcome::Saved);
        QVERIFY(!out.newUpdatedAt.isEmpty());
        QVERIFY(out.newUpdatedAt != before);
        QCOMPARE(updatedAt(id), out.newUpdatedAt);
        QCOMPARE(q(db, u"SELECT status || '|' || result || '|' || follow_up FROM schedules WHERE schedule_id = %1"_s.arg(id)),
                 u"completed|Signed|Call in May"_s);
        QVERIFY(!connection->inTransaction());

        // A null result clears it; the new updated_at is what the next save must carry.
        const ScheduleSaveOutcome again =
            ScheduleEditor::saveOn(*connection, {id, out.newUpdatedAt, u"completed"_s, QString(), u"x"_s});
        QVERIFY2(again.ok(), qPrintable(again.message));
        QCOMPARE(q(db, u"SELECT result IS NULL FROM schedules WHERE schedule_id = %1"_s.arg(id)), u"t"_s);
    }

    void conflictIsRefusedAndTheOtherChangeKept()
    {
        const QString id = newSchedule();
        const ScheduleEdit mine = edit(id, u"completed"_s, u"mine"_s, u"mine too"_s);
        // Someone else saves first.
        q(db, u"UPDATE schedules SET result = 'theirs', status = 'in_progress' WHERE schedule_id = %1"_s.arg(id));
        const QString theirs = updatedAt(id);
        QVERIFY(theirs != mine.expectedUpdatedAt);

        auto connection = openAs(settings(db));
        QVERIFY(connection);
        const ScheduleSaveOutcome out = ScheduleEditor::saveOn(*connection, mine);
        QCOMPARE(out.kind, ScheduleSaveOutcome::Conflict);
        QVERIFY2(out.message.contains(u"changed by someone else"_s), qPrintable(out.message));
        QVERIFY2(out.message.contains(u"Nothing was saved"_s), qPrintable(out.message));
        QCOMPARE(out.currentUpdatedAt, theirs);
        QCOMPARE(q(db, u"SELECT status || '|' || result || '|' || coalesce(follow_up, '<null>') FROM schedules WHERE schedule_id = %1"_s.arg(id)),
                 u"in_progress|theirs|<null>"_s);
        QCOMPARE(updatedAt(id), theirs);
        QVERIFY(!connection->inTransaction());
    }

    // After a save or a refusal the outcome carries the row as stored, read on the same connection
    // (the pane shows it); reload() reads it on the editor's thread; messages name the title and date.
    void outcomesCarryTheStoredRowAndNameTheSchedule()
    {
        const QString id = newSchedule();
        auto connection = openAs(settings(db));
        QVERIFY(connection);
        ScheduleEdit mine = edit(id, u"completed"_s, u"done"_s, QString());
        mine.title = u"Visit ACME"_s;
        mine.scheduleDate = u"2026-11-24"_s;
        const ScheduleSaveOutcome saved = ScheduleEditor::saveOn(*connection, mine);
        QVERIFY2(saved.ok(), qPrintable(saved.message));
        QCOMPARE(saved.stored.value(u"schedule_id"_s), id);
        QCOMPARE(saved.stored.value(u"status"_s), u"completed"_s);
        QCOMPARE(saved.stored.value(u"result"_s), u"done"_s);
        QVERIFY(saved.stored.value(u"follow_up"_s).isNull());
        QCOMPARE(saved.stored.value(u"updated_at"_s), updatedAt(id));
        QCOMPARE(saved.stored.value(u"employee_name"_s), u"김민준"_s);
        QCOMPARE(saved.stored.value(u"department"_s), u"영업"_s);
        QCOMPARE(saved.stored.value(u"is_deleted"_s), u"false"_s);

        q(db, u"UPDATE schedules SET status = 'cancelled', client_name = 'ACME' WHERE schedule_id = %1"_s.arg(id));
        mine.result = u"again"_s;
        const ScheduleSaveOutcome refused = ScheduleEditor::saveOn(*connection, mine);
        QCOMPARE(refused.kind, ScheduleSaveOutcome::Conflict);
        QCOMPARE(refused.stored.value(u"status"_s), u"cancelled"_s);
        QCOMPARE(refused.stored.value(u"client_name"_s), u"ACME"_s);
        QCOMPARE(refused.stored.value(u"updated_at"_s), updatedAt(id));
        const QString name = u"\u201cVisit ACME\u201d ("_s
            + DateTimeFormat::date(QDate(2026, 11, 24)) + u")"_s;
        QVERIFY2(refused.message.startsWith(name), qPrintable(refused.message));
        QVERIFY2(!refused.message.contains(u"Schedule "_s + id), qPrintable(refused.message));
        // Shown without microseconds.
        QVERIFY2(refused.message.contains(updatedAt(id).left(19) + u" UTC)"_s), qPrintable(refused.message));

        QThread thread;
        auto *editor = new ScheduleEditor;
        editor->moveToThread(&thread);
        connect(&thread, &QThread::finished, editor, &QObject::deleteLater);
        thread.start();
        auto stop = qScopeGuard([&] { thread.quit(); thread.wait(); });
        QSignalSpy opened(editor, &ScheduleEditor::opened);
        QSignalSpy reloaded(editor, &ScheduleEditor::reloaded);
        const ConnectionSettings s = settings(db);
        QMetaObject::invokeMethod(editor, [editor, s] { editor->open(s); }, Qt::QueuedConnection);
        QVERIFY(waitForEmissions(opened));
        q(db, u"UPDATE schedules SET result = 'later' WHERE schedule_id = %1"_s.arg(id));
        QMetaObject::invokeMethod(editor, [editor, id, name] { editor->reload(id, name); }, Qt::QueuedConnection);
        QVERIFY(waitForEmissions(reloaded));
        QCOMPARE(reloaded.first().at(0).toString(), id);
        using Row = QHash<QString, QString>;
        const auto values = reloaded.first().at(1).value<Row>();
        QCOMPARE(values.value(u"result"_s), u"later"_s);
        QCOMPARE(values.value(u"updated_at"_s), updatedAt(id));
        QVERIFY(reloaded.first().at(2).toString().isEmpty());

        // A row that is gone: nothing to show, and a message that names it.
        q(db, u"DELETE FROM schedules WHERE schedule_id = %1"_s.arg(id));
        QMetaObject::invokeMethod(editor, [editor, id, name] { editor->reload(id, name); }, Qt::QueuedConnection);
        QVERIFY(waitForEmissions(reloaded, 2));
        QVERIFY(reloaded.last().at(1).value<Row>().isEmpty());
        QCOMPARE(reloaded.last().at(2).toString(), name + u" no longer exists."_s);
        QMetaObject::invokeMethod(editor, [editor] { editor->close(); }, Qt::BlockingQueuedConnection);
    }

    // The other writer still holds its row lock when we save: our UPDATE waits, then sees the
    // committed row and refuses. The editor runs on its own thread, as in the app.
    void concurrentWriterWinsWhileWeWait()
    {
        const QString id = newSchedule();
        const ScheduleEdit mine = edit(id, u"cancelled"_s, u"mine"_s, QString());

        auto other = openAs(settings(db));
        QVERIFY(other);
        QVERIFY(other->exec(u"BEGIN"_s));
        QVERIFY(other->query(u"UPDATE schedules SET result = 'theirs' WHERE schedule_id = $1::int"_s, {id}));

        QThread thread;
        auto *editor = new ScheduleEditor;
        editor->moveToThread(&thread);
        connect(&thread, &QThread::finished, editor, &QObject::deleteLater);
        thread.start();
        QSignalSpy opened(editor, &ScheduleEditor::opened);
        QSignalSpy saved(editor, &ScheduleEditor::saved);
        const ConnectionSettings s = settings(db);
        QMetaObject::invokeMethod(editor, [editor, s] { editor->open(s); });
        QVERIFY(waitForEmissions(opened));
        QVERIFY(opened.first().at(0).toBool());
        QMetaObject::invokeMethod(editor, [editor, mine] { editor->save(mine); });
        // Our UPDATE is queued behind the other transaction's row lock.
        QVERIFY(QTest::qWaitFor([&] {
            return q(db, u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrationdesk-edit' "
                         "AND wait_event_type = 'Lock'"_s) == u"1"_s;
        }, 20000));
        QCOMPARE(saved.size(), 0);
        QVERIFY(other->exec(u"COMMIT"_s));
        QVERIFY(waitForEmissions(saved));
        const auto out = saved.first().at(0).value<ScheduleSaveOutcome>();
        QCOMPARE(out.kind, ScheduleSaveOutcome::Conflict);
        QCOMPARE(q(db, u"SELECT status || '|' || result FROM schedules WHERE schedule_id = %1"_s.arg(id)),
                 u"scheduled|theirs"_s);
        QMetaObject::invokeMethod(editor, [editor] { editor->close(); });
        thread.quit();
        QVERIFY(thread.wait(20000));
    }

    void deletedMeanwhileIsRefused()
    {
        const QString id = newSchedule();
        const ScheduleEdit mine = edit(id, u"completed"_s, u"mine"_s, u"f"_s);
        q(db, u"UPDATE schedules SET is_deleted = true, deleted_at = now() WHERE schedule_id = %1"_s.arg(id));
        const QString after = updatedAt(id);
        auto connection = openAs(settings(db));
        QVERIFY(connection);
        const ScheduleSaveOutcome out = ScheduleEditor::saveOn(*connection, mine);
        QCOMPARE(out.kind, ScheduleSaveOutcome::Deleted);
        QVERIFY2(out.message.contains(u"deleted"_s), qPrintable(out.message));
        QCOMPARE(q(db, u"SELECT status || '|' || result FROM schedules WHERE schedule_id = %1"_s.arg(id)),
                 u"scheduled|old result"_s);
        QCOMPARE(updatedAt(id), after);

        // Deleted but not otherwise changed: still refused, the trash keeps it as it was.
        const QString id2 = newSchedule();
        const QString stamp = updatedAt(id2);
        q(db, u"ALTER TABLE schedules DISABLE TRIGGER trg_schedules_set_updated_at; "
              "UPDATE schedules SET is_deleted = true WHERE schedule_id = %1; "
              "ALTER TABLE schedules ENABLE TRIGGER trg_schedules_set_updated_at"_s.arg(id2));
        const ScheduleSaveOutcome out2 =
            ScheduleEditor::saveOn(*connection, {id2, stamp, u"completed"_s, u"x"_s, u"y"_s});
        QCOMPARE(out2.kind, ScheduleSaveOutcome::Deleted);
        QCOMPARE(q(db, u"SELECT status FROM schedules WHERE schedule_id = %1"_s.arg(id2)), u"scheduled"_s);
    }

    void goneIsRefused()
    {
        const QString id = newSchedule();
        const ScheduleEdit mine = edit(id, u"completed"_s, u"mine"_s, u"f"_s);
        q(db, u"DELETE FROM schedules WHERE schedule_id = %1"_s.arg(id));
        auto connection = openAs(settings(db));
        QVERIFY(connection);
        const ScheduleSaveOutcome out = ScheduleEditor::saveOn(*connection, mine);
        QCOMPARE(out.kind, ScheduleSaveOutcome::Missing);
        QVERIFY2(out.message.contains(u"no longer exists"_s), qPrintable(out.message));
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE schedule_id = %1"_s.arg(id)), u"0"_s);
    }

    void invalidStatusIsRefused_data()
    {
        QTest::addColumn<QString>("status");
        QTest::newRow("typo") << u"done"_s;
        QTest::newRow("label instead of value") << u"Completed"_s;
        QTest::newRow("empty") << QString();
        QTest::newRow("injection") << u"completed'; UPDATE schedules SET result = 'pwned'; --"_s;
    }

    void invalidStatusIsRefused()
    {
        QFETCH(QString, status);
        const QString id = newSchedule();
        const QString before = updatedAt(id);
        auto connection = openAs(settings(db));
        QVERIFY(connection);
        const ScheduleSaveOutcome out =
            ScheduleEditor::saveOn(*connection, {id, before, status, u"r"_s, u"f"_s});
        QCOMPARE(out.kind, ScheduleSaveOutcome::Invalid);
        QVERIFY2(out.message.contains(u"is not a valid status"_s), qPrintable(out.message));
        QVERIFY2(out.message.contains(u"Scheduled, In progress, Completed, Cancelled"_s), qPrintable(out.message));
        QCOMPARE(q(db, u"SELECT status || '|' || result FROM schedules WHERE schedule_id = %1"_s.arg(id)),
                 u"scheduled|old result"_s);
        QCOMPARE(updatedAt(id), before);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE result = 'pwned'"_s), u"0"_s);
    }

    void hostileTextIsStoredVerbatim_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("quote and statement") << u"'); DROP TABLE schedules; --"_s;
        QTest::newRow("dollar quote") << u"$$; DELETE FROM employees; $$"_s;
        QTest::newRow("placeholder") << u"$1 $4::int"_s;
        QTest::newRow("backslashes") << u"C:\\new\\table\\"_s;
        QTest::newRow("lines and tabs") << u"line 1\r\nline 2\n\tindented"_s;
        QTest::newRow("korean and emoji") << u"계약 체결 완료 ✅ 🎉"_s;
        QTest::newRow("empty string") << u""_s;
    }

    void hostileTextIsStoredVerbatim()
    {
        QFETCH(QString, text);
        const QString id = newSchedule();
        auto connection = openAs(settings(db));
        QVERIFY(connection);
        const ScheduleSaveOutcome out =
            ScheduleEditor::saveOn(*connection, {id, updatedAt(id), u"in_progress"_s, text, text + u"!"_s});
        QVERIFY2(out.ok(), qPrintable(out.message));
        const auto rows = connection->query(
            u"SELECT result, follow_up FROM schedules WHERE schedule_id = $1::int"_s, {id});
        QVERIFY(rows && rows->size() == 1);
        QCOMPARE(rows->first().at(0), text);
        QVERIFY(!rows->first().at(0).isNull());
        QCOMPARE(rows->first().at(1), text + u"!"_s);
        QCOMPARE(q(db, u"SELECT count(*) > 0 FROM employees"_s), u"t"_s);
        QCOMPARE(q(db, u"SELECT to_regclass('public.schedules') IS NOT NULL"_s), u"t"_s);
    }

    void readOnlyRoleCannotEdit()
    {
        QString error;
        QVERIFY2(PgFixture::shared().createRole(u"md_sched_reader"_s, u"reader pw"_s, false, &error), qPrintable(error));
        q(db, u"GRANT SELECT ON schedules, employees TO md_sched_reader"_s);
        ConnectionSettings reader = settings(db);
        reader.user = u"md_sched_reader"_s;
        reader.password = u"reader pw"_s;
        auto connection = openAs(reader);
        QVERIFY(connection);

        // What the view looks at to disable Edit.
        const auto info = Catalog(*connection).table(u"public"_s, u"schedules"_s, &error);
        QVERIFY2(info && info->isValid(), qPrintable(error));
        QVERIFY(info->canSelect);
        QVERIFY(!info->canUpdate);
        QVERIFY(!info->columns.at(info->columnIndex(u"status"_s)).canUpdate);

        const QString id = newSchedule();
        const QString before = updatedAt(id);
        const ScheduleSaveOutcome out =
            ScheduleEditor::saveOn(*connection, {id, before, u"completed"_s, u"r"_s, u"f"_s});
        QCOMPARE(out.kind, ScheduleSaveOutcome::PermissionDenied);
        QVERIFY2(out.message.contains(u"may not change schedules"_s), qPrintable(out.message));
        QVERIFY2(out.message.contains(u"42501"_s), qPrintable(out.message));
        QVERIFY(!connection->inTransaction());
        QCOMPARE(q(db, u"SELECT status || '|' || result FROM schedules WHERE schedule_id = %1"_s.arg(id)),
                 u"scheduled|old result"_s);
        QCOMPARE(updatedAt(id), before);

        // UPDATE on status alone is not enough: result and follow_up stay locked.
        q(db, u"GRANT UPDATE (status) ON schedules TO md_sched_reader"_s);
        const auto partial = Catalog(*connection).table(u"public"_s, u"schedules"_s, &error);
        QVERIFY(partial && partial->isValid());
        QVERIFY(partial->columns.at(partial->columnIndex(u"status"_s)).canUpdate);
        QVERIFY(!partial->columns.at(partial->columnIndex(u"result"_s)).canUpdate);
        const ScheduleSaveOutcome out2 =
            ScheduleEditor::saveOn(*connection, {id, before, u"completed"_s, u"r"_s, u"f"_s});
        QCOMPARE(out2.kind, ScheduleSaveOutcome::PermissionDenied);
        QCOMPARE(q(db, u"SELECT status FROM schedules WHERE schedule_id = %1"_s.arg(id)), u"scheduled"_s);
    }

    void notConnectedSaysSo()
    {
        ScheduleEditor editor;
        QSignalSpy saved(&editor, &ScheduleEditor::saved);
        editor.save({u"1"_s, QString(), u"completed"_s, {}, {}});
        QCOMPARE(saved.size(), 1);
        const auto out = saved.first().at(0).value<ScheduleSaveOutcome>();
        QCOMPARE(out.kind, ScheduleSaveOutcome::Failed);
        QVERIFY(out.message.contains(u"Not connected"_s));
    }
};

QTEST_GUILESS_MAIN(TestScheduleEditor)
#include "tst_scheduleeditor.moc"
