#pragma once

#include <QJsonObject>
#include <QString>

namespace MigrationDesk {

class ScriptSet;

// Which parts the one-line form of a revision shows.
struct HeadOnlyOptions
{
    bool parents = false;          // "down -> rev"
    bool doc = false;              // ", message"
    bool treeIndicators = false;   // " (branchpoint)", " (mergepoint)"
    bool current = false;          // " (current)"
    bool branches = false;         // " (label, ...)": the branch labels (history, heads, branches)
};

// How the CLI prints one revision, word for word as Alembic's Script does. Any thread.
class RevisionFormat
{
public:
    // Script._head_only: the one-line form of history, current, heads and branches.
    static QString headOnly(const ScriptSet &set, const QString &rev, const HeadOnlyOptions &options);
    // Script.log_entry: the --verbose form.
    static QString logEntry(const ScriptSet &set, const QString &rev, bool current);
    // One line of a listing: logEntry() with --verbose, else headOnly(); `options.current` marks both.
    static QString line(const ScriptSet &set, const QString &rev, bool verbose, const HeadOnlyOptions &options);
    static QJsonObject toJson(const ScriptSet &set, const QString &rev);
};

} // namespace MigrationDesk
