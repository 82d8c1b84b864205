#pragma once

#include "migrations/alembicproject.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

// Writes an imported Alembic project as MigrationDesk scripts: one file per revision with the same
// id, down_revision, branch_labels, depends_on and message, each section holding the rendered SQL
// (or, for a revision that needs review, its Python source as comments). Any thread.
class AlembicScriptWriter
{
public:
    // Checks everything first and writes nothing on a problem: ids and labels our scripts cannot
    // carry, a folder that already holds scripts. Returns the paths written, in Alembic's load order.
    static std::optional<QStringList> write(const AlembicProject &project, const QString &outDir, QString *error);

    // One revision's file text.
    static QString scriptText(const ImportedRevision &revision);
    // The file names, "<rev>_<slug>.sql"; prefixed with a 4-digit position when sorting those names
    // would not keep Alembic's load order (which breaks ties in plans, here as in Alembic).
    static QStringList fileNames(const AlembicProject &project);
};

} // namespace MigrationDesk
