// Measures the Schedules view's calendar on the 10-million-row bench database (the one bench_browse
// builds): the time from a filter change to the first paint of this week's calendar, for one employee,
// one department and everybody, next to the grid's first rows for the same filters in the same view and
// the same run (the baseline). The real SchedulesView on the offscreen platform, with its own workers.
//
//   bench_calendar [--dir DIR] [--repeat K] [--keep-running]
//
// DIR (default /var/tmp/migrationdesk-bench/rows-10000000) must hold the bench cluster; it is started if
// needed and stopped again at exit only if this run started it (unless --keep-running). Each figure is
// taken K times (default 5) after a warm-up round; medians and maxima are printed. Exit code 1 only when a
// measurement could not be taken.
#include "data/datagrid.h"
#include "db/pgconnection.h"
#include "sandbox/sandbox.h"
#include "scheduling/calendarpageview.h"
#include "scheduling/calendarpane.h"
#include "scheduling/schedulefilterpanel.h"
#include "scheduling/schedulegridmodel.h"
#include "scheduling/schedulesview.h"
#include "session/appservices.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>
#include <functional>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

double msSince(const QElapsedTimer &clock)
{
    return double(clock.nsecsElapsed()) / 1e6;
}

bool waitFor(const std::function<bool()> &done, int timeoutMs = 120000)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

struct Samples
{
    QList<double> ms;
    double median() const
    {
        QList<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        return sorted.isEmpty() ? 0 : sorted.at(sorted.size() / 2);
    }
    double max() const { return ms.isEmpty() ? 0 : *std::max_element(ms.cbegin(), ms.cend()); }
};

// Counts the calendar page's paints that show an answer for the visible range.
class PaintWatch : public QObject
{
public:
    explicit PaintWatch(CalendarPane *pane) : m_pane(pane) { pane->pageView()->installEventFilter(this); }
    int paintedAnswers = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            const CalendarPageView *page = m_pane->pageView();
            const auto range = m_pane->visibleRange();
            if (!page->page().loading && page->result().from == range.first && page->result().to == range.second)
                ++paintedAnswers;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    CalendarPane *m_pane;
};

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QString dir = u"/var/tmp/migrationdesk-bench/rows-10000000"_s;
    int repeat = 5;
    bool keepRunning = false;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args.at(i) == u"--dir"_s && i + 1 < args.size())
            dir = args.at(++i);
        else if (args.at(i) == u"--repeat"_s && i + 1 < args.size())
            repeat = std::max(1, args.at(++i).toInt());
        else if (args.at(i) == u"--keep-running"_s)
            keepRunning = true;
        else {
            QTextStream(stderr) << "usage: bench_calendar [--dir DIR] [--repeat K] [--keep-running]" << Qt::endl;
            return 2;
        }
    }

    Sandbox sandbox;
    sandbox.setDirectory(dir);
    sandbox.setDemoSize(100000, 10000000);
    const bool wasRunning = sandbox.isRunning();
    QString error;
    const auto settings = sandbox.ensureRunning(&error);
    if (!settings) {
        QTextStream(stderr) << "bench_calendar: " << error << Qt::endl;
        return 1;
    }
    auto stopIfOurs = qScopeGuard([&] {
        if (!wasRunning && !keepRunning && !sandbox.stop(&error))
            QTextStream(stderr) << "bench_calendar: " << error << Qt::endl;
    });

    PgConnection connection;
    if (!connection.open(*settings, &error, u"bench_calendar"_s)) {
        QTextStream(stderr) << "bench_calendar: " << error << Qt::endl;
        return 1;
    }
    auto one = [&](const QString &sql, const QStringList &params = {}) {
        const auto rows = connection.query(sql, params);
        return rows && !rows->isEmpty() ? rows->first() : QStringList();
    };
    const qint64 total = one(u"SELECT reltuples::bigint FROM pg_class WHERE oid = 'public.schedules'::regclass"_s).value(0).toLongLong();

    AppServices services;
    SchedulesView view(services);
    view.resize(1180, 760);
    view.show();
    view.setConnection(*settings);
    if (!waitFor([&] { return view.model() && view.model()->tableInfo().isValid() && view.message().isEmpty(); })) {
        QTextStream(stderr) << "bench_calendar: the view did not open: " << view.message() << Qt::endl;
        return 1;
    }
    CalendarPane *pane = view.calendar();
    const auto [from, to] = CalendarLayout::visibleRange(CalendarLayout::Mode::Week, QDate::currentDate(),
                                                         QLocale().firstDayOfWeek());
    const QStringList employee = one(
        u"SELECT s.employee_id::text, e.name FROM schedules s JOIN employees e USING (employee_id)"
        " WHERE NOT s.is_deleted AND s.schedule_date BETWEEN $1::date AND $2::date LIMIT 1"_s,
        {from.toString(Qt::ISODate), to.toString(Qt::ISODate)});
    if (!waitFor([&] { return view.filterPanel()->findChild<QComboBox *>(u"departmentFilter"_s)->count() > 1; })) {
        QTextStream(stderr) << "bench_calendar: no departments listed" << Qt::endl;
        return 1;
    }
    auto *departments = view.filterPanel()->findChild<QComboBox *>(u"departmentFilter"_s);
    const QString department = departments->itemData(1).toString();
    const QString departmentSize = one(u"SELECT count(*) FROM employees WHERE department = $1 AND NOT is_deleted"_s,
                                       {department}).value(0);

    struct Case
    {
        QString name;
        std::function<void()> apply;
        Samples calendar;
        Samples grid;
        qint64 shown = 0;
        bool counts = false;
    };
    ScheduleFilterPanel *panel = view.filterPanel();
    auto *dates = panel->findChild<QComboBox *>(u"dateRangeFilter"_s);
    // Each case is one filter change, as a click makes it (the grid also keeps "This week").
    QList<Case> cases = {
        {u"one employee (%1)"_s.arg(employee.value(1)), [&] { panel->selectEmployee(employee.value(0), employee.value(1)); }, {}, {}},
        {u"one department (%1, %2 employees)"_s.arg(department, departmentSize),
         [&] {
             {
                 const QSignalBlocker quiet(panel);
                 panel->selectEmployee({}, {});
             }
             departments->setCurrentIndex(1);
         }, {}, {}},
        {u"everybody"_s, [&] { panel->selectEmployee({}, {}); }, {}, {}},
    };
    // Between two measurements the filter changes to an employee who does not exist, so every figure is
    // a fresh read.
    auto elsewhere = [&] {
        {
            const QSignalBlocker quiet(panel);
            panel->reset();
            dates->setCurrentIndex(dates->findData(int(ScheduleFilterState::DateRange::ThisWeek)));
        }
        panel->selectEmployee(u"-1"_s, u"nobody"_s);
        waitFor([&] { return !view.model()->isFetching() && !pane->pageView()->page().loading; });
    };

    bool failed = false;
    PaintWatch watch(pane);
    for (int round = 0; round <= repeat; ++round) {
        for (Case &c : cases) {
            // The calendar: from the filter change to the first paint of the week's answer.
            view.setMode(SchedulesView::Mode::Week);
            elsewhere();
            QElapsedTimer clock;
            clock.start();
            const int before = watch.paintedAnswers;
            c.apply();
            if (!waitFor([&] { return watch.paintedAnswers > before; })) {
                QTextStream(stderr) << "bench_calendar: " << c.name << ": the week never painted" << Qt::endl;
                failed = true;
                continue;
            }
            const double calendarMs = msSince(clock);
            c.shown = pane->pageView()->result().total;
            c.counts = pane->pageView()->result().countsOnly;

            // The grid with the same filters and the week's dates: from the change to its first rows.
            view.setMode(SchedulesView::Mode::Grid);
            elsewhere();
            clock.start();
            c.apply();
            ScheduleGridModel *model = view.model();
            if (!waitFor([&] { return !model->isFetching() && (model->isRowLoaded(0) || (model->isCountExact() && model->rowCount() == 0)); })) {
                QTextStream(stderr) << "bench_calendar: " << c.name << ": the grid's rows never came" << Qt::endl;
                failed = true;
                continue;
            }
            const double gridMs = msSince(clock);
            if (round > 0) { // round 0 warms the caches
                c.calendar.ms.append(calendarMs);
                c.grid.ms.append(gridMs);
            }
        }
    }

    out() << u"Calendar, time to the first paint of this week (%1 - %2), %3 schedules in the table, %4 rounds:"_s
                 .arg(from.toString(Qt::ISODate), to.toString(Qt::ISODate)).arg(total).arg(repeat)
          << Qt::endl;
    out() << u"| Filter | Week shown | Calendar first paint (median / max) | Grid first rows, same filters (median / max) | Ratio |"_s << Qt::endl;
    out() << u"|---|---|---|---|---|"_s << Qt::endl;
    for (const Case &c : std::as_const(cases)) {
        out() << u"| %1 | %2 %3 | %4 / %5 ms | %6 / %7 ms | %8 |"_s.arg(c.name)
                     .arg(c.shown)
                     .arg(c.counts ? u"schedules as counts per day"_s : u"blocks"_s)
                     .arg(c.calendar.median(), 0, 'f', 1).arg(c.calendar.max(), 0, 'f', 1)
                     .arg(c.grid.median(), 0, 'f', 1).arg(c.grid.max(), 0, 'f', 1)
                     .arg(c.grid.median() > 0 ? c.calendar.median() / c.grid.median() : 0, 0, 'f', 2)
              << Qt::endl;
    }
    return failed ? 1 : 0;
}
