#pragma once

#include "db/connectionsettings.h"

#include <QList>
#include <QUrl>

#include <optional>
#include <QString>

class QSettings;

namespace MigrationDesk {

// A named connection the user saved. Never holds a password: that lives in the OS keychain
// (ui/passwordstore.h) or in libpq's own ~/.pgpass / service files. Value type; any thread.
struct ConnectionProfile
{
    QString name;
    ConnectionSettings settings;   // password always empty here
    bool rememberPassword = false; // the keychain holds one under keychainKey()

    QString keychainKey() const { return QStringLiteral("profile:") + name; }
};

// Reads and writes profiles in QSettings (group "profiles"), dropping any password. Main thread.
class ProfileStore
{
public:
    explicit ProfileStore(QSettings *settings);

    QList<ConnectionProfile> profiles() const;
    std::optional<ConnectionProfile> profile(const QString &name) const;
    void save(const ConnectionProfile &profile);   // replaces a profile of the same name
    void remove(const QString &name);
    QString lastProfile() const;
    void setLastProfile(const QString &name);
    // The migration scripts folder chosen for a profile (an imported Alembic project), "" for the
    // default. Kept beside the profile, not in it: saving the profile from the dialog keeps it.
    QString migrationsDir(const QString &name) const;
    void setMigrationsDir(const QString &name, const QString &dir); // "" forgets it

private:
    QSettings *m_settings;
};

} // namespace MigrationDesk
