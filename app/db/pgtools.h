#pragma once

#include <QString>
#include <QStringList>

namespace MigrationDesk {

// Locates PostgreSQL's own programs (initdb, pg_ctl, pg_dump, psql). Debian keeps the server
// programs out of PATH, under /usr/lib/postgresql/<major>/bin, so both places are searched.
// Pure lookup, any thread.
namespace PgTools {

// The highest-versioned /usr/lib/postgresql/*/bin that holds `program`, or "" if none does.
QString serverBinDir(const QString &program = QStringLiteral("initdb"));

// Absolute path of `program`: PATH first unless preferServerDir, then the server bin dirs.
// Empty if not found; *error then says which Debian package provides it.
QString findProgram(const QString &program, QString *error = nullptr, bool preferServerDir = false);

} // namespace PgTools
} // namespace MigrationDesk

#include <functional>

namespace MigrationDesk {
struct ConnectionSettings;
namespace PgTools {

// Runs `pg_dump -Fc -f file` for the given connection and waits for it, polling isCancelled.
// The password reaches pg_dump through PGPASSWORD in its environment, never its arguments, and
// every message is redacted. Returns false with a plain message if pg_dump is missing or fails.
bool dumpDatabase(const ConnectionSettings &settings, const QString &file, QString *error,
                  const std::function<bool()> &isCancelled = {});

} // namespace PgTools
} // namespace MigrationDesk
