#pragma once

#include <QList>
#include <QString>

namespace MigrationDesk {

// One statement cut out of a script, with where it starts in the script.
struct SqlStatement
{
    QString text; // the statement without its terminating ';', trimmed; comments inside are kept
    int line = 1; // 1-based line of the statement's first non-blank, non-comment character
};

// Splits PostgreSQL SQL text into statements the way psql does: respects '...' strings, E'...'
// escapes, "quoted identifiers", $tag$ dollar quotes $tag$, -- and nested /* */ comments, and
// BEGIN ATOMIC ... END bodies. Statements that are only comments or blanks are dropped.
// Pure function, any thread.
QList<SqlStatement> splitSql(const QString &sql, int firstLine = 1);

} // namespace MigrationDesk
