#pragma once

#include <QString>

namespace MigrationDesk {

struct ConnectionSettings;

// What the user should know about a connection's TLS from its settings: sslmode=require (given, or from
// PGSSLMODE when the settings leave it to libpq) encrypts without checking whose certificate it is.
// One sentence for the CLI's stderr and the status bar's tooltip; "" when there is nothing to say. Pure.
QString unverifiedTlsWarning(const ConnectionSettings &settings);

} // namespace MigrationDesk
