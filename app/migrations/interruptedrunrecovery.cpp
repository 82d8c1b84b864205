#include "migrations/interruptedrunrecovery.h"

#include "db/pgconnection.h"
#include "db/sqlident.h"
#include "migrations/bookkeeping.h"
#include "migrations/scriptset.h"
#include "migrations/sqlsplitter.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The index a CREATE INDEX statement makes, and the table it is on, so leftovers of an interrupted
// CREATE INDEX CONCURRENTLY can be found. Names may be quoted. (A DROP INDEX CONCURRENTLY that died
// half-way needs nothing here: the statement itself finishes the job on retry.)
struct IndexRef { QString name; QString table; };
std::optional<IndexRef> createdIndex(const QString &statement)
{
    static const QRegularExpression re(
        u"^\\s*CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(?:CONCURRENTLY\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?"
                       "(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)\\s+ON\\s+(?:ONLY\\s+)?"
                       "((?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)(?:\\.(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*))?)"_s,
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(statement);
    if (!m.hasMatch())
        return std::nullopt;
    QString name = m.captured(1);
    if (name.startsWith(QLatin1Char('"')))
        name = name.mid(1, name.size() - 2).replace(u"\"\""_s, u"\""_s);
    else
        name = name.toLower();
    return IndexRef{name, m.captured(2)};
}

} // namespace

InterruptedRunRecovery::InterruptedRunRecovery(PgConnection &connection, Bookkeeping &books, const ScriptSet &scripts,
                                               Narrate narrate)
    : m_connection(connection)
    , m_books(books)
    , m_scripts(scripts)
    , m_narrate(std::move(narrate))
{
}

InterruptedRunRecovery::Outcome InterruptedRunRecovery::recover(const QList<MigrationStep> &plan, bool restart,
                                                                QStringList *notes)
{
    Outcome outcome;
    SqlError error;
    const auto runs = m_books.interrupted(&error);
    if (!runs)
        return outcome;
    for (const InterruptedRun &run : *runs) {
        const MigrationScript *script = m_scripts.script(run.revision);
        const std::optional<MigrationOp> op = migrationOpFromName(run.direction);
        const bool upgrade = op == MigrationOp::Upgrade;
        QString note = tr("Found an interrupted run of non-transactional revision %1 (%2, started %3): "
                          "%4 of %5 statements had completed.")
                           .arg(run.revision, run.direction, run.startedAt.toString(Qt::ISODate))
                           .arg(run.statementsDone)
                           .arg(run.statementsTotal);
        QList<SqlStatement> statements;
        bool changed = false;
        if (script) {
            statements = splitSql(script->sectionSql(upgrade), script->sectionLine(upgrade));
            const QStringList dropped = dropInvalidIndexes(*script, op.value_or(MigrationOp::Downgrade));
            if (!dropped.isEmpty())
                note += QLatin1Char(' ') + tr("Dropped the invalid index(es) it left behind: %1.").arg(dropped.join(u", "_s));
            // Older markers carry no checksum; a different statement count still betrays an edit.
            changed = run.scriptSha256.isEmpty() ? run.statementsTotal != statements.size()
                                                 : run.scriptSha256 != script->sha256;
            if (changed)
                note += QLatin1Char(' ') + tr("The script has changed since then.");
        }
        bool resumes = false;
        for (const MigrationStep &step : plan)
            resumes = resumes || (step.revision == run.revision && op == step.direction);
        if (resumes && restart) {
            outcome.resumeFrom.insert(run.revision, 0);
            note += QLatin1Char(' ') + tr("Restarting it at statement 1, as asked.");
        } else if (resumes && changed) {
            outcome.refusal =
                tr("Revision %1 was interrupted after %2 of its statements had completed, and its script %3 has "
                   "changed since then, so resuming it by position could skip or repeat statements; nothing was run. "
                   "Make the script safe to run again from its first statement (for example with IF NOT EXISTS), "
                   "then restart the revision from statement 1 (migrationdesk-cli: --restart-revision).")
                    .arg(run.revision)
                    .arg(run.statementsDone)
                    .arg(script ? script->fileName : run.revision);
        } else if (resumes) {
            outcome.resumeFrom.insert(run.revision, run.statementsDone);
            note += QLatin1Char(' ') + tr("Resuming it at statement %1.").arg(run.statementsDone + 1);
        } else {
            m_books.clearInterrupted(run.revision, &error);
            note += QLatin1Char(' ') + tr("This run does not retry it; its completed statements were left in place.");
            if (run.statementsDone > 0) {
                outcome.leftovers = true;
                note += QLatin1Char(' ') + leftoverText(run, statements, changed);
            }
        }
        *notes << note;
        m_narrate(note);
    }
    return outcome;
}

QString InterruptedRunRecovery::leftoverText(const InterruptedRun &run, const QList<SqlStatement> &statements,
                                             bool changed) const
{
    if (changed || statements.size() < run.statementsDone)
        return tr("The script has changed since, so which statements those were cannot be told from it; no revision "
                  "accounts for their work, so remove it by hand if it is unwanted.");
    QStringList done;
    for (int i = 0; i < run.statementsDone; ++i)
        done << tr("line %1: %2").arg(statements.at(i).line).arg(statements.at(i).text.simplified().left(100));
    return tr("No revision accounts for their work, so remove it by hand if it is unwanted: %1.").arg(done.join(u"; "_s));
}

QStringList InterruptedRunRecovery::dropInvalidIndexes(const MigrationScript &script, MigrationOp op)
{
    QStringList dropped;
    const bool upgrade = op == MigrationOp::Upgrade;
    for (const SqlStatement &st : splitSql(script.sectionSql(upgrade), script.sectionLine(upgrade))) {
        const auto idx = createdIndex(st.text);
        if (!idx)
            continue;
        const auto rows = m_connection.query(
            u"SELECT n.nspname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                           "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid AND c.relname = $1 "
                           "AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = to_regclass($2))"_s,
            {idx->name, idx->table}, nullptr);
        if (!rows || rows->isEmpty())
            continue;
        SqlError error;
        const QString qualified = quoteQualified(rows->first().value(0), idx->name);
        if (m_connection.exec(u"DROP INDEX CONCURRENTLY IF EXISTS %1"_s.arg(qualified), &error)) {
            dropped << qualified;
            m_narrate(tr("Dropped the invalid index %1 left by an interrupted CREATE INDEX CONCURRENTLY.").arg(qualified));
        } else {
            m_narrate(tr("Could not drop the invalid index %1: %2").arg(qualified, error.toString()));
        }
    }
    return dropped;
}

std::optional<QString> InterruptedRunRecovery::builtIndex(const QString &statement)
{
    const auto idx = createdIndex(statement);
    if (!idx)
        return std::nullopt;
    const auto rows = m_connection.query(
        u"SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                       "WHERE c.relname = $1 AND c.relnamespace = (SELECT relnamespace FROM pg_class "
                       "WHERE oid = to_regclass($2))"_s,
        {idx->name, idx->table}, nullptr);
    if (rows && !rows->isEmpty() && rows->first().value(0) == QLatin1String("t"))
        return idx->name;
    return std::nullopt;
}

} // namespace MigrationDesk
