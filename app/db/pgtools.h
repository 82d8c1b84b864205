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
