#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QString>
#include <QStringList>

namespace MigrationDesk {

// How every view writes a date, a time and a timestamp for the current language: one date format
// (ISO, yyyy-MM-dd), one time format (the locale's short one: "1:05 PM", "오후 1:05"), timestamps as the
// two with seconds and never microseconds. The schema's timestamps are UTC without a time zone; they
// are shown in local time unless the user chose UTC (zone(), process-wide). Dates and times of a
// schedule are wall-clock values, never shifted. Any thread.
class DateTimeFormat
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::DateTimeFormat)

public:
    enum class Zone { Local, Utc };
    // The QSettings key of the choice: true shows UTC.
    static QString settingsKey();
    static Zone zone();
    static void setZone(Zone zone);

    static QString dateFormat(const QLocale &locale = QLocale());
    static QString timeFormat(const QLocale &locale = QLocale());
    static QString timestampFormat(const QLocale &locale = QLocale());

    static QString date(const QDate &date, const QLocale &locale = QLocale());
    static QString time(const QTime &time, const QLocale &locale = QLocale());
    // An instant (any time spec), written in zone().
    static QString timestamp(const QDateTime &instant, const QLocale &locale = QLocale());

    // The server's text forms: "2026-12-05", "13:05:00", "2026-12-05 13:05:00.123456" (UTC). Text that
    // does not parse comes back unchanged; empty stays empty.
    static QString fromDbDate(const QString &text, const QLocale &locale = QLocale());
    static QString fromDbTime(const QString &text, const QLocale &locale = QLocale());
    static QString fromDbTimestamp(const QString &utcText, const QLocale &locale = QLocale());
    static QDateTime parseDbTimestamp(const QString &utcText);
    // A timestamp that is a wall-clock moment of a schedule (reminder_time): date and time, unshifted.
    static QString fromDbWallClock(const QString &text, const QLocale &locale = QLocale());

    // Values whose formatted text is among the widest the formats produce (every hour, month and
    // weekday shape), for sizing columns from real content.
    static QStringList dateSamples(const QLocale &locale = QLocale());
    static QStringList timeSamples(const QLocale &locale = QLocale());
    static QStringList timestampSamples(const QLocale &locale = QLocale());

    // Which times are shown: "local time (UTC+9)" or "UTC".
    static QString zoneLabel();
};

} // namespace MigrationDesk
