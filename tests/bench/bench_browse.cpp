// Measures the lazy grid model the data views use (LazyTableModel on schedules joined with employees)
// on 10 million schedules, each figure next to a baseline taken in the same run; a plain program on
// the main thread, whose event loop the model's results arrive on, as in the app.
//
//   bench_browse [--rows N] [--repeat K] [--dir DIR] [--throwaway] [--keep-running] [--quick]
//
// The database (N schedules, default 10 million, and N/100 employees, between 1,000 and 100,000, filled
// by the demo-data generator at head, plus bench.schedules_copy, the first million live rows for the
// QSqlTableModel baseline) is built once in a persistent sandbox cluster under DIR/rows-N (default
// /var/tmp/migrationdesk-bench) and reused by later runs; the server is stopped at exit unless
// --keep-running. --throwaway builds everything in a temporary cluster that is removed at exit (the
// ctest smoke run uses `--rows 100000 --repeat 1 --throwaway`). --quick leaves out the slow baselines
// (OFFSET, QSqlTableModel) for trying a change. Every figure is taken K times (default 5) after a warm-up
// round. The schedules and the trash are each opened on new sessions, as right after the app connects (the
// pool's old sessions closed, two pairs opened in the background and waited for, as MainWindow does), and
// once more on the sessions the pool kept, as a view shown again. Targets are printed, never enforced: the exit code is 1 only when a measurement could not be
// taken or read wrong rows.
#include "browse/catalog.h"
#include "browse/fetcherpool.h"
#include "browse/keysetquery.h"
#include "browse/lazytablemodel.h"
#include "scheduling/schedulegrid.h"
#include "scheduling/schedulefilter.h"
#include "db/pgconnection.h"
#include "sandbox/sandbox.h"
#include "session/appservices.h"

#include <QCoreApplication>
#include <QDate>
#include <QDir>
#include <QElapsedTimer>
#include <QLocale>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSqlError>
#include <QSqlRecord>
#include <QSqlTableModel>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <malloc.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

constexpr int kVisibleRows = 40;          // what a grid shows at once
constexpr int kWaitMs = 180000;           // a figure that takes longer is a failure, not a number
constexpr qint64 kCopyRows = 1000000;     // the QSqlTableModel baseline's table
constexpr qint64 kScrollRows = 1000000;

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

void say(const QString &line)
{
    out() << line << Qt::endl;
}

// Thrown by die(); main() stops the server and removes a throwaway cluster before exiting.
struct Fatal
{
    QString message;
};

[[noreturn]] void die(const QString &message)
{
    throw Fatal{message};
}

double msSince(const QElapsedTimer &clock)
{
    return double(clock.nsecsElapsed()) / 1e6;
}

// VmRSS of this process in MB.
double rssMb()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

// Hands freed heap back to the kernel, so an RSS difference shows what a step kept, not what an
// earlier step left in malloc's free lists.
double settledRssMb()
{
    ::malloc_trim(0);
    return rssMb();
}

struct Samples
{
    QList<double> values;
    void add(double v) { values << v; }
    bool isEmpty() const { return values.isEmpty(); }
    double median() const
    {
        if (values.isEmpty())
            return -1;
        QList<double> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        const qsizetype n = sorted.size();
        return n % 2 ? sorted.at(n / 2) : (sorted.at(n / 2 - 1) + sorted.at(n / 2)) / 2;
    }
    double max() const { return values.isEmpty() ? -1 : *std::max_element(values.begin(), values.end()); }
    QString text(const QString &unit) const
    {
        if (values.isEmpty())
            return u"-"_s;
        return u"median %1 %3, max %2 %3 (n=%4)"_s.arg(median(), 0, 'f', 1).arg(max(), 0, 'f', 1).arg(unit).arg(values.size());
    }
};

// The longest time the main thread's event loop could not run: the gap between ticks of a 1 ms timer,
// counted only while armed (the baselines block the thread on purpose and are not counted). For the
// longest gap it also keeps how much of it the thread spent on the CPU and how often it was switched
// out, which tells its own work (CPU ~ gap), waiting (voluntary switches) and a busy machine taking
// the core away (involuntary switches) apart. Main thread.
class StallMonitor : public QObject
{
public:
    struct Gap
    {
        double ms = 0;
        double cpuMs = 0;
        long voluntary = 0;
        long involuntary = 0;
    };

    StallMonitor()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
        m_clock.start();
        m_timer.start();
    }
    void arm()
    {
        m_armed = true;
        m_last = sample();
    }
    void disarm()
    {
        tick();
        m_armed = false;
    }
    // The longest gap since the last call.
    Gap takeMax()
    {
        const Gap max = m_max;
        m_max = {};
        return max;
    }

private:
    struct Sample
    {
        qint64 wallNs = 0;
        qint64 cpuNs = 0;
        long voluntary = 0;
        long involuntary = 0;
    };
    Sample sample() const
    {
        Sample s;
        s.wallNs = m_clock.nsecsElapsed();
        timespec cpu {};
        ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
        s.cpuNs = qint64(cpu.tv_sec) * 1000000000 + cpu.tv_nsec;
        rusage usage {};
        ::getrusage(RUSAGE_THREAD, &usage);
        s.voluntary = usage.ru_nvcsw;
        s.involuntary = usage.ru_nivcsw;
        return s;
    }
    void tick()
    {
        const Sample now = sample();
        if (m_armed && double(now.wallNs - m_last.wallNs) / 1e6 > m_max.ms) {
            m_max.ms = double(now.wallNs - m_last.wallNs) / 1e6;
            m_max.cpuMs = double(now.cpuNs - m_last.cpuNs) / 1e6;
            m_max.voluntary = now.voluntary - m_last.voluntary;
            m_max.involuntary = now.involuntary - m_last.involuntary;
        }
        m_last = now;
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    Sample m_last;
    Gap m_max;
    bool m_armed = false;
};

// Runs the event loop until done() holds; false after kWaitMs.
bool waitFor(const std::function<bool()> &done, int timeoutMs = kWaitMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    }
    return true;
}

struct Options
{
    qint64 rows = 10000000;
    int repeat = 5;
    QString dir = u"/var/tmp/migrationdesk-bench"_s;
    bool throwaway = false;
    bool keepRunning = false;
    bool quick = false;       // no OFFSET and QSqlTableModel baselines, one scroll: for trying a change
};

Options parse(const QStringList &args)
{
    Options o;
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args.at(i);
        auto next = [&] {
            if (i + 1 >= args.size())
                die(u"%1 needs a value"_s.arg(a));
            return args.at(++i);
        };
        bool ok = true;
        if (a == u"--rows"_s)
            o.rows = next().toLongLong(&ok);
        else if (a == u"--repeat"_s)
            o.repeat = next().toInt(&ok);
        else if (a == u"--dir"_s)
            o.dir = next();
        else if (a == u"--throwaway"_s)
            o.throwaway = true;
        else if (a == u"--keep-running"_s)
            o.keepRunning = true;
        else if (a == u"--quick"_s)
            o.quick = true;
        else
            die(u"unknown option %1 (use --rows N --repeat K --dir DIR --throwaway --keep-running --quick)"_s.arg(a));
        if (!ok || o.rows < 1000 || o.repeat < 1)
            die(u"bad value for %1"_s.arg(a));
    }
    return o;
}

// One figure of the final table.
struct Figure
{
    QString name;
    Samples measured;
    Samples baseline;
    QString baselineName;
    double target = 0;
    QString unit = u"ms"_s;
};

class Bench
{
public:
    Bench(const Options &options, const ConnectionSettings &settings)
        : m_options(options), m_settings(settings)
    {
    }

    void prepare();
    void run();
    void report();
    int exitCode() const { return m_problems.isEmpty() ? 0 : 1; }

private:
    // As the app's composition root: the fetchers' threads and pool, outliving every model.
    AppServices m_services;

    // What a grid opens on: the Schedules view's opening (today, by date then start time), the first
    // rows by schedule_date alone from the top (this figure's definition before the view opened on
    // today), or the trash.
    enum class Opening { SchedulesView, SchedulesTop, Trash };
    std::unique_ptr<LazyTableModel> openModel(Opening opening, double *ms);
    void lazyRound(int round);
    void freshSessions();
    void scrollRound();
    void serverBaselines(bool withOffset);
    void tableModelBaseline();
    void stallBaseline();
    void checkTrashViewOrder();
    double timeQuery(const BoundQuery &statement);
    double explainMs(const BoundQuery &statement, QString *plan = nullptr);
    QStringList queryRow(const QString &sql, const QStringList &params = {});
    void problem(const QString &text)
    {
        m_problems << text;
        say(u"  PROBLEM: "_s + text);
    }
    KeysetQuery query(const QString &sort, bool ascending, const QList<ColumnFilter> &filters, bool trash) const
    {
        return KeysetQuery(m_table, sort, ascending, filters, trash);
    }

    const Options m_options;
    const ConnectionSettings m_settings;
    PgConnection m_conn;               // setup and baselines; blocks the main thread, never while armed
    TableInfo m_table;
    JoinSpec m_join;
    StallMonitor m_stalls;

    qint64 m_liveRows = 0;
    qint64 m_copyRows = 0;
    QString m_firstDate, m_lastDate, m_lastDeletedAt;
    QString m_openingDate;             // the first live date on or after today, where the view opens
    QString m_employee, m_monthFirst, m_monthLast;
    QList<ColumnFilter> m_employeeMonth;
    QList<ColumnFilter> m_trashFilter;

    Figure m_first{u"First rows of `schedules` as the Schedules view opens them"_s, {}, {}, u"QSqlTableModel select() on the 1M copy"_s, 50};
    Figure m_middle{u"Jump to the middle"_s, {}, {}, u"OFFSET query, same rows"_s, 100};
    Figure m_end{u"Jump to the end"_s, {}, {}, u"OFFSET query, same rows"_s, 100};
    Figure m_filtered{u"Filtered: one employee, one month"_s, {}, {}, u"server execution (EXPLAIN ANALYZE)"_s, 30};
    Figure m_trash{u"First page of the trash"_s, {}, {}, u"server execution (EXPLAIN ANALYZE)"_s, 30};
    Figure m_memory{u"RSS growth, scrolling 1M rows"_s, {}, {}, u"QSqlTableModel on the 1M copy"_s, 50, u"MB"_s};
    Figure m_stall{u"Longest event-loop stall"_s, {}, {}, u"same timer, no database work"_s, 16};
    Samples m_exactCountMs;
    Samples m_estimateMs;
    Samples m_freshFloorMs;                // describe + first window on a fresh libpq session, no model
    Samples m_firstWarmMs, m_trashWarmMs;  // the same, reopened on the sessions the pool kept
    Samples m_firstTopMs;                  // from the top by schedule_date alone, on fresh sessions
    Samples m_describedMs;                 // openTable() to tableReady
    Samples m_connectMs, m_catalogMs;      // PgConnection::open and Catalog::table on their own
    Samples m_tableModelMemoryAfterSelect;
    QString m_filteredPlan, m_trashPlan, m_firstPlan;
    QMap<QString, Samples> m_stallByPhase; // the longest stall within each phase, to see where they come from
    double m_roundStall = 0;               // the longest stall of the current round
    QMap<QString, StallMonitor::Gap> m_longestByPhase;
    void phaseDone(const QString &phase)
    {
        const StallMonitor::Gap gap = m_stalls.takeMax();
        m_stallByPhase[phase].add(gap.ms);
        m_roundStall = std::max(m_roundStall, gap.ms);
        if (gap.ms > m_longestByPhase.value(phase).ms)
            m_longestByPhase[phase] = gap;
    }
    QStringList m_problems;
};

QStringList Bench::queryRow(const QString &sql, const QStringList &params)
{
    SqlError error;
    const auto rows = m_conn.query(sql, params, &error);
    if (!rows)
        die(u"%1: %2"_s.arg(sql.left(120), error.toString()));
    return rows->value(0);
}

void Bench::prepare()
{
    QString error;
    // QtSql: the QSqlTableModel baseline reads through database().
    if (!m_conn.open(m_settings, &error, u"bench_browse"_s, PgConnection::Access::QtSql))
        die(error);
    const qint64 schedules = queryRow(u"SELECT count(*) FROM schedules"_s).value(0).toLongLong();
    if (schedules != m_options.rows)
        die(u"the bench database holds %1 schedules, not %2; remove %3 to rebuild it"_s
                .arg(schedules).arg(m_options.rows).arg(m_options.dir));

    // The QSqlTableModel baseline reads a plain copy of the first million rows the grid shows, with
    // the two joined columns, so both sides carry the same values.
    const qint64 wantedCopy = std::min(kCopyRows, queryRow(u"SELECT count(*) FROM schedules WHERE NOT is_deleted"_s).value(0).toLongLong());
    const QStringList copy = queryRow(u"SELECT to_regclass('bench.schedules_copy') IS NOT NULL, "
                                      "coalesce(obj_description(to_regclass('bench.schedules_copy'), 'pg_class'), '')"_s);
    m_copyRows = copy.value(1).toLongLong();
    if (copy.value(0) != u"t"_s || m_copyRows != wantedCopy) {
        say(u"Creating bench.schedules_copy (%1 rows) ..."_s.arg(wantedCopy));
        QElapsedTimer clock;
        clock.start();
        SqlError sqlError;
        // The count is a number we computed, not user text.
        const QString rows = QString::number(wantedCopy);
        if (!m_conn.exec(u"DROP SCHEMA IF EXISTS bench CASCADE; CREATE SCHEMA bench; "
                         "CREATE TABLE bench.schedules_copy AS SELECT s.*, e.name AS employee_name, e.department "
                         "FROM schedules s LEFT JOIN employees e ON e.employee_id = s.employee_id WHERE NOT s.is_deleted "
                         "ORDER BY s.schedule_date, s.schedule_id LIMIT %1; "
                         "ALTER TABLE bench.schedules_copy ADD PRIMARY KEY (schedule_id); "
                         "CREATE INDEX ON bench.schedules_copy (schedule_date, schedule_id); "
                         "COMMENT ON TABLE bench.schedules_copy IS '%1'"_s.arg(rows),
                         &sqlError)
            || !m_conn.exec(u"VACUUM ANALYZE bench.schedules_copy"_s, &sqlError))
            die(sqlError.toString());
        m_copyRows = wantedCopy;
        say(u"  done in %1 s"_s.arg(msSince(clock) / 1000, 0, 'f', 1));
    }

    m_join = ScheduleGrid::employeeJoin();
    const auto table = Catalog(m_conn).table(u"public"_s, u"schedules"_s, {m_join}, &error);
    if (!table || !table->isValid())
        die(u"cannot describe public.schedules: %1"_s.arg(error));
    m_table = *table;

    m_liveRows = queryRow(u"SELECT count(*) FROM schedules WHERE NOT is_deleted"_s).value(0).toLongLong();
    const QStringList ends = queryRow(u"SELECT min(schedule_date)::text, max(schedule_date)::text FROM schedules WHERE NOT is_deleted"_s);
    m_firstDate = ends.value(0);
    m_lastDate = ends.value(1);
    m_lastDeletedAt = queryRow(u"SELECT max(deleted_at)::text FROM schedules WHERE is_deleted"_s).value(0);
    m_openingDate = queryRow(u"SELECT min(schedule_date)::text FROM schedules WHERE NOT is_deleted AND schedule_date >= $1::date"_s,
                             {ScheduleGrid::openingValue(QDate::currentDate())}).value(0);
    if (m_openingDate.isEmpty())
        die(u"no live schedule on or after today: the Schedules view's opening cannot be measured"_s);

    // One employee from the middle of the id range, in the month around today that has their rows.
    const QStringList pick = queryRow(
        u"SELECT s.employee_id::text, date_trunc('month', s.schedule_date)::date::text, "
        "       (date_trunc('month', s.schedule_date) + interval '1 month - 1 day')::date::text "
        "FROM schedules s WHERE NOT s.is_deleted AND s.employee_id >= (SELECT max(employee_id) / 2 FROM employees) "
        "AND s.schedule_date >= current_date ORDER BY s.employee_id, s.schedule_date LIMIT 1"_s);
    m_employee = pick.value(0);
    m_monthFirst = pick.value(1);
    m_monthLast = pick.value(2);
    // The filter panel's choice "this employee, custom range = that month", through the view's own builder.
    ScheduleFilterState state;
    state.employeeId = m_employee;
    state.dateRange = ScheduleFilterState::DateRange::Custom;
    state.customFrom = QDate::fromString(m_monthFirst, Qt::ISODate);
    state.customTo = QDate::fromString(m_monthLast, Qt::ISODate);
    m_employeeMonth = ScheduleFilter::build(state, QDate::currentDate());
    m_trashFilter = {ColumnFilter{u"is_deleted"_s, ColumnFilter::Equal, u"true"_s, {}, {}}};

    say(u"Database: %1 schedules (%2 live), %3 employees; copy for QSqlTableModel: %4 rows; server %5"_s
            .arg(schedules)
            .arg(m_liveRows)
            .arg(queryRow(u"SELECT count(*) FROM employees"_s).value(0))
            .arg(m_copyRows)
            .arg(m_conn.serverVersionString()));
    say(u"Filter: employee_id = %1, schedule_date between %2 and %3"_s.arg(m_employee, m_monthFirst, m_monthLast));
}

// Opens schedules the way the Schedules view does (the employee's name and department joined in, by
// date then start time, jumped to today: SchedulesView::onTableReady), from the top by schedule_date
// alone, or the trash (soft-deleted rows, newest deleted_at first), and waits for the first screenful.
// *ms is the time from openTable() to those rows.
std::unique_ptr<LazyTableModel> Bench::openModel(Opening opening, double *ms)
{
    const bool trash = opening == Opening::Trash;
    auto model = std::make_unique<LazyTableModel>(m_services.fetchers());
    bool ready = false;
    int jumpedTo = -1;
    QString failure;
    QElapsedTimer clock;
    LazyTableModel *m = model.get();
    // Sort and filters inside the tableReady handler, in the order the views' onTableReady use: the
    // trash filters then sorts, the schedules sort then filter.
    QObject::connect(m, &LazyTableModel::tableReady, m, [&ready, &clock, this, m, opening] {
        ready = true;
        m_describedMs.add(msSince(clock));
        const QDate today = QDate::currentDate();
        switch (opening) {
        case Opening::Trash:
            m->setFilters(m_trashFilter);
            m->sort(m_table.columnIndex(u"deleted_at"_s), Qt::DescendingOrder);
            m->requestRows(0, kVisibleRows - 1);
            break;
        case Opening::SchedulesTop:
            m->sort(m_table.columnIndex(u"schedule_date"_s), Qt::AscendingOrder);
            m->setFilters(ScheduleFilter::build(ScheduleFilterState(), today));
            m->requestRows(0, kVisibleRows - 1);
            break;
        case Opening::SchedulesView:
            m->setThenBy(ScheduleGrid::openingSortColumn(), ScheduleGrid::thenBy());
            m->sort(m_table.columnIndex(ScheduleGrid::openingSortColumn()), Qt::AscendingOrder);
            m->setFilters(ScheduleFilter::build(ScheduleFilterState(), today, QLocale().firstDayOfWeek()));
            m->jumpToValue(ScheduleGrid::openingValue(today));
            break;
        }
    });
    QObject::connect(m, &LazyTableModel::jumped, m, [&jumpedTo](int row) { jumpedTo = row; });
    QObject::connect(model.get(), &LazyTableModel::errorOccurred, model.get(), [&failure](const QString &e) { failure = e; });
    clock.start();
    if (!trash) {
        QObject::connect(m, &LazyTableModel::countChanged, m, [this, m, clock, counted = false]() mutable {
            // A filter whose rows fit in one window is counted by that window: not this figure.
            if (!counted && m->isCountExact() && m->filters().isEmpty()) {
                counted = true;
                m_exactCountMs.add(msSince(clock));
            }
        });
    }
    // As TrashView does, the trash model includes deleted rows from the start.
    if (trash)
        model->setIncludeDeleted(true);
    model->openTable(m_settings, u"public"_s, u"schedules"_s, {m_join});
    if (!waitFor([&] { return ready || !failure.isEmpty(); }) || !failure.isEmpty())
        die(u"opening schedules failed: %1"_s.arg(failure.isEmpty() ? u"timed out"_s : failure));
    const auto firstRow = [&] { return opening == Opening::SchedulesView ? jumpedTo : 0; };
    if (!waitFor([&] { return (firstRow() >= 0 && m->isRowLoaded(firstRow())) || !failure.isEmpty(); })
        || !failure.isEmpty())
        die(u"the first rows did not arrive: %1"_s.arg(failure.isEmpty() ? u"timed out"_s : failure));
    *ms = msSince(clock);
    // A first window from the top does not wait for the estimate; a jump does (it places rows by it).
    if (!waitFor([&] { return m->rowCount() > m->windowSize() || m->isCountExact() || !failure.isEmpty(); })
        || !failure.isEmpty())
        die(u"no estimate arrived: %1"_s.arg(failure.isEmpty() ? u"timed out"_s : failure));
    m_estimateMs.add(msSince(clock));
    const QString got = trash ? m->value(0, u"deleted_at"_s) : m->value(firstRow(), u"schedule_date"_s);
    const QString want = trash ? m_lastDeletedAt : opening == Opening::SchedulesView ? m_openingDate : m_firstDate;
    if (got != want)
        problem(u"%1: first row has %2, expected %3"_s.arg(trash ? u"trash"_s : u"schedules"_s, got, want));
    return model;
}

// New grid sessions, as right after the app connects: the pool's old ones closed, two pairs opened in
// the background and warmed with the Schedules grid's first window (FetcherPool::prewarm, as
// MainWindow::onConnected does), and waited for. Not under the stall monitor (it blocks on queries).
void Bench::freshSessions()
{
    const QString sql = u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrationdesk-browse'"_s;
    m_services.fetchers().clear();
    if (!waitFor([&] { return queryRow(sql).value(0) == u"0"_s; }, 30000))
        die(u"the pool's sessions did not close"_s);
    bool warmed = false;
    const QMetaObject::Connection done = QObject::connect(&m_services.fetchers(), &FetcherPool::prewarmed,
                                                          [&warmed] { warmed = true; });
    m_services.fetchers().prewarm(m_settings, 2,
                                  {ScheduleGrid::openingWindow(QDate::currentDate(), QLocale().firstDayOfWeek(),
                                                               LazyTableModel::defaultWindowSize)});
    if (!waitFor([&] { return warmed && queryRow(sql).value(0) == u"4"_s; }, 30000))
        die(u"the pool's sessions did not open and warm"_s);
    QObject::disconnect(done);
}

// One round of the model's figures, all under the stall monitor.
void Bench::lazyRound(int round)
{
    m_roundStall = 0;
    freshSessions();
    m_stalls.arm();
    double ms = 0;
    auto model = openModel(Opening::SchedulesView, &ms);
    m_first.measured.add(ms);
    LazyTableModel *m = model.get();
    phaseDone(u"open schedules"_s);

    // The middle: a different spot each round, so no window is cached already.
    const int middle = m->rowCount() / 2 + round * 997;
    QElapsedTimer clock;
    clock.start();
    m->requestRows(middle, middle + kVisibleRows - 1);
    if (!waitFor([&] { return m->isRowLoaded(middle) && m->isRowLoaded(middle + kVisibleRows - 1); }))
        die(u"the middle rows did not arrive"_s);
    m_middle.measured.add(msSince(clock));
    phaseDone(u"jump to the middle"_s);

    clock.restart();
    // A grid at End stays at the end when the count changes (the exact count arriving): ask again then.
    int endOf = m->rowCount();
    m->requestRows(endOf - kVisibleRows, endOf - 1);
    if (!waitFor([&] {
            if (m->rowCount() != endOf) {
                endOf = m->rowCount();
                m->requestRows(endOf - kVisibleRows, endOf - 1);
            }
            return m->rowCount() > 0 && m->isRowLoaded(m->rowCount() - 1);
        }))
        die(u"the last rows did not arrive"_s);
    m_end.measured.add(msSince(clock));
    phaseDone(u"jump to the end"_s);
    if (m->value(m->rowCount() - 1, u"schedule_date"_s) != m_lastDate)
        problem(u"end: last row has %1, expected %2"_s.arg(m->value(m->rowCount() - 1, u"schedule_date"_s), m_lastDate));

    clock.restart();
    m->setFilters(m_employeeMonth);
    m->requestRows(0, kVisibleRows - 1);
    if (!waitFor([&] { return m->isRowLoaded(0); }))
        die(u"the filtered rows did not arrive"_s);
    m_filtered.measured.add(msSince(clock));
    if (m->value(0, u"employee_id"_s) != m_employee)
        problem(u"filter: first row is employee %1, expected %2"_s.arg(m->value(0, u"employee_id"_s), m_employee));
    phaseDone(u"filter"_s);
    model.reset();
    phaseDone(u"destroy a model"_s);
    m_stalls.disarm();
    freshSessions();
    m_stalls.arm();

    auto trash = openModel(Opening::Trash, &ms);
    m_trash.measured.add(ms);
    phaseDone(u"open the trash"_s);
    trash.reset();
    phaseDone(u"destroy a model"_s);

    // Reopened: a view shown again takes the sessions the pool kept, with the server's caches warm.
    model = openModel(Opening::SchedulesView, &ms);
    m_firstWarmMs.add(ms);
    model.reset();
    trash = openModel(Opening::Trash, &ms);
    m_trashWarmMs.add(ms);
    trash.reset();
    m_stalls.disarm();
    phaseDone(u"reopen"_s);

    // The figure's earlier definition: the first rows from the top, ordered by the date alone, which the
    // warm-up (the view's order) does not read.
    freshSessions();
    m_stalls.arm();
    model = openModel(Opening::SchedulesTop, &ms);
    m_firstTopMs.add(ms);
    model.reset();
    m_stalls.disarm();
    phaseDone(u"open schedules from the top"_s);
    m_stall.measured.add(m_roundStall);
}

// Scrolls through the first million rows one window at a time, as a user dragging down would, and
// records what the process kept.
void Bench::scrollRound()
{
    freshSessions();
    const double before = settledRssMb();
    m_roundStall = 0;
    m_stalls.arm();
    double ms = 0;
    auto model = openModel(Opening::SchedulesView, &ms);
    LazyTableModel *m = model.get();
    const int rows = int(std::min<qint64>(kScrollRows, m_liveRows));
    const int step = m->windowSize();
    QElapsedTimer clock;
    clock.start();
    for (int first = 0; first < rows; first += step) {
        const int last = std::min(first + step, rows) - 1;
        m->requestRows(first, std::min(first + kVisibleRows, rows) - 1);
        if (!waitFor([&] { return m->isRowLoaded(first) && m->isRowLoaded(last); }))
            die(u"scrolling stopped at row %1"_s.arg(first));
        // Touch the values, as a view painting them would.
        for (int row = first; row <= last; row += 50)
            (void)m->data(m->index(row, 0));
    }
    const double after = rssMb();
    m_stalls.disarm();
    phaseDone(u"scroll 1M rows"_s);
    m_stall.measured.add(m_roundStall);
    m_memory.measured.add(after - before);
    say(u"  scrolled %1 rows in %2 s, %3 windows cached, RSS +%4 MB"_s.arg(rows)
            .arg(msSince(clock) / 1000, 0, 'f', 1)
            .arg(m->cachedWindowCount())
            .arg(after - before, 0, 'f', 1));
}

double Bench::timeQuery(const BoundQuery &statement)
{
    QElapsedTimer clock;
    clock.start();
    SqlError error;
    const auto rows = m_conn.query(statement.sql, statement.params, &error);
    if (!rows)
        die(u"%1: %2"_s.arg(statement.sql.left(200), error.toString()));
    if (rows->isEmpty())
        problem(u"baseline query returned no rows: %1"_s.arg(statement.sql.left(200)));
    return msSince(clock);
}

// The server's own execution time of a statement (EXPLAIN ANALYZE), in ms; *plan gets the text plan.
double Bench::explainMs(const BoundQuery &statement, QString *plan)
{
    SqlError error;
    const auto rows = m_conn.query(u"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "_s + statement.sql, statement.params, &error);
    if (!rows || rows->isEmpty())
        die(u"EXPLAIN failed: %1"_s.arg(error.toString()));
    const QJsonObject top = QJsonDocument::fromJson(rows->first().first().toUtf8()).array().first().toObject();
    if (plan) {
        const auto text = m_conn.query(u"EXPLAIN (ANALYZE, BUFFERS) "_s + statement.sql, statement.params, &error);
        plan->clear();
        for (const QStringList &line : text.value_or(QList<QStringList>{}))
            *plan += u"    "_s + line.first() + u'\n';
    }
    return top.value(u"Execution Time"_s).toDouble();
}

// withOffset: OFFSET reads and joins every row it skips (minutes at the end of ten million rows), so it
// runs in two rounds only.
void Bench::serverBaselines(bool withOffset)
{
    const int window = LazyTableModel(m_services.fetchers()).windowSize();
    const KeysetQuery byDate = query(u"schedule_date"_s, true, {}, false);
    const QDate today = QDate::currentDate();
    const QString opening = ScheduleGrid::openingValue(today);
    const KeysetQuery asTheView(m_table, ScheduleGrid::openingSortColumn(), true,
                                ScheduleFilter::build(ScheduleFilterState(), today, QLocale().firstDayOfWeek()), false,
                                ScheduleGrid::thenBy());
    {
        QElapsedTimer clock;
        clock.start();
        PgConnection connection;
        QString error;
        if (!connection.open(m_settings, &error, u"bench_browse"_s))
            die(error);
        m_connectMs.add(msSince(clock));
        clock.restart();
        if (!Catalog(connection).table(u"public"_s, u"schedules"_s, {m_join}, &error))
            die(error);
        const double catalogMs = msSince(clock);
        m_catalogMs.add(catalogMs);
        // The statements the view's opening reads on its window session (describe, place today, today's
        // window) on a new session with the server's defaults (no model, no threads, no warm-up): a new
        // backend's first statements cost far more than the same ones later (first touches of shared
        // memory and catalog caches), so this is the floor the first-rows figure stands on.
        clock.restart();
        for (const BoundQuery &read : {asTheView.positionOf(opening), asTheView.seek(opening, window)}) {
            SqlError sqlError;
            if (!connection.query(read.sql, read.params, &sqlError))
                die(sqlError.toString());
        }
        m_freshFloorMs.add(catalogMs + msSince(clock));
    }
    if (withOffset) {
        m_middle.baseline.add(timeQuery(byDate.atOffset(m_liveRows / 2, window)));
        m_end.baseline.add(timeQuery(byDate.atOffset(std::max<qint64>(0, m_liveRows - window), window)));
    }
    const bool firstTime = m_filteredPlan.isEmpty();
    m_filtered.baseline.add(explainMs(query(u"schedule_date"_s, true, m_employeeMonth, false).forward({}, window),
                                      firstTime ? &m_filteredPlan : nullptr));
    m_trash.baseline.add(explainMs(query(u"deleted_at"_s, false, m_trashFilter, true).forward({}, window),
                                   firstTime ? &m_trashPlan : nullptr));
    if (firstTime)
        explainMs(asTheView.seek(opening, window), &m_firstPlan);
}

// QSqlTableModel as a naive grid would use it: select() on the 1M-row copy sorted by date (QPSQL reads
// the whole result into memory before the first row shows), then fetchMore() to the end.
void Bench::tableModelBaseline()
{
    const double before = settledRssMb();
    {
        QSqlTableModel model(nullptr, m_conn.database());
        QElapsedTimer clock;
        clock.start();
        model.setTable(u"bench.schedules_copy"_s);
        model.setSort(model.record().indexOf(u"schedule_date"_s), Qt::AscendingOrder);
        if (!model.select())
            die(u"QSqlTableModel::select failed: %1"_s.arg(model.lastError().text()));
        (void)model.data(model.index(0, 0));
        m_first.baseline.add(msSince(clock));
        m_tableModelMemoryAfterSelect.add(rssMb() - before);
        while (model.canFetchMore())
            model.fetchMore();
        for (int row = 0; row < model.rowCount(); row += 50)
            (void)model.data(model.index(row, 0));
        m_memory.baseline.add(rssMb() - before);
        if (model.rowCount() != m_copyRows)
            problem(u"QSqlTableModel read %1 rows, expected %2"_s.arg(model.rowCount()).arg(m_copyRows));
    }
    settledRssMb();
}

void Bench::stallBaseline()
{
    m_stalls.arm();
    QElapsedTimer clock;
    clock.start();
    waitFor([&] { return clock.elapsed() >= 2000; });
    m_stalls.disarm();
    const StallMonitor::Gap gap = m_stalls.takeMax();
    m_stall.baseline.add(gap.ms);
    if (gap.ms > m_longestByPhase.value(u"(no database work)"_s).ms)
        m_longestByPhase[u"(no database work)"_s] = gap;
}

// TrashView::onTableReady applies its filters and then sorts, right after tableReady. A model whose
// sort() drops the estimate that setFilters() asked for (while keeping a count it does not have yet)
// never loads a row that way; the bench's own rounds use the Schedules view's order. Checked once,
// reported as a problem when it happens.
void Bench::checkTrashViewOrder()
{
    LazyTableModel model(m_services.fetchers());
    bool ready = false;
    QObject::connect(&model, &LazyTableModel::tableReady, &model, [&ready] { ready = true; });
    model.setIncludeDeleted(true);
    model.openTable(m_settings, u"public"_s, u"schedules"_s, {m_join});
    if (!waitFor([&] { return ready; }, 30000))
        die(u"opening schedules for the trash failed"_s);
    model.setFilters(m_trashFilter);
    model.sort(m_table.columnIndex(u"deleted_at"_s), Qt::DescendingOrder);
    model.requestRows(0, kVisibleRows - 1);
    if (waitFor([&] { return model.isRowLoaded(0); }, 10000))
        say(u"TrashView's order (setFilters, then sort) loads its rows."_s);
    else
        problem(u"TrashView's order (setFilters, then sort right after tableReady) loads nothing in 10 s: "
                "rowCount() stays %1"_s.arg(model.rowCount()));
}

void Bench::run()
{
    checkTrashViewOrder();
    const int repeat = m_options.repeat;
    // Round 0 warms the server's and the kernel's caches for both sides; it is not counted.
    say(u"Warm-up round ..."_s);
    lazyRound(0);
    serverBaselines(false);
    for (Figure *f : {&m_first, &m_middle, &m_end, &m_filtered, &m_trash, &m_stall}) {
        f->measured.values.clear();
        f->baseline.values.clear();
    }
    m_exactCountMs.values.clear();
    m_estimateMs.values.clear();
    m_firstWarmMs.values.clear();
    m_firstTopMs.values.clear();
    m_trashWarmMs.values.clear();
    m_describedMs.values.clear();
    m_freshFloorMs.values.clear();
    m_connectMs.values.clear();
    m_catalogMs.values.clear();
    m_stallByPhase.clear();
    m_longestByPhase.clear();

    for (int round = 1; round <= repeat; ++round) {
        say(u"Round %1/%2 ..."_s.arg(round).arg(repeat));
        lazyRound(round);
        serverBaselines(round <= 2 && !m_options.quick);
        stallBaseline();
    }
    const int scrolls = m_options.quick ? 1 : std::min(3, repeat);
    for (int round = 1; round <= scrolls; ++round) {
        say(u"Scroll %1/%2 ..."_s.arg(round).arg(scrolls));
        scrollRound();
    }
    const int tableModelRounds = m_options.quick ? 0 : std::min(3, repeat);
    for (int round = 1; round <= tableModelRounds; ++round) {
        say(u"QSqlTableModel baseline %1/%2 ..."_s.arg(round).arg(tableModelRounds));
        tableModelBaseline();
    }
}

void Bench::report()
{
    say(QString());
    say(u"Plans (EXPLAIN ANALYZE of the first window the model asks for):"_s);
    say(u"  The Schedules view's opening (today's rows, by date then start time):\n"_s + m_firstPlan);
    say(u"  One employee, one month:\n"_s + m_filteredPlan);
    say(u"  Trash, newest deleted first:\n"_s + m_trashPlan);

    say(u"Figures (each next to its baseline from this run):"_s);
    const QList<const Figure *> figures = {&m_first, &m_middle, &m_end, &m_filtered, &m_trash, &m_memory, &m_stall};
    for (const Figure *f : figures) {
        say(u"  %1: %2"_s.arg(f->name, f->measured.text(f->unit)));
        say(u"    baseline, %1: %2"_s.arg(f->baselineName, f->baseline.text(f->unit)));
    }
    say(u"  QSqlTableModel RSS right after select(): %1"_s.arg(m_tableModelMemoryAfterSelect.text(u"MB"_s)));
    say(u"  Estimate arrived after opening (the view's jump waits for it, first rows from the top do not): %1"_s
            .arg(m_estimateMs.text(u"ms"_s)));
    say(u"  First rows of schedules from the top by schedule_date alone (fresh sessions, warmed for the view's "
        "order): %1"_s.arg(m_firstTopMs.text(u"ms"_s)));
    say(u"  Reopened on the pool's sessions: first rows of schedules %1; first page of the trash %2"_s
            .arg(m_firstWarmMs.text(u"ms"_s), m_trashWarmMs.text(u"ms"_s)));
    say(u"  First rows against a fresh session's floor (the same describe and first window on a new libpq "
        "session, no model): floor %1; first rows / floor = %2x"_s
            .arg(m_freshFloorMs.text(u"ms"_s))
            .arg(m_freshFloorMs.median() > 0 ? m_first.measured.median() / m_freshFloorMs.median() : 0.0, 0, 'f', 2));
    say(u"  Exact count arrived after opening: %1"_s.arg(m_exactCountMs.text(u"ms"_s)));
    say(u"  openTable() to tableReady (connect and describe on the fetcher): %1"_s.arg(m_describedMs.text(u"ms"_s)));
    say(u"    PgConnection::open alone: %1; Catalog::table with the join alone: %2"_s
            .arg(m_connectMs.text(u"ms"_s), m_catalogMs.text(u"ms"_s)));
    say(u"  Longest stall by phase:"_s);
    for (auto it = m_stallByPhase.cbegin(); it != m_stallByPhase.cend(); ++it) {
        const StallMonitor::Gap gap = m_longestByPhase.value(it.key());
        say(u"    %1: %2; the longest: main thread on CPU %3 ms, %4 voluntary / %5 involuntary switches"_s
                .arg(it.key(), it.value().text(u"ms"_s))
                .arg(gap.cpuMs, 0, 'f', 1)
                .arg(gap.voluntary)
                .arg(gap.involuntary));
    }
    const StallMonitor::Gap idle = m_longestByPhase.value(u"(no database work)"_s);
    say(u"    (no database work): longest %1 ms, main thread on CPU %2 ms, %3 voluntary / %4 involuntary switches"_s
            .arg(idle.ms, 0, 'f', 1).arg(idle.cpuMs, 0, 'f', 1).arg(idle.voluntary).arg(idle.involuntary));

    say(QString());
    say(u"| Figure | Measured (median / max) | Baseline (median) | Ratio | Target | Met? |"_s);
    say(u"|---|---|---|---|---|---|"_s);
    for (const Figure *f : figures) {
        const double med = f->measured.median();
        const double base = f->baseline.median();
        const QString ratio = base > 0 ? u"%1x"_s.arg(med / base, 0, 'f', med / base < 10 ? 2 : 0) : u"-"_s;
        QString met = med <= f->target ? u"yes"_s : u"no"_s;
        if (med <= f->target && f->measured.max() > f->target)
            met += u" (max over)"_s;
        say(u"| %1 | %2 / %3 %4 | %5 %4 (%6) | %7 | ≤ %8 %4 | %9 |"_s
                .arg(f->name)
                .arg(med, 0, 'f', 1)
                .arg(f->measured.max(), 0, 'f', 1)
                .arg(f->unit)
                .arg(base, 0, 'f', 1)
                .arg(f->baselineName)
                .arg(ratio)
                .arg(f->target, 0, 'f', 0)
                .arg(met));
    }
    if (!m_problems.isEmpty()) {
        say(QString());
        say(u"Problems:"_s);
        for (const QString &p : std::as_const(m_problems))
            say(u"  "_s + p);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Options options;
    try {
        options = parse(app.arguments());
    } catch (const Fatal &fatal) {
        QTextStream(stderr) << "bench_browse: " << fatal.message << Qt::endl;
        return 2;
    }

    std::unique_ptr<QTemporaryDir> temporary;
    QString directory = u"%1/rows-%2"_s.arg(options.dir).arg(options.rows);
    if (options.throwaway) {
        temporary = std::make_unique<QTemporaryDir>(u"/var/tmp/md-bench-XXXXXX"_s);
        // As root the server runs as postgres, which must be able to enter the folder.
        if (!temporary->isValid() || !QFile::setPermissions(temporary->path(), QFile::ReadOwner | QFile::WriteOwner
                                                                  | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther))
        {
            QTextStream(stderr) << "bench_browse: cannot create a temporary folder under /var/tmp" << Qt::endl;
            return 1;
        }
        directory = temporary->path() + u"/cluster"_s;
    }

    Sandbox sandbox;
    sandbox.setDirectory(directory);
    sandbox.setDemoSize(std::clamp<qint64>(options.rows / 100, 1000, 100000), options.rows);
    QElapsedTimer clock;
    clock.start();
    int lastPercent = -1;
    QObject::connect(&sandbox, &Sandbox::progress, &app, [&](const QString &step, int percent) {
        if (percent / 5 != lastPercent / 5 || percent < 70)
            say(u"  [%1 s] %2 (%3%)"_s.arg(msSince(clock) / 1000, 0, 'f', 1).arg(step).arg(percent));
        lastPercent = percent;
    });
    say(u"Bench database in %1"_s.arg(directory));
    QString error;
    const auto settings = sandbox.ensureRunning(&error);
    if (!settings) {
        QTextStream(stderr) << "bench_browse: " << error << Qt::endl;
        sandbox.stop(&error);
        return 1;
    }
    say(u"  ready after %1 s"_s.arg(msSince(clock) / 1000, 0, 'f', 1));

    int code = 0;
    try {
        Bench bench(options, *settings);
        bench.prepare();
        bench.run();
        bench.report();
        code = bench.exitCode();
    } catch (const Fatal &fatal) {
        out().flush();
        QTextStream(stderr) << "bench_browse: " << fatal.message << Qt::endl;
        code = 1;
    }
    if (options.throwaway || !options.keepRunning) {
        if (!sandbox.stop(&error))
            QTextStream(stderr) << "bench_browse: " << error << Qt::endl;
    }
    return code;
}
