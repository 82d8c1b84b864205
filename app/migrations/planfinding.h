#pragma once

#include <QString>

#include <optional>

namespace MigrationDesk {

// One thing the pre-flight review found in one step (see ReviewRules for the rules and their ids).
struct PlanFinding
{
    enum class Severity { Info, Warning, Danger, Error };
    QString rule;                  // stable id for scripts, e.g. "table-rewrite", "drops-data"
    Severity severity = Severity::Warning;
    QString message;               // plain language, translated: why, and what to do instead
    int line = 0;                  // line in the script file of the statement that causes it
    QString table;                 // as the SQL wrote it, e.g. public."Weird"; empty when none or unknown
    QString column;                // empty unless the finding is about one column
    qint64 estimatedRows = -1;     // -1: unknown
    bool rowsAtLeast = false;      // estimatedRows is a lower bound (a bounded count found more)
    qint64 tableBytes = -1;        // -1: unknown
    QString lock;                  // the lock level the statement takes, e.g. "ACCESS EXCLUSIVE"
    QString statement;             // the statement's text, so a viewer can find it in the SQL it shows
    QString allowed;               // the reason of a `-- review: allow RULE reason` comment: then it blocks nothing

    bool isAllowed() const { return !allowed.isEmpty(); }
    static QString severityName(Severity severity); // "info", "warning", "danger", "error" (JSON)
    static std::optional<Severity> severityFromName(const QString &name);
};

} // namespace MigrationDesk
