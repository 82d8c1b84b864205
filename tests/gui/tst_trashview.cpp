// The Trash view on the offscreen platform against the fixture's real PostgreSQL: newest deletion
// first, restore by clicking (and the employee offer), typed confirmation for permanent deletes,
// refusals shown, privileges, and the messages for no connection and missing tables.
#include "i18n/datetimeformat.h"
#include "browse/catalog.h"
#include "browse/fetcherpool.h"
#include "browse/lazytablemodel.h"
#include "clirunner.h"
#include "data/datagrid.h"
#include "db/pgconnection.h"
#include "dbtest.h"
#include "pgfixture.h"
#include "scheduling/auditlog.h"
#include "i18n/translator.h"
#include "scheduling/purgedialog.h"
#include "scheduling/trashauditmodel.h"
#include "scheduling/trashauditpane.h"
#include "scheduling/trashtablayout.h"
#include "scheduling/trashview.h"
#include "session/appservices.h"

#include <QAbstractItemModelTester>
#include <QDate>
#include <QLocale>
#include <QApplication>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {

const QString db = u"md_trashview_test"_s;
const QString baseDb = u"md_trashview_base"_s;

// Employee 2 and schedules 10, 11, 12, 20 are in the trash; 11 was deleted last, 20 first.
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
    " (13, 1, 'visit', 'Live visit', '2025-04-05', NULL, false, NULL),\n"
    " (20, 2, 'visit', 'Bob''s visit', '2025-04-06', 'Initech', true, '2025-03-01 08:00:00.5');\n";

QString ids(const LazyTableModel &model, const QString &key)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out.append(model.value(row, key));
    return out.join(u',');
}

} // namespace

class TestTrashView : public QObject
{
    Q_OBJECT

private:
    AppServices m_services; // the composition root: first in, last out
    // A shown view connected as `s`, with both tabs loaded.
    std::unique_ptr<TrashView> openView(const ConnectionSettings &s, int schedules, int employees)
    {
        auto view = std::make_unique<TrashView>(m_services);
        view->resize(1100, 520);
        view->setConnection(s);
        view->show();
        if (!QTest::qWaitForWindowExposed(view.get()))
            return nullptr;
        if (!QTest::qWaitFor([&] { return view->model(TrashTable::Schedules) && view->model(TrashTable::Employees); },
                             20000))
            return nullptr;
        m_testers.clear();
        for (TrashTable table : {TrashTable::Schedules, TrashTable::Employees})
            m_testers.push_back(std::make_unique<QAbstractItemModelTester>(view->model(table)));
        if (!waitRows(*view, TrashTable::Schedules, schedules) || !waitRows(*view, TrashTable::Employees, employees))
            return nullptr;
        return view;
    }

    bool waitRows(TrashView &view, TrashTable table, int rows)
    {
        LazyTableModel *model = view.model(table);
        return QTest::qWaitFor([&] {
            return model->isCountExact() && model->rowCount() == rows && !model->isFetching()
                   && (rows == 0 || model->isRowLoaded(rows - 1));
        }, 20000);
    }

    DataGrid *grid(TrashView &view, TrashTable table)
    {
        return view.findChild<DataGrid *>(table == TrashTable::Schedules ? u"schedulesGrid"_s : u"employeesGrid"_s);
    }

    // Clicks row `row` of the grid on its deleted_at cell; ctrl extends the selection.
    void clickRow(TrashView &view, TrashTable table, int row, bool ctrl = false)
    {
        DataGrid *g = grid(view, table);
        const int column = view.model(table)->tableInfo().columnIndex(u"deleted_at"_s);
        const QRect rect = g->visualRect(view.model(table)->index(row, column));
        QTest::mouseClick(g->viewport(), Qt::LeftButton, ctrl ? Qt::ControlModifier : Qt::NoModifier, rect.center());
    }

    QPushButton *button(TrashView &view, const QString &name) { return view.findChild<QPushButton *>(name); }

    void grab(QWidget *widget, const QString &name)
    {
        // Set MD_GRAB_DIR to look at the view in a scratch run.
        const QString dir = qEnvironmentVariable("MD_GRAB_DIR");
        if (!dir.isEmpty())
            widget->grab().save(QDir(dir).filePath(name));
    }

    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;

private Q_SLOTS:
    void initTestCase()
    {
        const QString setUp = freshDbAtHead(db);
        QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
        // The trash makes its audit table on first use; the seed empties it before each test.
        PgConnection conn;
        QString error;
        QVERIFY2(conn.open(settings(db), &error), qPrintable(error));
        SqlError sqlError;
        QVERIFY2(AuditLog(conn).ensureTable(&sqlError), qPrintable(sqlError.toString()));
        freshDb(baseDb);
    }

    void init()
    {
        QString out;
        QVERIFY2(PgFixture::shared().psqlScript(db, QString::fromUtf8(seedSql), &out), qPrintable(out));
    }

    void cleanup() { m_testers.clear(); }

    void notConnectedThenMissingTables()
    {
        TrashView view(m_services);
        view.show();
        QCOMPARE(view.message(), u"Connect to a database"_s);
        QVERIFY(!button(view, u"restoreButton"_s)->isEnabled());
        view.setConnection(settings(baseDb));
        QTRY_VERIFY_WITH_TIMEOUT(view.message().contains(u"does not exist"_s), 20000);
        QCOMPARE(view.message(),
                 u"The schedules table does not exist. Upgrade the database to head in Migrations."_s);
        QVERIFY(!view.model(TrashTable::Schedules));
        grab(&view, u"trash-missing.png"_s);
        view.clearConnection();
        QCOMPARE(view.message(), u"Connect to a database"_s);
    }

    void listsNewestFirstAndRestoresSelected()
    {
        auto view = openView(settings(db), 4, 1);
        QVERIFY(view);
        LazyTableModel *schedules = view->model(TrashTable::Schedules);
        QCOMPARE(ids(*schedules, u"schedule_id"_s), u"11,12,10,20"_s);
        QCOMPARE(schedules->value(0, u"deleted_at"_s), u"2025-03-12 17:30:00"_s);
        QCOMPARE(schedules->value(3, u"employee_name"_s), u"Bob Lee"_s);
        QCOMPARE(ids(*view->model(TrashTable::Employees), u"employee_id"_s), u"2"_s);
        QCOMPARE(view->findChild<QTabWidget *>(u"trashTabs"_s)->tabText(0), u"Schedules (4)"_s);
        // deleted_at leads, and the password column is not shown at all.
        QCOMPARE(grid(*view, TrashTable::Schedules)->horizontalHeader()->logicalIndexAt(1),
                 schedules->tableInfo().columnIndex(u"deleted_at"_s));
        const auto *employees = view->model(TrashTable::Employees);
        QVERIFY(grid(*view, TrashTable::Employees)->isColumnHidden(employees->tableInfo().columnIndex(u"password"_s)));
        // Titles people read, and Yes/No for the owner's own deletion (Bob Lee, employee 2, is in the trash).
        const int deletedAt = schedules->tableInfo().columnIndex(u"deleted_at"_s);
        const int ownerInTrash = schedules->tableInfo().columnIndex(u"employee_in_trash"_s);
        QCOMPARE(schedules->headerData(deletedAt, Qt::Horizontal).toString(), u"Deleted"_s);
        QCOMPARE(schedules->headerData(ownerInTrash, Qt::Horizontal).toString(), u"Owner in trash"_s);
        QCOMPARE(schedules->index(3, ownerInTrash).data().toString(), u"Yes"_s);
        QCOMPARE(schedules->value(3, u"employee_in_trash"_s), u"true"_s); // the raw value stays for the actions

        QPushButton *restore = button(*view, u"restoreButton"_s);
        QVERIFY(!restore->isEnabled()); // nothing selected
        clickRow(*view, TrashTable::Schedules, 0);
        clickRow(*view, TrashTable::Schedules, 1, true);
        QVERIFY(restore->isEnabled());
        grab(view.get(), u"trash-selected.png"_s);

        QSignalSpy finished(view.get(), &TrashView::finished);
        QTest::mouseClick(restore, Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY(waitRows(*view, TrashTable::Schedules, 2));
        QCOMPARE(ids(*schedules, u"schedule_id"_s), u"10,20"_s);
        QCOMPARE(q(db, u"SELECT string_agg(schedule_id || ':' || is_deleted || ':' || coalesce(deleted_at::text, 'null'), ',' "
                       "ORDER BY schedule_id) FROM schedules WHERE schedule_id IN (11, 12)"_s),
                 u"11:false:null,12:false:null"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.audit WHERE action = 'restore'"_s), u"2"_s);
        // The message names what came back: title and the schedule's own date, not "Schedule 11".
        const QString restored = view->statusText();
        QVERIFY2(restored.contains(u"\u201cQuarterly review\u201d"_s) && restored.contains(u"\u201cMonthly report\u201d"_s)
                     && restored.contains(DateTimeFormat::date(QDate(2025, 4, 2)))
                     && !restored.contains(u"Schedule 11"_s),
                 qPrintable(restored));
    }

    void warmUpRunsTheFirstPageTheTrashReads()
    {
        // On fresh sessions (nothing warmed), the Schedules tab's first read is the very statement the
        // app warms at connect (TrashTabLayout::openingWindow), so the pooled sessions have run it once.
        m_services.fetchers().clear();
        QTRY_COMPARE(q(db, u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrationdesk-browse'"_s),
                     u"0"_s);
        auto view = openView(settings(db), 4, 1);
        QVERIFY(view);
        const WarmUp warmUp = TrashTabLayout::openingWindow(TrashTable::Schedules, LazyTableModel::defaultWindowSize);
        PgConnection conn;
        QString error;
        QVERIFY2(conn.open(settings(db), &error), qPrintable(error));
        const auto info = Catalog(conn).table(warmUp.schema, warmUp.table, warmUp.joins, &error);
        QVERIFY2(info && info->isValid(), qPrintable(error));
        const KeysetQuery query(*info, warmUp.sortColumn, warmUp.ascending, warmUp.filters, warmUp.trash,
                                warmUp.thenBy);
        QVERIFY2(query.isValid(), qPrintable(query.error()));
        // pg_stat_activity keeps each idle session's last statement.
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrationdesk-browse' "
                        "AND query = '%1'"_s.arg(QString(query.forward({}, warmUp.limit).sql).replace(u'\'', u"''"_s))),
                 u"1"_s);
    }

    void restoreOffersTheEmployee()
    {
        auto view = openView(settings(db), 4, 1);
        QVERIFY(view);
        clickRow(*view, TrashTable::Schedules, 3); // schedule 20, Bob's
        QCOMPARE(view->model(TrashTable::Schedules)->value(3, u"schedule_id"_s), u"20"_s);
        QSignalSpy finished(view.get(), &TrashView::finished);
        QTest::mouseClick(button(*view, u"restoreButton"_s), Qt::LeftButton);
        QMessageBox *offer = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((offer = view->findChild<QMessageBox *>(u"ownersDialog"_s)), 20000);
        QVERIFY(offer->text().contains(u"Bob Lee"_s));
        grab(offer, u"trash-owners.png"_s);
        QTest::mouseClick(offer->findChild<QPushButton *>(u"restoreOwnersButton"_s), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY(waitRows(*view, TrashTable::Schedules, 3));
        QVERIFY(waitRows(*view, TrashTable::Employees, 0));
        QCOMPARE(q(db, u"SELECT is_deleted FROM employees WHERE employee_id = 2"_s), u"f"_s);
        QCOMPARE(q(db, u"SELECT is_deleted FROM schedules WHERE schedule_id = 20"_s), u"f"_s);
    }

    void purgeNeedsTheTypedNumber()
    {
        auto view = openView(settings(db), 4, 1);
        QVERIFY(view);
        clickRow(*view, TrashTable::Schedules, 1); // 12
        clickRow(*view, TrashTable::Schedules, 2, true); // 10
        QPushButton *purge = button(*view, u"purgeButton"_s);
        QVERIFY(purge->isEnabled());
        QTest::mouseClick(purge, Qt::LeftButton);
        PurgeDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = view->findChild<PurgeDialog *>(u"purgeDialog"_s)), 5000);
        QCOMPARE(dialog->expectedText(), u"2"_s);
        auto *edit = dialog->findChild<QLineEdit *>(u"confirmEdit"_s);
        auto *confirm = dialog->findChild<QPushButton *>(u"confirmButton"_s);
        QVERIFY(!confirm->isEnabled());
        QTest::keyClicks(edit, u"3"_s);
        QVERIFY(!confirm->isEnabled());
        edit->clear();
        QTest::keyClicks(edit, u"two"_s);
        QVERIFY(!confirm->isEnabled());
        QTest::mouseClick(confirm, Qt::LeftButton); // disabled: nothing happens
        QVERIFY(dialog->isVisible());
        edit->clear();
        QTest::keyClicks(edit, u"2"_s);
        QVERIFY(confirm->isEnabled());
        grab(dialog, u"trash-purge.png"_s);

        QSignalSpy finished(view.get(), &TrashView::finished);
        QTest::mouseClick(confirm, Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY(waitRows(*view, TrashTable::Schedules, 2));
        QCOMPARE(ids(*view->model(TrashTable::Schedules), u"schedule_id"_s), u"11,20"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE schedule_id IN (10, 12)"_s), u"0"_s);
        QCOMPARE(q(db, u"SELECT string_agg(before_values->>'title', ',' ORDER BY row_key->>'schedule_id') "
                       "FROM migrationdesk.audit WHERE action = 'purge'"_s),
                 u"Visit ACME,Monthly report"_s);

        // Enter with the wrong text cancels; cancelling deletes nothing.
        clickRow(*view, TrashTable::Schedules, 0);
        QTest::mouseClick(purge, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT((dialog = view->findChild<PurgeDialog *>(u"purgeDialog"_s)), 5000);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"confirmEdit"_s), u"11"_s);
        QTest::keyClick(dialog->findChild<QLineEdit *>(u"confirmEdit"_s), Qt::Key_Return);
        QTRY_VERIFY(!view->findChild<PurgeDialog *>(u"purgeDialog"_s));
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE schedule_id = 11"_s), u"1"_s);
        QVERIFY(purge->isEnabled());
        QTest::mouseClick(purge, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT((dialog = view->findChild<PurgeDialog *>(u"purgeDialog"_s)), 5000);
        // One row: its title is typed, not the count.
        QCOMPARE(dialog->expectedText(), u"Quarterly review"_s);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"confirmEdit"_s), u"Quarterly review"_s);
        QVERIFY(dialog->findChild<QPushButton *>(u"confirmButton"_s)->isDefault());
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"cancelButton"_s), Qt::LeftButton);
        QTRY_VERIFY(!view->findChild<PurgeDialog *>(u"purgeDialog"_s));
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE schedule_id = 11"_s), u"1"_s);
        QVERIFY(purge->isEnabled());
    }

    void purgeOfEmployeeWithSchedulesRefused()
    {
        auto view = openView(settings(db), 4, 1);
        QVERIFY(view);
        view->findChild<QTabWidget *>(u"trashTabs"_s)->setCurrentIndex(1);
        clickRow(*view, TrashTable::Employees, 0);
        QTest::mouseClick(button(*view, u"purgeButton"_s), Qt::LeftButton);
        PurgeDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = view->findChild<PurgeDialog *>(u"purgeDialog"_s)), 5000);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"confirmEdit"_s), u"Bob Lee"_s);
        QSignalSpy finished(view.get(), &TrashView::finished);
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"confirmButton"_s), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QVERIFY(!finished.first().at(0).toBool());
        QVERIFY2(view->statusText().contains(u"foreign key"_s), qPrintable(view->statusText()));
        QTRY_VERIFY(view->findChild<QMessageBox *>(u"trashMessage"_s));
        grab(view->findChild<QMessageBox *>(u"trashMessage"_s), u"trash-refused.png"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM employees WHERE employee_id = 2"_s), u"1"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.audit"_s), u"0"_s);
    }

    void changedRowRefusedAndKept()
    {
        auto view = openView(settings(db), 4, 1);
        QVERIFY(view);
        clickRow(*view, TrashTable::Schedules, 0); // 11
        q(db, u"UPDATE schedules SET title = 'Edited elsewhere' WHERE schedule_id = 11"_s);
        QSignalSpy finished(view.get(), &TrashView::finished);
        QTest::mouseClick(button(*view, u"restoreButton"_s), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QVERIFY(!finished.first().at(0).toBool());
        QVERIFY2(view->statusText().contains(u"changed by someone else"_s), qPrintable(view->statusText()));
        QCOMPARE(q(db, u"SELECT is_deleted FROM schedules WHERE schedule_id = 11"_s), u"t"_s);
        QCOMPARE(view->model(TrashTable::Schedules)->rowCount(), 4);
    }

    void searchFilters()
    {
        auto view = openView(settings(db), 4, 1);
        QVERIFY(view);
        QTest::keyClicks(view->findChild<QLineEdit *>(u"searchEdit"_s), u"globex"_s); // a client, any case
        QVERIFY(waitRows(*view, TrashTable::Schedules, 1));
        QCOMPARE(ids(*view->model(TrashTable::Schedules), u"schedule_id"_s), u"11"_s);
        view->findChild<QLineEdit *>(u"searchEdit"_s)->clear();
        QTest::keyClicks(view->findChild<QLineEdit *>(u"searchEdit"_s), u"%"_s); // a LIKE wildcard matches itself only
        QVERIFY(waitRows(*view, TrashTable::Schedules, 0));
    }

    void readOnlyRoleSeesRestoreDisabled()
    {
        QString error;
        QVERIFY2(PgFixture::shared().createRole(u"md_trashview_reader"_s, u"reader"_s, false, &error),
                 qPrintable(error));
        q(db, u"GRANT SELECT ON employees, schedules TO md_trashview_reader"_s);
        ConnectionSettings s = settings(db);
        s.user = u"md_trashview_reader"_s;
        s.password = u"reader"_s;
        auto view = openView(s, 4, 1);
        QVERIFY(view);
        clickRow(*view, TrashTable::Schedules, 0);
        QVERIFY(grid(*view, TrashTable::Schedules)->selectionModel()->hasSelection());
        QPushButton *restore = button(*view, u"restoreButton"_s);
        QVERIFY(!restore->isEnabled());
        QVERIFY2(restore->toolTip().contains(u"UPDATE"_s), qPrintable(restore->toolTip()));
        QVERIFY(!button(*view, u"purgeButton"_s)->isEnabled());
        QVERIFY(button(*view, u"purgeButton"_s)->toolTip().contains(u"DELETE"_s));
    }

    void undoPutsTheRestoredRowsBack()
    {
        auto view = openView(settings(db), 4, 1);
        QVERIFY(view);
        QPushButton *undo = button(*view, u"undoButton"_s);
        QVERIFY(!undo->isVisible()); // nothing to undo yet
        clickRow(*view, TrashTable::Schedules, 0); // 11
        QSignalSpy finished(view.get(), &TrashView::finished);
        QTest::mouseClick(button(*view, u"restoreButton"_s), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QVERIFY(waitRows(*view, TrashTable::Schedules, 3));
        QVERIFY(view->canUndo());
        QVERIFY(undo->isVisible() && undo->isEnabled());
        grab(view.get(), u"trash-undo.png"_s);
        QTest::mouseClick(undo, Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QVERIFY2(finished.last().at(0).toBool(), qPrintable(finished.last().at(1).toString()));
        QVERIFY(waitRows(*view, TrashTable::Schedules, 4));
        QCOMPARE(ids(*view->model(TrashTable::Schedules), u"schedule_id"_s), u"11,12,10,20"_s); // its old place
        QCOMPARE(q(db, u"SELECT is_deleted || ':' || deleted_at FROM schedules WHERE schedule_id = 11"_s),
                 u"true:2025-03-12 17:30:00"_s);
        QVERIFY2(view->statusText().contains(u"\u201cQuarterly review\u201d"_s), qPrintable(view->statusText()));
        QVERIFY(!undo->isVisible());
        QCOMPARE(q(db, u"SELECT string_agg(action, ',' ORDER BY id) FROM migrationdesk.audit"_s), u"restore,delete"_s);
    }

    void undoRefusedWhenTheRowChangedMeanwhile()
    {
        auto view = openView(settings(db), 4, 1);
        QVERIFY(view);
        clickRow(*view, TrashTable::Schedules, 0); // 11
        QSignalSpy finished(view.get(), &TrashView::finished);
        QTest::mouseClick(button(*view, u"restoreButton"_s), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QVERIFY(waitRows(*view, TrashTable::Schedules, 3));
        q(db, u"UPDATE schedules SET title = 'Quarterly review, moved' WHERE schedule_id = 11"_s);
        QTest::mouseClick(button(*view, u"undoButton"_s), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QVERIFY(!finished.last().at(0).toBool());
        QVERIFY2(view->statusText().contains(u"changed by someone else"_s), qPrintable(view->statusText()));
        QCOMPARE(q(db, u"SELECT is_deleted FROM schedules WHERE schedule_id = 11"_s), u"f"_s);
        QVERIFY(!view->canUndo());
    }

    void purgeConfirmationNamesTheTableAndAsksForTheTitle()
    {
        auto view = openView(settings(db), 4, 1);
        QVERIFY(view);
        clickRow(*view, TrashTable::Schedules, 1); // 12, Monthly report
        QTest::mouseClick(button(*view, u"purgeButton"_s), Qt::LeftButton);
        PurgeDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = view->findChild<PurgeDialog *>(u"purgeDialog"_s)), 5000);
        QCOMPARE(dialog->expectedText(), u"Monthly report"_s);
        auto *edit = dialog->findChild<QLineEdit *>(u"confirmEdit"_s);
        QVERIFY(edit->text().isEmpty());
        QVERIFY(edit->placeholderText().isEmpty()); // nothing to copy without reading
        const QString intro = dialog->findChild<QLabel *>(u"introLabel"_s)->text();
        QVERIFY2(intro.contains(u"Schedules"_s) && !intro.contains(u"public.schedules"_s) && intro.contains(u"cannot be undone"_s),
                 qPrintable(intro));
        QVERIFY(dialog->findChild<QLabel *>(u"rowsLabel"_s)->text().contains(
            DateTimeFormat::date(QDate(2025, 4, 3))));
        auto *confirm = dialog->findChild<QPushButton *>(u"confirmButton"_s);
        QTest::keyClicks(edit, u"1"_s); // the count is not the title
        QVERIFY(!confirm->isEnabled());
        edit->clear();
        QTest::keyClicks(edit, u"Monthly report"_s);
        QVERIFY(confirm->isEnabled());
        grab(dialog, u"trash-purge-title.png"_s);
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"cancelButton"_s), Qt::LeftButton);
        QTRY_VERIFY(!view->findChild<PurgeDialog *>(u"purgeDialog"_s));
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE schedule_id = 12"_s), u"1"_s);
    }

    void labelsAndTheDateBesideTheTitle()
    {
        auto view = openView(settings(db), 4, 1);
        QVERIFY(view);
        LazyTableModel *schedules = view->model(TrashTable::Schedules);
        const int type = schedules->tableInfo().columnIndex(u"schedule_type"_s);
        const int title = schedules->tableInfo().columnIndex(u"title"_s);
        const int date = schedules->tableInfo().columnIndex(u"schedule_date"_s);
        QCOMPARE(schedules->index(0, type).data().toString(), u"Meeting"_s); // not "meeting"
        QCOMPARE(schedules->value(0, u"schedule_type"_s), u"meeting"_s);   // the raw value stays for actions
        QCOMPARE(schedules->index(0, date).data().toString(), DateTimeFormat::date(QDate(2025, 4, 2)));
        QHeaderView *header = grid(*view, TrashTable::Schedules)->horizontalHeader();
        QCOMPARE(header->visualIndex(date), header->visualIndex(title) + 1);
        // Timestamps to the minute, no microseconds.
        const int deletedAt = schedules->tableInfo().columnIndex(u"deleted_at"_s);
        QVERIFY(!schedules->index(2, deletedAt).data().toString().contains(u".000001"_s));
        LazyTableModel *employees = view->model(TrashTable::Employees);
        QCOMPARE(employees->index(0, employees->tableInfo().columnIndex(u"role"_s)).data().toString(), u"User"_s);
    }

    void auditTabListsTheTrail()
    {
        q(db, u"INSERT INTO migrationdesk.audit (action, table_schema, table_name, row_key, before_values, os_user) VALUES "
              "('purge', 'public', 'employees', '{\"employee_id\": 9}', '{\"password\": \"hunter2\", \"name\": \"Eve\"}', 'support1')"_s);
        auto view = openView(settings(db), 4, 1);
        QVERIFY(view);
        auto *tabs = view->findChild<QTabWidget *>(u"trashTabs"_s);
        QCOMPARE(tabs->count(), 3);
        tabs->setCurrentIndex(2);
        QVERIFY(view->isAuditTabCurrent());
        QVERIFY(!button(*view, u"restoreButton"_s)->isEnabled());
        TrashAuditModel *audit = view->auditPane()->model();
        QTRY_COMPARE_WITH_TIMEOUT(audit->rowCount(), 1, 20000);
        QCOMPARE(audit->index(0, TrashAuditModel::Action).data().toString(), u"Deleted permanently"_s);
        QCOMPARE(audit->index(0, TrashAuditModel::OsUser).data().toString(), u"support1"_s);
        QCOMPARE(audit->index(0, TrashAuditModel::DbUser).data().toString(), q(db, u"SELECT current_user"_s));
        QCOMPARE(audit->index(0, TrashAuditModel::Table).data().toString(), u"public.employees"_s);
        const QString before = audit->index(0, TrashAuditModel::Before).data().toString();
        QVERIFY2(before.contains(u"Eve"_s) && !before.contains(u"hunter2"_s) && before.contains(u"(masked)"_s), qPrintable(before));

        // A restore shows up in the tab at once, newest first.
        tabs->setCurrentIndex(0);
        clickRow(*view, TrashTable::Schedules, 0);
        QSignalSpy finished(view.get(), &TrashView::finished);
        QTest::mouseClick(button(*view, u"restoreButton"_s), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        tabs->setCurrentIndex(2);
        QTRY_COMPARE_WITH_TIMEOUT(audit->rowCount(), 2, 20000);
        QCOMPARE(audit->index(0, TrashAuditModel::Action).data().toString(), u"Restored"_s);
        QVERIFY(audit->index(0, TrashAuditModel::Before).data().toString().contains(u"Quarterly review"_s));
        grab(view.get(), u"trash-audit.png"_s);
    }

    // Last: it leaves Korean installed.
    void nothingClippedInEitherLanguage()
    {
        for (const QString &language : {u"en"_s, u"ko"_s}) {
            Translator::install(language);
            auto view = openView(settings(db), 4, 1);
            QVERIFY(view);
            clickRow(*view, TrashTable::Schedules, 0);
            QSignalSpy finished(view.get(), &TrashView::finished);
            QTest::mouseClick(button(*view, u"restoreButton"_s), Qt::LeftButton);
            QVERIFY(finished.wait(20000));
            QVERIFY(waitRows(*view, TrashTable::Schedules, 3));
            clickRow(*view, TrashTable::Schedules, 0);
            QVERIFY(button(*view, u"undoButton"_s)->isVisible()); // every button shown
            if (language == u"ko"_s) {
                LazyTableModel *schedules = view->model(TrashTable::Schedules);
                QCOMPARE(schedules->index(0, schedules->tableInfo().columnIndex(u"schedule_type"_s)).data().toString(),
                         u"보고"_s); // report
            }
            for (const QSize size : {QSize(1180, 760), QSize(900, 700)}) {
                view->resize(size);
                QApplication::processEvents();
                grab(view.get(), u"trash-%1-%2.png"_s.arg(language).arg(size.width()));
                QStringList clipped;
                for (QPushButton *b : view->findChildren<QPushButton *>()) {
                    if (!b->isVisibleTo(view.get()))
                        continue;
                    const QRect inView(b->mapTo(view.get(), QPoint(0, 0)), b->size());
                    if (!view->rect().contains(inView) || b->width() < b->sizeHint().width())
                        clipped.append(b->text());
                }
                QVERIFY2(clipped.isEmpty(), qPrintable(u"%1 at %2 px: %3"_s.arg(language).arg(size.width())
                                                           .arg(clipped.join(u", "_s))));
            }
            view.reset();
            init();
        }
    }
};

QTEST_MAIN(TestTrashView)
#include "tst_trashview.moc"
