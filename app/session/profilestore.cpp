#include "session/profilestore.h"

#include <QSettings>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
const QString kGroup = u"profiles"_s;
const QString kSourcesGroup = u"profileMigrations"_s;
}

ProfileStore::ProfileStore(QSettings *settings)
    : m_settings(settings)
{
}

QList<ConnectionProfile> ProfileStore::profiles() const
{
    QList<ConnectionProfile> out;
    m_settings->beginGroup(kGroup);
    const QStringList names = m_settings->childGroups();
    m_settings->endGroup();
    for (const QString &key : names) {
        if (auto p = profile(QUrl::fromPercentEncoding(key.toLatin1())))
            out << *p;
    }
    std::sort(out.begin(), out.end(), [](const ConnectionProfile &a, const ConnectionProfile &b) {
        return a.name.localeAwareCompare(b.name) < 0;
    });
    return out;
}

namespace {
// Group names must survive '/' and other characters QSettings treats specially.
QString groupKey(const QString &name)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(name));
}
} // namespace

std::optional<ConnectionProfile> ProfileStore::profile(const QString &name) const
{
    m_settings->beginGroup(kGroup + QLatin1Char('/') + groupKey(name));
    const bool exists = m_settings->contains(u"name"_s);
    ConnectionProfile p;
    if (exists) {
        p.name = m_settings->value(u"name"_s).toString();
        p.settings.host = m_settings->value(u"host"_s).toString();
        p.settings.port = m_settings->value(u"port"_s, 0).toInt();
        p.settings.database = m_settings->value(u"database"_s).toString();
        p.settings.user = m_settings->value(u"user"_s).toString();
        p.settings.sslmode = m_settings->value(u"sslmode"_s).toString();
        p.settings.sslrootcert = m_settings->value(u"sslrootcert"_s).toString();
        p.settings.service = m_settings->value(u"service"_s).toString();
        const QVariantMap options = m_settings->value(u"options"_s).toMap();
        for (auto it = options.constBegin(); it != options.constEnd(); ++it)
            p.settings.options.insert(it.key(), it.value().toString());
        p.rememberPassword = m_settings->value(u"rememberPassword"_s, false).toBool();
    }
    m_settings->endGroup();
    return exists ? std::optional<ConnectionProfile>(p) : std::nullopt;
}

void ProfileStore::save(const ConnectionProfile &profile)
{
    m_settings->beginGroup(kGroup + QLatin1Char('/') + groupKey(profile.name));
    m_settings->remove(QString());
    m_settings->setValue(u"name"_s, profile.name);
    m_settings->setValue(u"host"_s, profile.settings.host);
    m_settings->setValue(u"port"_s, profile.settings.port);
    m_settings->setValue(u"database"_s, profile.settings.database);
    m_settings->setValue(u"user"_s, profile.settings.user);
    m_settings->setValue(u"sslmode"_s, profile.settings.sslmode);
    m_settings->setValue(u"sslrootcert"_s, profile.settings.sslrootcert);
    m_settings->setValue(u"service"_s, profile.settings.service);
    QVariantMap options;
    for (auto it = profile.settings.options.constBegin(); it != profile.settings.options.constEnd(); ++it)
        options.insert(it.key(), it.value());
    // A password never reaches the settings file, whatever the caller passed in.
    options.remove(u"password"_s);
    m_settings->setValue(u"options"_s, options);
    m_settings->setValue(u"rememberPassword"_s, profile.rememberPassword);
    m_settings->endGroup();
    m_settings->sync();
}

void ProfileStore::remove(const QString &name)
{
    m_settings->remove(kGroup + QLatin1Char('/') + groupKey(name));
    m_settings->remove(kSourcesGroup + QLatin1Char('/') + groupKey(name));
    if (lastProfile() == name)
        m_settings->remove(u"lastProfile"_s);
    m_settings->sync();
}

QString ProfileStore::lastProfile() const
{
    return m_settings->value(u"lastProfile"_s).toString();
}

void ProfileStore::setLastProfile(const QString &name)
{
    m_settings->setValue(u"lastProfile"_s, name);
}


QString ProfileStore::migrationsDir(const QString &name) const
{
    return m_settings->value(kSourcesGroup + QLatin1Char('/') + groupKey(name)).toString();
}

void ProfileStore::setMigrationsDir(const QString &name, const QString &dir)
{
    const QString key = kSourcesGroup + QLatin1Char('/') + groupKey(name);
    if (dir.isEmpty())
        m_settings->remove(key);
    else
        m_settings->setValue(key, dir);
    m_settings->sync();
}

} // namespace MigrationDesk
