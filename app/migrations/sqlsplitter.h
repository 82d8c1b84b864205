#pragma once

#include <QList>
#include <QString>

namespace MigrationDesk {

// One statement cut out of a script, with where it starts in the script.
struct SqlStatement
{
    QString text; // the statement without its terminating ';', trimmed; comments inside are kept
    int line = 1; // 1-based line of the statement's first non-blank, non-comment character
    // The first psql backslash meta-command (e.g. \i) outside literals and comments, and its line;
    // empty when there is none. Only psql reads these; the server would report a syntax error.
    QString metaCommand;
    int metaCommandLine = 0;
};

// Splits PostgreSQL SQL text into statements the way psql does: respects '...' strings, E'...'
// escapes, "quoted identifiers", $tag$ dollar quotes $tag$, -- and nested /* */ comments,
// parentheses (as psql, a ';' inside (...) does not end a statement, which multi-action
// CREATE RULE ... DO (a; b) needs) and BEGIN ATOMIC ... END bodies. Comments before a statement
// are not part of its text; a leading UTF-8 BOM is ignored; \n, \r\n and \r each end a line.
// Statements that are only comments or blanks are dropped; an unterminated literal or comment
// runs to the end of the script. Assumes standard_conforming_strings = on. psql backslash
// meta-commands are not run, only noted (SqlStatement::metaCommand); :variables are not interpreted.
// Pure function, any thread.
QList<SqlStatement> splitSql(const QString &sql, int firstLine = 1);

} // namespace MigrationDesk
