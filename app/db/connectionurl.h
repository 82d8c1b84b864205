#pragma once

#include "db/connectionsettings.h"

#include <QString>

#include <optional>

namespace MigrationDesk {

// Reads and writes postgresql:// URLs (ConnectionSettings::fromUrl and toUrl). Pure functions; any thread.
class ConnectionUrl
{
public:
    // Accepts postgresql://, postgres:// and SQLAlchemy's postgresql+<driver>:// URLs, as
    // ConnectionSettings::fromUrl documents. The URL itself is never echoed in *error.
    static std::optional<ConnectionSettings> parse(const QString &url, QString *error);
    // A postgresql:// URL that parse() reads back to the same settings; the password only if withPassword.
    static QString format(const ConnectionSettings &settings, bool withPassword);
};

} // namespace MigrationDesk
