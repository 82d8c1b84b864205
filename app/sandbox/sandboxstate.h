#pragma once

#include <QString>

namespace MigrationDesk {

// What the sandbox remembers between starts, kept in sandbox.json: the port of the last run (so copied
// URLs keep working) and whether the demo data went in. The file also names the socket folder, database
// and user, for people and other tools. A plain value; read and written on the sandbox's worker thread.
struct SandboxState
{
    int port = 0;
    bool demoFilled = false;

    // The state in `file`; defaults when it is missing or unreadable.
    static SandboxState read(const QString &file);
    // Replaces `file` atomically; false with *error when it cannot be written.
    bool write(const QString &file, const QString &socketDirectory, const QString &database, const QString &user,
               QString *error) const;
};

} // namespace MigrationDesk
