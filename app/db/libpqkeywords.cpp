#include "db/libpqkeywords.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

const QMap<QString, QString> &LibpqKeywords::optionEnvironment()
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

const QStringList &LibpqKeywords::sslModes()
{
    static const QStringList modes{u"disable"_s, u"allow"_s, u"prefer"_s,
                                   u"require"_s, u"verify-ca"_s, u"verify-full"_s};
    return modes;
}

bool LibpqKeywords::isUtf8Name(const QString &encoding)
{
    const QString e = encoding.toLower();
    return e == u"utf8"_s || e == u"utf-8"_s || e == u"unicode"_s;
}

std::optional<int> LibpqKeywords::parsePort(const QString &text)
{
    bool ok = false;
    const int port = text.toInt(&ok);
    if (!ok || port < 1 || port > 65535 || text.startsWith(QLatin1Char('+')))
        return std::nullopt;
    return port;
}

} // namespace MigrationDesk
