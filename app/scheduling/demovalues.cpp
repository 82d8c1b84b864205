#include "scheduling/demovalues.h"

#include "db/copystream.h"

namespace MigrationDesk {

namespace {

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

// One row of titles per schedule type, in ScheduleType's order.
const char *const kGenericTitles[DemoValues::kTypeCount][8] = {
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

} // namespace

DemoValues::DemoValues()
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

} // namespace MigrationDesk
