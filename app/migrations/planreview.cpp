#include "migrations/planreview.h"

#include "db/pgconnection.h"
#include "db/sqlident.h"
#include "migrations/bookkeeping.h"
#include "migrations/dropfinder.h"
#include "migrations/offlinerenderer.h"
#include "migrations/sqlsplitter.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
// Tables never analyzed have no estimate; counting them stops here so a review never scans a big table.
constexpr qint64 kCountLimit = 100000;
} // namespace

QString PlanFinding::severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return u"info"_s;
    case Severity::Warning:
        return u"warning"_s;
    case Severity::Danger:
        return u"danger"_s;
    }
    return QString();
}

PlanReviewer::PlanReviewer(PgConnection &connection, const ScriptSet &scripts, const VersionTable &versionTable)
    : m_connection(connection)
    , m_scripts(scripts)
    , m_versionTable(versionTable)
{
}

PlanReview PlanReviewer::review(MigrationOp op, const QString &target) const
{
    PlanReview plan;
    plan.op = op;
    plan.target = target;
    if (!m_scripts.isValid()) {
        plan.error = tr("The migration scripts are invalid:\n%1").arg(m_scripts.errorText());
        return plan;
    }
    Bookkeeping books(&m_connection, m_versionTable);
    SqlError sqlError;
    const auto heads = books.readHeads(&sqlError);
    if (!heads) {
        plan.error = sqlError.toString();
        return plan;
    }
    plan.headsBefore = *heads;
    const RevisionGraph &graph = m_scripts.graph();
    QString error;
    if (op == MigrationOp::Stamp) {
        QStringList after;
        if (!graph.stampOps(*heads, target, &after, &error)) {
            plan.error = error;
            return plan;
        }
        after.sort();
        plan.headsAfter = after;
        plan.ok = true;
        return plan;
    }
    const bool upgrade = op == MigrationOp::Upgrade;
    const auto steps = upgrade ? graph.upgradePlan(*heads, target, &error) : graph.downgradePlan(*heads, target, &error);
    if (!steps) {
        plan.error = error;
        return plan;
    }
    if (!upgrade) {
        const QString warning = graph.downgradeWarning(*heads, target);
        if (!warning.isEmpty())
            plan.warnings << warning;
    }
    plan.steps = reviewSteps(*steps, *heads, &plan.headsAfter);
    plan.ok = true;
    return plan;
}

QList<PlanStepReview> PlanReviewer::reviewSteps(const QList<MigrationStep> &steps, const QStringList &heads,
                                                QStringList *headsAfter) const
{
    QList<PlanStepReview> out;
    QStringList current = heads;
    for (const MigrationStep &step : steps) {
        const MigrationScript *script = m_scripts.script(step.revision);
        PlanStepReview review;
        review.step = step;
        review.message = script ? script->message : QString();
        review.transactional = script ? script->transactional : true;
        review.sql = OfflineRenderer::stepSql(m_scripts, step, current, m_versionTable);
        review.findings = dropFindings(step);
        m_scripts.graph().versionOps(step, &current);
        out << review;
    }
    if (headsAfter) {
        current.sort();
        *headsAfter = current;
    }
    return out;
}

QList<PlanFinding> PlanReviewer::dropFindings(const MigrationStep &step) const
{
    QList<PlanFinding> findings;
    const MigrationScript *script = m_scripts.script(step.revision);
    if (!script)
        return findings;
    const bool up = step.isUpgrade();
    for (const SqlStatement &st : splitSql(script->sectionSql(up), script->sectionLine(up))) {
        for (const DroppedObject &d : findDroppedObjects(st.text)) {
            PlanFinding finding = dropFinding(d.table, d.column, st.line);
            if (!finding.rule.isEmpty())
                findings << finding;
        }
    }
    return findings;
}

// An empty finding when the table does not exist (yet): nothing is lost by dropping it.
PlanFinding PlanReviewer::dropFinding(const QString &table, const QString &column, int line) const
{
    // Estimated from the planner's statistics; tables never analyzed get a bounded count.
    const auto rows = m_connection.query(
        u"SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END, n.nspname, c.relname "
                       "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE c.oid = to_regclass($1)"_s,
        {table}, nullptr);
    if (!rows || rows->isEmpty())
        return PlanFinding();
    PlanFinding finding;
    finding.rule = column.isEmpty() ? u"drop-table"_s : u"drop-column"_s;
    finding.line = line;
    finding.table = table;
    finding.column = column;
    const QString estimate = rows->first().value(0);
    QString count = estimate;
    if (count.isNull()) {
        const auto exact = m_connection.query(
            u"SELECT count(*) FROM (SELECT 1 FROM %1 LIMIT %2) s"_s
                .arg(quoteQualified(rows->first().value(1), rows->first().value(2)))
                .arg(kCountLimit + 1),
            {}, nullptr);
        count = exact && !exact->isEmpty() ? exact->first().value(0) : QString();
    }
    if (!count.isEmpty()) {
        finding.rowsAtLeast = estimate.isNull() && count.toLongLong() > kCountLimit;
        finding.estimatedRows = finding.rowsAtLeast ? kCountLimit : count.toLongLong();
    }

    const QLocale locale;
    const QString rowsText = finding.estimatedRows < 0 ? tr("unknown row count")
        : finding.rowsAtLeast                           ? tr("more than 100,000 rows")
                                                        : tr("≈ %1 rows").arg(locale.toString(finding.estimatedRows));
    finding.message = column.isEmpty() ? tr("Drops table %1 and all its data (%2).").arg(table, rowsText)
                                       : tr("Drops column %1.%2 and its values (%3).").arg(table, column, rowsText);
    return finding;
}

} // namespace MigrationDesk
