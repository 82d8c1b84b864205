#pragma once

#include "db/connectionsettings.h"

#include <QString>

namespace MigrationDesk {

// Explains a libpq connection failure in plain language, for the common cases: wrong password, no
// password given, unknown host, connection refused, timeout, SSL problems (server without SSL,
// certificate verification, missing root certificate), unknown database or role. libpq's own text
// follows the explanation. The result is redacted (URL and key=value passwords, and settings.password
// itself when it is 3 characters or longer). A pure function; any thread.
QString describeConnectionError(const QString &libpqMessage, const ConnectionSettings &settings);

} // namespace MigrationDesk
