#include "scheduling/demodata.h"

#include "db/bulkload.h"
#include "db/copystream.h"
#include "db/pgconnection.h"
#include "migrations/bookkeeping.h"
#include "migrations/scriptset.h"
#include "scheduling/schedulingenums.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>

#include <charconv>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

namespace MigrationDesk {

namespace {

// Gives lupdate the same context ("DemoData") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(DemoData)
};

constexpr qint64 kSecondsPerDay = 86400;

// ---------------------------------------------------------------------------------------------
// The value pools. All plain UTF-8; they are escaped once for COPY when the pools are built.

const char *const kKoreanSurnames[][2] = {
    {"김", "kim"}, {"이", "lee"}, {"박", "park"}, {"최", "choi"}, {"정", "jung"}, {"강", "kang"},
    {"조", "cho"}, {"윤", "yoon"}, {"장", "jang"}, {"임", "lim"}, {"한", "han"}, {"오", "oh"},
    {"서", "seo"}, {"신", "shin"}, {"권", "kwon"}, {"황", "hwang"}, {"안", "ahn"}, {"송", "song"},
    {"류", "ryu"}, {"홍", "hong"}, {"전", "jeon"}, {"고", "ko"}, {"문", "moon"}, {"양", "yang"},
    {"배", "bae"},
};
const char *const kKoreanGivenNames[][2] = {
    {"민준", "minjun"}, {"서연", "seoyeon"}, {"서준", "seojun"}, {"지우", "jiwoo"}, {"도윤", "doyun"},
    {"하은", "haeun"}, {"예준", "yejun"}, {"민서", "minseo"}, {"시우", "siwoo"}, {"지민", "jimin"},
    {"주원", "juwon"}, {"수아", "sua"}, {"하준", "hajun"}, {"지유", "jiyu"}, {"지호", "jiho"},
    {"채원", "chaewon"}, {"준서", "junseo"}, {"서윤", "seoyun"}, {"건우", "gunwoo"}, {"지아", "jia"},
    {"현우", "hyunwoo"}, {"다은", "daeun"}, {"우진", "woojin"}, {"은서", "eunseo"}, {"선우", "sunwoo"},
    {"예린", "yerin"}, {"연우", "yeonwoo"}, {"수빈", "subin"}, {"유준", "yujun"}, {"소율", "soyul"},
    {"정훈", "junghoon"}, {"영희", "younghee"}, {"상민", "sangmin"}, {"혜진", "hyejin"},
    {"동현", "donghyun"}, {"미영", "miyoung"},
};
const char *const kEnglishFirstNames[] = {
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
    "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Daniel", "Emily", "Matthew", "Olivia", "Andrew", "Sophia", "Ryan", "Emma", "Kevin", "Grace",
    "Brian", "Chloe",
};
const char *const kEnglishLastNames[] = {
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson",
    "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris",
    "Clark", "Lewis", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green",
    "Adams", "Baker", "O'Brien", "Nelson",
};
// Reserved example domains (RFC 2606), so no generated address can reach a real mailbox.
const char *const kEmailDomains[] = {"example.com", "example.org", "example.net", "corp.example.com"};
const char *const kDepartments[] = {
    "영업1팀", "영업2팀", "영업지원팀", "개발팀", "인사팀", "마케팅팀", "경영지원팀", "고객지원팀",
    "Sales", "Marketing", "Engineering", "Support", "Finance", "Operations", "Human Resources",
    "Business Development",
};
const char *const kClients[] = {
    "(주)한빛소프트", "대한물산", "미래테크", "서울상사", "동방무역", "우리정밀", "새한전자",
    "청솔제약", "푸른식품", "태양에너지", "나래물류", "금강건설", "(주)하늘정보통신", "바다수산",
    "Acme Corporation", "Globex", "Initech", "Northwind Traders", "Contoso Ltd.", "Fabrikam Inc.",
    "Blue Harbor Logistics", "Summit Health", "Pinecrest Foods", "Vertex Analytics",
};
const char *const kVisitLocations[] = {
    "서울 강남구 테헤란로 152", "서울 중구 세종대로 110", "부산 해운대구 센텀중앙로 79",
    "경기 성남시 분당구 판교역로 235", "대전 유성구 대학로 99", "인천 연수구 송도과학로 32",
    "고객사 본사 3층 회의실", "123 Market St, San Francisco, CA", "500 5th Ave, New York, NY",
    "Client HQ, 2F reception",
};
const char *const kMeetingLocations[] = {
    "본사 3층 대회의실", "본사 5층 소회의실 A", "Online (Zoom)", "Online (Microsoft Teams)",
    "Google Meet", "Meeting Room B, 7F", "카페 (역삼역 2번 출구)",
};
const char *const kTrainingLocations[] = {"연수원 201호", "본사 교육장", "Training Center, Room 4", "Online (LMS)"};
const char *const kOfficeLocations[] = {"본사 사무실", "Head office", "재택 (Home office)"};

using SchedulingEnums::Priority;
using SchedulingEnums::Role;
using SchedulingEnums::ScheduleType;
using SchedulingEnums::Status;
constexpr int kTypeCount = int(std::size(SchedulingEnums::kScheduleTypes));
// One row of titles per schedule type, in ScheduleType's order.
const char *const kGenericTitles[kTypeCount][8] = {
    {"고객사 정기 방문", "신규 거래처 방문", "제품 시연 방문", "A/S 점검 방문", "Site visit",
     "Customer check-in", "Product demo on site", "Contract signing visit"},
    {"주간 팀 회의", "월간 실적 회의", "프로젝트 킥오프", "1:1 면담", "Weekly sync",
     "Sales pipeline review", "Project kickoff", "Budget planning"},
    {"신입사원 교육", "제품 교육", "정보보안 교육", "리더십 워크숍", "Product training",
     "Security awareness training", "Onboarding session", "Excel for sales"},
    {"주간 업무 보고", "월간 영업 보고서 작성", "분기 실적 보고", "출장 보고서 제출", "Weekly report",
     "Monthly sales report", "Quarterly business review deck", "Expense report"},
    {"거래처 경조사", "사내 행사", "건강검진", "외부 세미나 참석", "Team lunch", "Conference",
     "Trade show booth duty", "Admin day"},
};
// Titles that follow a client's name ("미래테크 납품 협의", "Globex Demo").
const char *const kClientTitleSuffixes[] = {
    "정기 방문", "납품 협의", "제품 시연", "견적 협의", "계약 갱신 논의", "미팅",
    "Quarterly visit", "Demo", "Contract review", "Negotiation", "Proposal meeting", "Renewal discussion",
};
// Some entries hold newlines, a tab, CRLF and backslashes on purpose: real notes do, and COPY's
// text format must carry them intact.
const char *const kDescriptions[] = {
    "신제품 카탈로그와 샘플 지참",
    "담당자: 구매팀 과장님. 주차는 지하 2층",
    "1. 제품 소개\n2. 견적 협의\n3. 다음 일정 확정",
    "Agenda:\n- Q3 numbers\n- Renewal terms\t(draft)",
    "자료 위치: \\\\fileserver\\sales\\2024\\제안서.pptx",
    "Notes from call:\r\nConfirm delivery date",
    "Bring the signed NDA and two laptops for the demo.",
    "Prepare slides in English; the CFO joins remotely.",
    "점심 식사 포함, 법인카드 사용",
    "Follow the checklist in the shared drive.",
    "회의록은 회의 후 24시간 이내 공유",
    "Parking is validated at the front desk.",
};
const char *const kPurposes[] = {
    "신제품 소개 및 도입 제안", "계약 조건 협의", "불만 사항 청취 및 대응", "연간 계약 갱신",
    "기술 지원 및 교육", "Introduce the new product line", "Negotiate renewal terms",
    "Collect requirements", "Resolve open support tickets", "Upsell the premium plan",
};
const char *const kResults[] = {
    "견적서 요청 받음, 다음 주 회신 예정", "계약 체결 완료", "추가 자료 요청", "긍정적 반응, 2차 미팅 예정",
    "담당자 부재로 일정 변경", "Customer agreed to a pilot", "Signed the renewal",
    "Asked for a revised quote", "No decision yet", "Postponed by the client",
};
const char *const kFollowUps[] = {
    "견적서 발송", "담당 임원 미팅 일정 조율", "샘플 발송", "계약서 검토 요청",
    "Send the revised proposal by Friday", "Schedule a technical demo", "Call back next month",
    "Share the meeting notes",
};
const char kPasswordAlphabet[] = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

template<typename T, size_t N>
constexpr size_t countOf(const T (&)[N]) { return N; }

QByteArray escaped(const char *utf8)
{
    QByteArray out;
    CopyStream::appendText(out, utf8, qsizetype(qstrlen(utf8)));
    return out;
}

template<size_t N>
std::vector<QByteArray> pool(const char *const (&values)[N])
{
    std::vector<QByteArray> out;
    out.reserve(N);
    for (const char *v : values)
        out.push_back(escaped(v));
    return out;
}

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

struct Pools
{
    std::vector<QByteArray> koreanSurnames, koreanSurnamesRoman, koreanGiven, koreanGivenRoman;
    std::vector<QByteArray> englishFirst, englishFirstLower, englishLast, englishLastLower;
    std::vector<QByteArray> domains, departments, clients;
    std::vector<QByteArray> visitLocations, meetingLocations, trainingLocations, officeLocations;
    std::vector<QByteArray> genericTitles[kTypeCount];
    std::vector<QByteArray> clientTitleSuffixes, descriptions, purposes, results, followUps;

    Pools()
    {
        for (const auto &pair : kKoreanSurnames) {
            koreanSurnames.push_back(escaped(pair[0]));
            koreanSurnamesRoman.push_back(escaped(pair[1]));
        }
        for (const auto &pair : kKoreanGivenNames) {
            koreanGiven.push_back(escaped(pair[0]));
            koreanGivenRoman.push_back(escaped(pair[1]));
        }
        // User names and mail addresses keep letters only ("O'Brien" -> "obrien").
        auto lowerLetters = [](const char *s) {
            QByteArray out;
            for (; *s; ++s)
                if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
                    out.append(char(*s | 0x20));
            return out;
        };
        for (const char *s : kEnglishFirstNames) {
            englishFirst.push_back(escaped(s));
            englishFirstLower.push_back(lowerLetters(s));
        }
        for (const char *s : kEnglishLastNames) {
            englishLast.push_back(escaped(s));
            englishLastLower.push_back(lowerLetters(s));
        }
        domains = pool(kEmailDomains);
        departments = pool(kDepartments);
        clients = pool(kClients);
        visitLocations = pool(kVisitLocations);
        meetingLocations = pool(kMeetingLocations);
        trainingLocations = pool(kTrainingLocations);
        officeLocations = pool(kOfficeLocations);
        for (int t = 0; t < kTypeCount; ++t)
            genericTitles[t] = pool(kGenericTitles[t]);
        clientTitleSuffixes = pool(kClientTitleSuffixes);
        descriptions = pool(kDescriptions);
        purposes = pool(kPurposes);
        results = pool(kResults);
        followUps = pool(kFollowUps);
    }
};

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
    EmployeeWriter(const Pools &pools, Random &random, qint64 firstId, qint64 count, double deletedRatio,
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
    const Pools &m_pools;
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
    ScheduleWriter(const Pools &pools, Random &random, std::vector<qint64> employeeIds, qint64 firstId,
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

    const Pools &m_pools;
    Random &m_random;
    std::vector<qint64> m_employeeIds;
    qint64 m_nextId;
    qint64 m_left;
    qint64 m_todayJd;
    ExactSelection m_deleted;
};

// Ends the transaction on every early return.
struct Rollback
{
    PgConnection &connection;
    bool armed = true;
    ~Rollback()
    {
        if (armed && connection.inTransaction())
            connection.exec(QStringLiteral("ROLLBACK"));
    }
};

bool queryFailed(const std::optional<QList<QStringList>> &rows, const SqlError &sqlError, const char *what,
                 QString *error)
{
    if (rows)
        return false;
    if (error)
        *error = Text::tr(what).arg(sqlError.toString());
    return true;
}

} // namespace

bool DemoDataGenerator::generate(PgConnection &connection, const DemoDataOptions &options,
                                 const std::function<void(qint64, qint64)> &progress,
                                 const std::atomic_bool *cancel, QString *error, DemoDataResult *result)
{
    QElapsedTimer clock;
    clock.start();
    auto failWith = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (options.employees < 0 || options.schedules < 0)
        return failWith(Text::tr("The numbers of employees and schedules cannot be negative."));
    if (!(options.deletedRatio >= 0.0 && options.deletedRatio <= 1.0))
        return failWith(Text::tr("The deleted ratio must be between 0 and 1."));
    if (!connection.isOpen())
        return failWith(Text::tr("Not connected to a database."));
    if (connection.inTransaction())
        return failWith(Text::tr("The connection is already inside a transaction."));

    // The rows are shaped for the bundled schema, so the database must be exactly at its head.
    QString versionError;
    const auto versionTable = VersionTable::fromName(options.versionTable, &versionError);
    if (!versionTable)
        return failWith(versionError);
    const ScriptSet scripts = ScriptSet::load(ScriptSet::bundledLocation());
    const QStringList wanted = scripts.graph().heads();
    Bookkeeping books(&connection, *versionTable);
    SqlError sqlError;
    const auto heads = books.readHeads(&sqlError);
    if (!heads)
        return failWith(Text::tr("Could not read the version table: %1").arg(sqlError.toString()));
    if (*heads != wanted) {
        const QString at = heads->isEmpty() ? QStringLiteral("base") : heads->join(QStringLiteral(", "));
        return failWith(Text::tr("The database is not at head (it is at %1; head is %2). Run 'upgrade head' first; "
                           "nothing was added.")
                            .arg(at, wanted.join(QStringLiteral(", "))));
    }

    if (!connection.exec(QStringLiteral("BEGIN"), &sqlError))
        return failWith(sqlError.toString());
    Rollback rollback{connection};

    // A load at least as big as what a table holds is faster with its indexes and foreign keys built
    // afterwards in one pass each than maintained row by row; reltuples is close enough to decide that.
    QStringList bulkTables;
    if (options.bulkThreshold > 0) {
        const auto sizes = connection.query(QStringLiteral(
            "SELECT c.relname, c.relkind = 'r', greatest(c.reltuples, 0)::bigint FROM pg_class c "
            "WHERE c.oid IN ('employees'::regclass, 'schedules'::regclass) ORDER BY c.relname"),
            {}, &sqlError);
        if (!sizes)
            return failWith(Text::tr("Could not read the sizes of the tables: %1").arg(sqlError.toString()));
        for (const QStringList &row : *sizes) {
            const qint64 adding = row.at(0) == QLatin1String("employees") ? options.employees : options.schedules;
            if (row.at(1) == QLatin1String("t") && adding >= options.bulkThreshold && adding >= row.at(2).toLongLong())
                bulkTables << row.at(0);
        }
    }
    // Other writers wait, so the ids read below stay free until COMMIT. A bulk load keeps readers out as
    // well: its DROP INDEX needs that lock anyway, and taking it first cannot deadlock with a reader.
    const QString lockMode = bulkTables.isEmpty() ? QStringLiteral("SHARE ROW EXCLUSIVE") : QStringLiteral("ACCESS EXCLUSIVE");
    if (!connection.exec(QStringLiteral("SET LOCAL statement_timeout = 0; "
                                        "LOCK TABLE employees, schedules IN %1 MODE").arg(lockMode),
                         &sqlError))
        return failWith(sqlError.toString());
    QStringList rebuild;
    if (!bulkTables.isEmpty()) {
        // Index builds sort in memory up to maintenance_work_mem; the server's default (64 MB) spills ten
        // million keys to disk. Any role may raise it for its own transaction.
        if (!connection.exec(QStringLiteral("SELECT set_config('maintenance_work_mem', '512MB', true) FROM pg_settings "
                                            "WHERE name = 'maintenance_work_mem' AND setting::bigint < 524288"),
                             &sqlError))
            return failWith(sqlError.toString());
        for (const QString &table : std::as_const(bulkTables)) {
            QString detachError;
            if (!BulkLoad::detachIndexesAndForeignKeys(connection, table, cancel, &rebuild, &detachError))
                return failWith(detachError);
        }
    }

    // Ids continue after both the largest id and the sequence, so explicit ids never collide with
    // rows the application inserted, and a fresh database always gets the same ids.
    const auto next = connection.query(QStringLiteral(
        "SELECT greatest((SELECT coalesce(max(employee_id), 0) FROM employees),"
        "                coalesce(pg_sequence_last_value(pg_get_serial_sequence('employees', 'employee_id')::regclass), 0)) + 1,"
        "       greatest((SELECT coalesce(max(schedule_id), 0) FROM schedules),"
        "                coalesce(pg_sequence_last_value(pg_get_serial_sequence('schedules', 'schedule_id')::regclass), 0)) + 1"),
        {}, &sqlError);
    if (queryFailed(next, sqlError, "Could not read the next ids: %1", error))
        return false;
    const qint64 firstEmployee = next->at(0).at(0).toLongLong();
    const qint64 firstSchedule = next->at(0).at(1).toLongLong();

    const qint64 total = options.employees + options.schedules;
    qint64 done = 0;
    const Pools pools;
    Random random(options.seed);
    const QDate today = options.today.isValid() ? options.today : QDateTime::currentDateTimeUtc().date();
    const qint64 todayJd = today.toJulianDay();
    QString copyError;

    // Fills COPY buffers of about CopyStream::kChunkBytes from a row writer, reporting progress per chunk.
    auto chunksOf = [&](auto &writer) {
        return [&](QByteArray &buffer) {
            const qint64 before = writer.left();
            while (writer.left() > 0 && buffer.size() < CopyStream::kChunkBytes)
                writer.writeRow(buffer);
            done += before - writer.left();
            if (progress)
                progress(done, total);
            return writer.left() > 0;
        };
    };

    if (options.employees > 0) {
        EmployeeWriter writer(pools, random, firstEmployee, options.employees, options.deletedRatio, todayJd);
        const bool ok = CopyStream::copyFromStdin(
            connection,
            "COPY employees (employee_id, email, username, password, name, role, is_active, is_deleted, "
            "deleted_at, created_at, department) FROM STDIN",
            chunksOf(writer),
            cancel, &copyError);
        if (!ok)
            return failWith(Text::tr("Adding employees failed: %1").arg(copyError));
    }

    if (options.schedules > 0) {
        const auto idRows = connection.query(QStringLiteral("SELECT employee_id FROM employees ORDER BY employee_id"),
                                             {}, &sqlError);
        if (queryFailed(idRows, sqlError, "Could not read the employees: %1", error))
            return false;
        if (idRows->isEmpty())
            return failWith(Text::tr("Schedules need employees: there are none; add some with --employees."));
        std::vector<qint64> employeeIds;
        employeeIds.reserve(size_t(idRows->size()));
        for (const QStringList &row : *idRows)
            employeeIds.push_back(row.at(0).toLongLong());

        ScheduleWriter writer(pools, random, std::move(employeeIds), firstSchedule, options.schedules,
                              options.deletedRatio, todayJd);
        const bool ok = CopyStream::copyFromStdin(
            connection,
            "COPY schedules (schedule_id, employee_id, schedule_type, title, description, schedule_date, "
            "start_time, end_time, location, client_name, client_contact, purpose, status, priority, result, "
            "follow_up, reminder, reminder_time, created_at, updated_at, is_deleted, deleted_at) FROM STDIN",
            chunksOf(writer),
            cancel, &copyError);
        if (!ok)
            return failWith(Text::tr("Adding schedules failed: %1").arg(copyError));
    }

    if (cancel && cancel->load())
        return failWith(Text::tr("Cancelled."));
    for (const QString &statement : std::as_const(rebuild)) {
        QString rebuildError;
        if (!BulkLoad::execCancellable(connection, statement, cancel, &rebuildError)) {
            if (cancel && cancel->load())
                return failWith(Text::tr("Cancelled."));
            return failWith(Text::tr("Rebuilding the indexes and foreign keys failed: %1").arg(rebuildError));
        }
    }
    // Later INSERTs that take their id from the sequence must start after the rows just added.
    const QString lastEmployee = QString::number(firstEmployee + options.employees - 1);
    const QString lastSchedule = QString::number(firstSchedule + options.schedules - 1);
    if (options.employees > 0) {
        const auto r = connection.query(
            QStringLiteral("SELECT setval(pg_get_serial_sequence('employees', 'employee_id'), $1::bigint)"),
            {lastEmployee}, &sqlError);
        if (queryFailed(r, sqlError, "Could not advance the employee id sequence: %1", error))
            return false;
    }
    if (options.schedules > 0) {
        const auto r = connection.query(
            QStringLiteral("SELECT setval(pg_get_serial_sequence('schedules', 'schedule_id'), $1::bigint)"),
            {lastSchedule}, &sqlError);
        if (queryFailed(r, sqlError, "Could not advance the schedule id sequence: %1", error))
            return false;
    }
    if (!connection.exec(QStringLiteral("COMMIT"), &sqlError))
        return failWith(Text::tr("Could not commit: %1").arg(sqlError.toString()));
    rollback.armed = false;

    // The grid's jump-to-position seek reads pg_stats histograms; fresh rows have none yet.
    if (!connection.exec(QStringLiteral("ANALYZE employees, schedules"), &sqlError))
        return failWith(Text::tr("The rows were added, but ANALYZE failed: %1").arg(sqlError.toString()));

    if (result) {
        result->employeesAdded = options.employees;
        result->schedulesAdded = options.schedules;
        result->firstEmployeeId = options.employees > 0 ? firstEmployee : 0;
        result->firstScheduleId = options.schedules > 0 ? firstSchedule : 0;
        result->seconds = double(clock.nsecsElapsed()) / 1e9;
        result->rebuilt = bulkTables;
    }
    return true;
}

} // namespace MigrationDesk
