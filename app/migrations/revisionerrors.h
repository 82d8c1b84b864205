#pragma once

#include "migrations/alembicterms.h"

#include <QString>
#include <QStringList>

// How RevisionGraph's commands word the failures of the walk, and their refusal of branch labels.
// Pure functions; any thread. Internal to migrations/.
namespace MigrationDesk::Alembic {

// ScriptDirectory._catch_revision_errors: how one command words the errors of the walk.
struct CommandContext
{
    QString ancestor;      // template with %start / %end, empty for Alembic's default
    QString multipleHeads; // template with %head_arg, empty for Alembic's default
    QString start;
    QString end;
    bool hasStart = false;
    bool hasEnd = false;
};

// The message the command shows for f (Alembic's command layer rewords some of the walk's errors).
QString commandMessage(const Failure &f, const CommandContext &ctx);

// A target naming a branch label ("label@rev"), which MigrationDesk does not support.
bool containsBranchLabel(const QString &s);
QString branchLabelError(const QString &s);
// True, with *error set, when one of args names a branch label.
bool refuseBranchLabels(const QStringList &args, QString *error);

} // namespace MigrationDesk::Alembic
