#include "scheduling/demorows.h"

#include "scheduling/demovalues.h"
#include "scheduling/schedulingenums.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <random>

namespace MigrationDesk {

namespace {

using SchedulingEnums::Priority;
using SchedulingEnums::Role;
using SchedulingEnums::ScheduleType;
using SchedulingEnums::Status;

constexpr qint64 kSecondsPerDay = 86400;
const char kPasswordAlphabet[] = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

template<typename T, size_t N>
constexpr size_t countOf(const T (&)[N]) { return N; }

// A small, portable random source: std::mt19937_64 is specified bit for bit, unlike the standard
// distributions, so the same seed gives the same rows with any compiler or library.
class Random
{
public:
    explicit Random(quint64 seed) : m_engine(seed) {}
    quint64 next() { return m_engine(); }
    // Uniform in [0, n); n > 0.
    quint64 below(quint64 n) { return quint64((unsigned __int128)(m_engine()) * n >> 64); }
    qint64 between(qint64 lo, qint64 hi) { return lo + qint64(below(quint64(hi - lo + 1))); }
    // Uniform in [0, 1).
    double unit() { return double(m_engine() >> 11) * (1.0 / 9007199254740992.0); }
    bool chance(double p) { return unit() < p; }
    template<typename T> const T &pick(const std::vector<T> &v) { return v[below(v.size())]; }

private:
    std::mt19937_64 m_engine;
};

// Picks exactly `wanted` of `total` items, each equally likely, in one pass (Knuth's algorithm S),
// so a ratio gives a predictable count instead of a binomial one.
class ExactSelection
{
public:
    ExactSelection(qint64 wanted, qint64 total) : m_wanted(wanted), m_left(total) {}
    bool next(Random &random)
    {
        const bool take = m_left > 0 && qint64(random.below(quint64(m_left))) < m_wanted;
        --m_left;
        if (take)
            --m_wanted;
        return take;
    }

private:
    qint64 m_wanted;
    qint64 m_left;
};

void appendInt(QByteArray &out, qint64 value)
{
    char buffer[24];
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, qsizetype(r.ptr - buffer));
}

void append2(QByteArray &out, int value)
{
    const char digits[2] = {char('0' + value / 10), char('0' + value % 10)};
    out.append(digits, 2);
}

// Howard Hinnant's civil_from_days, on Julian day numbers.
void appendDate(QByteArray &out, qint64 julianDay)
{
    qint64 z = julianDay - 2440588 + 719468; // days since 0000-03-01
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const int day = int(doy - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    const char y[4] = {char('0' + year / 1000 % 10), char('0' + year / 100 % 10), char('0' + year / 10 % 10),
                       char('0' + year % 10)};
    out.append(y, 4);
    out.append('-');
    append2(out, month);
    out.append('-');
    append2(out, day);
}

void appendTime(QByteArray &out, qint64 secondsOfDay)
{
    append2(out, int(secondsOfDay / 3600));
    out.append(':');
    append2(out, int(secondsOfDay / 60 % 60));
    out.append(':');
    append2(out, int(secondsOfDay % 60));
}

// A timestamp counted in seconds from Julian day 0.
void appendTimestamp(QByteArray &out, qint64 seconds)
{
    appendDate(out, seconds / kSecondsPerDay);
    out.append(' ');
    appendTime(out, seconds % kSecondsPerDay);
}

// A random moment of office hours (09:00 to 18:00) of a day, in seconds from Julian day 0.
qint64 officeMoment(Random &random, qint64 julianDay)
{
    return julianDay * kSecondsPerDay + random.between(9 * 3600, 18 * 3600 - 1);
}

void appendNull(QByteArray &out)
{
    out.append("\\N", 2);
}

void appendBool(QByteArray &out, bool value)
{
    out.append(value ? 't' : 'f');
}

// Writes employee rows: employee_id, email, username, password, name, role, is_active, is_deleted,
// deleted_at, created_at, department.
class EmployeeWriter
{
public:
    EmployeeWriter(const DemoValues &pools, Random &random, qint64 firstId, qint64 count, double deletedRatio,
                   qint64 todayJd)
        : m_pools(pools), m_random(random), m_nextId(firstId), m_left(count), m_todayJd(todayJd)
        , m_deleted(std::llround(double(count) * deletedRatio), count)
        , m_admins(count > 0 ? std::max<qint64>(1, std::llround(double(count) * 0.03)) : 0, count)
    {
    }

    qint64 left() const { return m_left; }

    void writeRow(QByteArray &out)
    {
        const qint64 id = m_nextId++;
        --m_left;
        const bool korean = m_random.chance(0.55);
        QByteArray name, user;
        if (korean) {
            const size_t s = m_random.below(m_pools.koreanSurnames.size());
            const size_t g = m_random.below(m_pools.koreanGiven.size());
            name = m_pools.koreanSurnames[s] + m_pools.koreanGiven[g];
            user = m_pools.koreanGivenRoman[g] + '.' + m_pools.koreanSurnamesRoman[s];
        } else {
            const size_t f = m_random.below(m_pools.englishFirst.size());
            const size_t l = m_random.below(m_pools.englishLast.size());
            name = m_pools.englishFirst[f] + ' ' + m_pools.englishLast[l];
            user = m_pools.englishFirstLower[f] + '.' + m_pools.englishLastLower[l];
        }
        // The id makes user names and addresses unique across runs.
        appendInt(user, id);

        appendInt(out, id);
        out.append('\t');
        out.append(user);
        out.append('@');
        out.append(m_random.pick(m_pools.domains));
        out.append('\t');
        out.append(user);
        out.append('\t');
        // Shaped like a bcrypt hash; no real password hashes to it.
        char hash[60] = {'$', '2', 'b', '$', '1', '2', '$'};
        for (int i = 7; i < 60; ++i)
            hash[i] = kPasswordAlphabet[m_random.below(sizeof kPasswordAlphabet - 1)];
        out.append(hash, 60);
        out.append('\t');
        out.append(name);
        out.append('\t');
        out.append(SchedulingEnums::value(m_admins.next(m_random) ? Role::Admin : Role::User));
        out.append('\t');
        const bool deleted = m_deleted.next(m_random);
        appendBool(out, !deleted && m_random.chance(0.95));
        out.append('\t');
        appendBool(out, deleted);
        out.append('\t');
        // Hired between about three years and fourteen months ago, before any generated schedule.
        const qint64 created = officeMoment(m_random, m_todayJd - m_random.between(420, 1100));
        if (deleted) {
            const qint64 now = m_todayJd * kSecondsPerDay;
            appendTimestamp(out, created + 3600 + qint64(m_random.below(quint64(now - created - 3600))));
        } else {
            appendNull(out);
        }
        out.append('\t');
        appendTimestamp(out, created);
        out.append('\t');
        if (m_random.chance(0.01))
            appendNull(out);
        else
            out.append(m_random.pick(m_pools.departments));
        out.append('\n');
    }

private:
    const DemoValues &m_pools;
    Random &m_random;
    qint64 m_nextId;
    qint64 m_left;
    qint64 m_todayJd;
    ExactSelection m_deleted;
    ExactSelection m_admins;
};

// Writes schedule rows: schedule_id, employee_id, schedule_type, title, description, schedule_date,
// start_time, end_time, location, client_name, client_contact, purpose, status, priority, result,
// follow_up, reminder, reminder_time, created_at, updated_at, is_deleted, deleted_at.
class ScheduleWriter
{
public:
    ScheduleWriter(const DemoValues &pools, Random &random, std::vector<qint64> employeeIds, qint64 firstId,
                   qint64 count, double deletedRatio, qint64 todayJd)
        : m_pools(pools), m_random(random), m_employeeIds(std::move(employeeIds)), m_nextId(firstId)
        , m_left(count), m_todayJd(todayJd), m_deleted(std::llround(double(count) * deletedRatio), count)
    {
    }

    qint64 left() const { return m_left; }

    void writeRow(QByteArray &out)
    {
        Random &r = m_random;
        const qint64 id = m_nextId++;
        --m_left;
        const qint64 now = m_todayJd * kSecondsPerDay;

        const quint64 typeRoll = r.below(100);
        const ScheduleType type = typeRoll < 35 ? ScheduleType::Visit
            : typeRoll < 65                     ? ScheduleType::Meeting
            : typeRoll < 75                     ? ScheduleType::Training
            : typeRoll < 90                     ? ScheduleType::Report
                                                : ScheduleType::Other;
        qint64 offset = r.between(-365, 365);
        // Mostly weekdays: Julian day % 7 is 5 on Saturdays and 6 on Sundays.
        const int weekday = int((m_todayJd + offset) % 7);
        if (weekday >= 5 && r.chance(0.9))
            offset += weekday == 5 ? -1 : 1;
        const qint64 dateJd = m_todayJd + offset;

        const bool hasTimes = !(r.chance(type == ScheduleType::Report ? 0.2 : 0.03));
        qint64 start = 0, end = 0;
        if (hasTimes) {
            static const int durations[] = {30, 60, 60, 60, 90, 120, 180};
            start = (8 * 60 + 30 * qint64(r.below(20))) * 60;                         // 08:00 .. 17:30
            end = std::min<qint64>(start + durations[r.below(countOf(durations))] * 60, 19 * 3600);
        }

        const bool hasClient = type == ScheduleType::Visit || (type == ScheduleType::Meeting ? r.chance(0.7) : r.chance(0.15));
        const QByteArray *client = hasClient ? &r.pick(m_pools.clients) : nullptr;

        Status status;
        if (offset < -3) {
            const quint64 s = r.below(100);
            status = s < 80 ? Status::Completed : s < 92 ? Status::Cancelled : s < 96 ? Status::Scheduled
                                                                                      : Status::InProgress;
        } else if (offset <= 3) {
            const quint64 s = r.below(100);
            status = s < 35   ? Status::InProgress
                : s < 70      ? (offset <= 0 ? Status::Completed : Status::Scheduled)
                : s < 90      ? Status::Scheduled
                              : Status::Cancelled;
        } else {
            status = r.chance(0.9) ? Status::Scheduled : Status::Cancelled;
        }
        const quint64 p = r.below(100);
        const Priority priority = p < 20 ? Priority::High : p < 75 ? Priority::Medium : Priority::Low;

        appendInt(out, id);
        out.append('\t');
        appendInt(out, m_employeeIds[r.below(m_employeeIds.size())]);
        out.append('\t');
        out.append(SchedulingEnums::value(type));
        out.append('\t');
        if (client && r.chance(0.6)) {
            out.append(*client);
            out.append(' ');
            out.append(r.pick(m_pools.clientTitleSuffixes));
        } else {
            out.append(r.pick(m_pools.genericTitles[int(type)]));
        }
        out.append('\t');
        if (r.chance(0.5))
            out.append(r.pick(m_pools.descriptions));
        else
            appendNull(out);
        out.append('\t');
        appendDate(out, dateJd);
        out.append('\t');
        if (hasTimes) {
            appendTime(out, start);
            out.append('\t');
            appendTime(out, end);
        } else {
            appendNull(out);
            out.append('\t');
            appendNull(out);
        }
        out.append('\t');
        const std::vector<QByteArray> *locations = type == ScheduleType::Visit ? &m_pools.visitLocations
            : type == ScheduleType::Meeting ? &m_pools.meetingLocations
            : type == ScheduleType::Training ? &m_pools.trainingLocations
            : &m_pools.officeLocations;
        if (type == ScheduleType::Visit || r.chance(0.8))
            out.append(r.pick(*locations));
        else
            appendNull(out);
        out.append('\t');
        if (client)
            out.append(*client);
        else
            appendNull(out);
        out.append('\t');
        if (client && r.chance(0.8))
            appendPhone(out);
        else
            appendNull(out);
        out.append('\t');
        if ((type == ScheduleType::Visit || type == ScheduleType::Meeting) && r.chance(0.6))
            out.append(r.pick(m_pools.purposes));
        else
            appendNull(out);
        out.append('\t');
        out.append(SchedulingEnums::value(status));
        out.append('\t');
        out.append(SchedulingEnums::value(priority));
        out.append('\t');
        if (status == Status::Completed && r.chance(0.7))
            out.append(r.pick(m_pools.results));
        else
            appendNull(out);
        out.append('\t');
        if (status == Status::Completed && r.chance(0.4))
            out.append(r.pick(m_pools.followUps));
        else
            appendNull(out);
        out.append('\t');

        const qint64 begins = dateJd * kSecondsPerDay + (hasTimes ? start : 9 * 3600);
        const bool reminder = status != Status::Cancelled && r.chance(0.35);
        appendBool(out, reminder);
        out.append('\t');
        if (reminder) {
            static const qint64 leads[] = {10 * 60, 30 * 60, 60 * 60, kSecondsPerDay};
            appendTimestamp(out, begins - leads[r.below(countOf(leads))]);
        } else {
            appendNull(out);
        }
        out.append('\t');

        // Planned one to 45 days ahead, never later than now; updated when the outcome was known.
        qint64 created = officeMoment(r, dateJd - r.between(1, 45));
        if (created >= now)
            created = now - 1 - qint64(r.below(30 * kSecondsPerDay));
        qint64 updated = created;
        if (status != Status::Scheduled) {
            const qint64 finished = dateJd * kSecondsPerDay + (hasTimes ? end : 18 * 3600)
                                  + qint64(r.below(2 * kSecondsPerDay));
            // An outcome known ahead of the day (a cancellation, mostly) came some time after planning;
            // clamping it to now stacked all of those on one second.
            updated = finished < now ? std::max(created, finished) : created + qint64(r.below(quint64(now - created)));
        }
        const bool deleted = m_deleted.next(r);
        qint64 deletedAt = 0;
        if (deleted) {
            qint64 at = updated + 3600 + qint64(r.below(60 * kSecondsPerDay));
            // A delete that would lie in the future happened somewhere between the last change and now.
            // (Clamping it to now put a large part of the trash on one instant, and the trash, sorted by
            // deleted_at, then had to sort that whole tie to show its first page.)
            if (at >= now)
                at = updated + 1 + qint64(r.below(quint64(std::max<qint64>(1, now - updated - 1))));
            // The soft delete was the last change, so it also set updated_at.
            deletedAt = std::max(at, created + 1);
            updated = deletedAt;
        }
        appendTimestamp(out, created);
        out.append('\t');
        appendTimestamp(out, updated);
        out.append('\t');
        appendBool(out, deleted);
        out.append('\t');
        if (deleted)
            appendTimestamp(out, deletedAt);
        else
            appendNull(out);
        out.append('\n');
    }

private:
    void appendPhone(QByteArray &out)
    {
        const quint64 kind = m_random.below(10);
        if (kind < 6) {
            out.append("010-", 4);
            appendDigits(out, 4);
            out.append('-');
            appendDigits(out, 4);
        } else if (kind < 8) {
            out.append("02-", 3);
            appendDigits(out, 4);
            out.append('-');
            appendDigits(out, 4);
        } else {
            // 555-0100 .. 555-0199 are reserved for fiction.
            out.append("+1-212-555-01", 13);
            appendDigits(out, 2);
        }
    }
    void appendDigits(QByteArray &out, int count)
    {
        for (int i = 0; i < count; ++i)
            out.append(char('0' + m_random.below(10)));
    }

    const DemoValues &m_pools;
    Random &m_random;
    std::vector<qint64> m_employeeIds;
    qint64 m_nextId;
    qint64 m_left;
    qint64 m_todayJd;
    ExactSelection m_deleted;
};

} // namespace

struct DemoRows::State
{
    State(quint64 seed, const QDate &today) : random(seed), todayJd(today.toJulianDay()) {}

    const DemoValues values;
    Random random;
    qint64 todayJd;
    std::optional<EmployeeWriter> employees;
    std::optional<ScheduleWriter> schedules;
};

DemoRows::DemoRows(quint64 seed, const QDate &today)
    : m_state(std::make_unique<State>(seed, today))
{
}

DemoRows::~DemoRows() = default;

void DemoRows::startEmployees(qint64 firstId, qint64 count, double deletedRatio)
{
    m_state->schedules.reset();
    m_state->employees.emplace(m_state->values, m_state->random, firstId, count, deletedRatio, m_state->todayJd);
}

void DemoRows::startSchedules(std::vector<qint64> employeeIds, qint64 firstId, qint64 count, double deletedRatio)
{
    m_state->employees.reset();
    m_state->schedules.emplace(m_state->values, m_state->random, std::move(employeeIds), firstId, count,
                               deletedRatio, m_state->todayJd);
}

qint64 DemoRows::left() const
{
    if (m_state->employees)
        return m_state->employees->left();
    return m_state->schedules ? m_state->schedules->left() : 0;
}

void DemoRows::writeRow(QByteArray &out)
{
    if (m_state->employees)
        m_state->employees->writeRow(out);
    else if (m_state->schedules)
        m_state->schedules->writeRow(out);
}

} // namespace MigrationDesk
