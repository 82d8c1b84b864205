#pragma once

#include "db/connectionsettings.h"

#include <QString>

#include <optional>

namespace MigrationDesk {

// Opens the sandbox to tools outside the app (psql, an IDE): gives its role a password, so the
// scram-sha-256 rule on 127.0.0.1 lets them in. The password is hashed by libpq before it is sent, so it
// reaches neither the server's statement log nor any file; the caller keeps it in memory only. Blocks on
// the database: call it on a worker thread (the sandbox's).
class SandboxAccess
{
public:
    // A new random password for one session of the app: 24 letters and digits.
    static QString newPassword();

    // Sets the password of socketSettings' role through the trusted Unix socket and returns how to reach
    // the same database over TCP with it (host 127.0.0.1, the sandbox's port); nullopt with *error
    // otherwise. *error never contains the password.
    static std::optional<ConnectionSettings> grantTcpAccess(const ConnectionSettings &socketSettings,
                                                            const QString &password, QString *error);
};

} // namespace MigrationDesk
