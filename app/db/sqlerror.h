#pragma once

#include <QString>

#include <utility>

namespace MigrationDesk {

// One server error as libpq reports it, split into its fields. A plain value; any thread.
struct SqlError
{
    QString message;    // the primary message, e.g. relation "x" does not exist
    QString sqlState;   // five-character SQLSTATE; empty for client-side failures (connection lost)
    QString detail;
    QString hint;
    QString context;    // PL/pgSQL call stack and similar, when the server sends one
    int position = 0;   // 1-based character offset into the statement text; 0 = none

    bool isEmpty() const { return message.isEmpty() && sqlState.isEmpty(); }
    // "message [SQLSTATE]", then DETAIL:, HINT: and CONTEXT: lines when present.
    QString toString() const;
    // 1-based line and column of `position` inside `sql` (the text the error came from), counting
    // characters as the server does; {0, 0} without a position.
    std::pair<int, int> lineAndColumn(const QString &sql) const;
};

} // namespace MigrationDesk
