#pragma once

#include "migrations/migrationop.h"
#include "migrations/revisiongraph.h"
#include "migrations/sqlsplitter.h"

#include <QCoreApplication>
#include <QHash>
#include <QStringList>

#include <functional>
#include <optional>

namespace MigrationDesk {

class Bookkeeping;
struct InterruptedRun;
struct MigrationScript;
class PgConnection;
class ScriptSet;

// Deals with what a killed or failed run of a non-transactional revision left behind: reports the
// recorded interruptions, drops half-built invalid indexes, and says where a retried revision resumes.
// Uses the runner's connection on the runner's thread; shares the runner's translation context.
class InterruptedRunRecovery
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MigrationRunner)

public:
    using Narrate = std::function<void(const QString &text)>;
    InterruptedRunRecovery(PgConnection &connection, Bookkeeping &books, const ScriptSet &scripts, Narrate narrate);

    struct Outcome
    {
        QHash<QString, int> resumeFrom; // revision -> statements already done, for the ones the plan resumes
        bool leftovers = false;         // an abandoned run left completed statements in the database
        QString refusal;                // not empty: the plan must not run (a resume of an edited script)
    };
    // For each interrupted run on record: cleans up, appends a note to *notes, and either keeps it for
    // `plan` to resume or forgets it. A revision whose script changed since is never resumed by position:
    // it is refused, unless restart asks to run it again from statement 1.
    Outcome recover(const QList<MigrationStep> &plan, bool restart, QStringList *notes);
    // Drops the invalid indexes that an interrupted CREATE INDEX CONCURRENTLY of the script left.
    QStringList dropInvalidIndexes(const MigrationScript &script, MigrationOp op);
    // The name of the index `statement` creates, when that index already exists and is valid.
    std::optional<QString> builtIndex(const QString &statement);

private:
    // Lists the statements an abandoned run completed, from the script when it is unchanged.
    QString leftoverText(const InterruptedRun &run, const QList<SqlStatement> &statements, bool changed) const;

    PgConnection &m_connection;
    Bookkeeping &m_books;
    const ScriptSet &m_scripts;
    Narrate m_narrate;
};

} // namespace MigrationDesk
