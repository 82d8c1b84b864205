#include "db/connectionsettings.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QUrl>

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <memory>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate a translation context for the messages of this file.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionSettings)
};

// libpq keywords that may ride along in `options`, each with its environment variable for child
// programs ("" where libpq has none). host, port, dbname, user, password, sslmode, sslrootcert and
// service have fields of their own.
const QMap<QString, QString> &optionEnvironment()
{
    static const QMap<QString, QString> map{
        {u"application_name"_s, u"PGAPPNAME"_s},
        {u"channel_binding"_s, u"PGCHANNELBINDING"_s},
        {u"connect_timeout"_s, u"PGCONNECT_TIMEOUT"_s},
        {u"fallback_application_name"_s, QString()},
        {u"gssencmode"_s, u"PGGSSENCMODE"_s},
        {u"gsslib"_s, u"PGGSSLIB"_s},
        {u"hostaddr"_s, u"PGHOSTADDR"_s},
        {u"keepalives"_s, QString()},
        {u"keepalives_count"_s, QString()},
        {u"keepalives_idle"_s, QString()},
        {u"keepalives_interval"_s, QString()},
        {u"krbsrvname"_s, u"PGKRBSRVNAME"_s},
        {u"options"_s, u"PGOPTIONS"_s},
        {u"passfile"_s, u"PGPASSFILE"_s},
        {u"requirepeer"_s, u"PGREQUIREPEER"_s},
        {u"requiressl"_s, u"PGREQUIRESSL"_s},
        {u"ssl_max_protocol_version"_s, u"PGSSLMAXPROTOCOLVERSION"_s},
        {u"ssl_min_protocol_version"_s, u"PGSSLMINPROTOCOLVERSION"_s},
        {u"sslcert"_s, u"PGSSLCERT"_s},
        {u"sslcompression"_s, u"PGSSLCOMPRESSION"_s},
        {u"sslcrl"_s, u"PGSSLCRL"_s},
        {u"sslcrldir"_s, u"PGSSLCRLDIR"_s},
        {u"sslkey"_s, u"PGSSLKEY"_s},
        {u"sslsni"_s, u"PGSSLSNI"_s},
        {u"target_session_attrs"_s, u"PGTARGETSESSIONATTRS"_s},
        {u"tcp_user_timeout"_s, QString()},
    };
    return map;
}

const QStringList &sslModes()
{
    static const QStringList modes{u"disable"_s, u"allow"_s, u"prefer"_s,
                                   u"require"_s, u"verify-ca"_s, u"verify-full"_s};
    return modes;
}

bool isUtf8Name(const QString &encoding)
{
    const QString e = encoding.toLower();
    return e == u"utf8"_s || e == u"utf-8"_s || e == u"unicode"_s;
}

std::optional<int> parsePort(const QString &text)
{
    bool ok = false;
    const int port = text.toInt(&ok);
    if (!ok || port < 1 || port > 65535 || text.startsWith(QLatin1Char('+')))
        return std::nullopt;
    return port;
}

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

// libpq's quoting for a conninfo value: '...' with \ and ' escaped by a backslash.
QString quoteConninfoValue(const QString &value)
{
    QString v = value;
    v.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    v.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
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
        const auto port = parsePort(value);
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
        if (!isUtf8Name(value))
            return fail(error, Text::tr("client_encoding=%1 is not supported: MigrationDesk always talks UTF8 to the server.")
                                   .arg(value));
    } else if (key == u"replication"_s) {
        return fail(error, Text::tr("The replication parameter is not allowed: a replication connection cannot run migrations."));
    } else if (key == u"sslpassword"_s) {
        return fail(error, Text::tr("The sslpassword parameter is not supported; use an unencrypted client key file or "
                              "a service file instead."));
    } else if (optionEnvironment().contains(key)) {
        s.options.insert(key, value);
    } else {
        return fail(error, Text::tr("Unknown connection parameter \"%1\". Supported parameters: %2.")
                               .arg(key, ConnectionSettings::supportedOptionKeys().join(u", "_s)));
    }
    return true;
}

} // namespace

QStringList ConnectionSettings::supportedOptionKeys()
{
    QStringList keys = optionEnvironment().keys();
    keys << u"client_encoding"_s << u"dbname"_s << u"host"_s << u"password"_s << u"port"_s << u"service"_s
         << u"sslmode"_s << u"sslrootcert"_s << u"user"_s;
    keys.sort();
    return keys;
}

std::optional<ConnectionSettings> ConnectionSettings::fromUrl(const QString &url, QString *error)
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
        const auto port = parsePort(portText);
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

std::optional<ConnectionSettings> ConnectionSettings::fromEnvironment(const QProcessEnvironment &env,
                                                                      QString *source, QString *error)
{
    const QString databaseUrl = env.value(u"DATABASE_URL"_s).trimmed();
    if (!databaseUrl.isEmpty()) {
        if (source)
            *source = u"DATABASE_URL"_s;
        QString why;
        auto s = fromUrl(databaseUrl, &why);
        if (!s)
            fail(error, u"DATABASE_URL: "_s + why);
        return s;
    }

    const QString user = env.value(u"POSTGRES_USER"_s);
    const QString password = env.value(u"POSTGRES_PASSWORD"_s);
    const QString database = env.value(u"POSTGRES_DB"_s);
    const QString host = env.value(u"POSTGRES_HOST"_s);
    const QString port = env.value(u"POSTGRES_PORT"_s).trimmed();
    if (!user.isEmpty() || !password.isEmpty() || !database.isEmpty() || !host.isEmpty() || !port.isEmpty()) {
        if (source)
            *source = u"POSTGRES_*"_s;
        ConnectionSettings s;
        s.user = user;
        s.password = password;
        s.database = database;
        s.host = host;
        if (!port.isEmpty()) {
            const auto number = parsePort(port);
            if (!number) {
                fail(error, Text::tr("POSTGRES_PORT=%1 is not a number between 1 and 65535.").arg(port));
                return std::nullopt;
            }
            s.port = *number;
        }
        if (!s.validate(error))
            return std::nullopt;
        return s;
    }

    if (source)
        *source = u"libpq environment"_s;
    return ConnectionSettings();
}

bool ConnectionSettings::validate(QString *error) const
{
    if (port < 0 || port > 65535)
        return fail(error, Text::tr("The port %1 is not between 1 and 65535.").arg(port));
    if (!sslmode.isEmpty() && !sslModes().contains(sslmode))
        return fail(error, Text::tr("sslmode \"%1\" is not one of %2.").arg(sslmode, sslModes().join(u", "_s)));
    const QString fields[] = {host, database, user, password, sslmode, sslrootcert, service};
    for (const QString &field : fields) {
        if (field.contains(QChar(0)))
            return fail(error, Text::tr("Connection settings cannot contain NUL characters."));
    }
    // These reach libpq through QPSQL's connect options, where ';' separates keywords.
    const auto checkOptionValue = [error](const QString &key, const QString &value) {
        if (value.contains(QLatin1Char(';')) || value.contains(QChar(0)))
            return fail(error, Text::tr("The value of %1 cannot contain ';' (the Qt PostgreSQL driver treats it as a "
                                  "separator).").arg(key));
        return true;
    };
    if (!checkOptionValue(u"sslmode"_s, sslmode) || !checkOptionValue(u"sslrootcert"_s, sslrootcert)
        || !checkOptionValue(u"service"_s, service))
        return false;
    for (auto it = options.cbegin(); it != options.cend(); ++it) {
        if (it.key() == u"client_encoding"_s) {
            if (!isUtf8Name(it.value()))
                return fail(error, Text::tr("client_encoding=%1 is not supported: MigrationDesk always talks UTF8 to the "
                                      "server.").arg(it.value()));
            continue;
        }
        if (!optionEnvironment().contains(it.key()))
            return fail(error, Text::tr("Unknown or unsupported connection option \"%1\". Supported options: %2.")
                                   .arg(it.key(), QStringList(optionEnvironment().keys()).join(u", "_s)));
        if (!checkOptionValue(it.key(), it.value()))
            return false;
        if (it.key() == u"connect_timeout"_s) {
            bool ok = false;
            const int seconds = it.value().trimmed().toInt(&ok);
            if (!ok || seconds < 0)
                return fail(error, Text::tr("connect_timeout \"%1\" is not a number of seconds.").arg(it.value()));
        }
    }
    return true;
}

namespace {

struct ResolvedNames
{
    QString user;
    QString server;
    QString database;
};

// Fills blank fields the way libpq will: PG* variables and compiled defaults (PQconndefaults), then
// dbname = user.
ResolvedNames resolveNames(const ConnectionSettings &s)
{
    QString u = s.user;
    QString h = s.host;
    QString d = s.database;
    QString p = s.port > 0 ? QString::number(s.port) : QString();
    if (u.isEmpty() || h.isEmpty() || d.isEmpty() || p.isEmpty()) {
        std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> defaults(PQconndefaults(), &PQconninfoFree);
        for (PQconninfoOption *o = defaults.get(); o && o->keyword; ++o) {
            if (!o->val || !*o->val)
                continue;
            const QString value = QString::fromUtf8(o->val);
            const QByteArray keyword(o->keyword);
            if (keyword == "user" && u.isEmpty())
                u = value;
            else if (keyword == "host" && h.isEmpty() && s.service.isEmpty())
                h = value;
            else if (keyword == "port" && p.isEmpty())
                p = value;
            else if (keyword == "dbname" && d.isEmpty())
                d = value;
        }
    }
    if (d.isEmpty())
        d = u;
    QString server;
    if (h.isEmpty())
        server = s.service.isEmpty() ? u"[local]"_s : u"[service %1]"_s.arg(s.service);
    else if (h.startsWith(QLatin1Char('/')))
        server = u"[local:%1]"_s.arg(h);
    else if (h.contains(QLatin1Char(':')))
        server = QLatin1Char('[') + h + QLatin1Char(']');
    else
        server = h;
    if (!p.isEmpty())
        server += QLatin1Char(':') + p;
    return {u, server, d};
}

} // namespace

QString ConnectionSettings::displayName() const
{
    const ResolvedNames names = resolveNames(*this);
    QString name = names.server;
    if (!names.user.isEmpty())
        name.prepend(names.user + QLatin1Char('@'));
    if (!names.database.isEmpty())
        name += QLatin1Char('/') + names.database;
    return name;
}

QString ConnectionSettings::serverName() const
{
    return resolveNames(*this).server;
}

QString ConnectionSettings::toUrl(bool withPassword) const
{
    QString url = u"postgresql://"_s;
    if (!user.isEmpty() || (withPassword && !password.isEmpty())) {
        url += percentEncode(user);
        if (withPassword && !password.isEmpty())
            url += QLatin1Char(':') + percentEncode(password);
        url += QLatin1Char('@');
    }
    QMap<QString, QString> query = options;
    // A socket directory is clearer (and SQLAlchemy-safe) as ?host=/dir than percent-encoded.
    const bool socketHost = host.startsWith(QLatin1Char('/'));
    if (socketHost)
        query.insert(u"host"_s, host);
    else if (host.contains(QLatin1Char(':')))
        // An IPv6 address as is; any other host with ':' (given as ?host=) percent-encoded, so that a '/'
        // or ']' in it cannot end the brackets early (found by tests/fuzz/fuzz_connection).
        url += QLatin1Char('[') + (isPlainIpv6(host) ? host : percentEncode(host)) + QLatin1Char(']');
    else
        url += percentEncode(host);
    if (port > 0)
        url += QLatin1Char(':') + QString::number(port);
    if (!database.isEmpty())
        url += QLatin1Char('/') + percentEncode(database);
    if (!sslmode.isEmpty())
        query.insert(u"sslmode"_s, sslmode);
    if (!sslrootcert.isEmpty())
        query.insert(u"sslrootcert"_s, sslrootcert);
    if (!service.isEmpty())
        query.insert(u"service"_s, service);
    QStringList pairs;
    for (auto it = query.cbegin(); it != query.cend(); ++it)
        pairs << percentEncode(it.key()) + QLatin1Char('=') + percentEncode(it.value());
    if (!pairs.isEmpty())
        url += QLatin1Char('?') + pairs.join(QLatin1Char('&'));
    return url;
}

QString ConnectionSettings::connectOptions(const QString &applicationName) const
{
    QStringList parts;
    const auto add = [&parts](const QString &key, const QString &value) {
        parts << key + QLatin1Char('=') + quoteConninfoValue(value);
    };
    add(u"client_encoding"_s, u"UTF8"_s);
    const QString appName = options.value(u"application_name"_s, applicationName);
    if (!appName.isEmpty())
        add(u"application_name"_s, appName);
    add(u"connect_timeout"_s, options.value(u"connect_timeout"_s, u"10"_s).trimmed());
    if (!sslmode.isEmpty())
        add(u"sslmode"_s, sslmode);
    if (!sslrootcert.isEmpty())
        add(u"sslrootcert"_s, sslrootcert);
    if (!service.isEmpty())
        add(u"service"_s, service);
    for (auto it = options.cbegin(); it != options.cend(); ++it) {
        if (it.key() != u"application_name"_s && it.key() != u"connect_timeout"_s
            && it.key() != u"client_encoding"_s)
            add(it.key(), it.value());
    }
    return parts.join(QLatin1Char(';'));
}

QProcessEnvironment ConnectionSettings::applyTo(QProcessEnvironment env, const QString &applicationName) const
{
    const auto set = [&env](const QString &variable, const QString &value) {
        if (!value.isEmpty())
            env.insert(variable, value);
    };
    set(u"PGHOST"_s, host);
    set(u"PGPORT"_s, port > 0 ? QString::number(port) : QString());
    set(u"PGDATABASE"_s, database);
    set(u"PGUSER"_s, user);
    set(u"PGPASSWORD"_s, password);
    set(u"PGSSLMODE"_s, sslmode);
    set(u"PGSSLROOTCERT"_s, sslrootcert);
    set(u"PGSERVICE"_s, service);
    for (auto it = options.cbegin(); it != options.cend(); ++it)
        set(optionEnvironment().value(it.key()), it.value());
    if (!options.contains(u"application_name"_s))
        set(u"PGAPPNAME"_s, applicationName);
    if (!env.contains(u"PGCONNECT_TIMEOUT"_s))
        env.insert(u"PGCONNECT_TIMEOUT"_s, u"10"_s);
    return env;
}

bool ConnectionSettings::operator==(const ConnectionSettings &other) const
{
    return host == other.host && port == other.port && database == other.database && user == other.user
           && password == other.password && sslmode == other.sslmode && sslrootcert == other.sslrootcert
           && service == other.service && options == other.options;
}

QString redactSecrets(const QString &text)
{
    // scheme://user:SECRET@ ; greedy up to the last '@' before a '/' so a raw '@' in a password is covered.
    static const QRegularExpression urlRx(u"([A-Za-z][A-Za-z0-9+.\\-]*://[^\\s:/@]*:)[^\\s/\"<>]*@"_s);
    static const QRegularExpression queryRx(u"([?&][A-Za-z_]*password=)[^&\\s#\"]*"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression keyValueRx(
        u"((?<![?&\\w])\\w*password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'?|\"(?:[^\"\\\\]|\\\\.)*\"?|\\S+)"_s,
        QRegularExpression::CaseInsensitiveOption);
    QString out = text;
    out.replace(urlRx, u"\\1***@"_s);
    out.replace(queryRx, u"\\1***"_s);
    out.replace(keyValueRx, u"\\1***"_s);
    return out;
}

} // namespace MigrationDesk
