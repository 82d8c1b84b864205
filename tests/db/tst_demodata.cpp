// The demo data generator and `migrationdesk-cli demo-data` against the fixture's real PostgreSQL.
#include "bundledrevisions.h"
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

using namespace Qt::StringLiterals;

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {

const QString kHead = Test::bundledHead();
const QString kBeforeHead = Test::bundledBeforeHead();

// Texts of the generator's description pool that need COPY escaping.
const QString kMultiLine = u"1. 제품 소개\n2. 견적 협의\n3. 다음 일정 확정"_s;
const QString kWithTab = u"Agenda:\n- Q3 numbers\n- Renewal terms\t(draft)"_s;
const QString kWithBackslashes = u"자료 위치: \\\\fileserver\\sales\\2024\\제안서.pptx"_s;
const QString kWithCrLf = u"Notes from call:\r\nConfirm delivery date"_s;

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
        return runCli(QStringList{u"--url"_s, pg().url(db)} + args, pg().environment(db), 300000);
    }

    // A fresh database brought to `target` by the real CLI; empty on failure (the caller QVERIFYs).
    QString migratedDb(const QString &name, const QString &target = u"head"_s)
    {
        const QString db = freshDb(name);
        const CliResult up = cli(db, {u"upgrade"_s, target});
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
        return q(db, u"SELECT md5((SELECT string_agg(e::text, '|' ORDER BY employee_id) FROM employees e) || '#' || "
                                    "(SELECT string_agg(s::text, '|' ORDER BY schedule_id) FROM schedules s))"_s);
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
        QTest::newRow("plain") << u"James Smith"_s << QByteArray("James Smith");
        QTest::newRow("hangul") << u"김민준"_s << u"김민준"_s.toUtf8();
        QTest::newRow("empty") << u""_s << QByteArray("");
        QTest::newRow("null") << QString() << QByteArray("\\N");
        QTest::newRow("literal \\N text") << u"\\N"_s << QByteArray("\\\\N");
        QTest::newRow("tab") << u"a\tb"_s << QByteArray("a\\tb");
        QTest::newRow("newline") << u"a\nb"_s << QByteArray("a\\nb");
        QTest::newRow("carriage return") << u"a\r\nb"_s << QByteArray("a\\r\\nb");
        QTest::newRow("backslash") << u"C:\\dir\\"_s << QByteArray("C:\\\\dir\\\\");
        QTest::newRow("end marker") << u"\\."_s << QByteArray("\\\\.");
        QTest::newRow("all at the edges") << u"\t\\x\n"_s << QByteArray("\\t\\\\x\\n");
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
        const QString db = freshDb(u"t_demo_copy"_s);
        auto conn = openConnection(db);
        QVERIFY(conn);
        QVERIFY(conn->exec(u"CREATE TABLE copied (id int PRIMARY KEY, value text)"_s));
        const QStringList values = {u"tab\there"_s, u"line\nbreak"_s, u"cr\rlf\r\n"_s,
                                    u"back\\slash\\"_s, u"\\N"_s, u"\\."_s,
                                    QString(), u""_s, u"이서연\t\\\n"_s, kWithBackslashes};
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
        const auto rows = conn->query(u"SELECT value FROM copied ORDER BY id"_s);
        QVERIFY(rows);
        QCOMPARE(rows->size(), values.size());
        for (int i = 0; i < values.size(); ++i) {
            QCOMPARE(rows->at(i).at(0).isNull(), values.at(i).isNull());
            QCOMPARE(rows->at(i).at(0), values.at(i));
        }
    }

    void copyReportsServerErrors()
    {
        const QString db = freshDb(u"t_demo_copyerr"_s);
        auto conn = openConnection(db);
        QVERIFY(conn);
        QVERIFY(conn->exec(u"CREATE TABLE copied (id int PRIMARY KEY CHECK (id > 0))"_s));
        QString error;
        QVERIFY(!CopyStream::copyFromStdin(
            *conn, "COPY copied (id) FROM STDIN", [](QByteArray &b) { b += "1\n-1\n"; return false; }, nullptr, &error));
        QVERIFY2(error.contains(QLatin1String("check constraint")), qPrintable(error));
        QCOMPARE(q(db, u"SELECT count(*) FROM copied"_s), u"0"_s);
        // The connection is usable afterwards.
        QVERIFY(conn->query(u"SELECT 1"_s));
    }

    void refusesDatabaseNotAtHead()
    {
        // At base: no tables at all.
        const QString empty = freshDb(u"t_demo_base"_s);
        const CliResult atBase = cli(empty, {u"demo-data"_s, u"--employees"_s, u"5"_s,
                                             u"--schedules"_s, u"10"_s});
        QCOMPARE(atBase.exitCode, 1);
        QVERIFY2(atBase.err.contains(QLatin1String("not at head")), qPrintable(atBase.all()));
        QVERIFY(!relationExists(empty, u"employees"_s));

        // One revision short of head: the tables exist, and stay empty.
        const QString db = migratedDb(u"t_demo_behind"_s, kBeforeHead);
        QVERIFY(!db.isEmpty());
        const CliResult behind = cli(db, {u"demo-data"_s, u"--employees"_s, u"5"_s,
                                          u"--schedules"_s, u"10"_s});
        QCOMPARE(behind.exitCode, 1);
        QVERIFY2(behind.err.contains(QLatin1String("not at head")) && behind.err.contains(kBeforeHead)
                     && behind.err.contains(kHead),
                 qPrintable(behind.all()));
        QCOMPARE(q(db, u"SELECT count(*) FROM employees"_s), u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules"_s), u"0"_s);

        // The library refuses too.
        auto conn = openConnection(db);
        QVERIFY(conn);
        QString error;
        DemoDataOptions options;
        QVERIFY(!DemoDataGenerator::generate(*conn, options, {}, nullptr, &error));
        QVERIFY2(error.contains(QLatin1String("not at head")), qPrintable(error));
        QCOMPARE(q(db, u"SELECT count(*) FROM employees"_s), u"0"_s);
    }

    void rejectsBadOptions()
    {
        const CliResult missing = runCli({u"demo-data"_s, u"--employees"_s, u"5"_s},
                                         QProcessEnvironment::systemEnvironment());
        QCOMPARE(missing.exitCode, 2);
        const CliResult ratio = runCli({u"demo-data"_s, u"--employees"_s, u"5"_s,
                                        u"--schedules"_s, u"5"_s, u"--deleted-ratio"_s,
                                        u"1.5"_s},
                                       QProcessEnvironment::systemEnvironment());
        QCOMPARE(ratio.exitCode, 2);
        QVERIFY(ratio.err.contains(QLatin1String("--deleted-ratio")));
        const CliResult negative = runCli({u"demo-data"_s, u"--employees"_s, u"-3"_s,
                                           u"--schedules"_s, u"5"_s},
                                          QProcessEnvironment::systemEnvironment());
        QCOMPARE(negative.exitCode, 2);
    }

    // Issue 13, bug 8: 9223372036854775807 employees used to be accepted, and the progress overflowed.
    void countsHaveSaneBounds()
    {
        const QString db = migratedDb(u"t_demo_bounds"_s);
        QVERIFY(!db.isEmpty());
        const CliResult huge = cli(db, {u"demo-data"_s, u"--employees"_s, u"9223372036854775807"_s,
                                        u"--schedules"_s, u"1"_s});
        QCOMPARE(huge.exitCode, 2);
        QVERIFY2(huge.err.contains(u"--employees needs a whole number from 0 to 10000000"_s), qPrintable(huge.err));
        QVERIFY2(!huge.err.contains(u"Added"_s), qPrintable(huge.err));

        // The generator refuses on its own too, before touching anything.
        auto conn = openConnection(db);
        QVERIFY(conn);
        DemoDataOptions options;
        options.employees = DemoDataOptions::maxEmployees + 1;
        options.schedules = 0;
        QString error;
        qint64 progressCalls = 0;
        QVERIFY(!DemoDataGenerator::generate(*conn, options, [&](qint64, qint64) { ++progressCalls; }, nullptr, &error));
        QVERIFY2(error.contains(u"10,000,000"_s) || error.contains(u"10000000"_s), qPrintable(error));
        options.employees = 1;
        options.schedules = DemoDataOptions::maxSchedules + 1;
        QVERIFY(!DemoDataGenerator::generate(*conn, options, {}, nullptr, &error));
        QCOMPARE(progressCalls, 0);

        // Ids past what SERIAL holds are refused with a message, and nothing is added.
        QCOMPARE(q(db, u"SELECT setval(pg_get_serial_sequence('employees', 'employee_id'), 2147483000)"_s),
                 u"2147483000"_s);
        options.employees = 1000;
        options.schedules = 0;
        QVERIFY(!DemoDataGenerator::generate(*conn, options, {}, nullptr, &error));
        QVERIFY2(error.contains(u"2,147,483,647"_s) || error.contains(u"2147483647"_s), qPrintable(error));
        QCOMPARE(q(db, u"SELECT count(*) FROM employees"_s), u"0"_s);
        options.employees = 647;
        QVERIFY2(DemoDataGenerator::generate(*conn, options, {}, nullptr, &error), qPrintable(error));
        QCOMPARE(q(db, u"SELECT max(employee_id) FROM employees"_s), u"2147483647"_s);
    }

    void generatesRealisticRows()
    {
        const QString db = migratedDb(u"t_demo_rows"_s);
        QVERIFY(!db.isEmpty());
        const CliResult run = cli(db, {u"--json"_s, u"demo-data"_s, u"--employees"_s,
                                       u"50"_s, u"--schedules"_s, u"2000"_s,
                                       u"--deleted-ratio"_s, u"0.1"_s, u"--seed"_s,
                                       u"7"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
        const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
        QCOMPARE(json.value(u"ok"_s).toBool(), true);
        QCOMPARE(json.value(u"employees_added"_s).toInteger(), 50);
        QCOMPARE(json.value(u"schedules_added"_s).toInteger(), 2000);
        QVERIFY(json.value(u"rows_per_second"_s).toDouble() > 0);
        QVERIFY2(run.err.contains(QLatin1String("Added 2050 of 2050 rows")), qPrintable(run.err));

        QCOMPARE(q(db, u"SELECT count(*) FROM employees"_s), u"50"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules"_s), u"2000"_s);
        // About a tenth soft-deleted, counted within the totals.
        const int deletedEmployees = q(db, u"SELECT count(*) FROM employees WHERE is_deleted"_s).toInt();
        const int deletedSchedules = q(db, u"SELECT count(*) FROM schedules WHERE is_deleted"_s).toInt();
        QVERIFY2(deletedEmployees >= 3 && deletedEmployees <= 7, qPrintable(QString::number(deletedEmployees)));
        QVERIFY2(deletedSchedules >= 170 && deletedSchedules <= 230, qPrintable(QString::number(deletedSchedules)));
        // deleted_at is set exactly for deleted rows, after creation.
        QCOMPARE(q(db, u"SELECT count(*) FROM employees WHERE is_deleted <> (deleted_at IS NOT NULL)"_s), u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE is_deleted <> (deleted_at IS NOT NULL)"_s), u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM employees WHERE deleted_at <= created_at"_s), u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE deleted_at <= created_at"_s), u"0"_s);
        // Changes and deletions are spread out, as in a real database: no second holds a block of them
        // (the trash sorts by deleted_at, the grid may sort by updated_at), and none lies ahead.
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE deleted_at > now() AT TIME ZONE 'utc' "
                                      "OR updated_at > now() AT TIME ZONE 'utc'"_s),
                 u"0"_s);
        QVERIFY(q(db, u"SELECT max(n) FROM (SELECT count(*) AS n FROM schedules WHERE is_deleted GROUP BY deleted_at) g"_s)
                    .toInt() <= 2);
        QVERIFY(q(db, u"SELECT max(n) FROM (SELECT count(*) AS n FROM schedules GROUP BY updated_at) g"_s).toInt() <= 20);

        // Every value of every checked column, and the CHECK constraints still in force and validated.
        QCOMPARE(q(db, u"SELECT string_agg(DISTINCT role, ',' ORDER BY role) FROM employees"_s), u"admin,user"_s);
        QVERIFY(q(db, u"SELECT count(*) FROM employees WHERE role = 'admin'"_s).toInt() <= 5);
        QCOMPARE(q(db, u"SELECT string_agg(DISTINCT schedule_type, ',' ORDER BY schedule_type) FROM schedules"_s),
                 u"meeting,other,report,training,visit"_s);
        QCOMPARE(q(db, u"SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM schedules"_s),
                 u"cancelled,completed,in_progress,scheduled"_s);
        QCOMPARE(q(db, u"SELECT string_agg(DISTINCT priority, ',' ORDER BY priority) FROM schedules"_s),
                 u"high,low,medium"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND convalidated "
                                      "AND conrelid IN ('employees'::regclass, 'schedules'::regclass)"_s),
                 u"4"_s);
        QCOMPARE(q(db, u"SELECT string_agg(DISTINCT reminder::text, ',') FROM schedules"_s), u"false,true"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE reminder <> (reminder_time IS NOT NULL)"_s), u"0"_s);

        // Korean text round-trips, through COPY and back.
        auto conn = openConnection(db);
        QVERIFY(conn);
        const auto names = conn->query(u"SELECT name FROM employees WHERE name ~ '[가-힣]' ORDER BY employee_id"_s);
        QVERIFY(names);
        QVERIFY(!names->isEmpty());
        QVERIFY2(containsHangul(names->first().first()), qPrintable(names->first().first()));
        QVERIFY(q(db, u"SELECT count(*) FROM employees WHERE name ~ '^[A-Za-z'']+ [A-Za-z'']+$'"_s).toInt() > 0);
        const auto match = conn->query(u"SELECT count(*) FROM employees WHERE name = $1"_s, {names->first().first()});
        QVERIFY(match && match->first().first().toInt() >= 1);
        QVERIFY(q(db, u"SELECT count(*) FROM employees WHERE department ~ '[가-힣]'"_s).toInt() > 0);
        QVERIFY(q(db, u"SELECT count(*) FROM employees WHERE department ~ '^[A-Za-z ]+$'"_s).toInt() > 0);
        QVERIFY(q(db, u"SELECT count(*) FROM schedules WHERE client_name ~ '[가-힣]'"_s).toInt() > 0);
        QVERIFY(q(db, u"SELECT count(*) FROM schedules WHERE title ~ '^[A-Za-z]'"_s).toInt() > 0);
        QVERIFY(q(db, u"SELECT count(*) FROM schedules WHERE title ~ '[가-힣]'"_s).toInt() > 0);

        // Texts with newlines, tabs, CRLF and backslashes arrive exactly.
        for (const QString &text : {kMultiLine, kWithTab, kWithBackslashes, kWithCrLf}) {
            const auto found = conn->query(u"SELECT count(*) FROM schedules WHERE description = $1"_s, {text});
            QVERIFY(found);
            QVERIFY2(found->first().first().toInt() > 0, qPrintable(text));
        }

        // Unique, well-formed accounts with bcrypt-shaped password hashes.
        QCOMPARE(q(db, u"SELECT count(DISTINCT email) FROM employees"_s), u"50"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM employees WHERE email !~ '^[a-z]+\\.[a-z]+[0-9]+@[a-z.]+$' "
                                      "OR username !~ '^[a-z]+\\.[a-z]+[0-9]+$' OR password !~ '^\\$2b\\$12\\$[./A-Za-z0-9]{53}$'"_s),
                 u"0"_s);
        QVERIFY(q(db, u"SELECT count(DISTINCT department) FROM employees"_s).toInt() >= 5);

        // Dates over about two years around today, working hours, consistent timestamps.
        QVERIFY(q(db, u"SELECT min(schedule_date) < current_date - 300 AND max(schedule_date) > current_date + 300 "
                                     "FROM schedules"_s) == QLatin1String("t"));
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE start_time < '08:00' OR end_time > '19:00' "
                                      "OR end_time <= start_time OR (start_time IS NULL) <> (end_time IS NULL)"_s),
                 u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE updated_at < created_at OR created_at IS NULL "
                                      "OR created_at::date > schedule_date"_s),
                 u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules s JOIN employees e USING (employee_id) "
                                      "WHERE s.created_at < e.created_at"_s),
                 u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE client_contact !~ '^(010-[0-9]{4}-[0-9]{4}|02-[0-9]{4}-[0-9]{4}|\\+1-212-555-01[0-9]{2})$'"_s),
                 u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE client_contact IS NOT NULL AND client_name IS NULL"_s),
                 u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE result IS NOT NULL AND status <> 'completed'"_s),
                 u"0"_s);
        QCOMPARE(q(db, u"SELECT bool_and(n > 0)::text FROM (SELECT count(purpose) AS n FROM schedules "
                                      "UNION ALL SELECT count(result) FROM schedules UNION ALL SELECT count(follow_up) FROM schedules "
                                      "UNION ALL SELECT count(location) FROM schedules) c"_s),
                 u"true"_s);

        // ANALYZE ran: the seek of the grid finds histogram data.
        QVERIFY(q(db, u"SELECT count(*) FROM pg_stats WHERE schemaname = 'public' AND tablename = 'schedules'"_s).toInt() > 0);
        QVERIFY(q(db, u"SELECT count(*) FROM pg_stats WHERE tablename = 'schedules' AND attname = 'schedule_date' "
                                     "AND histogram_bounds IS NOT NULL"_s).toInt() == 1);
        QCOMPARE(q(db, u"SELECT reltuples::bigint FROM pg_class WHERE oid = 'schedules'::regclass"_s), u"2000"_s);
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
        for (const QString &name : {u"t_demo_seed_a"_s, u"t_demo_seed_b"_s, u"t_demo_seed_c"_s}) {
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
            const QStringList bulk = {u"employees"_s, u"schedules"_s};
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
        const QString db = migratedDb(u"t_demo_append"_s);
        QVERIFY(!db.isEmpty());
        const QStringList args = {u"--quiet"_s, u"demo-data"_s, u"--employees"_s,
                                  u"20"_s, u"--schedules"_s, u"300"_s};
        const CliResult first = cli(db, args);
        QVERIFY2(first.exitCode == 0, qPrintable(first.all()));
        QVERIFY2(first.err.isEmpty(), qPrintable(first.err));
        QVERIFY(first.out.contains(QLatin1String("Added 20 employees and 300 schedules")));
        const QString before = digest(db);
        // The same seed again: the same kind of rows, with new ids, user names and addresses.
        const CliResult second = cli(db, args);
        QVERIFY2(second.exitCode == 0, qPrintable(second.all()));
        QCOMPARE(q(db, u"SELECT count(*), count(DISTINCT email), count(DISTINCT username), min(employee_id), "
                                      "max(employee_id) FROM employees"_s),
                 u"40|40|40|1|40"_s);
        QCOMPARE(q(db, u"SELECT count(*), min(schedule_id), max(schedule_id) FROM schedules"_s),
                 u"600|1|600"_s);
        // The first run's rows are untouched.
        QCOMPARE(q(db, u"SELECT md5((SELECT string_agg(e::text, '|' ORDER BY employee_id) FROM employees e "
                                      "WHERE employee_id <= 20) || '#' || (SELECT string_agg(s::text, '|' ORDER BY schedule_id) "
                                      "FROM schedules s WHERE schedule_id <= 300))"_s),
                 before);
        // The sequences moved past the explicit ids, so ordinary INSERTs still work.
        QCOMPARE(q(db, u"INSERT INTO employees (email, username, password, name, role) "
                                      "VALUES ('x@example.com', 'x', 'x', 'X', 'user') RETURNING employee_id"_s),
                 u"41"_s);
        QCOMPARE(q(db, u"INSERT INTO schedules (employee_id, schedule_type, title, schedule_date) "
                                      "VALUES (41, 'other', 'x', current_date) RETURNING schedule_id"_s),
                 u"601"_s);
        // A third run continues after the hand-made rows.
        const CliResult third = cli(db, {u"demo-data"_s, u"--employees"_s, u"1"_s,
                                         u"--schedules"_s, u"1"_s});
        QVERIFY2(third.exitCode == 0, qPrintable(third.all()));
        QCOMPARE(q(db, u"SELECT max(employee_id) || ',' || (SELECT max(schedule_id) FROM schedules) FROM employees"_s),
                 u"42,602"_s);
    }

    void schedulesNeedEmployees()
    {
        const QString db = migratedDb(u"t_demo_noemp"_s);
        QVERIFY(!db.isEmpty());
        const CliResult run = cli(db, {u"demo-data"_s, u"--employees"_s, u"0"_s,
                                       u"--schedules"_s, u"10"_s});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QLatin1String("employees")), qPrintable(run.err));
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules"_s), u"0"_s);
    }

    // A cancel from another thread in the middle of the schedules' COPY rolls everything back,
    // including the employees copied before it, and leaves earlier rows alone.
    void cancelMidCopyLeavesNothing()
    {
        const QString db = migratedDb(u"t_demo_cancel"_s);
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
        QCOMPARE(q(db, u"SELECT count(*) || ',' || (SELECT count(*) FROM schedules) FROM employees"_s),
                 u"10,100"_s);
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
        const QString db = migratedDb(u"t_demo_bulk"_s);
        QVERIFY(!db.isEmpty());
        const QString schemaBefore = pg().schemaDump(db);
        QVERIFY(!schemaBefore.isEmpty());
        const QString indexesBefore = q(db, u"SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text) FROM pg_index "
            "WHERE indrelid IN ('employees'::regclass, 'schedules'::regclass) AND indisvalid AND indisready"_s);
        QCOMPARE(indexesBefore.count(QLatin1Char(',')) + 1, 11); // 0005 added ix_schedules_live_date_start_id
        const QString oidsBefore = q(db, u"SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_class WHERE relkind = 'i' AND relnamespace = 'public'::regnamespace"_s);

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
        QCOMPARE(result.rebuilt, QStringList{u"schedules"_s});
        // The indexes are new objects (they were really rebuilt) with the same names and definitions.
        QVERIFY(q(db, u"SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_class WHERE relkind = 'i' "
                                     "AND relnamespace = 'public'::regnamespace"_s) != oidsBefore);
        QCOMPARE(pg().schemaDump(db), schemaBefore);
        QCOMPARE(q(db, u"SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text) FROM pg_index "
                     "WHERE indrelid IN ('employees'::regclass, 'schedules'::regclass) AND indisvalid AND indisready"_s),
                 indexesBefore);
        QCOMPARE(q(db, u"SELECT conname || ':' || convalidated FROM pg_constraint "
                                      "WHERE conrelid = 'schedules'::regclass AND contype = 'f'"_s),
                 u"schedules_employee_id_fkey:true"_s);
        const CliResult check = cli(db, {u"check"_s});
        QVERIFY2(check.exitCode == 0, qPrintable(check.all()));
        // The rebuilt key is enforced.
        const QString err = qExpectError(db, u"INSERT INTO schedules (employee_id, schedule_type, title, "
                                                            "schedule_date) VALUES (999999, 'other', 'x', current_date)"_s);
        QVERIFY2(err.contains(QLatin1String("schedules_employee_id_fkey")), qPrintable(err));
        // The grid's indexes are used again.
        QVERIFY(q(db, u"EXPLAIN SELECT * FROM schedules WHERE NOT is_deleted ORDER BY schedule_date, schedule_id LIMIT 5"_s)
                    .contains(QLatin1String("ix_schedules_live_date_id")));

        // The same rows as a load that maintained every index row by row.
        const QString plainDb = migratedDb(u"t_demo_bulk_plain"_s);
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
        const QString db = freshDb(u"t_demo_owner"_s);
        const QString password = u"owner-pw-7f3a"_s;
        QString error;
        QVERIFY2(pg().createRole(u"demo_owner"_s, password, false, &error), qPrintable(error));
        bool ok = false;
        pg().psql(db, u"ALTER DATABASE t_demo_owner OWNER TO demo_owner"_s, &ok);
        QVERIFY(ok);
        ConnectionSettings owner = settings(db);
        owner.user = u"demo_owner"_s;
        owner.password = password;
        QProcessEnvironment env = pg().environment(db);
        env.insert(u"PGUSER"_s, owner.user);
        env.insert(u"PGPASSWORD"_s, password);
        const CliResult up = runCli({u"upgrade"_s, u"head"_s}, env, 300000);
        QVERIFY2(up.exitCode == 0, qPrintable(up.all()));
        QCOMPARE(q(db, u"SELECT tableowner || ',' || (SELECT rolsuper FROM pg_roles WHERE rolname = tableowner) "
                                      "FROM pg_tables WHERE tablename = 'schedules'"_s),
                 u"demo_owner,false"_s);
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
        QCOMPARE(result.rebuilt, (QStringList{u"employees"_s, u"schedules"_s}));
        QCOMPARE(pg().schemaDump(db), schemaBefore);
        QCOMPARE(q(db, u"SELECT count(*) FROM schedules"_s), u"500"_s);
        const CliResult check = runCli({u"check"_s}, env, 300000);
        QVERIFY2(check.exitCode == 0, qPrintable(check.all()));
    }
};

QTEST_GUILESS_MAIN(TestDemoData)
#include "tst_demodata.moc"
