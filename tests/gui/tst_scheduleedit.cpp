// The Schedules view's edit mode in the main window, on the offscreen platform against the fixture's
// real PostgreSQL: Save, Discard and the message stay in sight at the review sizes, the detail pane
// shows the stored row after a save and after Discard (read from the database, also when the row left
// the filtered grid), the multi-line fields have room, the client's name shows and messages name a
// schedule by its title and date.
#include "browse/lazytablemodel.h"
#include "data/datagrid.h"
#include "db/pgconnection.h"
#include "dbtest.h"
#include "i18n/datetimeformat.h"
#include "i18n/translator.h"
#include "mainwindow.h"
#include "pgfixture.h"
#include "scheduling/demodata.h"
#include "scheduling/enumfiltercombo.h"
#include "scheduling/enumlabels.h"
#include "scheduling/scheduledetailpane.h"
#include "scheduling/schedulefilterpanel.h"
#include "scheduling/schedulegridmodel.h"
#include "scheduling/schedulename.h"
#include "scheduling/schedulesview.h"
#include "session/appservices.h"

#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTimer>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {

const QString db = u"md_schedule_edit"_s;

// True when the whole widget is on screen: shown, inside the window, and not clipped by a parent
// (a scroll area's viewport, for instance) or covered by a sibling.
bool fullyInSight(const QWidget *widget, QString *why)
{
    if (!widget->isVisible()) {
        *why = widget->objectName() + u" is hidden"_s;
        return false;
    }
    const QWidget *window = widget->window();
    const QRect inWindow(widget->mapTo(window, QPoint(0, 0)), widget->size());
    if (!window->rect().contains(inWindow)) {
        *why = u"%1 at %2,%3 %4x%5 lies outside the %6x%7 window"_s.arg(widget->objectName())
                   .arg(inWindow.x()).arg(inWindow.y()).arg(inWindow.width()).arg(inWindow.height())
                   .arg(window->width()).arg(window->height());
        return false;
    }
    const QRegion visible = widget->visibleRegion();
    if (visible != QRegion(widget->rect())) {
        *why = u"%1 is clipped: %2x%3 of %4x%5 in sight"_s.arg(widget->objectName())
                   .arg(visible.boundingRect().width()).arg(visible.boundingRect().height())
                   .arg(widget->width()).arg(widget->height());
        return false;
    }
    return true;
}

// Answers the next modal message box with `button` once it shows.
void answerNextMessageBox(QMessageBox::StandardButton button, QString *text)
{
    QTimer::singleShot(0, [button, text] {
        QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()));
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        *text = box->text();
        QTest::mouseClick(box->button(button), Qt::LeftButton);
    });
}

} // namespace

class TestScheduleEdit : public QObject
{
    Q_OBJECT

private:
    AppServices m_services; // the composition root: first in, last out
    std::unique_ptr<MainWindow> m_window;

    SchedulesView *view() const { return m_window->schedulesView(); }
    ScheduleGridModel *model() const { return view()->model(); }
    ScheduleDetailPane *detail() const { return view()->detailPane(); }
    template<typename T>
    T *find(const QString &name) const { return m_window->findChild<T *>(name); }

    // The main window at the given size, connected, on the Schedules view with its first rows read.
    bool openWindow(const QSize &size)
    {
        m_window = std::make_unique<MainWindow>(m_services);
        m_window->show();
        m_window->resize(size);
        if (!QTest::qWaitForWindowExposed(m_window.get()))
            return false;
        m_window->connectToDatabase(settings(db));
        m_window->setCurrentView(MainWindow::View::Schedules);
        if (!QTest::qWaitFor([&] { return view() && model() && model()->tableInfo().isValid(); }, 30000))
            return false;
        if (!QTest::qWaitFor([&] { return view()->editButton()->isEnabled(); }, 20000))
            return false;
        // The grid opens on today's rows.
        return QTest::qWaitFor([&] {
            const int top = view()->grid()->rowAt(0);
            return top >= 0 && model()->isRowLoaded(top);
        }, 20000);
    }
    // Filters the grid to one status and waits for the filtered rows.
    bool filterByStatus(const QString &status)
    {
        view()->filterPanel()->statusCombo()->setValues({status});
        const bool ok = QTest::qWaitFor([&] {
            return model()->isCountExact() && !model()->isFetching() && model()->rowCount() > 0
                && model()->isRowLoaded(0) && model()->value(0, u"status"_s) == status;
        }, 20000);
        if (!ok) {
            qWarning() << "filter" << view()->filterPanel()->state().statuses << "rows" << model()->rowCount()
                       << "exact" << model()->isCountExact() << "fetching" << model()->isFetching()
                       << "first" << (model()->rowCount() > 0 ? model()->value(0, u"status"_s) : QString());
        }
        return ok;
    }
    // Selects a grid row with the mouse and waits for the detail pane to show it; returns its id.
    QString selectRow(int row)
    {
        DataGrid *grid = view()->grid();
        const QModelIndex index = model()->index(row, model()->tableInfo().columnIndex(u"title"_s));
        grid->scrollTo(index);
        if (!QTest::qWaitFor([&] { return model()->isRowLoaded(row); }, 20000))
            return {};
        QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, grid->visualRect(index).center());
        const QString id = model()->value(row, u"schedule_id"_s);
        if (!QTest::qWaitFor([&] { return detail()->scheduleId() == id; }, 20000))
            return {};
        return id;
    }
    bool enterEditMode()
    {
        QTest::mouseClick(view()->editButton(), Qt::LeftButton);
        return view()->isEditing();
    }
    void typeResult(const QString &text)
    {
        auto *result = find<QPlainTextEdit>(u"editResult"_s);
        result->selectAll();
        QTest::keyClicks(result, text);
    }
    ScheduleSaveOutcome save()
    {
        QSignalSpy saved(view(), &SchedulesView::saveFinished);
        QTest::mouseClick(find<QPushButton>(u"saveEdit"_s), Qt::LeftButton);
        if (!saved.wait(20000))
            return {};
        return saved.first().at(0).value<ScheduleSaveOutcome>();
    }
    // The "Updated:" text the pane shows for a stored updated_at.
    static QString updatedText(const QString &stored)
    {
        return DateTimeFormat::fromDbTimestamp(stored);
    }
    // Two shown fields of the detail form whose rectangles meet (one is drawn over the other).
    bool overlapping(QString *which) const
    {
        QList<QLabel *> fields;
        for (QLabel *label : m_window->findChildren<QLabel *>()) {
            if (label->objectName().startsWith(u"detail_"_s) && label->isVisible())
                fields.append(label);
        }
        for (int i = 0; i < fields.size(); ++i) {
            for (int j = i + 1; j < fields.size(); ++j) {
                if (fields[i]->geometry().intersects(fields[j]->geometry())) {
                    *which = fields[i]->objectName() + u" overlaps "_s + fields[j]->objectName();
                    return true;
                }
            }
        }
        which->clear();
        return false;
    }
    void screenshot(const QString &name)
    {
        if (qEnvironmentVariableIsSet("MD_SCREENSHOT_DIR"))
            m_window->grab().save(qEnvironmentVariable("MD_SCREENSHOT_DIR") + u'/' + name + u".png"_s);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"MigrationDesk"_s);
        QCoreApplication::setApplicationName(u"tst_scheduleedit"_s);
        QSettings().clear();
        const QString setUp = freshDbAtHead(db);
        QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
        PgConnection connection;
        QString error;
        QVERIFY2(connection.open(settings(db), &error), qPrintable(error));
        DemoDataOptions options;
        options.employees = 40;
        options.schedules = 800;
        options.seed = 5;
        QVERIFY2(DemoDataGenerator::generate(connection, options, {}, nullptr, &error), qPrintable(error));
    }

    void cleanup()
    {
        m_window.reset();
        Translator::install(u"en"_s);
    }

    void footerStaysInSightAfterARefusedSave_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QSize>("size");
        QTest::newRow("en 1180x760") << u"en"_s << QSize(1180, 760);
        QTest::newRow("en 900x700") << u"en"_s << QSize(900, 700);
        QTest::newRow("ko 1180x760") << u"ko"_s << QSize(1180, 760);
        QTest::newRow("ko 900x700") << u"ko"_s << QSize(900, 700);
    }

    void footerStaysInSightAfterARefusedSave()
    {
        QFETCH(QString, language);
        QFETCH(QSize, size);
        Translator::install(language);
        QVERIFY(openWindow(size));
        // A schedule with a long description: the pane's content is taller than it.
        const QString id = selectRow(2);
        QVERIFY(!id.isEmpty());
        q(db, u"UPDATE schedules SET description = repeat('A long description line. ', 40) WHERE schedule_id = "_s + id);
        QVERIFY(enterEditMode());
        typeResult(u"mine"_s);
        q(db, u"UPDATE schedules SET result = 'theirs' WHERE schedule_id = "_s + id);

        QCOMPARE(save().kind, ScheduleSaveOutcome::Conflict);
        QVERIFY(!detail()->message().isEmpty());
        QString why;
        // (Layouts settle through posted events.)
        for (const QString &name : {u"editMessage"_s, u"saveEdit"_s, u"discardEdit"_s})
            QTRY_VERIFY2(fullyInSight(find<QWidget>(name), &why), qPrintable(why));
        // Every line of the message, not only the first.
        auto *message = find<QLabel>(u"editMessage"_s);
        QVERIFY2(message->height() >= message->heightForWidth(message->width()),
                 qPrintable(u"%1 px for %2 px of text"_s.arg(message->height()).arg(message->heightForWidth(message->width()))));
        // The long description is not cut either: the pane scrolls to it instead.
        auto *description = find<QLabel>(u"detail_description"_s);
        QTRY_VERIFY(description->text().startsWith(u"A long description"_s));
        QTRY_VERIFY2(description->height() >= description->heightForWidth(description->width()),
                     qPrintable(u"%1 px for %2 px of text"_s.arg(description->height())
                                    .arg(description->heightForWidth(description->width()))));
        screenshot(u"schedules-edit-%1-%2x%3"_s.arg(language).arg(size.width()).arg(size.height()));
    }

    void saveThatLeavesTheFilterShowsTheStoredRow()
    {
        QVERIFY(openWindow({1180, 760}));
        QVERIFY(filterByStatus(u"scheduled"_s));
        const QString id = model()->value(0, u"schedule_id"_s);
        // An old "Updated" time, written with the trigger off, so the new one differs at any clock.
        q(db, u"SET session_replication_role = replica; UPDATE schedules SET updated_at = '2020-01-02 03:04:05'"
              u" WHERE schedule_id = "_s + id);
        model()->refresh(true);
        QTRY_VERIFY_WITH_TIMEOUT(model()->isRowLoaded(0) && model()->value(0, u"updated_at"_s).startsWith(u"2020"_s),
                                 20000);
        QCOMPARE(selectRow(0), id);
        QCOMPARE(detail()->fieldText(u"updated_at"_s), updatedText(u"2020-01-02 03:04:05"_s));

        QVERIFY(enterEditMode());
        auto *status = find<QComboBox>(u"editStatus"_s);
        status->setCurrentIndex(status->findData(u"completed"_s));
        const ScheduleSaveOutcome outcome = save();
        QVERIFY2(outcome.ok(), qPrintable(outcome.message));

        const QString stored = q(db, u"SELECT updated_at::text FROM schedules WHERE schedule_id = "_s + id);
        QVERIFY(!stored.startsWith(u"2020"_s));
        QCOMPARE(q(db, u"SELECT status FROM schedules WHERE schedule_id = "_s + id), u"completed"_s);
        // The row left the filtered grid, and the pane shows what the database stores.
        QTRY_VERIFY_WITH_TIMEOUT(model()->isCountExact() && !model()->isFetching(), 20000);
        QCOMPARE(detail()->scheduleId(), id);
        QVERIFY2(detail()->fieldText(u"subheading"_s).contains(EnumLabels::status(u"completed"_s)),
                 qPrintable(detail()->fieldText(u"subheading"_s)));
        QVERIFY(!detail()->fieldText(u"subheading"_s).contains(EnumLabels::status(u"scheduled"_s)));
        QCOMPARE(detail()->fieldText(u"updated_at"_s), updatedText(stored));
        QCOMPARE(status->currentData().toString(), u"completed"_s);
        QVERIFY(!detail()->isDirty());
        QCOMPARE(detail()->message(), u"Saved."_s);
    }

    void discardAfterARefusedSaveReadsTheDatabase()
    {
        QVERIFY(openWindow({1180, 760}));
        QVERIFY(filterByStatus(u"scheduled"_s));
        const QString id = selectRow(0);
        QVERIFY(!id.isEmpty());
        QVERIFY(enterEditMode());
        typeResult(u"mine"_s);

        // Behind the pane's back: another writer moves the row out of the filter.
        q(db, u"UPDATE schedules SET status = 'cancelled', result = 'theirs' WHERE schedule_id = "_s + id);
        const ScheduleSaveOutcome outcome = save();
        QCOMPARE(outcome.kind, ScheduleSaveOutcome::Conflict);
        QCOMPARE(q(db, u"SELECT result FROM schedules WHERE schedule_id = "_s + id), u"theirs"_s);
        auto *result = find<QPlainTextEdit>(u"editResult"_s);
        QCOMPARE(result->toPlainText(), u"mine"_s); // the edits are kept until discarded
        QVERIFY(detail()->isDirty());

        // And once more after the refusal: Discard must read the row, not reuse what it had.
        q(db, u"UPDATE schedules SET result = 'theirs, later', follow_up = 'call back' WHERE schedule_id = "_s + id);
        const QString stored = q(db, u"SELECT updated_at::text FROM schedules WHERE schedule_id = "_s + id);
        QTest::mouseClick(find<QPushButton>(u"discardEdit"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(result->toPlainText(), u"theirs, later"_s, 20000);
        QCOMPARE(find<QPlainTextEdit>(u"editFollowUp"_s)->toPlainText(), u"call back"_s);
        QCOMPARE(find<QComboBox>(u"editStatus"_s)->currentData().toString(), u"cancelled"_s);
        QVERIFY(detail()->fieldText(u"subheading"_s).contains(EnumLabels::status(u"cancelled"_s)));
        QCOMPARE(detail()->fieldText(u"updated_at"_s), updatedText(stored));
        QVERIFY(!detail()->isDirty());

        // The stored updated_at is the base of the next save: it goes through.
        typeResult(u"agreed"_s);
        const ScheduleSaveOutcome again = save();
        QVERIFY2(again.ok(), qPrintable(again.message));
        QCOMPARE(q(db, u"SELECT result || '|' || status FROM schedules WHERE schedule_id = "_s + id), u"agreed|cancelled"_s);
    }

    void multiLineFieldsHaveRoomInEditMode_data() { footerStaysInSightAfterARefusedSave_data(); }

    void multiLineFieldsHaveRoomInEditMode()
    {
        QFETCH(QString, language);
        QFETCH(QSize, size);
        Translator::install(language);
        QVERIFY(openWindow(size));
        const QString id = selectRow(1);
        QVERIFY(!id.isEmpty());
        QVERIFY(enterEditMode());
        QTRY_VERIFY(find<QPlainTextEdit>(u"editResult"_s)->isVisible());
        for (const QString &name : {u"detail_description"_s, u"detail_reminder"_s, u"editResult"_s, u"editFollowUp"_s}) {
            auto *field = find<QWidget>(name);
            QVERIFY2(field && field->isVisible(), qPrintable(name));
            const int lines3 = 3 * field->fontMetrics().lineSpacing();
            QVERIFY2(field->height() >= lines3,
                     qPrintable(u"%1: %2 px, less than three lines (%3 px)"_s.arg(name).arg(field->height()).arg(lines3)));
        }
        // And the form gives them that room: no field runs into the next row.
        QString overlap;
        QTRY_VERIFY2(!overlapping(&overlap), qPrintable(overlap));
        screenshot(u"schedules-editing-%1-%2x%3"_s.arg(language).arg(size.width()).arg(size.height()));
    }

    void paneShowsTheClientsName()
    {
        QVERIFY(openWindow({1180, 760}));
        const QString id = selectRow(0);
        QVERIFY(!id.isEmpty());
        q(db, u"UPDATE schedules SET client_name = '한빛상사 Ltd.', client_contact = '010-1234-5678' WHERE schedule_id = "_s + id);
        QVERIFY(enterEditMode());
        // Discard reads the row again; the pane shows the new client's name beside the contact.
        typeResult(u"x"_s);
        QTest::mouseClick(find<QPushButton>(u"discardEdit"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(detail()->fieldText(u"client_name"_s), u"한빛상사 Ltd."_s, 20000);
        QCOMPARE(detail()->fieldText(u"client_contact"_s), u"010-1234-5678"_s);
        QVERIFY(find<QLabel>(u"detail_client_name"_s)->isVisible());
    }

    void messagesNameTheScheduleByTitleAndDate()
    {
        QVERIFY(openWindow({1180, 760}));
        const QString id = selectRow(3);
        QVERIFY(!id.isEmpty());
        const QString title = q(db, u"SELECT title FROM schedules WHERE schedule_id = "_s + id);
        const QString date = DateTimeFormat::date(
            QDate::fromString(q(db, u"SELECT schedule_date::text FROM schedules WHERE schedule_id = "_s + id), Qt::ISODate));
        const QString name = u"\u201c"_s + title + u"\u201d ("_s + date + u")"_s;
        QCOMPARE(detail()->scheduleName(), name);
        QCOMPARE(ScheduleName::of(id, title, u"2026-12-05"_s).contains(title), true);
        QCOMPARE(ScheduleName::of(id, {}, {}), u"Schedule "_s + id);

        // The editor's refusal.
        QVERIFY(enterEditMode());
        typeResult(u"mine"_s);
        q(db, u"UPDATE schedules SET result = 'theirs' WHERE schedule_id = "_s + id);
        QCOMPARE(save().kind, ScheduleSaveOutcome::Conflict);
        QVERIFY2(detail()->message().startsWith(name), qPrintable(detail()->message()));
        QVERIFY2(!detail()->message().contains(u"Schedule "_s + id), qPrintable(detail()->message()));

        // The view's question before edits are thrown away.
        QString question;
        answerNextMessageBox(QMessageBox::Cancel, &question);
        QTest::mouseClick(view()->editButton(), Qt::LeftButton);
        QTRY_VERIFY(!question.isEmpty());
        QVERIFY(view()->isEditing());
        QVERIFY2(question.startsWith(name), qPrintable(question));
        QVERIFY2(!question.contains(u"Schedule "_s + id), qPrintable(question));

        // A schedule that vanished meanwhile.
        q(db, u"DELETE FROM schedules WHERE schedule_id = "_s + id);
        const ScheduleSaveOutcome gone = save();
        QCOMPARE(gone.kind, ScheduleSaveOutcome::Missing);
        QVERIFY2(gone.message.startsWith(name), qPrintable(gone.message));
    }
};

QTEST_MAIN(TestScheduleEdit)
#include "tst_scheduleedit.moc"
