#include "db/connectionsettings.h"

#include "db/connectionurl.h"
#include "db/libpqkeywords.h"

#include <QCoreApplication>

#include <libpq-fe.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate a translation context for the messages of this file.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(ConnectionSettings)
};

// libpq's quoting for a conninfo value: '...' with \ and ' escaped by a backslash.
QString quoteConninfoValue(const QString &value)
{
    QString v = value;
    v.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    v.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

QStringList ConnectionSettings::supportedOptionKeys()
{
    QStringList keys = LibpqKeywords::optionEnvironment().keys();
    keys << u"client_encoding"_s << u"dbname"_s << u"host"_s << u"password"_s << u"port"_s << u"service"_s
         << u"sslmode"_s << u"sslrootcert"_s << u"user"_s;
    keys.sort();
    return keys;
}

std::optional<ConnectionSettings> ConnectionSettings::fromUrl(const QString &url, QString *error)
{
    return ConnectionUrl::parse(url, error);
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
            const auto number = LibpqKeywords::parsePort(port);
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
    if (!sslmode.isEmpty() && !LibpqKeywords::sslModes().contains(sslmode))
        return fail(error, Text::tr("sslmode \"%1\" is not one of %2.").arg(sslmode, LibpqKeywords::sslModes().join(u", "_s)));
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
            if (!LibpqKeywords::isUtf8Name(it.value()))
                return fail(error, Text::tr("client_encoding=%1 is not supported: MigrationDesk always talks UTF8 to the "
                                      "server.").arg(it.value()));
            continue;
        }
        if (!LibpqKeywords::optionEnvironment().contains(it.key()))
            return fail(error, Text::tr("Unknown or unsupported connection option \"%1\". Supported options: %2.")
                                   .arg(it.key(), QStringList(LibpqKeywords::optionEnvironment().keys()).join(u", "_s)));
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
    return ConnectionUrl::format(*this, withPassword);
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
        set(LibpqKeywords::optionEnvironment().value(it.key()), it.value());
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

} // namespace MigrationDesk
