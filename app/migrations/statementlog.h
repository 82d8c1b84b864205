#pragma once

#include <QList>
#include <QString>

namespace MigrationDesk {

// One statement of a recorded run, as the run panel showed it (password literals redacted).
struct LoggedStatement
{
    int index = 0;          // 0-based, within the revision's section
    int line = 0;           // in the script file
    QString sql;            // redacted, cut to maxSqlLength()
    qint64 elapsedMs = -1;  // -1: it did not finish
    QString error;          // the server's message when this statement stopped the run
};

// Turns a revision's statement log into the JSON kept in migrationdesk.history.statement_log and back.
// Pure data; any thread.
class StatementLog
{
public:
    static int maxSqlLength() { return 4000; } // a bulk INSERT must not make the history row huge
    static QString toJson(const QList<LoggedStatement> &statements); // empty for an empty log
    static QList<LoggedStatement> fromJson(const QString &json);    // empty for empty or invalid JSON
};

} // namespace MigrationDesk
