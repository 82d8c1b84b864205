// DateTimeFormat: one date and one time format per language, timestamps without microseconds, and
// the schema's UTC timestamps shown in local time or UTC as chosen.
#include "i18n/datetimeformat.h"

#include <QtTest>

#include <cstdlib>
#include <ctime>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

class TestDateTimeFormat : public QObject
{
    Q_OBJECT

private:
    const QLocale en{QLocale::English, QLocale::UnitedStates};
    const QLocale ko{QLocale::Korean, QLocale::SouthKorea};

private Q_SLOTS:
    void initTestCase()
    {
        // Local time is Seoul for this test: nine hours ahead of UTC, no daylight saving time.
        qputenv("TZ", "Asia/Seoul");
        tzset();
        QCOMPARE(QDateTime(QDate(2026, 12, 5), QTime(12, 0), QTimeZone::utc()).toLocalTime().time(), QTime(21, 0));
    }

    void cleanup() { DateTimeFormat::setZone(DateTimeFormat::Zone::Local); }

    void datesAreOneFormat()
    {
        QCOMPARE(DateTimeFormat::date(QDate(2026, 12, 5), en), u"2026-12-05"_s);
        QCOMPARE(DateTimeFormat::date(QDate(2026, 12, 5), ko), u"2026-12-05"_s);
        QCOMPARE(DateTimeFormat::fromDbDate(u"2025-12-05"_s, en), u"2025-12-05"_s);
        QCOMPARE(DateTimeFormat::fromDbDate(u"not a date"_s, en), u"not a date"_s);
        QCOMPARE(DateTimeFormat::fromDbDate(QString(), en), QString());
    }

    void timesAreTheLocalesShortForm()
    {
        QCOMPARE(DateTimeFormat::fromDbTime(u"13:05:00"_s, en), u"1:05 PM"_s);
        QCOMPARE(DateTimeFormat::fromDbTime(u"13:05:00"_s, ko), u"오후 1:05"_s);
        QCOMPARE(DateTimeFormat::fromDbTime(u"09:30:00"_s, ko), u"오전 9:30"_s);
        QCOMPARE(DateTimeFormat::fromDbTime(u"x"_s, ko), u"x"_s);
    }

    void timestampsDropMicrosecondsAndShowLocalTime()
    {
        // Stored UTC 13:05:42.123456 is 22:05:42 in Seoul.
        QCOMPARE(DateTimeFormat::fromDbTimestamp(u"2026-12-05 13:05:42.123456"_s, en), u"2026-12-05 10:05:42 PM"_s);
        QCOMPARE(DateTimeFormat::fromDbTimestamp(u"2026-12-05 13:05:42.123456"_s, ko), u"2026-12-05 오후 10:05:42"_s);
        // Across midnight the date moves too.
        QCOMPARE(DateTimeFormat::fromDbTimestamp(u"2026-12-31 20:00:00"_s, en), u"2027-01-01 5:00:00 AM"_s);
        // timestamptz text carries its offset.
        QCOMPARE(DateTimeFormat::fromDbTimestamp(u"2026-12-05 22:05:42.5+09"_s, en), u"2026-12-05 10:05:42 PM"_s);
        QCOMPARE(DateTimeFormat::fromDbTimestamp(u"2026-12-05 08:35:42-05:30"_s, en), u"2026-12-05 11:05:42 PM"_s);
        QCOMPARE(DateTimeFormat::fromDbTimestamp(u"garbage"_s, en), u"garbage"_s);
        QVERIFY(!DateTimeFormat::parseDbTimestamp(u"2026-13-05 10:00:00"_s).isValid());
        QCOMPARE(DateTimeFormat::zoneLabel(), u"local time (UTC+9)"_s);
    }

    void utcWhenChosen()
    {
        DateTimeFormat::setZone(DateTimeFormat::Zone::Utc);
        QCOMPARE(DateTimeFormat::fromDbTimestamp(u"2026-12-05 13:05:42.123456"_s, en), u"2026-12-05 1:05:42 PM"_s);
        QCOMPARE(DateTimeFormat::timestamp(QDateTime(QDate(2026, 12, 5), QTime(22, 5, 42), Qt::LocalTime), en),
                 u"2026-12-05 1:05:42 PM"_s);
        QCOMPARE(DateTimeFormat::zoneLabel(), u"UTC"_s);
    }

    void wallClockValuesAreNeverShifted()
    {
        // reminder_time is a moment of the schedule's own day, like its start time.
        QCOMPARE(DateTimeFormat::fromDbWallClock(u"2026-12-05 08:30:00"_s, en), u"2026-12-05 8:30 AM"_s);
        DateTimeFormat::setZone(DateTimeFormat::Zone::Utc);
        QCOMPARE(DateTimeFormat::fromDbWallClock(u"2026-12-05 08:30:00"_s, ko), u"2026-12-05 오전 8:30"_s);
    }

    void samplesCoverTheWidestShapes()
    {
        // Every hour, so that "12:58 PM" and "오후 12:58" are among them.
        QVERIFY(DateTimeFormat::timeSamples(ko).contains(u"오후 12:58"_s));
        QVERIFY(DateTimeFormat::timeSamples(en).contains(u"12:58 PM"_s));
        QVERIFY(DateTimeFormat::timestampSamples(en).contains(u"2026-12-28 12:58:58 PM"_s));
        QCOMPARE(DateTimeFormat::dateSamples(en).first().size(), 10);
    }
};

QTEST_GUILESS_MAIN(TestDateTimeFormat)
#include "tst_datetimeformat.moc"
