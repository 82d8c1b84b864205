// The demo data generator and `migrationdesk-cli demo-data` against the fixture's real PostgreSQL.
#include "clirunner.h"
#include "db/copystream.h"
#include "db/pgconnection.h"
#include "dbtest.h"
#include "scheduling/demodata.h"
#include "pgfixture.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSemaphore>
#include <QtTest>

#include <atomic>
#include <memory>
#include <thread>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {

const QString kHead = QStringLiteral("dd46251f4bbc");
const QString kBeforeHead = QStringLiteral("a6341ce60c38");

// Texts of the generator's description pool that need COPY escaping.
const QString kMultiLine = QStringLiteral("1. 제품 소개\n2. 견적 협의\n3. 다음 일정 확정");
const QString kWithTab = QStringLiteral("Agenda:\n- Q3 numbers\n- Renewal terms\t(draft)");
const QString kWithBackslashes = QStringLiteral("자료 위치: \\\\fileserver\\sales\\2024\\제안서.pptx");
const QString kWithCrLf = QStringLiteral("Notes from call:\r\nConfirm delivery date");

bool containsHangul(const QString &text)
{
    for (const QChar ch : text)
        if (ch.unicode() >= 0xAC00 && ch.unicode() <= 0xD7A3)
            return true;
    return false;
}

} // namespace

class TestDemoData : public QObject
{
    Q_OBJECT

private:
    PgFixture &pg() { return PgFixture::shared(); }

    CliResult cli(const QString &db, const QStringList &args)
    {
        return runCli(QStringList{QStringLiteral("--url"), pg().url(db)} + args, pg().environment(db), 300000);
    }

    // A fresh database brought to `target` by the real CLI; empty on failure (the caller QVERIFYs).
    QString migratedDb(const QString &name, const QString &target = QStringLiteral("head"))
    {
        const QString db = freshDb(name);
        const CliResult up = cli(db, {QStringLiteral("upgrade"), target});
        if (up.exitCode != 0) {
            qWarning("upgrade %s failed: %s", qPrintable(target), qPrintable(up.all()));
            return QString();
        }
        return db;
    }

    std::unique_ptr<PgConnection> openConnection(const QString &db)
    {
        auto conn = std::make_unique<PgConnection>();
        QString error;
        if (!conn->open(settings(db), &error)) {
            qWarning("open failed: %s", qPrintable(error));
            return nullptr;
        }
        return conn;
    }

    // Every row of both tables, ids included, as one digest.
    QString digest(const QString &db)
    {
        return q(db, QStringLiteral("SELECT md5((SELECT string_agg(e::text, '|' ORDER BY employee_id) FROM employees e) || '#' || "
                                    "(SELECT string_agg(s::text, '|' ORDER BY schedule_id) FROM schedules s))"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(pg().isRunning() || pg().start(), qPrintable(pg().errorString()));
    }

    void escapeCopyText_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("plain") << QStringLiteral("James Smith") << QByteArray("James Smith");
        QTest::newRow("hangul") << QStringLiteral("김민준") << QStringLiteral("김민준").toUtf8();
        QTest::newRow("empty") << QStringLiteral("") << QByteArray("");
        QTest::newRow("null") << QString() << QByteArray("\\N");
        QTest::newRow("literal \\N text") << QStringLiteral("\\N") << QByteArray("\\\\N");
        QTest::newRow("tab") << QStringLiteral("a\tb") << QByteArray("a\\tb");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QByteArray("a\\nb");
        QTest::newRow("carriage return") << QStringLiteral("a\r\nb") << QByteArray("a\\r\\nb");
        QTest::newRow("backslash") << QStringLiteral("C:\\dir\\") << QByteArray("C:\\\\dir\\\\");
        QTest::newRow("end marker") << QStringLiteral("\\.") << QByteArray("\\\\.");
        QTest::newRow("all at the edges") << QStringLiteral("\t\\x\n") << QByteArray("\\t\\\\x\\n");
    }

    void escapeCopyText()
    {
        QFETCH(QString, value);
        QFETCH(QByteArray, expected);
        QCOMPARE(CopyStream::escapeText(value), expected);
    }

    // What the escaping writes, the server reads back unchanged, across several chunks.
    void awkwardValuesSurviveCopy()
    {
        const QString db = freshDb(QStringLiteral("t_demo_copy"));
        auto conn = openConnection(db);
        QVERIFY(conn);
        QVERIFY(conn->exec(QStringLiteral("CREATE TABLE copied (id int PRIMARY KEY, value text)")));
        const QStringList values = {QStringLiteral("tab\there"), QStringLiteral("line\nbreak"), QStringLiteral("cr\rlf\r\n"),
                                    QStringLiteral("back\\slash\\"), QStringLiteral("\\N"), QStringLiteral("\\."),
                                    QString(), QStringLiteral(""), QStringLiteral("이서연\t\\\n"), kWithBackslashes};
        int chunk = 0;
        QString error;
        const bool ok = CopyStream::copyFromStdin(
            *conn, "COPY copied (id, value) FROM STDIN",
            [&](QByteArray &buffer) {
                // Three chunks, split inside the list, so rows cross buffer boundaries as in real runs.
                const int from = chunk * 4;
                for (int i = from; i < qMin(from + 4, int(values.size())); ++i)
                    buffer += QByteArray::number(i) + '\t' + CopyStream::escapeText(values.at(i)) + '\n';
                return ++chunk * 4 < values.size();
            },
            nullptr, &error);
        QVERIFY2(ok, qPrintable(error));
        QCOMPARE(chunk, 3);
        const auto rows = conn->query(QStringLiteral("SELECT value FROM copied ORDER BY id"));
        QVERIFY(rows);
        QCOMPARE(rows->size(), values.size());
        for (int i = 0; i < values.size(); ++i) {
            QCOMPARE(rows->at(i).at(0).isNull(), values.at(i).isNull());
            QCOMPARE(rows->at(i).at(0), values.at(i));
        }
    }

    void copyReportsServerErrors()
    {
        const QString db = freshDb(QStringLiteral("t_demo_copyerr"));
        auto conn = openConnection(db);
        QVERIFY(conn);
        QVERIFY(conn->exec(QStringLiteral("CREATE TABLE copied (id int PRIMARY KEY CHECK (id > 0))")));
        QString error;
        QVERIFY(!CopyStream::copyFromStdin(
            *conn, "COPY copied (id) FROM STDIN", [](QByteArray &b) { b += "1\n-1\n"; return false; }, nullptr, &error));
        QVERIFY2(error.contains(QLatin1String("check constraint")), qPrintable(error));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM copied")), QStringLiteral("0"));
        // The connection is usable afterwards.
        QVERIFY(conn->query(QStringLiteral("SELECT 1")));
    }

    void refusesDatabaseNotAtHead()
    {
        // At base: no tables at all.
        const QString empty = freshDb(QStringLiteral("t_demo_base"));
        const CliResult atBase = cli(empty, {QStringLiteral("demo-data"), QStringLiteral("--employees"), QStringLiteral("5"),
                                             QStringLiteral("--schedules"), QStringLiteral("10")});
        QCOMPARE(atBase.exitCode, 1);
        QVERIFY2(atBase.err.contains(QLatin1String("not at head")), qPrintable(atBase.all()));
        QVERIFY(!relationExists(empty, QStringLiteral("employees")));

        // One revision short of head: the tables exist, and stay empty.
        const QString db = migratedDb(QStringLiteral("t_demo_behind"), kBeforeHead);
        QVERIFY(!db.isEmpty());
        const CliResult behind = cli(db, {QStringLiteral("demo-data"), QStringLiteral("--employees"), QStringLiteral("5"),
                                          QStringLiteral("--schedules"), QStringLiteral("10")});
        QCOMPARE(behind.exitCode, 1);
        QVERIFY2(behind.err.contains(QLatin1String("not at head")) && behind.err.contains(kBeforeHead)
                     && behind.err.contains(kHead),
                 qPrintable(behind.all()));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM employees")), QStringLiteral("0"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM schedules")), QStringLiteral("0"));

        // The library refuses too.
        auto conn = openConnection(db);
        QVERIFY(conn);
        QString error;
        DemoDataOptions options;
        QVERIFY(!DemoDataGenerator::generate(*conn, options, {}, nullptr, &error));
        QVERIFY2(error.contains(QLatin1String("not at head")), qPrintable(error));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM employees")), QStringLiteral("0"));
    }

    void rejectsBadOptions()
    {
        const CliResult missing = runCli({QStringLiteral("demo-data"), QStringLiteral("--employees"), QStringLiteral("5")},
                                         QProcessEnvironment::systemEnvironment());
        QCOMPARE(missing.exitCode, 2);
        const CliResult ratio = runCli({QStringLiteral("demo-data"), QStringLiteral("--employees"), QStringLiteral("5"),
                                        QStringLiteral("--schedules"), QStringLiteral("5"), QStringLiteral("--deleted-ratio"),
                                        QStringLiteral("1.5")},
                                       QProcessEnvironment::systemEnvironment());
        QCOMPARE(ratio.exitCode, 2);
        QVERIFY(ratio.err.contains(QLatin1String("--deleted-ratio")));
        const CliResult negative = runCli({QStringLiteral("demo-data"), QStringLiteral("--employees"), QStringLiteral("-3"),
                                           QStringLiteral("--schedules"), QStringLiteral("5")},
                                          QProcessEnvironment::systemEnvironment());
        QCOMPARE(negative.exitCode, 2);
    }

    void generatesRealisticRows()
    {
        const QString db = migratedDb(QStringLiteral("t_demo_rows"));
        QVERIFY(!db.isEmpty());
        const CliResult run = cli(db, {QStringLiteral("--json"), QStringLiteral("demo-data"), QStringLiteral("--employees"),
                                       QStringLiteral("50"), QStringLiteral("--schedules"), QStringLiteral("2000"),
                                       QStringLiteral("--deleted-ratio"), QStringLiteral("0.1"), QStringLiteral("--seed"),
                                       QStringLiteral("7")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
        const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
        QCOMPARE(json.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(json.value(QStringLiteral("employees_added")).toInteger(), 50);
        QCOMPARE(json.value(QStringLiteral("schedules_added")).toInteger(), 2000);
        QVERIFY(json.value(QStringLiteral("rows_per_second")).toDouble() > 0);
        QVERIFY2(run.err.contains(QLatin1String("Added 2050 of 2050 rows")), qPrintable(run.err));

        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM employees")), QStringLiteral("50"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM schedules")), QStringLiteral("2000"));
        // About a tenth soft-deleted, counted within the totals.
        const int deletedEmployees = q(db, QStringLiteral("SELECT count(*) FROM employees WHERE is_deleted")).toInt();
        const int deletedSchedules = q(db, QStringLiteral("SELECT count(*) FROM schedules WHERE is_deleted")).toInt();
        QVERIFY2(deletedEmployees >= 3 && deletedEmployees <= 7, qPrintable(QString::number(deletedEmployees)));
        QVERIFY2(deletedSchedules >= 170 && deletedSchedules <= 230, qPrintable(QString::number(deletedSchedules)));
        // deleted_at is set exactly for deleted rows, after creation.
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM employees WHERE is_deleted <> (deleted_at IS NOT NULL)")), QStringLiteral("0"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM schedules WHERE is_deleted <> (deleted_at IS NOT NULL)")), QStringLiteral("0"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM employees WHERE deleted_at <= created_at")), QStringLiteral("0"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM schedules WHERE deleted_at <= created_at")), QStringLiteral("0"));
        // Changes and deletions are spread out, as in a real database: no second holds a block of them
        // (the trash sorts by deleted_at, the grid may sort by updated_at), and none lies ahead.
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM schedules WHERE deleted_at > now() AT TIME ZONE 'utc' "
                                      "OR updated_at > now() AT TIME ZONE 'utc'")),
                 QStringLiteral("0"));
        QVERIFY(q(db, QStringLiteral("SELECT max(n) FROM (SELECT count(*) AS n FROM schedules WHERE is_deleted GROUP BY deleted_at) g"))
                    .toInt() <= 2);
        QVERIFY(q(db, QStringLiteral("SELECT max(n) FROM (SELECT count(*) AS n FROM schedules GROUP BY updated_at) g")).toInt() <= 20);

        // Every value of every checked column, and the CHECK constraints still in force and validated.
        QCOMPARE(q(db, QStringLiteral("SELECT string_agg(DISTINCT role, ',' ORDER BY role) FROM employees")), QStringLiteral("admin,user"));
        QVERIFY(q(db, QStringLiteral("SELECT count(*) FROM employees WHERE role = 'admin'")).toInt() <= 5);
        QCOMPARE(q(db, QStringLiteral("SELECT string_agg(DISTINCT schedule_type, ',' ORDER BY schedule_type) FROM schedules")),
                 QStringLiteral("meeting,other,report,training,visit"));
        QCOMPARE(q(db, QStringLiteral("SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM schedules")),
                 QStringLiteral("cancelled,completed,in_progress,scheduled"));
        QCOMPARE(q(db, QStringLiteral("SELECT string_agg(DISTINCT priority, ',' ORDER BY priority) FROM schedules")),
                 QStringLiteral("high,low,medium"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND convalidated "
                                      "AND conrelid IN ('employees'::regclass, 'schedules'::regclass)")),
                 QStringLiteral("4"));
        QCOMPARE(q(db, QStringLiteral("SELECT string_agg(DISTINCT reminder::text, ',') FROM schedules")), QStringLiteral("false,true"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM schedules WHERE reminder <> (reminder_time IS NOT NULL)")), QStringLiteral("0"));

        // Korean text round-trips, through COPY and back.
        auto conn = openConnection(db);
        QVERIFY(conn);
        const auto names = conn->query(QStringLiteral("SELECT name FROM employees WHERE name ~ '[가-힣]' ORDER BY employee_id"));
        QVERIFY(names);
        QVERIFY(!names->isEmpty());
        QVERIFY2(containsHangul(names->first().first()), qPrintable(names->first().first()));
        QVERIFY(q(db, QStringLiteral("SELECT count(*) FROM employees WHERE name ~ '^[A-Za-z'']+ [A-Za-z'']+$'")).toInt() > 0);
        const auto match = conn->query(QStringLiteral("SELECT count(*) FROM employees WHERE name = $1"), {names->first().first()});
        QVERIFY(match && match->first().first().toInt() >= 1);
        QVERIFY(q(db, QStringLiteral("SELECT count(*) FROM employees WHERE department ~ '[가-힣]'")).toInt() > 0);
        QVERIFY(q(db, QStringLiteral("SELECT count(*) FROM employees WHERE department ~ '^[A-Za-z ]+$'")).toInt() > 0);
        QVERIFY(q(db, QStringLiteral("SELECT count(*) FROM schedules WHERE client_name ~ '[가-힣]'")).toInt() > 0);
        QVERIFY(q(db, QStringLiteral("SELECT count(*) FROM schedules WHERE title ~ '^[A-Za-z]'")).toInt() > 0);
        QVERIFY(q(db, QStringLiteral("SELECT count(*) FROM schedules WHERE title ~ '[가-힣]'")).toInt() > 0);

        // Texts with newlines, tabs, CRLF and backslashes arrive exactly.
        for (const QString &text : {kMultiLine, kWithTab, kWithBackslashes, kWithCrLf}) {
            const auto found = conn->query(QStringLiteral("SELECT count(*) FROM schedules WHERE description = $1"), {text});
            QVERIFY(found);
            QVERIFY2(found->first().first().toInt() > 0, qPrintable(text));
        }

        // Unique, well-formed accounts with bcrypt-shaped password hashes.
        QCOMPARE(q(db, QStringLiteral("SELECT count(DISTINCT email) FROM employees")), QStringLiteral("50"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM employees WHERE email !~ '^[a-z]+\\.[a-z]+[0-9]+@[a-z.]+$' "
                                      "OR username !~ '^[a-z]+\\.[a-z]+[0-9]+$' OR password !~ '^\\$2b\\$12\\$[./A-Za-z0-9]{53}$'")),
                 QStringLiteral("0"));
        QVERIFY(q(db, QStringLiteral("SELECT count(DISTINCT department) FROM employees")).toInt() >= 5);

        // Dates over about two years around today, working hours, consistent timestamps.
        QVERIFY(q(db, QStringLiteral("SELECT min(schedule_date) < current_date - 300 AND max(schedule_date) > current_date + 300 "
                                     "FROM schedules")) == QLatin1String("t"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM schedules WHERE start_time < '08:00' OR end_time > '19:00' "
                                      "OR end_time <= start_time OR (start_time IS NULL) <> (end_time IS NULL)")),
                 QStringLiteral("0"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM schedules WHERE updated_at < created_at OR created_at IS NULL "
                                      "OR created_at::date > schedule_date")),
                 QStringLiteral("0"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM schedules s JOIN employees e USING (employee_id) "
                                      "WHERE s.created_at < e.created_at")),
                 QStringLiteral("0"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM schedules WHERE client_contact !~ '^(010-[0-9]{4}-[0-9]{4}|02-[0-9]{4}-[0-9]{4}|\\+1-212-555-01[0-9]{2})$'")),
                 QStringLiteral("0"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM schedules WHERE client_contact IS NOT NULL AND client_name IS NULL")),
                 QStringLiteral("0"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM schedules WHERE result IS NOT NULL AND status <> 'completed'")),
                 QStringLiteral("0"));
        QCOMPARE(q(db, QStringLiteral("SELECT bool_and(n > 0)::text FROM (SELECT count(purpose) AS n FROM schedules "
                                      "UNION ALL SELECT count(result) FROM schedules UNION ALL SELECT count(follow_up) FROM schedules "
                                      "UNION ALL SELECT count(location) FROM schedules) c")),
                 QStringLiteral("true"));

        // ANALYZE ran: the seek of the grid finds histogram data.
        QVERIFY(q(db, QStringLiteral("SELECT count(*) FROM pg_stats WHERE schemaname = 'public' AND tablename = 'schedules'")).toInt() > 0);
        QVERIFY(q(db, QStringLiteral("SELECT count(*) FROM pg_stats WHERE tablename = 'schedules' AND attname = 'schedule_date' "
                                     "AND histogram_bounds IS NOT NULL")).toInt() == 1);
        QCOMPARE(q(db, QStringLiteral("SELECT reltuples::bigint FROM pg_class WHERE oid = 'schedules'::regclass")), QStringLiteral("2000"));
    }

    void sameSeedSameData()
    {
        DemoDataOptions options;
        options.employees = 30;
        options.schedules = 800;
        options.deletedRatio = 0.05;
        options.seed = 123456789;
        options.today = QDate(2025, 3, 14);
        QStringList digests;
        for (const QString &name : {QStringLiteral("t_demo_seed_a"), QStringLiteral("t_demo_seed_b"), QStringLiteral("t_demo_seed_c")}) {
            const QString db = migratedDb(name);
            QVERIFY(!db.isEmpty());
            auto conn = openConnection(db);
            QVERIFY(conn);
            if (name.endsWith(QLatin1Char('c')))
                options.seed = 987654321;
            // a loads through the bulk path (indexes and keys rebuilt after COPY), b row by row: the
            // path must not change a single value.
            options.bulkThreshold = name.endsWith(QLatin1Char('a')) ? 1 : 0;
            QString error;
            DemoDataResult result;
            QVERIFY2(DemoDataGenerator::generate(*conn, options, {}, nullptr, &error, &result), qPrintable(error));
            const QStringList bulk = {QStringLiteral("employees"), QStringLiteral("schedules")};
            QCOMPARE(result.rebuilt, name.endsWith(QLatin1Char('a')) ? bulk : QStringList());
            QCOMPARE(result.employeesAdded, 30);
            QCOMPARE(result.schedulesAdded, 800);
            QCOMPARE(result.firstEmployeeId, 1);
            QCOMPARE(result.firstScheduleId, 1);
            digests << digest(db);
            QCOMPARE(digests.last().size(), 32);
        }
        QCOMPARE(digests.at(0), digests.at(1));
        QVERIFY(digests.at(0) != digests.at(2));
    }

    void appendingTwiceDoubles()
    {
        const QString db = migratedDb(QStringLiteral("t_demo_append"));
        QVERIFY(!db.isEmpty());
        const QStringList args = {QStringLiteral("--quiet"), QStringLiteral("demo-data"), QStringLiteral("--employees"),
                                  QStringLiteral("20"), QStringLiteral("--schedules"), QStringLiteral("300")};
        const CliResult first = cli(db, args);
        QVERIFY2(first.exitCode == 0, qPrintable(first.all()));
        QVERIFY2(first.err.isEmpty(), qPrintable(first.err));
        QVERIFY(first.out.contains(QLatin1String("Added 20 employees and 300 schedules")));
        const QString before = digest(db);
        // The same seed again: the same kind of rows, with new ids, user names and addresses.
        const CliResult second = cli(db, args);
        QVERIFY2(second.exitCode == 0, qPrintable(second.all()));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*), count(DISTINCT email), count(DISTINCT username), min(employee_id), "
                                      "max(employee_id) FROM employees")),
                 QStringLiteral("40|40|40|1|40"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*), min(schedule_id), max(schedule_id) FROM schedules")),
                 QStringLiteral("600|1|600"));
        // The first run's rows are untouched.
        QCOMPARE(q(db, QStringLiteral("SELECT md5((SELECT string_agg(e::text, '|' ORDER BY employee_id) FROM employees e "
                                      "WHERE employee_id <= 20) || '#' || (SELECT string_agg(s::text, '|' ORDER BY schedule_id) "
                                      "FROM schedules s WHERE schedule_id <= 300))")),
                 before);
        // The sequences moved past the explicit ids, so ordinary INSERTs still work.
        QCOMPARE(q(db, QStringLiteral("INSERT INTO employees (email, username, password, name, role) "
                                      "VALUES ('x@example.com', 'x', 'x', 'X', 'user') RETURNING employee_id")),
                 QStringLiteral("41"));
        QCOMPARE(q(db, QStringLiteral("INSERT INTO schedules (employee_id, schedule_type, title, schedule_date) "
                                      "VALUES (41, 'other', 'x', current_date) RETURNING schedule_id")),
                 QStringLiteral("601"));
        // A third run continues after the hand-made rows.
        const CliResult third = cli(db, {QStringLiteral("demo-data"), QStringLiteral("--employees"), QStringLiteral("1"),
                                         QStringLiteral("--schedules"), QStringLiteral("1")});
        QVERIFY2(third.exitCode == 0, qPrintable(third.all()));
        QCOMPARE(q(db, QStringLiteral("SELECT max(employee_id) || ',' || (SELECT max(schedule_id) FROM schedules) FROM employees")),
                 QStringLiteral("42,602"));
    }

    void schedulesNeedEmployees()
    {
        const QString db = migratedDb(QStringLiteral("t_demo_noemp"));
        QVERIFY(!db.isEmpty());
        const CliResult run = cli(db, {QStringLiteral("demo-data"), QStringLiteral("--employees"), QStringLiteral("0"),
                                       QStringLiteral("--schedules"), QStringLiteral("10")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QLatin1String("employees")), qPrintable(run.err));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM schedules")), QStringLiteral("0"));
    }

    // A cancel from another thread in the middle of the schedules' COPY rolls everything back,
    // including the employees copied before it, and leaves earlier rows alone.
    void cancelMidCopyLeavesNothing()
    {
        const QString db = migratedDb(QStringLiteral("t_demo_cancel"));
        QVERIFY(!db.isEmpty());
        auto conn = openConnection(db);
        QVERIFY(conn);
        DemoDataOptions small;
        small.employees = 10;
        small.schedules = 100;
        QString error;
        QVERIFY2(DemoDataGenerator::generate(*conn, small, {}, nullptr, &error), qPrintable(error));
        const QString before = digest(db);
        const QString schemaBefore = pg().schemaDump(db);
        QVERIFY(!schemaBefore.isEmpty());

        // 300,000 schedules onto 100 take the bulk path: the indexes and keys are gone while the COPY runs.
        DemoDataOptions big;
        big.employees = 1000;
        big.schedules = 300000;
        std::atomic_bool cancel{false};
        QSemaphore reachedSchedules;
        QSemaphore cancelSet;
        std::thread canceller([&] {
            reachedSchedules.acquire();
            cancel = true;
            cancelSet.release();
        });
        qint64 lastDone = 0;
        int calls = 0;
        const bool ok = DemoDataGenerator::generate(
            *conn, big,
            [&](qint64 done, qint64 total) {
                QCOMPARE(total, 301000);
                lastDone = done;
                // The second chunk of schedules is about to be sent: rows are already in the COPY.
                if (done > big.employees && ++calls == 2) {
                    reachedSchedules.release();
                    cancelSet.tryAcquire(1, 30000);
                }
            },
            &cancel, &error);
        if (calls < 2)
            reachedSchedules.release(); // never leave the thread waiting
        canceller.join();
        QVERIFY(!ok);
        QVERIFY2(error.contains(QLatin1String("Cancelled")), qPrintable(error));
        QVERIFY(lastDone > big.employees && lastDone < 301000);
        QVERIFY(!conn->inTransaction());
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) || ',' || (SELECT count(*) FROM schedules) FROM employees")),
                 QStringLiteral("10,100"));
        QCOMPARE(digest(db), before);
        // The dropped indexes and foreign key came back with the rollback.
        QCOMPARE(pg().schemaDump(db), schemaBefore);
        // The connection is fine afterwards, and the next run continues where the last one ended.
        DemoDataResult result;
        QVERIFY2(DemoDataGenerator::generate(*conn, small, {}, nullptr, &error, &result), qPrintable(error));
        QCOMPARE(result.firstEmployeeId, 11);
        QCOMPARE(result.firstScheduleId, 101);
    }

    // A bulk load drops the plain indexes and the foreign key of the tables it fills and builds them
    // again before COMMIT: afterwards the schema is exactly what the migrations made, every constraint is
    // validated, `check` finds no drift, and the rows are those of a row-by-row load.
    void bulkLoadKeepsSchema()
    {
        const QString db = migratedDb(QStringLiteral("t_demo_bulk"));
        QVERIFY(!db.isEmpty());
        const QString schemaBefore = pg().schemaDump(db);
        QVERIFY(!schemaBefore.isEmpty());
        const QString indexesBefore = q(db, QStringLiteral(
            "SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text) FROM pg_index "
            "WHERE indrelid IN ('employees'::regclass, 'schedules'::regclass) AND indisvalid AND indisready"));
        QCOMPARE(indexesBefore.count(QLatin1Char(',')) + 1, 10);
        const QString oidsBefore = q(db, QStringLiteral(
            "SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_class WHERE relkind = 'i' AND relnamespace = 'public'::regnamespace"));

        auto conn = openConnection(db);
        QVERIFY(conn);
        DemoDataOptions options;
        options.employees = 40;
        options.schedules = 1500;
        options.bulkThreshold = 1000;
        options.today = QDate(2025, 3, 14);
        QString error;
        DemoDataResult result;
        QVERIFY2(DemoDataGenerator::generate(*conn, options, {}, nullptr, &error, &result), qPrintable(error));
        // 40 employees are below the threshold: only schedules took the bulk path.
        QCOMPARE(result.rebuilt, QStringList{QStringLiteral("schedules")});
        // The indexes are new objects (they were really rebuilt) with the same names and definitions.
        QVERIFY(q(db, QStringLiteral("SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_class WHERE relkind = 'i' "
                                     "AND relnamespace = 'public'::regnamespace")) != oidsBefore);
        QCOMPARE(pg().schemaDump(db), schemaBefore);
        QCOMPARE(q(db, QStringLiteral(
                     "SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text) FROM pg_index "
                     "WHERE indrelid IN ('employees'::regclass, 'schedules'::regclass) AND indisvalid AND indisready")),
                 indexesBefore);
        QCOMPARE(q(db, QStringLiteral("SELECT conname || ':' || convalidated FROM pg_constraint "
                                      "WHERE conrelid = 'schedules'::regclass AND contype = 'f'")),
                 QStringLiteral("schedules_employee_id_fkey:true"));
        const CliResult check = cli(db, {QStringLiteral("check")});
        QVERIFY2(check.exitCode == 0, qPrintable(check.all()));
        // The rebuilt key is enforced.
        const QString err = qExpectError(db, QStringLiteral("INSERT INTO schedules (employee_id, schedule_type, title, "
                                                            "schedule_date) VALUES (999999, 'other', 'x', current_date)"));
        QVERIFY2(err.contains(QLatin1String("schedules_employee_id_fkey")), qPrintable(err));
        // The grid's indexes are used again.
        QVERIFY(q(db, QStringLiteral("EXPLAIN SELECT * FROM schedules WHERE NOT is_deleted ORDER BY schedule_date, schedule_id LIMIT 5"))
                    .contains(QLatin1String("ix_schedules_live_date_id")));

        // The same rows as a load that maintained every index row by row.
        const QString plainDb = migratedDb(QStringLiteral("t_demo_bulk_plain"));
        QVERIFY(!plainDb.isEmpty());
        auto plain = openConnection(plainDb);
        QVERIFY(plain);
        options.bulkThreshold = 0;
        QVERIFY2(DemoDataGenerator::generate(*plain, options, {}, nullptr, &error, &result), qPrintable(error));
        QVERIFY(result.rebuilt.isEmpty());
        QCOMPARE(digest(plainDb), digest(db));

        // A load smaller than what the table already holds maintains the indexes instead.
        options.bulkThreshold = 1;
        options.employees = 1;
        options.schedules = 10;
        QVERIFY2(DemoDataGenerator::generate(*conn, options, {}, nullptr, &error, &result), qPrintable(error));
        QVERIFY(result.rebuilt.isEmpty());
        // The default threshold leaves small loads alone.
        QCOMPARE(DemoDataOptions().bulkThreshold, 200000);
    }

    // The table owner without superuser rights can bulk load: dropping and building its own indexes
    // and keys and raising maintenance_work_mem need nothing more.
    void bulkLoadAsTableOwner()
    {
        const QString db = freshDb(QStringLiteral("t_demo_owner"));
        const QString password = QStringLiteral("owner-pw-7f3a");
        QString error;
        QVERIFY2(pg().createRole(QStringLiteral("demo_owner"), password, false, &error), qPrintable(error));
        bool ok = false;
        pg().psql(db, QStringLiteral("ALTER DATABASE t_demo_owner OWNER TO demo_owner"), &ok);
        QVERIFY(ok);
        ConnectionSettings owner = settings(db);
        owner.user = QStringLiteral("demo_owner");
        owner.password = password;
        QProcessEnvironment env = pg().environment(db);
        env.insert(QStringLiteral("PGUSER"), owner.user);
        env.insert(QStringLiteral("PGPASSWORD"), password);
        const CliResult up = runCli({QStringLiteral("upgrade"), QStringLiteral("head")}, env, 300000);
        QVERIFY2(up.exitCode == 0, qPrintable(up.all()));
        QCOMPARE(q(db, QStringLiteral("SELECT tableowner || ',' || (SELECT rolsuper FROM pg_roles WHERE rolname = tableowner) "
                                      "FROM pg_tables WHERE tablename = 'schedules'")),
                 QStringLiteral("demo_owner,false"));
        const QString schemaBefore = pg().schemaDump(db);
        QVERIFY(!schemaBefore.isEmpty());

        PgConnection conn;
        QVERIFY2(conn.open(owner, &error), qPrintable(error));
        DemoDataOptions options;
        options.employees = 20;
        options.schedules = 500;
        options.bulkThreshold = 1;
        DemoDataResult result;
        QVERIFY2(DemoDataGenerator::generate(conn, options, {}, nullptr, &error, &result), qPrintable(error));
        QCOMPARE(result.rebuilt, (QStringList{QStringLiteral("employees"), QStringLiteral("schedules")}));
        QCOMPARE(pg().schemaDump(db), schemaBefore);
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM schedules")), QStringLiteral("500"));
        const CliResult check = runCli({QStringLiteral("check")}, env, 300000);
        QVERIFY2(check.exitCode == 0, qPrintable(check.all()));
    }
};

QTEST_GUILESS_MAIN(TestDemoData)
#include "tst_demodata.moc"
