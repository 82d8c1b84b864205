#include "migrations/driftbaseline.h"

#include "db/pgconnection.h"
#include "migrations/advisorylockwaiter.h"
#include "migrations/bookkeeping.h"
#include "migrations/migrationrunner.h"
#include "migrations/schemasnapshot.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Ends the transaction `record` opened; a failed record keeps nothing.
struct Transaction
{
    PgConnection &connection;
    bool committed = false;
    ~Transaction()
    {
        if (!committed && connection.inTransaction())
            connection.exec(u"ROLLBACK"_s);
    }
};

} // namespace

std::optional<DriftReport> DriftBaseline::record(PgConnection &connection, const ScriptSet &scripts,
                                                 const VersionTable &versionTable, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::optional<DriftReport>();
    };
    SqlError sqlError;
    if (!connection.exec(u"BEGIN ISOLATION LEVEL READ COMMITTED"_s, &sqlError))
        return fail(sqlError.toString());
    Transaction transaction{connection};
    // The run lock, held to the end of this transaction: a migration moving the heads meanwhile would make
    // the snapshot describe revisions it does not name. Never waited for: a run may take hours.
    const auto query = [&connection](const QString &sql, const QStringList &params, SqlError *e) {
        return connection.query(sql, params, e);
    };
    const auto scope = AdvisoryLockWaiter::scopeFor(query, versionTable, &sqlError);
    if (!scope)
        return fail(sqlError.toString());
    const auto locked = connection.query(u"SELECT pg_try_advisory_xact_lock($1::integer, hashtext($2))"_s,
                                         {QString::number(MigrationRunner::lockKey()), *scope}, &sqlError);
    if (!locked)
        return fail(sqlError.toString());
    if (locked->isEmpty() || locked->first().value(0) != QLatin1String("t"))
        return fail(tr("A migration is running on this database; record the baseline once it has finished."));

    QString checkError;
    const auto before = DriftCheck::run(connection, scripts, versionTable, &checkError);
    if (!before)
        return fail(checkError);
    if (!before->needsBaseline()) {
        if (before->heads.isEmpty())
            return fail(tr("The version table is empty (base): there is no revision to record a baseline for."));
        return fail(tr("A schema snapshot is already recorded for %1, and check compares the schema with it. "
                       "--baseline only records one for revisions applied outside MigrationDesk.")
                        .arg(before->heads.join(u", "_s)));
    }
    Bookkeeping books(&connection, versionTable);
    if (!books.ensureSchema(&sqlError))
        return fail(sqlError.toString());
    const auto live = DriftCheck::captureLive(connection, versionTable, &checkError);
    if (!live)
        return fail(checkError);
    if (!books.saveSnapshot(before->heads, QString::fromLatin1(live->fingerprint()), live->toText(), &sqlError))
        return fail(sqlError.toString());
    if (!connection.exec(u"COMMIT"_s, &sqlError))
        return fail(sqlError.toString());
    transaction.committed = true;
    const auto after = DriftCheck::run(connection, scripts, versionTable, &checkError);
    if (!after)
        return fail(checkError);
    return after;
}

} // namespace MigrationDesk
