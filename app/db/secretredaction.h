#pragma once

#include <QString>

namespace MigrationDesk {

// Replaces passwords with *** in postgres URLs (scheme://user:SECRET@...), in ?password=SECRET query
// parameters and in key=value text (password=SECRET, PGPASSWORD=SECRET, POSTGRES_PASSWORD='SECRET').
// Every message the tools print goes through this. A pure function; any thread.
QString redactSecrets(const QString &text);

} // namespace MigrationDesk
