#pragma once

#include "migrations/sqlsplitter.h"

#include <QList>
#include <QString>

#include <optional>

namespace MigrationDesk {

// What SectionChecker refuses, located at a line of the script.
struct SectionProblem
{
    int line = 0;
    QString message;
};

// Refuses, when a script is loaded, the statements the runner cannot run safely: transaction control
// (BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT, PREPARE TRANSACTION, COMMIT/ROLLBACK
// PREPARED, COMMIT or ROLLBACK inside a PL/pgSQL DO block), a RELEASE or ROLLBACK TO of a savepoint
// the section never set (any savepoint in a non-transactional revision) and psql meta-commands.
// The runner owns the transaction: it records the revision inside the same transaction, so a script
// that ends it would leave its first statements committed and the revision unrecorded. Pure; any thread.
class SectionChecker
{
public:
    // The first problem in one section's statements, or nullopt when there is none.
    static std::optional<SectionProblem> check(const QList<SqlStatement> &statements, bool transactional);
};

} // namespace MigrationDesk
