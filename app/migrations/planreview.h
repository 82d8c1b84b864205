#pragma once

#include "migrations/migrationop.h"
#include "migrations/planfinding.h"
#include "migrations/reviewrules.h"
#include "migrations/revisiongraph.h"
#include "migrations/scriptset.h"
#include "migrations/versiontable.h"

#include <QCoreApplication>
#include <QMetaType>
#include <QSet>
#include <QStringList>

namespace MigrationDesk {

class PgConnection;

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
// so it runs where that connection lives: the desktop app's worker thread or the CLI's thread. Without a
// connection (the CLI's review --offline) it reviews the scripts alone: sizes unknown, severity from the rule.
class PlanReviewer
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::PlanReviewer)

public:
    PlanReviewer(PgConnection &connection, const ScriptSet &scripts, const VersionTable &versionTable);
    // Offline: no database.
    PlanReviewer(const ScriptSet &scripts, const VersionTable &versionTable);

    void setThresholds(const ReviewThresholds &thresholds) { m_thresholds = thresholds; }

    // Reads the heads, plans `op` to `target` and reviews every step. A refusal comes back in error.
    PlanReview review(MigrationOp op, const QString &target) const;
    // Offline: plans from `from` (a revision, "base" or empty for base) as if the database were there.
    PlanReview reviewFrom(MigrationOp op, const QString &from, const QString &target) const;
    // Reviews steps already planned from `heads` (the runner's dry run); *headsAfter gets where they end.
    QList<PlanStepReview> reviewSteps(const QList<MigrationStep> &steps, const QStringList &heads,
                                      QStringList *headsAfter = nullptr) const;

private:
    PlanReview plan(MigrationOp op, const QStringList &heads, const QString &target) const;
    QList<PlanFinding> stepFindings(const MigrationStep &step, ReviewRules &rules, QSet<QString> *createdInPlan) const;
    // Applies `-- review: allow RULE reason` comments directly above the statement at `line`.
    QList<PlanFinding> applySuppressions(QList<PlanFinding> findings, const QStringList &sectionLines,
                                         int sectionLine, int line) const;

    PgConnection *m_connection = nullptr;
    const ScriptSet &m_scripts;
    VersionTable m_versionTable;
    ReviewThresholds m_thresholds;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::PlanReview)
