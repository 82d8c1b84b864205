#include "session/profilestore.h"

#include <QSettings>

namespace MigrationDesk {

namespace {
const QString kGroup = QStringLiteral("profiles");
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
    const bool exists = m_settings->contains(QStringLiteral("name"));
    ConnectionProfile p;
    if (exists) {
        p.name = m_settings->value(QStringLiteral("name")).toString();
        p.settings.host = m_settings->value(QStringLiteral("host")).toString();
        p.settings.port = m_settings->value(QStringLiteral("port"), 0).toInt();
        p.settings.database = m_settings->value(QStringLiteral("database")).toString();
        p.settings.user = m_settings->value(QStringLiteral("user")).toString();
        p.settings.sslmode = m_settings->value(QStringLiteral("sslmode")).toString();
        p.settings.sslrootcert = m_settings->value(QStringLiteral("sslrootcert")).toString();
        p.settings.service = m_settings->value(QStringLiteral("service")).toString();
        const QVariantMap options = m_settings->value(QStringLiteral("options")).toMap();
        for (auto it = options.constBegin(); it != options.constEnd(); ++it)
            p.settings.options.insert(it.key(), it.value().toString());
        p.rememberPassword = m_settings->value(QStringLiteral("rememberPassword"), false).toBool();
    }
    m_settings->endGroup();
    return exists ? std::optional<ConnectionProfile>(p) : std::nullopt;
}

void ProfileStore::save(const ConnectionProfile &profile)
{
    m_settings->beginGroup(kGroup + QLatin1Char('/') + groupKey(profile.name));
    m_settings->remove(QString());
    m_settings->setValue(QStringLiteral("name"), profile.name);
    m_settings->setValue(QStringLiteral("host"), profile.settings.host);
    m_settings->setValue(QStringLiteral("port"), profile.settings.port);
    m_settings->setValue(QStringLiteral("database"), profile.settings.database);
    m_settings->setValue(QStringLiteral("user"), profile.settings.user);
    m_settings->setValue(QStringLiteral("sslmode"), profile.settings.sslmode);
    m_settings->setValue(QStringLiteral("sslrootcert"), profile.settings.sslrootcert);
    m_settings->setValue(QStringLiteral("service"), profile.settings.service);
    QVariantMap options;
    for (auto it = profile.settings.options.constBegin(); it != profile.settings.options.constEnd(); ++it)
        options.insert(it.key(), it.value());
    // A password never reaches the settings file, whatever the caller passed in.
    options.remove(QStringLiteral("password"));
    m_settings->setValue(QStringLiteral("options"), options);
    m_settings->setValue(QStringLiteral("rememberPassword"), profile.rememberPassword);
    m_settings->endGroup();
    m_settings->sync();
}

void ProfileStore::remove(const QString &name)
{
    m_settings->remove(kGroup + QLatin1Char('/') + groupKey(name));
    if (lastProfile() == name)
        m_settings->remove(QStringLiteral("lastProfile"));
    m_settings->sync();
}

QString ProfileStore::lastProfile() const
{
    return m_settings->value(QStringLiteral("lastProfile")).toString();
}

void ProfileStore::setLastProfile(const QString &name)
{
    m_settings->setValue(QStringLiteral("lastProfile"), name);
}

} // namespace MigrationDesk
