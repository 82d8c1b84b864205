#pragma once

#include "migrations/planfinding.h"
#include "migrations/statementclassifier.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>

namespace MigrationDesk {

class TableFacts;
struct TableSize;

// Where a rewrite, scan or blocking index build becomes `danger` instead of `warning`.
struct ReviewThresholds
{
    qint64 dangerRows = 100000;
    qint64 dangerBytes = 100LL * 1024 * 1024;
};

// What the rules remember while they read one revision's section, statement by statement.
struct RevisionState
{
    bool transactional = true;
    QSet<QString> createdTables;         // folded relation names (no schema): new in this revision
    QHash<QString, QString> notNullChecks; // folded constraint name -> "table\ncolumn" of a CHECK (col IS NOT NULL)
    QSet<QString> provenNotNull;         // "table\ncolumn" with a validated not-null check added in this revision
    QHash<QString, int> enumValues;      // values added by ALTER TYPE ... ADD VALUE, with their line
};

// The pre-flight review's rules. Rule ids are an interface (CLI --accept, JSON, suppression comments):
// index-without-concurrently, concurrently-in-transaction, table-rewrite, not-null-scan, constraint-scan,
// unique-builds-index, drops-data, rename, enum-value-in-transaction. Sizes come from TableFacts; offline
// (no connection) a size-scaled rule is a `warning`. Lives on the thread of its TableFacts.
class ReviewRules
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::ReviewRules)

public:
    ReviewRules(TableFacts &facts, const ReviewThresholds &thresholds);

    // The findings of one statement at file line `line`; updates `state` for the statements after it.
    QList<PlanFinding> check(const ClassifiedStatement &statement, int line, RevisionState &state) const;

private:
    void checkAction(const StatementAction &a, int line, RevisionState &state, QList<PlanFinding> *out) const;
    void dropsData(const StatementAction &a, int line, RevisionState &state, QList<PlanFinding> *out) const;
    // A size-scaled finding about an existing table, or nothing when the table is new or does not exist.
    void sized(const QString &rule, const StatementAction &a, int line, const QString &lock, const QString &message,
               RevisionState &state, QList<PlanFinding> *out) const;
    PlanFinding finding(const QString &rule, PlanFinding::Severity severity, int line, const QString &lock,
                        const QString &message) const;
    bool isNew(const QString &table, const RevisionState &state) const;
    PlanFinding::Severity scaled(const TableSize &size) const;
    static QString sizeText(const TableSize &size);
    static bool typeChangeRewrites(const QString &from, const QString &to);

    TableFacts &m_facts;
    ReviewThresholds m_thresholds;
};

} // namespace MigrationDesk
