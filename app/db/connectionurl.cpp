#include "db/connectionurl.h"

#include "db/libpqkeywords.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QUrl>

#include <algorithm>
#include <cctype>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate a translation context for the messages of this file (the settings', where they began).
class Text
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionSettings)
};

// Percent-decodes one URL component; nullopt for a malformed %xx or bytes that are not UTF-8.
std::optional<QString> percentDecode(const QString &in)
{
    const QByteArray raw = in.toUtf8();
    QByteArray out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw.at(i);
        if (c != '%') {
            out.append(c);
            continue;
        }
        if (i + 2 >= raw.size() || !std::isxdigit(static_cast<unsigned char>(raw.at(i + 1)))
            || !std::isxdigit(static_cast<unsigned char>(raw.at(i + 2))))
            return std::nullopt;
        const int byte = raw.mid(i + 1, 2).toInt(nullptr, 16);
        out.append(static_cast<char>(byte));
        i += 2;
    }
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString decoded = decoder.decode(out);
    if (decoder.hasError())
        return std::nullopt;
    return decoded;
}

QString percentEncode(const QString &in)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(in));
}

// Hex digits, ':' and '.' (an IPv4 tail) only: what can stand in URL brackets without escaping.
bool isPlainIpv6(const QString &host)
{
    return std::all_of(host.cbegin(), host.cend(), [](QChar c) {
        return (c.unicode() < 128 && std::isxdigit(int(c.unicode()))) || c == QLatin1Char(':') || c == QLatin1Char('.');
    });
}

// The percent-encoding hint is part of every structural URL error, because unencoded special
// characters in passwords are by far the most common cause.
QString encodingHint()
{
    return Text::tr("If the user name or password contains special characters (@ : / ? # %), percent-encode them, "
              "for example @ as %40, : as %3A and / as %2F.");
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

// Applies one query parameter (already decoded) to `s`.
bool applyParameter(ConnectionSettings &s, const QString &key, const QString &value, QString *error)
{
    if (key == u"host"_s) {
        if (value.contains(QLatin1Char(',')))
            return fail(error, Text::tr("Several hosts in one URL are not supported; give a single host."));
        s.host = value;
    } else if (key == u"port"_s) {
        const auto port = LibpqKeywords::parsePort(value);
        if (!port)
            return fail(error, Text::tr("The port parameter \"%1\" is not a number between 1 and 65535.").arg(value));
        s.port = *port;
    } else if (key == u"dbname"_s) {
        s.database = value;
    } else if (key == u"user"_s) {
        s.user = value;
    } else if (key == u"password"_s) {
        s.password = value;
    } else if (key == u"sslmode"_s) {
        s.sslmode = value;
    } else if (key == u"sslrootcert"_s) {
        s.sslrootcert = value;
    } else if (key == u"service"_s) {
        s.service = value;
    } else if (key == u"client_encoding"_s) {
        // Qt's driver and this tool speak UTF-8 only; a UTF-8 request is simply what happens anyway.
        if (!LibpqKeywords::isUtf8Name(value))
            return fail(error, Text::tr("client_encoding=%1 is not supported: MigrationDesk always talks UTF8 to the server.")
                                   .arg(value));
    } else if (key == u"replication"_s) {
        return fail(error, Text::tr("The replication parameter is not allowed: a replication connection cannot run migrations."));
    } else if (key == u"sslpassword"_s) {
        return fail(error, Text::tr("The sslpassword parameter is not supported; use an unencrypted client key file or "
                              "a service file instead."));
    } else if (LibpqKeywords::optionEnvironment().contains(key)) {
        s.options.insert(key, value);
    } else {
        return fail(error, Text::tr("Unknown connection parameter \"%1\". Supported parameters: %2.")
                               .arg(key, ConnectionSettings::supportedOptionKeys().join(u", "_s)));
    }
    return true;
}

} // namespace

std::optional<ConnectionSettings> ConnectionUrl::parse(const QString &url, QString *error)
{
    // The URL itself is never echoed in errors: it usually carries the password.
    static const QRegularExpression schemeRx(u"^([A-Za-z][A-Za-z0-9+.\\-]*)://"_s);
    const QString text = url.trimmed();
    const QRegularExpressionMatch m = schemeRx.match(text);
    if (!m.hasMatch()) {
        fail(error, Text::tr("Not a database URL. Expected postgresql://user:password@host:port/database."));
        return std::nullopt;
    }
    const QString scheme = m.captured(1).toLower();
    const QString base = scheme.section(QLatin1Char('+'), 0, 0);
    const QString driver = scheme.contains(QLatin1Char('+')) ? scheme.section(QLatin1Char('+'), 1) : QString();
    static const QRegularExpression driverRx(u"^[a-z0-9_]+$"_s);
    if ((base != u"postgresql"_s && base != u"postgres"_s)
        || (scheme.contains(QLatin1Char('+')) && !driverRx.match(driver).hasMatch())) {
        fail(error, Text::tr("Unsupported URL scheme \"%1\": use postgresql://, postgres:// or postgresql+<driver>://.")
                        .arg(m.captured(1)));
        return std::nullopt;
    }

    QString rest = text.mid(m.capturedLength(0));
    if (rest.contains(QLatin1Char('#'))) {
        fail(error, Text::tr("The URL contains '#', which would cut it short.") + QLatin1Char(' ') + encodingHint());
        return std::nullopt;
    }
    if (rest.contains(QRegularExpression(u"\\s"_s))) {
        fail(error, Text::tr("The URL contains spaces; percent-encode them as %20."));
        return std::nullopt;
    }

    ConnectionSettings s;
    QString query;
    const qsizetype queryAt = rest.indexOf(QLatin1Char('?'));
    if (queryAt >= 0) {
        query = rest.mid(queryAt + 1);
        rest.truncate(queryAt);
    }
    QString authority = rest;
    QString path;
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    if (slash >= 0) {
        authority = rest.left(slash);
        path = rest.mid(slash + 1);
    }

    // User info ends at the last '@', so that a raw '@' in a password still parses.
    QString hostPort = authority;
    const qsizetype at = authority.lastIndexOf(QLatin1Char('@'));
    if (at >= 0) {
        const QString userInfo = authority.left(at);
        hostPort = authority.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(QLatin1Char(':'));
        const auto user = percentDecode(colon >= 0 ? userInfo.left(colon) : userInfo);
        const auto password = percentDecode(colon >= 0 ? userInfo.mid(colon + 1) : QString());
        if (!user || !password) {
            fail(error, Text::tr("The user name or password in the URL has a malformed %-escape.") + QLatin1Char(' ')
                            + encodingHint());
            return std::nullopt;
        }
        s.user = *user;
        s.password = *password;
    }

    QString hostText = hostPort;
    QString portText;
    if (hostPort.startsWith(QLatin1Char('['))) {
        const qsizetype close = hostPort.indexOf(QLatin1Char(']'));
        const QString after = close >= 0 ? hostPort.mid(close + 1) : QString();
        if (close < 0 || (!after.isEmpty() && !after.startsWith(QLatin1Char(':')))) {
            fail(error, Text::tr("The IPv6 address in the URL is malformed; write it as [::1]:5432."));
            return std::nullopt;
        }
        hostText = hostPort.mid(1, close - 1);
        portText = after.mid(1);
    } else if (hostPort.count(QLatin1Char(':')) > 1) {
        fail(error, Text::tr("Put IPv6 addresses in brackets, for example postgresql://user@[::1]:5432/db.") + QLatin1Char(' ')
                        + encodingHint());
        return std::nullopt;
    } else if (const qsizetype colon = hostPort.indexOf(QLatin1Char(':')); colon >= 0) {
        hostText = hostPort.left(colon);
        portText = hostPort.mid(colon + 1);
    }
    const auto host = percentDecode(hostText);
    if (!host) {
        fail(error, Text::tr("The host name in the URL has a malformed %-escape."));
        return std::nullopt;
    }
    // After decoding: libpq reads "a,b" as two hosts however the comma was written (%2C included;
    // found by tests/fuzz/fuzz_connection).
    if (host->contains(QLatin1Char(','))) {
        fail(error, Text::tr("Several hosts in one URL are not supported; give a single host."));
        return std::nullopt;
    }
    s.host = *host;
    if (!portText.isEmpty()) {
        const auto port = LibpqKeywords::parsePort(portText);
        if (!port) {
            // Not echoed: this "port" is often the tail of a password.
            fail(error, Text::tr("The port in the URL is not a number between 1 and 65535.") + QLatin1Char(' ')
                            + encodingHint());
            return std::nullopt;
        }
        s.port = *port;
    }

    if (path.contains(QLatin1Char('@'))) {
        fail(error, Text::tr("The database name in the URL contains '@'.") + QLatin1Char(' ') + encodingHint());
        return std::nullopt;
    }
    const auto database = percentDecode(path);
    if (!database) {
        fail(error, Text::tr("The database name in the URL has a malformed %-escape."));
        return std::nullopt;
    }
    s.database = *database;

    const QStringList pairs = query.split(QLatin1Char('&'), Qt::SkipEmptyParts);
    for (const QString &pair : pairs) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        const auto key = percentDecode(eq >= 0 ? pair.left(eq) : pair);
        if (!key || eq < 0) {
            fail(error, Text::tr("Malformed URL query parameter; expected key=value pairs joined by &."));
            return std::nullopt;
        }
        const auto value = percentDecode(pair.mid(eq + 1));
        if (!value) {
            fail(error, Text::tr("The value of the URL parameter \"%1\" has a malformed %-escape.").arg(*key));
            return std::nullopt;
        }
        if (!applyParameter(s, *key, *value, error))
            return std::nullopt;
    }
    if (!s.validate(error))
        return std::nullopt;
    return s;
}

QString ConnectionUrl::format(const ConnectionSettings &settings, bool withPassword)
{
    QString url = u"postgresql://"_s;
    if (!settings.user.isEmpty() || (withPassword && !settings.password.isEmpty())) {
        url += percentEncode(settings.user);
        if (withPassword && !settings.password.isEmpty())
            url += QLatin1Char(':') + percentEncode(settings.password);
        url += QLatin1Char('@');
    }
    QMap<QString, QString> query = settings.options;
    // A socket directory is clearer (and SQLAlchemy-safe) as ?host=/dir than percent-encoded.
    const bool socketHost = settings.host.startsWith(QLatin1Char('/'));
    if (socketHost)
        query.insert(u"host"_s, settings.host);
    else if (settings.host.contains(QLatin1Char(':')))
        // An IPv6 address as is; any other host with ':' (given as ?host=) percent-encoded, so that a '/'
        // or ']' in it cannot end the brackets early (found by tests/fuzz/fuzz_connection).
        url += QLatin1Char('[') + (isPlainIpv6(settings.host) ? settings.host : percentEncode(settings.host))
            + QLatin1Char(']');
    else
        url += percentEncode(settings.host);
    if (settings.port > 0)
        url += QLatin1Char(':') + QString::number(settings.port);
    if (!settings.database.isEmpty())
        url += QLatin1Char('/') + percentEncode(settings.database);
    if (!settings.sslmode.isEmpty())
        query.insert(u"sslmode"_s, settings.sslmode);
    if (!settings.sslrootcert.isEmpty())
        query.insert(u"sslrootcert"_s, settings.sslrootcert);
    if (!settings.service.isEmpty())
        query.insert(u"service"_s, settings.service);
    QStringList pairs;
    for (auto it = query.cbegin(); it != query.cend(); ++it)
        pairs << percentEncode(it.key()) + QLatin1Char('=') + percentEncode(it.value());
    if (!pairs.isEmpty())
        url += QLatin1Char('?') + pairs.join(QLatin1Char('&'));
    return url;
}

} // namespace MigrationDesk
