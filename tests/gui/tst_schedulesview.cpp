// The managers' Schedules view on the offscreen platform against the fixture's real PostgreSQL,
// filled by the demo-data generator: filters, the detail pane, enum labels, edit mode and conflicts.
#include "browse/lazytablemodel.h"
#include "clirunner.h"
#include "data/datagrid.h"
#include "db/pgconnection.h"
#include "dbtest.h"
#include "scheduling/demodata.h"
#include "scheduling/enumlabels.h"
#include "pgfixture.h"
#include "scheduling/scheduledelegate.h"
#include "scheduling/scheduledetailpane.h"
#include "scheduling/schedulefilterpanel.h"
#include "scheduling/schedulegridmodel.h"
#include "scheduling/schedulesview.h"
#include "session/appservices.h"
#include "timezonechoice.h"
#include "data/datetimecolumns.h"
#include "i18n/datetimeformat.h"
#include "i18n/translator.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QDateEdit>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QStandardPaths>
#include <QTimeZone>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {

const QString db = u"md_schedules_view"_s;

// Answers the next modal message box with `button` once it shows.
void answerNextMessageBox(QMessageBox::StandardButton button, QString *text = nullptr)
{
    QTimer::singleShot(0, [button, text] {
        QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()));
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (text)
            *text = box->text();
        QTest::mouseClick(box->button(button), Qt::LeftButton);
    });
}

} // namespace

class TestSchedulesView : public QObject
{
    Q_OBJECT

private:
    AppServices m_services; // the composition root: first in, last out
    std::unique_ptr<SchedulesView> m_view;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    ScheduleGridModel *model() const { return m_view->model(); }
    int column(const QString &name) const { return model()->tableInfo().columnIndex(name); }
    template<typename T>
    T *find(const QString &name) const { return m_view->findChild<T *>(name); }

    // Waits for the grid's exact count and returns it.
    int exactCount()
    {
        if (!QTest::qWaitFor([&] { return model() && model()->isCountExact() && !model()->isFetching(); }, 20000))
            return -1;
        return model()->rowCount();
    }
    int serverCount(const QString &where)
    {
        return q(db, u"SELECT count(*) FROM schedules s JOIN employees e USING (employee_id) "
                     "WHERE NOT s.is_deleted AND "_s + where).toInt();
    }
    // Scrolls to `row` as a user would (the grid opens on today, so rows above are read on the way
    // there) and waits for it.
    bool rowLoaded(int row)
    {
        return QTest::qWaitFor([&] {
            if (row >= model()->rowCount())
                return false;
            if (!model()->isRowLoaded(row))
                m_view->grid()->scrollTo(model()->index(row, column(u"title"_s)));
            return model()->isRowLoaded(row);
        }, 20000);
    }
    void clickRow(int row)
    {
        m_view->grid()->scrollTo(model()->index(row, column(u"title"_s)));
        const QRect rect = m_view->grid()->visualRect(model()->index(row, column(u"title"_s)));
        QTest::mouseClick(m_view->grid()->viewport(), Qt::LeftButton, {}, rect.center());
    }
    // Chooses an item of a combo with the keyboard, as a person would.
    void chooseData(QComboBox *combo, const QVariant &data)
    {
        const int target = combo->findData(data);
        QVERIFY(target >= 0);
        combo->setFocus();
        while (combo->currentIndex() < target)
            QTest::keyClick(combo, Qt::Key_Down);
        while (combo->currentIndex() > target)
            QTest::keyClick(combo, Qt::Key_Up);
        QCOMPARE(combo->currentIndex(), target);
    }
    // Opens the view on a database and waits for its first rows.
    bool openOn(const ConnectionSettings &settings)
    {
        m_view->setConnection(settings);
        if (!QTest::qWaitFor([&] { return model() && model()->tableInfo().isValid(); }, 30000))
            return false;
        m_tester = std::make_unique<QAbstractItemModelTester>(model());
        // The grid opens on today's rows, the first rows it reads.
        return QTest::qWaitFor([&] {
            const int top = m_view->grid()->rowAt(0);
            return top >= 0 && model()->isRowLoaded(top);
        }, 20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString setUp = freshDbAtHead(db);
        QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
        PgConnection connection;
        QString error;
        QVERIFY2(connection.open(settings(db), &error), qPrintable(error));
        DemoDataOptions options;
        options.employees = 120;
        options.schedules = 3000;
        options.seed = 11;
        QVERIFY2(DemoDataGenerator::generate(connection, options, {}, nullptr, &error), qPrintable(error));
    }

    void init()
    {
        m_view = std::make_unique<SchedulesView>(m_services);
        m_view->resize(1400, 800);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }

    void cleanup()
    {
        m_tester.reset();
        m_view.reset();
    }

    void notConnectedSaysSo()
    {
        QVERIFY(m_view->message().contains(u"Connect to a database"_s));
        QVERIFY(!m_view->editButton()->isEnabled());
    }

    void opensOnTodayInStartTimeOrder()
    {
        // The first visible rows are today's (or the next day with schedules), not the oldest; the
        // days before are a scroll away. Within a day, start time orders the rows for everybody.
        QVERIFY(openOn(settings(db)));
        const QString today = QDate::currentDate().toString(Qt::ISODate);
        const QString first = q(db, u"SELECT min(schedule_date)::text FROM schedules WHERE NOT is_deleted "
                                     "AND schedule_date >= '%1'"_s.arg(today));
        QVERIFY2(!first.isEmpty(), "the demo data has schedules from today on");
        QVERIFY2(q(db, u"SELECT count(*) FROM schedules WHERE NOT is_deleted AND schedule_date < '%1'"_s.arg(today))
                     .toInt() > 0, "and before today");
        DataGrid *grid = m_view->grid();
        const int dateColumn = column(u"schedule_date"_s);
        const auto topRow = [&] { return grid->rowAt(0); };
        QVERIFY(QTest::qWaitFor([&] {
            const int row = topRow();
            return row > 0 && model()->isRowLoaded(row) && model()->value(row, u"schedule_date"_s) == first;
        }, 20000));
        const int top = topRow();
        QVERIFY(grid->viewport()->rect().contains(grid->visualRect(model()->index(top, dateColumn)).topLeft()));
        // The row before the first of that day is an earlier day, read by scrolling up.
        grid->scrollTo(model()->index(top - 1, dateColumn));
        QVERIFY(rowLoaded(top - 1));
        QVERIFY2(model()->value(top - 1, u"schedule_date"_s) < first, qPrintable(model()->value(top - 1, u"schedule_date"_s)));

        // Start-time order within a day, the NULLs last, with no filter: exactly the server's order.
        QVERIFY(rowLoaded(top + 40));
        const QStringList expected = q(db, u"SELECT schedule_id FROM schedules WHERE NOT is_deleted AND schedule_date >= '%1' "
                                           "ORDER BY schedule_date, start_time, schedule_id LIMIT 40"_s.arg(first))
                                         .split(u'\n');
        QStringList shown;
        for (int row = top; row < top + 40; ++row)
            shown << model()->value(row, u"schedule_id"_s);
        QCOMPARE(shown, expected);
        for (int row = top; row < top + 39; ++row) {
            const QString a = model()->value(row, u"start_time"_s), b = model()->value(row + 1, u"start_time"_s);
            if (model()->value(row, u"schedule_date"_s) == model()->value(row + 1, u"schedule_date"_s))
                QVERIFY2(b.isNull() || (!a.isNull() && a <= b), qPrintable(a + u" > "_s + b));
        }
        // The id order would not be the start-time order on this data (the test can fail).
        const bool idOrderDiffers = q(db, u"SELECT count(*) FROM (SELECT start_time, lag(start_time) OVER (ORDER BY schedule_id) p "
                                    "FROM schedules WHERE NOT is_deleted AND schedule_date = '%1') d WHERE start_time < p"_s
                                     .arg(first)).toInt() > 0;
        QVERIFY(idOrderDiffers);
    }

    void timeColumnsFitTheirContent_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << u"en"_s;
        QTest::newRow("ko") << u"ko"_s;
    }

    void timeColumnsFitTheirContent()
    {
        // Start and End ("11:58 PM", "오후 11:58") and the date are never cut off: each column is at least
        // as wide as the widest value the current locale writes, in the grid's font, plus padding.
        QFETCH(QString, language);
        Translator::install(language);
        auto restore = qScopeGuard([] { Translator::install(u"en"_s); });
        m_view = std::make_unique<SchedulesView>(m_services);
        m_view->resize(900, 700);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        QVERIFY(openOn(settings(db)));
        DataGrid *grid = m_view->grid();
        const QFontMetrics metrics = grid->fontMetrics();
        for (const QString &name : {u"schedule_date"_s, u"start_time"_s, u"end_time"_s}) {
            const int c = column(name);
            const auto kind = name == u"schedule_date"_s ? DateTimeColumns::Kind::Date : DateTimeColumns::Kind::Time;
            QCOMPARE(DateTimeColumns::kindOf(model()->tableInfo().columns.at(c)), kind);
            const QStringList samples = kind == DateTimeColumns::Kind::Date ? DateTimeFormat::dateSamples()
                                                                            : DateTimeFormat::timeSamples();
            int widest = 0;
            for (const QString &sample : samples)
                widest = qMax(widest, metrics.horizontalAdvance(sample));
            QVERIFY2(grid->columnWidth(c) >= widest + DateTimeColumns::padding,
                     qPrintable(u"%1: %2 < %3"_s.arg(name).arg(grid->columnWidth(c)).arg(widest + DateTimeColumns::padding)));
            // And every value the grid shows fits as well.
            for (int row = 0; row < 20 && model()->isRowLoaded(row); ++row) {
                const QString shown = m_view->delegate()->styleFor(model()->index(row, c)).text;
                QVERIFY2(metrics.horizontalAdvance(shown) + DateTimeColumns::padding <= grid->columnWidth(c), qPrintable(shown));
            }
        }
        // For a look at the result: MD_GRAB_DIR=/some/dir saves the view at 900 and 1400 px wide.
        if (const QString dir = qEnvironmentVariable("MD_GRAB_DIR"); !dir.isEmpty()) {
            QVERIFY(m_view->grab().save(dir + u"/schedules-%1-900.png"_s.arg(language)));
            m_view->resize(1400, 800);
            QTest::qWait(300);
            QVERIFY(m_view->grab().save(dir + u"/schedules-%1-1400.png"_s.arg(language)));
        }
        // The afternoon is written the locale's way (not cut to "오후 1…").
        const QString afternoon = DateTimeFormat::time(QTime(13, 5));
        QCOMPARE(afternoon, language == u"ko"_s ? u"오후 1:05"_s : u"1:05 PM"_s);
    }

    void filterPanelWrapsAt900_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<int>("width");
        QTest::newRow("en 900") << u"en"_s << 900;
        QTest::newRow("ko 900") << u"ko"_s << 900;
        QTest::newRow("ko 560") << u"ko"_s << 560;
    }

    void filterPanelWrapsAt900()
    {
        // "Department:" overlapped the employee box at 900 px: the filter groups now wrap onto more rows.
        QFETCH(QString, language);
        QFETCH(int, width);
        Translator::install(language);
        auto restore = qScopeGuard([] { Translator::install(u"en"_s); });
        ScheduleFilterPanel panel;
        panel.resize(width, panel.heightForWidth(width));
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.height() > panel.sizeHint().height()); // wrapped onto more than one row
        QList<QWidget *> controls;
        for (QWidget *w : panel.findChildren<QWidget *>()) {
            if (w->isVisible() && (qobject_cast<QLabel *>(w) || qobject_cast<QComboBox *>(w) || qobject_cast<QLineEdit *>(w)
                                   || qobject_cast<QPushButton *>(w) || qobject_cast<QDateEdit *>(w))
                && !qobject_cast<QLineEdit *>(w->parentWidget()) && !qobject_cast<QComboBox *>(w->parentWidget())
                && !qobject_cast<QDateEdit *>(w->parentWidget()))
                controls << w;
        }
        QVERIFY(controls.size() >= 15);
        const QRect inside = panel.rect();
        for (int i = 0; i < controls.size(); ++i) {
            const QRect a(controls.at(i)->mapTo(&panel, QPoint(0, 0)), controls.at(i)->size());
            QVERIFY2(inside.contains(a), qPrintable(controls.at(i)->objectName() + u" is cut off"_s));
            // Not squeezed below what it needs to show its text.
            QVERIFY2(a.width() >= controls.at(i)->minimumSizeHint().width(), qPrintable(controls.at(i)->objectName()));
            if (auto *label = qobject_cast<QLabel *>(controls.at(i)))
                QVERIFY2(a.width() >= label->fontMetrics().horizontalAdvance(label->text().remove(u'&')), qPrintable(label->text()));
            for (int j = i + 1; j < controls.size(); ++j) {
                const QRect b(controls.at(j)->mapTo(&panel, QPoint(0, 0)), controls.at(j)->size());
                QVERIFY2(!a.intersects(b), qPrintable(u"%1 overlaps %2"_s.arg(controls.at(i)->objectName(), controls.at(j)->objectName())));
            }
        }
    }

    void databaseAtBaseExplainsTheMissingTable()
    {
        const QString bare = freshDb(u"md_schedules_view_base"_s);
        m_view->setConnection(settings(bare));
        QTRY_VERIFY_WITH_TIMEOUT(m_view->message().contains(u"does not exist"_s), 20000);
        QVERIFY(m_view->message().contains(u"Upgrade the database to head"_s));
        QVERIFY(!m_view->model());
        QVERIFY(!m_view->editButton()->isEnabled());
    }

    void gridShowsLabelsColoursAndTheChosenColumns()
    {
        QVERIFY(openOn(settings(db)));
        QVERIFY(m_view->message().isEmpty());
        QCOMPARE(exactCount(), serverCount(u"true"_s));
        QVERIFY(find<QLabel>(u"readOnlyBadge"_s)->isVisible());
        QVERIFY(find<QLabel>(u"scheduleCount"_s)->text().contains(QLocale().toString(serverCount(u"true"_s))));

        DataGrid *grid = m_view->grid();
        QVERIFY(grid->isColumnHidden(column(u"description"_s)));
        QVERIFY(grid->isColumnHidden(column(u"schedule_id"_s)));
        QVERIFY(grid->isColumnHidden(column(u"updated_at"_s)));
        QVERIFY(!grid->isColumnHidden(column(u"employee_name"_s)));
        QVERIFY(!grid->isColumnHidden(column(u"priority"_s)));
        QCOMPARE(grid->horizontalHeader()->visualIndex(column(u"schedule_date"_s)), 0);
        QCOMPARE(grid->horizontalHeader()->visualIndex(column(u"employee_name"_s)), 3);
        QCOMPARE(model()->headerData(column(u"schedule_date"_s), Qt::Horizontal).toString(), u"Date"_s);
        QCOMPARE(model()->headerData(column(u"client_name"_s), Qt::Horizontal).toString(), u"Client"_s);

        // Sorted by date.
        QVERIFY(rowLoaded(20));
        QCOMPARE(model()->value(0, u"schedule_date"_s),
                 q(db, u"SELECT min(schedule_date)::text FROM schedules WHERE NOT is_deleted"_s));
        QVERIFY(model()->value(0, u"schedule_date"_s) <= model()->value(20, u"schedule_date"_s));
        QHeaderView *header = grid->horizontalHeader();
        QVERIFY(header->isSortIndicatorShown());
        QCOMPARE(header->sortIndicatorSection(), column(u"schedule_date"_s));
        QCOMPARE(header->sortIndicatorOrder(), Qt::AscendingOrder);
        // One click on the date header turns the default order around (it continues from it).
        const int dateX = header->sectionViewportPosition(column(u"schedule_date"_s)) + header->sectionSize(column(u"schedule_date"_s)) / 2;
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(dateX, header->height() / 2));
        QCOMPARE(model()->sortOrder(), Qt::DescendingOrder);
        QVERIFY(rowLoaded(0));
        QCOMPARE(model()->value(0, u"schedule_date"_s),
                 q(db, u"SELECT max(schedule_date)::text FROM schedules WHERE NOT is_deleted"_s));
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(dateX, header->height() / 2));
        QCOMPARE(model()->sortColumn(), -1);
        QVERIFY(!header->isSortIndicatorShown());
        grid->sortBy(column(u"schedule_date"_s), Qt::AscendingOrder);
        QVERIFY(rowLoaded(0));

        // Enum values read as labels; dates follow the locale; statuses colour their rows.
        // The grid's order: by date, then start time (NULLs last), then id.
        const QString visitId = q(db, u"SELECT schedule_id FROM schedules WHERE NOT is_deleted AND schedule_type = 'visit' "
                                      "AND status = 'completed' AND priority = 'high' "
                                      "ORDER BY schedule_date, start_time, schedule_id LIMIT 1"_s);
        QVERIFY(!visitId.isEmpty());
        const int visitRow = q(db, u"SELECT n FROM (SELECT schedule_id, row_number() OVER "
                                   "(ORDER BY schedule_date, start_time, schedule_id) - 1 AS n "
                                   "FROM schedules WHERE NOT is_deleted) o WHERE schedule_id = "_s + visitId).toInt();
        QVERIFY(rowLoaded(visitRow));
        QCOMPARE(model()->value(visitRow, u"schedule_id"_s), visitId);
        ScheduleDelegate *delegate = m_view->delegate();
        QCOMPARE(delegate->styleFor(model()->index(visitRow, column(u"schedule_type"_s))).text, u"Visit"_s);
        QCOMPARE(delegate->styleFor(model()->index(visitRow, column(u"status"_s))).text, u"Completed"_s);
        QCOMPARE(delegate->styleFor(model()->index(visitRow, column(u"priority"_s))).text, u"\u25B2 High"_s);
        const QStyleOptionViewItem title = delegate->styleFor(model()->index(visitRow, column(u"title"_s)));
        QCOMPARE(title.backgroundBrush.color(), ScheduleDelegate::statusBackground(u"completed"_s));
        const QDate date = QDate::fromString(model()->value(visitRow, u"schedule_date"_s), Qt::ISODate);
        QCOMPARE(delegate->styleFor(model()->index(visitRow, column(u"schedule_date"_s))).text, date.toString(Qt::ISODate));
        const QString scheduledRow = model()->value(0, u"status"_s);
        if (scheduledRow == u"scheduled"_s)
            QCOMPARE(delegate->styleFor(model()->index(0, column(u"title"_s))).backgroundBrush.style(), Qt::NoBrush);

        if (qEnvironmentVariableIsSet("MD_SCREENSHOT_DIR")) {
            clickRow(visitRow);
            QTRY_COMPARE(m_view->detailPane()->scheduleId(), visitId);
            m_view->grab().save(qEnvironmentVariable("MD_SCREENSHOT_DIR") + u"/schedules.png"_s);
        }
    }

    void filtersChangeTheRowCount()
    {
        QVERIFY(openOn(settings(db)));
        const int total = exactCount();
        QCOMPARE(total, serverCount(u"true"_s));

        chooseData(find<QComboBox>(u"statusFilter"_s), u"completed"_s);
        QTRY_COMPARE_WITH_TIMEOUT(exactCount(), serverCount(u"s.status = 'completed'"_s), 20000);
        QVERIFY(exactCount() < total);
        chooseData(find<QComboBox>(u"priorityFilter"_s), u"high"_s);
        QTRY_COMPARE_WITH_TIMEOUT(exactCount(), serverCount(u"s.status = 'completed' AND s.priority = 'high'"_s), 20000);
        QVERIFY(rowLoaded(0));
        QCOMPARE(model()->value(0, u"priority"_s), u"high"_s);

        QTest::mouseClick(find<QPushButton>(u"clearFilters"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(exactCount(), total, 20000);

        // This month, as the locale's calendar sees it.
        chooseData(find<QComboBox>(u"dateRangeFilter"_s), int(ScheduleFilterState::DateRange::ThisMonth));
        const QDate today = QDate::currentDate();
        const QDate first(today.year(), today.month(), 1);
        const QString month = u"s.schedule_date BETWEEN '%1' AND '%2'"_s.arg(first.toString(Qt::ISODate),
                                                                           first.addMonths(1).addDays(-1).toString(Qt::ISODate));
        QTRY_COMPARE_WITH_TIMEOUT(exactCount(), serverCount(month), 20000);
        QVERIFY(exactCount() > 0);
        QVERIFY(exactCount() < total);
        QVERIFY(!find<QWidget>(u"dateFromFilter"_s)->isEnabled());
        // The greyed-out dates show the month the preset covers, and Custom starts from them.
        QCOMPARE(find<QDateEdit>(u"dateFromFilter"_s)->date(), first);
        QCOMPARE(find<QDateEdit>(u"dateToFilter"_s)->date(), first.addMonths(1).addDays(-1));
        chooseData(find<QComboBox>(u"dateRangeFilter"_s), int(ScheduleFilterState::DateRange::Custom));
        QVERIFY(find<QWidget>(u"dateFromFilter"_s)->isEnabled());
        QCOMPARE(find<QDateEdit>(u"dateToFilter"_s)->date(), first.addMonths(1).addDays(-1));
        QTRY_COMPARE_WITH_TIMEOUT(exactCount(), serverCount(month), 20000);
        QTest::mouseClick(find<QPushButton>(u"clearFilters"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(exactCount(), total, 20000);

        // Text search over title and client, with a quote that must be taken literally.
        // QTest::keyClicks types ASCII only: the commonest English first word of a title.
        const QString word = q(db, u"SELECT split_part(title, ' ', 1) FROM schedules WHERE NOT is_deleted "
                                   "AND split_part(title, ' ', 1) ~ '^[A-Za-z]+$' "
                                   "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"_s);
        QVERIFY(!word.isEmpty());
        auto *search = find<QLineEdit>(u"searchFilter"_s);
        QTest::keyClicks(search, word);
        QTest::keyClick(search, Qt::Key_Return);
        const QString pattern = u"'%"_s + QString(word).replace(u"'"_s, u"''"_s) + u"%'"_s;
        QTRY_COMPARE_WITH_TIMEOUT(exactCount(), serverCount(u"(s.title ILIKE "_s + pattern + u" OR s.client_name ILIKE "_s + pattern + u")"_s), 20000);
        QVERIFY(exactCount() < total);
        search->clear();
        QTest::keyClicks(search, u"x' OR '1'='1"_s);
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(exactCount(), 0, 20000);
        QTest::mouseClick(find<QPushButton>(u"clearFilters"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(exactCount(), total, 20000);

        // The employee picker: part of a name, the server's suggestions, pick the first.
        const QString name = q(db, u"SELECT e.name FROM employees e WHERE NOT e.is_deleted AND e.name ~ '^[A-Za-z ]+$' AND EXISTS (SELECT 1 FROM schedules s "
                                   "WHERE s.employee_id = e.employee_id AND NOT s.is_deleted) ORDER BY e.employee_id LIMIT 1"_s);
        QVERIFY(!name.isEmpty());
        ScheduleFilterPanel *panel = m_view->filterPanel();
        QTest::keyClicks(panel->employeeEdit(), name.left(qMax(2, int(name.size()) - 1)));
        QAbstractItemView *popup = panel->employeeCompleter()->popup();
        QTRY_VERIFY_WITH_TIMEOUT(popup->isVisible() && popup->model()->rowCount() > 0
                                     && popup->model()->index(0, 0).flags().testFlag(Qt::ItemIsEnabled), 20000);
        QVERIFY(popup->model()->rowCount() <= EmployeeDirectory::searchLimit);
        QTest::keyClick(popup, Qt::Key_Down);
        QTest::keyClick(popup, Qt::Key_Return);
        QTRY_VERIFY(!panel->state().employeeId.isEmpty());
        const QString employeeId = panel->state().employeeId;
        QCOMPARE(panel->employeeEdit()->text(),
                 q(db, u"SELECT name FROM employees WHERE employee_id = %1"_s.arg(employeeId)));
        QTRY_COMPARE_WITH_TIMEOUT(exactCount(), serverCount(u"s.employee_id = "_s + employeeId), 20000);
        QVERIFY(exactCount() < total);
        QVERIFY(rowLoaded(0));
        QCOMPARE(model()->value(0, u"employee_id"_s), employeeId);

        // Department, from the list the directory read.
        auto *department = find<QComboBox>(u"departmentFilter"_s);
        QTest::mouseClick(find<QPushButton>(u"clearFilters"_s), Qt::LeftButton);
        QTRY_VERIFY(department->count() > 1);
        const QString chosen = department->itemData(1).toString();
        chooseData(department, chosen);
        QTRY_COMPARE_WITH_TIMEOUT(exactCount(), serverCount(u"e.department = '"_s + chosen + u"'"_s), 20000);
        QVERIFY(exactCount() < total);
    }

    void selectingARowFillsTheDetailPane()
    {
        QVERIFY(openOn(settings(db)));
        QVERIFY(rowLoaded(5));
        ScheduleDetailPane *detail = m_view->detailPane();
        QVERIFY(!detail->hasSchedule());
        clickRow(5);
        const QString id = model()->value(5, u"schedule_id"_s);
        QTRY_COMPARE(detail->scheduleId(), id);
        QCOMPARE(detail->fieldText(u"heading"_s), q(db, u"SELECT title FROM schedules WHERE schedule_id = "_s + id));
        const QString description = model()->value(5, u"description"_s);
        QCOMPARE(detail->fieldText(u"description"_s), description.isEmpty() ? u"(none)"_s : description);
        const QString purpose = model()->value(5, u"purpose"_s);
        QCOMPARE(detail->fieldText(u"purpose"_s), purpose.isEmpty() ? u"(none)"_s : purpose);
        QVERIFY(detail->fieldText(u"subheading"_s).contains(model()->value(5, u"employee_name"_s)));
        QVERIFY(detail->fieldText(u"subheading"_s).contains(EnumLabels::status(model()->value(5, u"status"_s))));
        // Stored in UTC, shown in local time to the second, without microseconds.
        const QString created = model()->value(5, u"created_at"_s);
        const QDateTime createdUtc(QDate::fromString(created.left(10), Qt::ISODate),
                                   QTime::fromString(created.mid(11, 8), u"HH:mm:ss"_s), QTimeZone::utc());
        QVERIFY2(createdUtc.isValid(), qPrintable(created));
        QCOMPARE(detail->fieldText(u"created_at"_s),
                 QLocale().toString(createdUtc.toLocalTime(), DateTimeFormat::timestampFormat()));
        QVERIFY(detail->fieldText(u"reminder"_s) == u"No"_s || detail->fieldText(u"reminder"_s).startsWith(u"Yes"_s));

        clickRow(6);
        QTRY_COMPARE(detail->scheduleId(), model()->value(6, u"schedule_id"_s));
    }

    void utcChoiceRefreshesTheDetailPane()
    {
        QStandardPaths::setTestModeEnabled(true); // the choice is saved in QSettings
        // Nine hours east of UTC, so local and UTC texts differ.
        const QByteArray oldTz = qgetenv("TZ");
        qputenv("TZ", "Asia/Seoul");
        auto restoreTz = qScopeGuard([oldTz] {
            oldTz.isNull() ? qunsetenv("TZ") : qputenv("TZ", oldTz);
            DateTimeFormat::setZone(DateTimeFormat::Zone::Local);
            QSettings().remove(DateTimeFormat::settingsKey());
        });
        QMainWindow host;
        host.setCentralWidget(m_view.get());
        auto release = qScopeGuard([this] { m_view->setParent(nullptr); }); // m_view keeps its owner
        auto *choice = new TimeZoneChoice(&host);
        QVERIFY(!choice->action()->isChecked());
        host.show();
        QVERIFY(openOn(settings(db)));
        QVERIFY(rowLoaded(5));
        clickRow(5);
        ScheduleDetailPane *detail = m_view->detailPane();
        QTRY_COMPARE(detail->scheduleId(), model()->value(5, u"schedule_id"_s));
        const QString created = model()->value(5, u"created_at"_s);
        const QDateTime createdUtc(QDate::fromString(created.left(10), Qt::ISODate),
                                   QTime::fromString(created.mid(11, 8), u"HH:mm:ss"_s), QTimeZone::utc());
        const QString local = QLocale().toString(createdUtc.toLocalTime(), DateTimeFormat::timestampFormat());
        const QString utc = QLocale().toString(createdUtc, DateTimeFormat::timestampFormat());
        QVERIFY2(local != utc, qPrintable(local));
        QCOMPARE(detail->fieldText(u"created_at"_s), local);
        // The menu's choice: the pane follows at once, without another click on the row.
        choice->action()->trigger();
        QCOMPARE(detail->fieldText(u"created_at"_s), utc);
        QVERIFY(choice->field()->text().contains(u"UTC"_s));
        choice->action()->trigger();
        QCOMPARE(detail->fieldText(u"created_at"_s), local);
    }

    void editModeSavesAndTheGridShowsIt()
    {
        QVERIFY(openOn(settings(db)));
        QTRY_VERIFY_WITH_TIMEOUT(m_view->editButton()->isEnabled(), 20000);
        QVERIFY(rowLoaded(3));
        clickRow(3);
        const QString id = model()->value(3, u"schedule_id"_s);
        ScheduleDetailPane *detail = m_view->detailPane();
        QTRY_COMPARE(detail->scheduleId(), id);
        const QString before = q(db, u"SELECT updated_at::text FROM schedules WHERE schedule_id = "_s + id);

        auto *status = find<QComboBox>(u"editStatus"_s);
        QVERIFY(!status->isVisible());
        QTest::mouseClick(m_view->editButton(), Qt::LeftButton);
        QVERIFY(m_view->isEditing());
        QVERIFY(status->isVisible());
        QVERIFY(!find<QLabel>(u"readOnlyBadge"_s)->isVisible());

        const QString newStatus = model()->value(3, u"status"_s) == u"cancelled"_s ? u"completed"_s : u"cancelled"_s;
        chooseData(status, newStatus);
        auto *result = find<QPlainTextEdit>(u"editResult"_s);
        result->selectAll();
        QTest::keyClicks(result, u"Signed: 'quote' \\ ; --"_s);
        auto *followUp = find<QPlainTextEdit>(u"editFollowUp"_s);
        followUp->selectAll();
        QTest::keyClicks(followUp, u"Visit "_s);
        followUp->insertPlainText(u"다음 주 방문"_s); // what an input method delivers
        QVERIFY(detail->isDirty());
        auto *save = find<QPushButton>(u"saveEdit"_s);
        QVERIFY(save->isEnabled());

        QSignalSpy saved(m_view.get(), &SchedulesView::saveFinished);
        QTest::mouseClick(save, Qt::LeftButton);
        QVERIFY(saved.wait(20000));
        const auto outcome = saved.first().at(0).value<ScheduleSaveOutcome>();
        QVERIFY2(outcome.ok(), qPrintable(outcome.message));
        QCOMPARE(detail->message(), u"Saved."_s);
        QVERIFY(!detail->isDirty());
        QCOMPARE(q(db, u"SELECT status || '|' || result || '|' || follow_up FROM schedules WHERE schedule_id = "_s + id),
                 newStatus + u"|Signed: 'quote' \\ ; --|Visit 다음 주 방문"_s);
        QVERIFY(q(db, u"SELECT updated_at::text FROM schedules WHERE schedule_id = "_s + id) != before);

        // The grid read the row again and the same schedule stays selected.
        QTRY_VERIFY_WITH_TIMEOUT(model()->isRowLoaded(3) && model()->value(3, u"status"_s) == newStatus, 20000);
        QTRY_COMPARE(m_view->grid()->currentIndex().row(), 3);
        QCOMPARE(detail->scheduleId(), id);
        QCOMPARE(model()->value(3, u"updated_at"_s), outcome.newUpdatedAt);

        // A second save from the refreshed row works: the new updated_at was carried over.
        followUp->selectAll();
        QTest::keyClicks(followUp, u"again"_s);
        QTest::mouseClick(save, Qt::LeftButton);
        QVERIFY(saved.wait(20000));
        QVERIFY2(saved.last().at(0).value<ScheduleSaveOutcome>().ok(), qPrintable(detail->message()));
        QCOMPARE(q(db, u"SELECT follow_up FROM schedules WHERE schedule_id = "_s + id), u"again"_s);

        QTest::mouseClick(m_view->editButton(), Qt::LeftButton);
        QVERIFY(!m_view->isEditing());
        QVERIFY(find<QLabel>(u"readOnlyBadge"_s)->isVisible());
    }

    void conflictingSaveShowsTheMessageAndKeepsTheirData()
    {
        QVERIFY(openOn(settings(db)));
        QTRY_VERIFY_WITH_TIMEOUT(m_view->editButton()->isEnabled(), 20000);
        QVERIFY(rowLoaded(8));
        clickRow(8);
        const QString id = model()->value(8, u"schedule_id"_s);
        ScheduleDetailPane *detail = m_view->detailPane();
        QTRY_COMPARE(detail->scheduleId(), id);
        QTest::mouseClick(m_view->editButton(), Qt::LeftButton);
        auto *result = find<QPlainTextEdit>(u"editResult"_s);
        result->selectAll();
        QTest::keyClicks(result, u"mine"_s);

        // Someone else saves the same schedule first.
        q(db, u"UPDATE schedules SET result = 'theirs' WHERE schedule_id = "_s + id);
        const QString theirs = q(db, u"SELECT updated_at::text FROM schedules WHERE schedule_id = "_s + id);

        QSignalSpy saved(m_view.get(), &SchedulesView::saveFinished);
        QTest::mouseClick(find<QPushButton>(u"saveEdit"_s), Qt::LeftButton);
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.first().at(0).value<ScheduleSaveOutcome>().kind, ScheduleSaveOutcome::Conflict);
        QVERIFY2(detail->message().contains(u"changed by someone else"_s), qPrintable(detail->message()));
        QVERIFY(find<QLabel>(u"editMessage"_s)->isVisible());
        QCOMPARE(q(db, u"SELECT result FROM schedules WHERE schedule_id = "_s + id), u"theirs"_s);
        QCOMPARE(q(db, u"SELECT updated_at::text FROM schedules WHERE schedule_id = "_s + id), theirs);
        // The edits are still there after the grid re-read the row.
        QTRY_VERIFY_WITH_TIMEOUT(model()->isRowLoaded(8) && model()->value(8, u"result"_s) == u"theirs"_s, 20000);
        QCOMPARE(result->toPlainText(), u"mine"_s);
        QVERIFY(detail->isDirty());
        if (qEnvironmentVariableIsSet("MD_SCREENSHOT_DIR"))
            m_view->grab().save(qEnvironmentVariable("MD_SCREENSHOT_DIR") + u"/schedules-conflict.png"_s);

        // Saving again is still refused: nothing is overwritten until the edits are discarded.
        QTest::mouseClick(find<QPushButton>(u"saveEdit"_s), Qt::LeftButton);
        QVERIFY(saved.wait(20000));
        QCOMPARE(saved.last().at(0).value<ScheduleSaveOutcome>().kind, ScheduleSaveOutcome::Conflict);
        QCOMPARE(q(db, u"SELECT result FROM schedules WHERE schedule_id = "_s + id), u"theirs"_s);

        // Discard shows what is stored now.
        QTRY_COMPARE(m_view->grid()->currentIndex().row(), 8);
        QTest::mouseClick(find<QPushButton>(u"discardEdit"_s), Qt::LeftButton);
        QCOMPARE(result->toPlainText(), u"theirs"_s);
        QVERIFY(!detail->isDirty());
    }

    void leavingEditModeWithChangesAsks()
    {
        QVERIFY(openOn(settings(db)));
        QTRY_VERIFY_WITH_TIMEOUT(m_view->editButton()->isEnabled(), 20000);
        QVERIFY(rowLoaded(2));
        clickRow(2);
        QTRY_VERIFY(m_view->detailPane()->hasSchedule());
        QTest::mouseClick(m_view->editButton(), Qt::LeftButton);
        auto *followUp = find<QPlainTextEdit>(u"editFollowUp"_s);
        QTest::keyClicks(followUp, u"unsaved"_s);
        QVERIFY(m_view->detailPane()->isDirty());

        QString question;
        answerNextMessageBox(QMessageBox::Cancel, &question);
        QTest::mouseClick(m_view->editButton(), Qt::LeftButton);
        QVERIFY(question.contains(u"unsaved changes"_s));
        QVERIFY(m_view->isEditing());
        QVERIFY(m_view->editButton()->isChecked());
        // keyClicks types at the cursor, which setPlainText leaves at the start.
        QVERIFY2(followUp->toPlainText().startsWith(u"unsaved"_s), qPrintable(followUp->toPlainText()));

        // Moving to another row asks too; Cancel stays on the edited one.
        answerNextMessageBox(QMessageBox::Cancel);
        clickRow(4);
        QTRY_COMPARE(m_view->grid()->currentIndex().row(), 2);
        QCOMPARE(m_view->detailPane()->scheduleId(), model()->value(2, u"schedule_id"_s));

        answerNextMessageBox(QMessageBox::Discard);
        QTest::mouseClick(m_view->editButton(), Qt::LeftButton);
        QVERIFY(!m_view->isEditing());
        QVERIFY(!m_view->editButton()->isChecked());
        QVERIFY(!m_view->detailPane()->isDirty());
        QVERIFY(!q(db, u"SELECT coalesce(follow_up, '') FROM schedules WHERE schedule_id = "_s
                       + model()->value(2, u"schedule_id"_s)).contains(u"unsaved"_s));
    }

    void roleWithoutUpdateCannotEdit()
    {
        QString error;
        QVERIFY2(PgFixture::shared().createRole(u"md_sched_viewer"_s, u"viewer pw"_s, false, &error), qPrintable(error));
        q(db, u"GRANT SELECT ON schedules, employees TO md_sched_viewer"_s);
        ConnectionSettings viewer = settings(db);
        viewer.user = u"md_sched_viewer"_s;
        viewer.password = u"viewer pw"_s;
        QVERIFY(openOn(viewer));
        // Wait for the editing connection's answer, then the reason is the privilege.
        QTRY_VERIFY_WITH_TIMEOUT(m_view->editButton()->toolTip().contains(u"lacks UPDATE"_s), 20000);
        QVERIFY(!m_view->editButton()->isEnabled());
        QTest::mouseClick(m_view->editButton(), Qt::LeftButton);
        QVERIFY(!m_view->isEditing());
        QVERIFY(!m_view->setEditing(true));
        QVERIFY(exactCount() > 0);
    }

    void disconnectDropsTheGrid()
    {
        QVERIFY(openOn(settings(db)));
        m_tester.reset();
        m_view->clearConnection();
        QVERIFY(!m_view->model());
        QVERIFY(m_view->message().contains(u"Connect to a database"_s));
        QVERIFY(!m_view->editButton()->isEnabled());
    }
};

QTEST_MAIN(TestSchedulesView)
#include "tst_schedulesview.moc"
