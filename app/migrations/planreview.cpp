#include "migrations/planreview.h"

#include "db/pgconnection.h"
#include "migrations/bookkeeping.h"
#include "migrations/offlinerenderer.h"
#include "migrations/sqlsplitter.h"
#include "migrations/statementclassifier.h"
#include "migrations/tablefacts.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

QString PlanFinding::severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return u"info"_s;
    case Severity::Warning:
        return u"warning"_s;
    case Severity::Danger:
        return u"danger"_s;
    case Severity::Error:
        return u"error"_s;
    }
    return QString();
}

std::optional<PlanFinding::Severity> PlanFinding::severityFromName(const QString &name)
{
    for (Severity s : {Severity::Info, Severity::Warning, Severity::Danger, Severity::Error}) {
        if (severityName(s) == name)
            return s;
    }
    return std::nullopt;
}

PlanReviewer::PlanReviewer(PgConnection &connection, const ScriptSet &scripts, const VersionTable &versionTable)
    : m_connection(&connection)
    , m_scripts(scripts)
    , m_versionTable(versionTable)
{
}

PlanReviewer::PlanReviewer(const ScriptSet &scripts, const VersionTable &versionTable)
    : m_scripts(scripts)
    , m_versionTable(versionTable)
{
}

PlanReview PlanReviewer::review(MigrationOp op, const QString &target) const
{
    if (!m_scripts.isValid()) {
        PlanReview refused;
        refused.op = op;
        refused.target = target;
        refused.error = tr("The migration scripts are invalid:\n%1").arg(m_scripts.errorText());
        return refused;
    }
    if (!m_connection)
        return reviewFrom(op, QString(), target);
    Bookkeeping books(m_connection, m_versionTable);
    SqlError sqlError;
    const auto heads = books.readHeads(&sqlError);
    if (!heads) {
        PlanReview refused;
        refused.op = op;
        refused.target = target;
        refused.error = sqlError.toString();
        return refused;
    }
    return plan(op, *heads, target);
}

PlanReview PlanReviewer::reviewFrom(MigrationOp op, const QString &from, const QString &target) const
{
    PlanReview refused;
    refused.op = op;
    refused.target = target;
    if (!m_scripts.isValid()) {
        refused.error = tr("The migration scripts are invalid:\n%1").arg(m_scripts.errorText());
        return refused;
    }
    QStringList heads;
    if (!from.isEmpty() && from != QLatin1String("base")) {
        const auto resolved = m_scripts.graph().resolveTarget(from, {}, &refused.error);
        if (!resolved)
            return refused;
        heads = *resolved;
    }
    return plan(op, heads, target);
}

PlanReview PlanReviewer::plan(MigrationOp op, const QStringList &heads, const QString &target) const
{
    PlanReview plan;
    plan.op = op;
    plan.target = target;
    plan.headsBefore = heads;
    const RevisionGraph &graph = m_scripts.graph();
    QString error;
    if (op == MigrationOp::Stamp) {
        QStringList after;
        if (!graph.stampOps(heads, target, &after, &error)) {
            plan.error = error;
            return plan;
        }
        after.sort();
        plan.headsAfter = after;
        plan.ok = true;
        return plan;
    }
    const bool upgrade = op == MigrationOp::Upgrade;
    const auto steps = upgrade ? graph.upgradePlan(heads, target, &error) : graph.downgradePlan(heads, target, &error);
    if (!steps) {
        plan.error = error;
        return plan;
    }
    if (!upgrade) {
        const QString warning = graph.downgradeWarning(heads, target);
        if (!warning.isEmpty())
            plan.warnings << warning;
    }
    plan.steps = reviewSteps(*steps, heads, &plan.headsAfter);
    plan.ok = true;
    return plan;
}

QList<PlanStepReview> PlanReviewer::reviewSteps(const QList<MigrationStep> &steps, const QStringList &heads,
                                                QStringList *headsAfter) const
{
    QList<PlanStepReview> out;
    QStringList current = heads;
    TableFacts facts(m_connection, m_thresholds.dangerRows);
    ReviewRules rules(facts, m_thresholds);
    if (m_connection) {
        // A dry walk records the catalog questions, which then go in one round trip instead of one each.
        facts.startRecording();
        for (const MigrationStep &step : steps)
            stepFindings(step, rules, nullptr);
        facts.prefetch();
    }
    // Offline nothing says which tables exist: those an earlier step of the plan creates are new too.
    QSet<QString> createdInPlan;
    for (const MigrationStep &step : steps) {
        const MigrationScript *script = m_scripts.script(step.revision);
        PlanStepReview review;
        review.step = step;
        review.message = script ? script->message : QString();
        review.transactional = script ? script->transactional : true;
        review.sql = OfflineRenderer::stepSql(m_scripts, step, current, m_versionTable);
        review.findings = stepFindings(step, rules, m_connection ? nullptr : &createdInPlan);
        m_scripts.graph().versionOps(step, &current);
        out << review;
    }
    if (headsAfter) {
        current.sort();
        *headsAfter = current;
    }
    return out;
}

QList<PlanFinding> PlanReviewer::stepFindings(const MigrationStep &step, ReviewRules &rules,
                                              QSet<QString> *createdInPlan) const
{
    QList<PlanFinding> findings;
    const MigrationScript *script = m_scripts.script(step.revision);
    if (!script)
        return findings;
    const bool up = step.isUpgrade();
    const QString section = script->sectionSql(up);
    const QStringList lines = section.split(u'\n');
    RevisionState state;
    state.transactional = script->transactional;
    if (createdInPlan)
        state.createdTables = *createdInPlan;
    for (const SqlStatement &st : splitSql(section, script->sectionLine(up))) {
        QList<PlanFinding> found = rules.check(classifyStatement(st.text), st.line, state);
        for (PlanFinding &f : found)
            f.statement = st.text;
        findings << applySuppressions(found, lines, script->sectionLine(up), st.line);
    }
    if (createdInPlan)
        *createdInPlan = state.createdTables;
    return findings;
}

QList<PlanFinding> PlanReviewer::applySuppressions(QList<PlanFinding> findings, const QStringList &sectionLines,
                                                   int sectionLine, int line) const
{
    static const QRegularExpression allow(u"^--\\s*review:\\s*allow\\s+(\\S+)\\s*(.*)$"_s);
    // The block of comment lines right above the statement, nearest first.
    for (int i = line - sectionLine - 1; i >= 0 && i < sectionLines.size(); --i) {
        const QString text = sectionLines.at(i).trimmed();
        if (!text.startsWith(u"--"_s))
            break;
        const auto m = allow.match(text);
        if (!m.hasMatch())
            continue;
        const QString rule = m.captured(1);
        const QString reason = m.captured(2).trimmed();
        if (reason.isEmpty()) {
            PlanFinding f;
            f.rule = u"suppression-without-reason"_s;
            f.severity = PlanFinding::Severity::Warning;
            f.line = sectionLine + i;
            f.message = tr("The comment allowing %1 gives no reason, so it allows nothing: write "
                           "-- review: allow %1 <why this is safe here>.")
                            .arg(rule);
            findings << f;
            continue;
        }
        for (PlanFinding &f : findings) {
            if (f.rule == rule && f.allowed.isEmpty())
                f.allowed = reason;
        }
    }
    return findings;
}

} // namespace MigrationDesk
