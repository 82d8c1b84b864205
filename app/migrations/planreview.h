#pragma once

#include "migrations/migrationop.h"
#include "migrations/revisiongraph.h"
#include "migrations/scriptset.h"
#include "migrations/versiontable.h"

#include <QCoreApplication>
#include <QMetaType>
#include <QStringList>

namespace MigrationDesk {

class PgConnection;

// One thing the review found in one step. Only the drop rules exist today; the pre-flight review adds
// rules (locks, rewrites) as more findings of the same shape, so readers never need a new field per rule.
struct PlanFinding
{
    enum class Severity { Info, Warning, Danger };
    QString rule;                  // stable id for scripts: "drop-table", "drop-column"
    Severity severity = Severity::Warning;
    QString message;               // plain language, translated
    int line = 0;                  // line in the script file of the statement that causes it
    QString table;                 // as the SQL wrote it, e.g. public."Weird"
    QString column;                // empty unless the finding is about one column
    qint64 estimatedRows = -1;     // -1: unknown
    bool rowsAtLeast = false;      // estimatedRows is a lower bound (a bounded count found more)

    static QString severityName(Severity severity); // "info", "warning", "danger" (JSON)
};

// One step of a reviewed plan, as the confirmation dialog and the CLI's dry run show it.
struct PlanStepReview
{
    MigrationStep step;
    QString message;
    bool transactional = true;
    QString sql;                   // exactly what will run, from OfflineRenderer::stepSql
    QList<PlanFinding> findings;
};

// A plan and what it puts at risk, computed before anything runs.
struct PlanReview
{
    bool ok = false;
    QString error;                 // when !ok: why the target was refused
    MigrationOp op = MigrationOp::Upgrade;
    QString target;
    QStringList headsBefore;
    QStringList headsAfter;
    QList<PlanStepReview> steps;
    QStringList warnings;          // plan-wide notes, e.g. Alembic's warning for -N from several heads
};

// Computes a PlanReview with catalog queries on the caller's connection (names bound, never pasted),
// so it runs where that connection lives: the desktop app's worker thread or the CLI's thread.
class PlanReviewer
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::PlanReviewer)

public:
    PlanReviewer(PgConnection &connection, const ScriptSet &scripts, const VersionTable &versionTable);

    // Reads the heads, plans `op` to `target` and reviews every step. A refusal comes back in error.
    PlanReview review(MigrationOp op, const QString &target) const;
    // Reviews steps already planned from `heads` (the runner's dry run); *headsAfter gets where they end.
    QList<PlanStepReview> reviewSteps(const QList<MigrationStep> &steps, const QStringList &heads,
                                      QStringList *headsAfter = nullptr) const;

private:
    QList<PlanFinding> dropFindings(const MigrationStep &step) const;
    PlanFinding dropFinding(const QString &table, const QString &column, int line) const;

    PgConnection &m_connection;
    const ScriptSet &m_scripts;
    VersionTable m_versionTable;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::PlanReview)
