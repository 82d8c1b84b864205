#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

class ScriptSet;

// Writes new migration scripts (`revision -m`, `merge`) into a scripts folder on disk. Any thread.
class ScriptWriter
{
public:
    // 12 random hex digits, as Alembic makes them, not used by any script in the set.
    static QString newRevisionId(const ScriptSet &scripts);

    // Writes <id>_<slug>.sql with the given parents (none for a root) and empty sections. Refuses a
    // message with a line break, an existing id, and unknown parents. Returns the new file's path.
    static std::optional<QString> write(const ScriptSet &scripts, const QString &message, const QStringList &parents,
                                        QString *error, const QString &revisionId = {});

    // "Add region to customers" -> "add_region_to_customers" (ASCII, at most 40 characters).
    static QString slug(const QString &message);
};

} // namespace MigrationDesk
