#include "migrations/driftcheck.h"

#include "migrations/bookkeeping.h"
#include "db/pgconnection.h"
#include "migrations/schemasnapshot.h"
#include "migrations/scriptset.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
// Gives lupdate the same context ("DriftCheck") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(DriftCheck)
};
} // namespace

std::optional<DriftReport> DriftCheck::run(PgConnection &connection, const ScriptSet &scripts,
                                           const VersionTable &versionTable, QString *error)
{
    Bookkeeping books(&connection, versionTable);
    SqlError sqlError;
    const auto overview = books.readOverview(&sqlError);
    if (!overview) {
        if (error)
            *error = sqlError.toString();
        return std::nullopt;
    }
    const QStringList *heads = &overview->heads;
    const QHash<QString, QString> *checksums = &overview->appliedChecksums;
    const std::optional<StoredSnapshot> &stored = overview->snapshot;
    DriftReport report;
    report.heads = *heads;

    const RevisionGraph &graph = scripts.graph();
    QSet<QString> applied;
    for (const QString &h : *heads) {
        if (!graph.contains(h)) {
            report.checksumDifferences << Text::tr("revision %1 is in the database but missing from the scripts").arg(h);
            continue;
        }
        applied.unite(graph.ancestors(h, true));
    }
    QStringList appliedSorted = applied.values();
    appliedSorted.sort();
    for (const QString &rev : std::as_const(appliedSorted)) {
        const MigrationScript *script = scripts.script(rev);
        const QString recorded = checksums->value(rev);
        if (!script || recorded.isEmpty())
            continue;
        if (recorded != script->sha256)
            report.checksumDifferences << Text::tr("script %1 of applied revision %2 was edited after it was applied "
                                             "(SHA-256 then %3, now %4)")
                                              .arg(script->fileName, rev, recorded.left(12), script->sha256.left(12));
    }

    if (!stored && heads->isEmpty()) {
        report.notes << Text::tr("No schema snapshot has been recorded for this database yet, so schema drift cannot be "
                           "checked. Run upgrade or stamp with MigrationDesk once to record one.");
        return report;
    }
    QStringList storedHeads = stored ? stored->heads : QStringList();
    storedHeads.sort();
    report.hasSnapshot = stored.has_value();
    report.snapshotHeads = storedHeads;
    if (!stored || storedHeads != *heads) {
        // Heads no snapshot describes. When MigrationDesk's history never applied one of them, another tool
        // (Alembic) moved the database: comparing with an older snapshot would only list that tool's work.
        QStringList unrecorded;
        for (const QString &h : *heads)
            if (!storedHeads.contains(h))
                unrecorded << h;
        bool outside = false;
        for (const QString &h : std::as_const(unrecorded))
            outside = outside || !checksums->contains(h);
        if (!stored || (outside && !unrecorded.isEmpty())) {
            report.unrecordedHeads = unrecorded;
            report.appliedOutside = outside;
            if (stored)
                report.notes << Text::tr("The last schema snapshot was recorded at %1.")
                                    .arg(storedHeads.isEmpty() ? Text::tr("base") : storedHeads.join(u", "_s));
            return report;
        }
        report.schemaDifferences << Text::tr("the version table says %1 but the snapshot was recorded at %2: the database "
                                       "was migrated or stamped outside MigrationDesk")
                                        .arg(heads->isEmpty() ? Text::tr("base") : heads->join(u", "_s),
                                             storedHeads.isEmpty() ? Text::tr("base") : storedHeads.join(u", "_s));
    }

    QString captureError;
    const auto live = captureLive(connection, versionTable, &captureError);
    if (!live) {
        if (error)
            *error = captureError;
        return std::nullopt;
    }
    const SchemaSnapshot recorded = SchemaSnapshot::fromText(stored->text);
    if (recorded.describesAccess()) {
        report.schemaDifferences << SchemaSnapshot::diff(recorded, *live);
    } else {
        report.schemaDifferences << SchemaSnapshot::diff(recorded, live->withoutAccess());
        report.notes << Text::tr("The recorded schema snapshot predates owner, privilege and comment tracking, so "
                                 "GRANT, OWNER and COMMENT changes are not checked. Any upgrade or stamp with "
                                 "MigrationDesk records a new snapshot.");
    }
    return report;
}

std::optional<SchemaSnapshot> DriftCheck::captureLive(PgConnection &connection, const VersionTable &versionTable,
                                                      QString *error)
{
    QStringList excludedTables;
    const auto where = connection.query(u"SELECT n.nspname || '.' || c.relname FROM pg_class c "
                                                       "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)"_s,
                                        {versionTable.qualifiedSql()}, nullptr);
    if (where && !where->isEmpty())
        excludedTables << where->first().value(0);
    return SchemaSnapshot::capture(connection.pgconn(), {Bookkeeping::schemaName()}, excludedTables, error);
}

} // namespace MigrationDesk
