#include "migrations/offlinerenderer.h"

#include "db/sqlident.h"
#include "migrations/scriptset.h"
#include "migrations/sqlsplitter.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

QString statementsOf(const MigrationScript &script, bool upgrade)
{
    QStringList out;
    const auto statements = splitSql(script.sectionSql(upgrade), script.sectionLine(upgrade));
    for (const SqlStatement &st : statements) {
        // A final statement may end in a -- comment; a ';' on that line would be commented out.
        const QString lastLine = st.text.section(QLatin1Char('\n'), -1);
        out << st.text + (lastLine.contains(QLatin1String("--")) ? u"\n;\n"_s : u";\n"_s);
    }
    return out.join(QLatin1Char('\n'));
}

} // namespace

QString OfflineRenderer::stepComment(const ScriptSet &scripts, const MigrationStep &step)
{
    const MigrationScript *s = scripts.script(step.revision);
    const QString parents = s ? s->downRevisions.join(u", "_s) : QString();
    if (step.isUpgrade())
        return u"-- Running upgrade %1 -> %2"_s.arg(parents, step.revision);
    return u"-- Running downgrade %1 -> %2"_s.arg(step.revision, parents);
}

QString OfflineRenderer::stepSql(const ScriptSet &scripts, const MigrationStep &step, const QStringList &headsBefore,
                                 const VersionTable &versionTable)
{
    const MigrationScript *s = scripts.script(step.revision);
    if (!s)
        return {};
    QString out = statementsOf(*s, step.isUpgrade());
    QStringList heads = headsBefore;
    const auto ops = scripts.graph().versionOps(step, &heads);
    for (const VersionOp &op : ops)
        out += QLatin1Char('\n') + versionTable.opSql(op, true) + u";\n"_s;
    return out;
}

std::optional<QString> OfflineRenderer::render(const ScriptSet &scripts, const QList<MigrationStep> &steps,
                                               const QStringList &startHeads, const Options &options,
                                               QString *error)
{
    QString out;
    if (options.singleTransaction) {
        for (const MigrationStep &step : steps) {
            const MigrationScript *s = scripts.script(step.revision);
            if (s && !s->transactional) {
                if (error)
                    *error = QCoreApplication::translate("OfflineRenderer",
                                                         "revision %1 is non-transactional and cannot run inside "
                                                         "--single-transaction")
                                 .arg(step.revision);
                return std::nullopt;
            }
        }
    }
    if (!options.lockTimeout.isEmpty())
        out += u"SET lock_timeout = %1;\n\n"_s.arg(quoteLiteral(options.lockTimeout));
    if (options.singleTransaction)
        out += u"BEGIN;\n\n"_s;
    // As in Alembic's run_migrations: the version table is created inside the first revision's
    // transaction, before its "-- Running" line.
    bool createVersionTable = startHeads.isEmpty() && !steps.isEmpty() && steps.first().isUpgrade();

    QStringList heads = startHeads;
    for (const MigrationStep &step : steps) {
        const MigrationScript *s = scripts.script(step.revision);
        if (!s) {
            if (error)
                *error = QCoreApplication::translate("OfflineRenderer", "no script for revision %1").arg(step.revision);
            return std::nullopt;
        }
        const bool ownTransaction = !options.singleTransaction;
        if (ownTransaction && s->transactional)
            out += u"BEGIN;\n\n"_s;
        if (createVersionTable) {
            out += options.versionTable.createSql(false) + u";\n\n"_s;
            createVersionTable = false;
        }
        out += stepComment(scripts, step) + u"\n\n"_s;
        const QString body = statementsOf(*s, step.isUpgrade());
        if (!body.isEmpty())
            out += body + QLatin1Char('\n');
        const auto ops = scripts.graph().versionOps(step, &heads);
        // A non-transactional revision still records itself atomically once its statements are done.
        if (ownTransaction && !s->transactional && !ops.isEmpty())
            out += u"BEGIN;\n\n"_s;
        for (const VersionOp &op : ops)
            out += options.versionTable.opSql(op, true) + u";\n\n"_s;
        if (ownTransaction && (s->transactional || !ops.isEmpty()))
            out += u"COMMIT;\n\n"_s;
    }
    // Alembic drops the version table in offline mode once a downgrade leaves no heads.
    if (heads.isEmpty() && !steps.isEmpty() && !steps.last().isUpgrade())
        out += options.versionTable.dropSql() + u";\n\n"_s;
    if (options.singleTransaction)
        out += u"COMMIT;\n\n"_s;
    return out;
}

} // namespace MigrationDesk
