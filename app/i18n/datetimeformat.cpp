#include "i18n/datetimeformat.h"

#include <QRegularExpression>
#include <QTimeZone>

#include <atomic>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

std::atomic<int> g_zone{int(DateTimeFormat::Zone::Local)};

} // namespace

QString DateTimeFormat::settingsKey()
{
    return u"view/timesInUtc"_s;
}

DateTimeFormat::Zone DateTimeFormat::zone()
{
    return Zone(g_zone.load());
}

void DateTimeFormat::setZone(Zone zone)
{
    g_zone.store(int(zone));
}

QString DateTimeFormat::dateFormat(const QLocale &)
{
    // Unambiguous in both languages ("12/5/26" is not), and of one width, so date columns line up.
    return u"yyyy-MM-dd"_s;
}

QString DateTimeFormat::timeFormat(const QLocale &locale)
{
    // Schedules are planned to the minute; some locales' short format still carries seconds.
    QString format = locale.timeFormat(QLocale::ShortFormat);
    format.remove(u":ss"_s).remove(u".ss"_s);
    return format;
}

QString DateTimeFormat::timestampFormat(const QLocale &locale)
{
    QString time = timeFormat(locale);
    const qsizetype minutes = time.indexOf(u"mm"_s);
    if (minutes >= 0)
        time.insert(minutes + 2, u":ss"_s);
    return dateFormat(locale) + u' ' + time;
}

QString DateTimeFormat::date(const QDate &date, const QLocale &locale)
{
    return date.isValid() ? locale.toString(date, dateFormat(locale)) : QString();
}

QString DateTimeFormat::time(const QTime &time, const QLocale &locale)
{
    return time.isValid() ? locale.toString(time, timeFormat(locale)) : QString();
}

QString DateTimeFormat::timestamp(const QDateTime &instant, const QLocale &locale)
{
    if (!instant.isValid())
        return {};
    const QDateTime shown = zone() == Zone::Utc ? instant.toUTC() : instant.toLocalTime();
    return locale.toString(shown, timestampFormat(locale));
}

QString DateTimeFormat::fromDbDate(const QString &text, const QLocale &locale)
{
    const QDate value = QDate::fromString(text.left(10), Qt::ISODate);
    return value.isValid() && text.size() == 10 ? date(value, locale) : text;
}

QString DateTimeFormat::fromDbTime(const QString &text, const QLocale &locale)
{
    const QTime value = QTime::fromString(text.left(8), u"HH:mm:ss"_s);
    return value.isValid() ? time(value, locale) : text;
}

QDateTime DateTimeFormat::parseDbTimestamp(const QString &utcText)
{
    // timestamp: "2026-12-05 13:05:00.123456", UTC by the schema's convention; timestamptz adds the
    // session's offset ("+09", "-05:30"). Microseconds are dropped: people need the second.
    static const QRegularExpression form(
        u"^(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}:\\d{2})(?:\\.\\d+)?(?:([+-])(\\d{2})(?::?(\\d{2}))?)?$"_s);
    const QRegularExpressionMatch match = form.match(utcText.trimmed());
    if (!match.hasMatch())
        return {};
    const QDate day = QDate::fromString(match.captured(1), Qt::ISODate);
    const QTime time = QTime::fromString(match.captured(2), u"HH:mm:ss"_s);
    if (!day.isValid() || !time.isValid())
        return {};
    int offset = 0;
    if (match.hasCaptured(3)) {
        offset = match.captured(4).toInt() * 3600 + match.captured(5).toInt() * 60;
        if (match.captured(3) == u"-"_s)
            offset = -offset;
    }
    return QDateTime(day, time, offset == 0 ? QTimeZone::utc() : QTimeZone(offset));
}

QString DateTimeFormat::fromDbTimestamp(const QString &utcText, const QLocale &locale)
{
    const QDateTime value = parseDbTimestamp(utcText);
    return value.isValid() ? timestamp(value, locale) : utcText;
}

QString DateTimeFormat::fromDbWallClock(const QString &text, const QLocale &locale)
{
    const QDateTime value = parseDbTimestamp(text);
    if (!value.isValid())
        return text;
    return date(value.date(), locale) + u' ' + time(value.time(), locale);
}

QStringList DateTimeFormat::dateSamples(const QLocale &locale)
{
    QStringList samples;
    for (int month = 1; month <= 12; ++month)
        samples << date(QDate(2026, month, 28), locale) << date(QDate(2026, month, 30 - (month == 2 ? 2 : 0)), locale);
    return samples;
}

QStringList DateTimeFormat::timeSamples(const QLocale &locale)
{
    QStringList samples;
    for (int hour = 0; hour < 24; ++hour)
        samples << time(QTime(hour, 58), locale);
    return samples;
}

QStringList DateTimeFormat::timestampSamples(const QLocale &locale)
{
    QStringList samples;
    for (int hour = 0; hour < 24; ++hour)
        samples << locale.toString(QDateTime(QDate(2026, 12, 28), QTime(hour, 58, 58)), timestampFormat(locale));
    return samples;
}

QString DateTimeFormat::zoneLabel()
{
    if (zone() == Zone::Utc)
        return tr("UTC");
    const int seconds = QDateTime::currentDateTime().offsetFromUtc();
    const int minutes = qAbs(seconds) / 60;
    QString offset = QString::number(minutes / 60);
    if (minutes % 60)
        offset += u':' + QString::number(minutes % 60).rightJustified(2, u'0');
    //: Which times the app shows: %1 is the offset from UTC, "+9" or "-5:30".
    return tr("local time (UTC%1)").arg((seconds < 0 ? u"-"_s : u"+"_s) + offset);
}

} // namespace MigrationDesk
