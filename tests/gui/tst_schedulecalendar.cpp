// The Schedules view's calendar and the grid's defaults on the offscreen platform against the fixture's
// real PostgreSQL: week and month pages, today, navigation by buttons and keys, selection into the detail
// pane, PDF export, counts for everybody, multi-value filters and the empty-result note. It also grabs
// the calendar to PNG files in English and Korean for review.
#include "clirunner.h"
#include "data/datagrid.h"
#include "db/pgconnection.h"
#include "dbtest.h"
#include "i18n/datetimeformat.h"
#include "i18n/translator.h"
#include "pgfixture.h"
#include "scheduling/calendarpageview.h"
#include "scheduling/calendarpane.h"
#include "scheduling/demodata.h"
#include "scheduling/enumfiltercombo.h"
#include "scheduling/scheduledetailpane.h"
#include "scheduling/schedulefilterpanel.h"
#include "scheduling/schedulegridmodel.h"
#include "scheduling/schedulesview.h"
#include "session/appservices.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {

const QString db = u"md_schedule_calendar"_s;
constexpr int kBulk = 450; // more than the calendar draws one by one (400)

} // namespace

class TestScheduleCalendar : public QObject
{
    Q_OBJECT

private:
    AppServices m_services; // the composition root: first in, last out
    std::unique_ptr<SchedulesView> m_view;
    QString m_teamId;       // an employee with three known schedules today
    QString m_teamName;
    QString m_idA, m_idB, m_idC;
    QDate m_today;

    CalendarPane *calendar() const { return m_view->calendar(); }
    CalendarPageView *page() const { return calendar()->pageView(); }
    ScheduleGridModel *model() const { return m_view->model(); }
    template<typename T>
    T *find(const QString &name) const { return m_view->findChild<T *>(name); }

    bool openOn(const ConnectionSettings &settings)
    {
        m_view->setConnection(settings);
        return QTest::qWaitFor([&] { return model() && model()->tableInfo().isValid() && m_view->message().isEmpty(); },
                               30000);
    }
    // Waits until the calendar shows an answer for its visible range, painted (clicks land on what was drawn).
    bool calendarLoaded()
    {
        const bool loaded = QTest::qWaitFor([&] {
            const auto range = calendar()->visibleRange();
            return !page()->page().loading && page()->result().from == range.first && page()->result().to == range.second;
        }, 20000);
        page()->repaint();
        return loaded;
    }
    int exactCount()
    {
        if (!QTest::qWaitFor([&] { return model() && model()->isCountExact() && !model()->isFetching(); }, 20000))
            return -1;
        return model()->rowCount();
    }
    void clickAt(QWidget *widget, const QPointF &point, bool twice = false)
    {
        if (twice)
            QTest::mouseDClick(widget, Qt::LeftButton, {}, point.toPoint());
        else
            QTest::mouseClick(widget, Qt::LeftButton, {}, point.toPoint());
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
        options.employees = 60;
        options.schedules = 1500;
        options.seed = 5;
        options.today = QDate::currentDate();
        QVERIFY2(DemoDataGenerator::generate(connection, options, {}, nullptr, &error), qPrintable(error));

        m_today = QDate::currentDate();
        const QString today = m_today.toString(Qt::ISODate);
        m_teamId = q(db, u"SELECT min(employee_id)::text FROM employees WHERE NOT is_deleted"_s);
        m_teamName = q(db, u"SELECT name FROM employees WHERE employee_id = "_s + m_teamId);
        // Only the known three for this employee today: A and B overlap, C has no time.
        q(db, u"UPDATE schedules SET schedule_date = schedule_date + 400 WHERE employee_id = %1 AND schedule_date = '%2'"_s
                  .arg(m_teamId, today));
        auto insert = [&](const QString &values) {
            return q(db, u"INSERT INTO schedules (employee_id, schedule_type, title, schedule_date, start_time, end_time,"
                         " status, priority) VALUES ("_s + values + u") RETURNING schedule_id::text"_s);
        };
        // Inserted backwards, so their ids run against their start times: an order by id would show C, B, A.
        m_idC = insert(u"%1, 'report', 'Cal C weekly report', '%2', NULL, NULL, 'in_progress', 'low'"_s.arg(m_teamId, today));
        m_idB = insert(u"%1, 'visit', 'Cal B client visit', '%2', '09:30', '11:00', 'scheduled', 'medium'"_s.arg(m_teamId, today));
        m_idA = insert(u"%1, 'meeting', 'Cal A standup', '%2', '09:00', '10:00', 'completed', 'high'"_s.arg(m_teamId, today));
        // Another employee is very busy today: everybody's week is too many boxes to draw.
        const QString busy = q(db, u"SELECT max(employee_id)::text FROM employees WHERE NOT is_deleted"_s);
        q(db, u"INSERT INTO schedules (employee_id, schedule_type, title, schedule_date, start_time, end_time, status, priority)"
              " SELECT %1, 'other', 'Bulk ' || g, '%2', '08:00', '08:30', 'scheduled', 'low' FROM generate_series(1, %3) g"_s
                  .arg(busy, today).arg(kBulk));
        q(db, u"ANALYZE schedules"_s);
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
        m_view.reset();
    }

    void weekOpensOnTodayWithBlocksSideBySide()
    {
        QVERIFY(openOn(settings(db)));
        m_view->filterPanel()->selectEmployee(m_teamId, m_teamName);
        QTest::mouseClick(find<QToolButton>(u"weekMode"_s), Qt::LeftButton);
        QCOMPARE(m_view->mode(), SchedulesView::Mode::Week);
        QVERIFY(calendar()->isVisible());
        QVERIFY(!m_view->grid()->isVisible());
        QVERIFY(calendarLoaded());

        // Today's week, as the title says.
        const auto [from, to] = calendar()->visibleRange();
        QVERIFY(from <= m_today && m_today <= to);
        QCOMPARE(from.daysTo(to), 6);
        QVERIFY(calendar()->title().contains(DateTimeFormat::date(from)));

        // Exactly this employee's week, read by the server.
        const CalendarResult &result = page()->result();
        QVERIFY(!result.countsOnly);
        QCOMPARE(result.total, q(db, u"SELECT count(*) FROM schedules WHERE NOT is_deleted AND employee_id = %1"
                                     " AND schedule_date BETWEEN '%2' AND '%3'"_s
                                         .arg(m_teamId, from.toString(Qt::ISODate), to.toString(Qt::ISODate))).toLongLong());
        for (const CalendarItem &item : result.items)
            QCOMPARE(item.values.value(u"employee_id"_s), m_teamId);

        // A and B overlap: side by side, A starting higher. C has no time: in the band above both.
        const QRectF a = page()->itemRect(m_idA);
        const QRectF b = page()->itemRect(m_idB);
        const QRectF c = page()->itemRect(m_idC);
        QVERIFY(!a.isNull() && !b.isNull() && !c.isNull());
        QVERIFY2(a.right() <= b.left(), "overlapping blocks share the day's width");
        QVERIFY(a.top() < b.top());
        QVERIFY(b.height() > a.height()); // 90 minutes against 60
        QVERIFY(c.bottom() < a.top());
        QVERIFY(qAbs(a.center().x() - c.center().x()) < page()->width() / 7.0);
        QVERIFY(!calendar()->hint().isEmpty());
    }

    void navigationByButtonsAndKeys()
    {
        QVERIFY(openOn(settings(db)));
        m_view->setMode(SchedulesView::Mode::Week);
        QVERIFY(calendarLoaded());
        const auto start = calendar()->visibleRange();

        QTest::mouseClick(find<QToolButton>(u"calendarNext"_s), Qt::LeftButton);
        QCOMPARE(calendar()->visibleRange().first, start.first.addDays(7));
        QVERIFY(calendarLoaded());
        QTest::mouseClick(find<QToolButton>(u"calendarPrevious"_s), Qt::LeftButton);
        QTest::mouseClick(find<QToolButton>(u"calendarPrevious"_s), Qt::LeftButton);
        QCOMPARE(calendar()->visibleRange().first, start.first.addDays(-7));
        QTest::mouseClick(find<QToolButton>(u"calendarToday"_s), Qt::LeftButton);
        QCOMPARE(calendar()->visibleRange(), start);

        // The same with keys, focus on the page.
        page()->setFocus();
        QTest::keyClick(page(), Qt::Key_PageDown);
        QCOMPARE(calendar()->visibleRange().first, start.first.addDays(7));
        QTest::keyClick(page(), Qt::Key_PageDown);
        QCOMPARE(calendar()->visibleRange().first, start.first.addDays(14));
        QTest::keyClick(page(), Qt::Key_PageUp);
        QCOMPARE(calendar()->visibleRange().first, start.first.addDays(7));
        QTest::keyClick(page(), Qt::Key_Home);
        QCOMPARE(calendar()->visibleRange(), start);
        QTest::keyClick(page(), Qt::Key_M);
        QCOMPARE(calendar()->mode(), CalendarLayout::Mode::Month);
        QTest::keyClick(page(), Qt::Key_W);
        QCOMPARE(calendar()->mode(), CalendarLayout::Mode::Week);
        // Only the newest page's answer is shown.
        QVERIFY(calendarLoaded());
        QCOMPARE(page()->result().from, start.first);
    }

    void monthShowsTheWholeMonth()
    {
        QVERIFY(openOn(settings(db)));
        m_view->filterPanel()->selectEmployee(m_teamId, m_teamName);
        QTest::mouseClick(find<QToolButton>(u"monthMode"_s), Qt::LeftButton);
        QCOMPARE(calendar()->mode(), CalendarLayout::Mode::Month);
        QVERIFY(calendarLoaded());
        const auto [from, to] = calendar()->visibleRange();
        QVERIFY(from <= QDate(m_today.year(), m_today.month(), 1));
        QVERIFY(to >= QDate(m_today.year(), m_today.month(), m_today.daysInMonth()));
        QCOMPARE((from.daysTo(to) + 1) % 7, 0);
        QVERIFY(calendar()->title().contains(QLocale().monthName(m_today.month())));
        // Today's three appear in today's cell, C (untimed) first.
        const QRectF a = page()->itemRect(m_idA);
        const QRectF c = page()->itemRect(m_idC);
        QVERIFY(!a.isNull() && !c.isNull());
        QVERIFY(c.top() < a.top());
        QCOMPARE(c.left(), a.left());

        QTest::mouseClick(find<QToolButton>(u"calendarNext"_s), Qt::LeftButton);
        QCOMPARE(calendar()->anchor(), m_today.addMonths(1));
        QVERIFY(calendarLoaded());
        QVERIFY(page()->itemRect(m_idA).isNull());
    }

    void everybodyShowsCountsAndTheBusiestDay()
    {
        QVERIFY(openOn(settings(db)));
        m_view->setMode(SchedulesView::Mode::Week);
        QVERIFY(calendarLoaded());
        const CalendarResult &result = page()->result();
        QVERIFY(result.countsOnly);
        QVERIFY(result.items.isEmpty());
        QCOMPARE(page()->drawnItemCount(), 0);
        const auto [from, to] = calendar()->visibleRange();
        QCOMPARE(result.total, q(db, u"SELECT count(*) FROM schedules WHERE NOT is_deleted"
                                     " AND schedule_date BETWEEN '%1' AND '%2'"_s
                                         .arg(from.toString(Qt::ISODate), to.toString(Qt::ISODate))).toLongLong());
        QCOMPARE(result.dayCounts.value(m_today),
                 q(db, u"SELECT count(*) FROM schedules WHERE NOT is_deleted AND schedule_date = '%1'"_s
                           .arg(m_today.toString(Qt::ISODate))).toLongLong());
        QCOMPARE(result.busiestDay(), m_today);
        QVERIFY(calendar()->hint().contains(DateTimeFormat::date(m_today)));
    }

    void clickSelectsAndDoubleClickEditsInEditMode()
    {
        QVERIFY(openOn(settings(db)));
        m_view->filterPanel()->selectEmployee(m_teamId, m_teamName);
        m_view->setMode(SchedulesView::Mode::Week);
        QVERIFY(calendarLoaded());
        clickAt(page(), page()->itemRect(m_idB).center());
        QCOMPARE(m_view->detailPane()->scheduleId(), m_idB);
        QCOMPARE(m_view->detailPane()->fieldText(u"heading"_s), u"Cal B client visit"_s);
        QCOMPARE(page()->page().selectedId, m_idB);
        QVERIFY(!m_view->isEditing());

        // Double click outside Edit mode only selects.
        clickAt(page(), page()->itemRect(m_idA).center(), true);
        QCOMPARE(m_view->detailPane()->scheduleId(), m_idA);
        QVERIFY(!m_view->isEditing());

        QTRY_VERIFY_WITH_TIMEOUT(m_view->editButton()->isEnabled(), 20000);
        QVERIFY(m_view->setEditing(true));
        clickAt(page(), page()->itemRect(m_idC).center(), true);
        QCOMPARE(m_view->detailPane()->scheduleId(), m_idC);
        QVERIFY(m_view->detailPane()->isEditing());
        QVERIFY(m_view->detailPane()->isAncestorOf(QApplication::focusWidget()) || QApplication::focusWidget() == m_view->detailPane());
        QVERIFY(m_view->setEditing(false));
    }

    void exportsTheVisibleWeekToPdf()
    {
        QVERIFY(openOn(settings(db)));
        m_view->filterPanel()->selectEmployee(m_teamId, m_teamName);
        m_view->setMode(SchedulesView::Mode::Week);
        QVERIFY(calendarLoaded());
        QTemporaryDir dir;
        const QString path = dir.filePath(u"week.pdf"_s);
        QString error;
        QVERIFY2(calendar()->exportPdf(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray pdf = file.readAll();
        QVERIFY(pdf.startsWith("%PDF-"));
        QVERIFY(pdf.contains("/Type /Page\n") || pdf.contains("/Type /Page\r") || pdf.contains("/Type /Page "));
        QVERIFY(pdf.contains("/Count 1"));
        QVERIFY(pdf.size() > 2000);

        // An unwritable path says so and writes nothing.
        const QString bad = dir.filePath(u"missing/dir/week.pdf"_s);
        QVERIFY(!calendar()->exportPdf(bad, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!QFile::exists(bad));
    }

    void statusFilterTakesSeveralValues()
    {
        QVERIFY(openOn(settings(db)));
        EnumFilterCombo *status = m_view->filterPanel()->statusCombo();
        status->toggleValue(u"completed"_s);
        status->toggleValue(u"cancelled"_s);
        QCOMPARE(m_view->filterPanel()->state().statuses, (QStringList{u"completed"_s, u"cancelled"_s}));
        QVERIFY(status->summary().contains(u", "_s));
        QTRY_COMPARE_WITH_TIMEOUT(exactCount(), q(db, u"SELECT count(*) FROM schedules WHERE NOT is_deleted"
                                                      " AND status IN ('completed', 'cancelled')"_s).toInt(), 20000);
        m_view->filterPanel()->priorityCombo()->toggleValue(u"high"_s);
        m_view->filterPanel()->priorityCombo()->toggleValue(u"low"_s);
        QTRY_COMPARE_WITH_TIMEOUT(exactCount(), q(db, u"SELECT count(*) FROM schedules WHERE NOT is_deleted"
                                                      " AND status IN ('completed', 'cancelled') AND priority IN ('high', 'low')"_s).toInt(), 20000);
        // The calendar reads the same filters.
        m_view->filterPanel()->selectEmployee(m_teamId, m_teamName);
        m_view->setMode(SchedulesView::Mode::Week);
        QVERIFY(calendarLoaded());
        QVERIFY(!page()->itemRect(m_idA).isNull());    // completed, high
        QVERIFY(page()->itemRect(m_idB).isNull());     // scheduled
        QVERIFY(page()->itemRect(m_idC).isNull());     // in progress
        // Choosing one with the keyboard picks it alone.
        m_view->setMode(SchedulesView::Mode::Grid);
        status->setFocus();
        QTest::keyClick(status, Qt::Key_Down);
        QCOMPARE(m_view->filterPanel()->state().statuses, QStringList{status->itemData(1).toString()});
    }

    void emptyResultSaysSoWithClearFilters()
    {
        QVERIFY(openOn(settings(db)));
        QVERIFY(!m_view->emptyNote()->isVisible());
        auto *search = find<QLineEdit>(u"searchFilter"_s);
        search->setText(u"no such schedule anywhere"_s);
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(m_view->emptyNote()->isVisible(), 20000);
        QVERIFY(m_view->emptyNote()->text().contains(u"No schedules match"_s));
        QCOMPARE(exactCount(), 0);

        // A click on the link clears every filter and the rows come back.
        QLabel *note = m_view->emptyNote();
        const QFontMetrics metrics(note->font());
        const int full = metrics.horizontalAdvance(u"No schedules match these filters. Clear Filters"_s);
        const int link = metrics.horizontalAdvance(u"Clear Filters"_s);
        QTest::mouseClick(note, Qt::LeftButton, {}, QPoint(note->width() / 2 + full / 2 - link / 2, note->height() / 2));
        QVERIFY(search->text().isEmpty());
        QVERIFY(m_view->filterPanel()->state().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->emptyNote()->isVisible(), 20000);
        QCOMPARE(exactCount(), q(db, u"SELECT count(*) FROM schedules WHERE NOT is_deleted"_s).toInt());
    }

    void gridShowsStatusAndPriorityNextToTitleWithALegend()
    {
        QVERIFY(openOn(settings(db)));
        const TableInfo &info = model()->tableInfo();
        QHeaderView *header = m_view->grid()->horizontalHeader();
        const int title = header->visualIndex(info.columnIndex(u"title"_s));
        QCOMPARE(header->visualIndex(info.columnIndex(u"status"_s)), title + 1);
        QCOMPARE(header->visualIndex(info.columnIndex(u"priority"_s)), title + 2);
        auto *legend = find<QWidget>(u"gridLegend"_s);
        QVERIFY(legend && legend->isVisible());
        QCOMPARE(legend->findChild<QLabel *>(u"legend_completed"_s)->text(), u"Completed"_s);
    }

    void gridOrdersByStartTimeWithinADay()
    {
        QVERIFY(openOn(settings(db)));
        // Small windows, so the order must also hold across many keyset boundaries (untimed rows included).
        model()->setWindowSize(7);
        m_view->filterPanel()->selectEmployee(m_teamId, m_teamName);
        auto readIds = [&](int rows) {
            QStringList ids;
            for (int row = 0; row < rows; ++row) {
                m_view->grid()->scrollTo(model()->index(row, 0));
                if (!QTest::qWaitFor([&] { return row < model()->rowCount() && model()->isRowLoaded(row); }, 20000))
                    return QStringList{u"row %1 never loaded"_s.arg(row)};
                ids.append(model()->value(row, u"schedule_id"_s));
            }
            return ids;
        };
        auto serverIds = [&](const QString &order, int limit) {
            return q(db, u"SELECT string_agg(schedule_id::text, ',' ORDER BY %1) FROM (SELECT * FROM schedules s"
                         " WHERE NOT is_deleted AND employee_id = %2 ORDER BY %1 LIMIT %3) s"_s
                             .arg(order).arg(m_teamId).arg(limit)).split(u',');
        };
        const int rows = exactCount();
        QVERIFY(rows > 7);
        // Today's three: A (09:00) before B (09:30), C (no time) after them.
        QCOMPARE(readIds(rows), serverIds(u"schedule_date, start_time, schedule_id"_s, rows));
        const QStringList ascending = readIds(rows);
        QVERIFY(ascending.indexOf(m_idA) < ascending.indexOf(m_idB));
        QVERIFY(ascending.indexOf(m_idB) < ascending.indexOf(m_idC));

        // Descending is the mirror image.
        m_view->grid()->sortBy(model()->tableInfo().columnIndex(u"schedule_date"_s), Qt::DescendingOrder);
        QCOMPARE(readIds(rows), serverIds(u"schedule_date DESC, start_time DESC, schedule_id DESC"_s, rows));
    }

    void screenshotsInEnglishAndKorean()
    {
        m_view.reset();
        const QString dir = qEnvironmentVariable("MD_SCREENSHOT_DIR", QDir::tempPath());
        for (const QString &language : {u"en"_s, u"ko"_s}) {
            Translator::install(language);
            auto restore = qScopeGuard([] { Translator::install(u"en"_s); });
            for (const QSize &size : {QSize(1180, 760), QSize(900, 700)}) {
                for (const auto &[team, month] : {std::pair(true, false), std::pair(false, false), std::pair(true, true),
                                                  std::pair(false, true)}) {
                    m_view = std::make_unique<SchedulesView>(m_services);
                    m_view->resize(size);
                    m_view->show();
                    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
                    QVERIFY(openOn(settings(db)));
                    if (team)
                        m_view->filterPanel()->selectEmployee(m_teamId, m_teamName);
                    m_view->setMode(month ? SchedulesView::Mode::Month : SchedulesView::Mode::Week);
                    QVERIFY(calendarLoaded());
                    QCOMPARE(page()->result().countsOnly, !team);
                    // Nothing of the view may spill out of the window.
                    QVERIFY2(m_view->minimumSizeHint().width() <= size.width(),
                             qPrintable(u"minimum width %1"_s.arg(m_view->minimumSizeHint().width())));
                    QCoreApplication::processEvents();
                    const QImage image = m_view->grab().toImage();
                    QCOMPARE(image.size(), size * image.devicePixelRatio());
                    const QString path = u"%1/calendar-%2-%3-%4-%5x%6.png"_s.arg(dir, language, month ? u"month"_s : u"week"_s,
                                                                                   team ? u"team"_s : u"everybody"_s)
                                             .arg(size.width()).arg(size.height());
                    QVERIFY(image.save(path));
                    qInfo("screenshot: %s", qPrintable(path));
                    m_view.reset();
                }
            }
        }
    }
};

QTEST_MAIN(TestScheduleCalendar)
#include "tst_schedulecalendar.moc"
