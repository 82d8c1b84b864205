#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <atomic>

namespace MigrationDesk {

class PgConnection;

// Helpers for loading many rows inside one transaction: statements that may run for minutes but
// still stop on a cancel, and taking a table's indexes and foreign keys off while it is filled.
// Runs on the thread that owns the connection.
class BulkLoad
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::BulkLoad)

public:
    // Runs one statement while polling the cancel flag, and sends libpq's cancel request when it rises:
    // rebuilding the indexes of ten million rows takes long enough that a cancel must not wait for it.
    static bool execCancellable(PgConnection &connection, const QString &sql, const std::atomic_bool *cancel,
                                QString *error);

    // Takes the plain indexes and the foreign keys off one table before a big COPY, and returns the
    // statements that build them again, to run before COMMIT: one sort per index and one validating join per
    // key instead of an index insert and a trigger query per row. Everything happens inside the caller's
    // transaction, so a failure or a cancel rolls the drops back too. Only what pg_get_indexdef and
    // pg_get_constraintdef restore exactly is taken off: no index behind a constraint (primary key, unique,
    // or one a foreign key elsewhere points at), none with a comment, dependants, CLUSTER or REPLICA IDENTITY
    // mark, own tablespace or statistics target; no key with a comment or disabled triggers.
    static bool detachIndexesAndForeignKeys(PgConnection &connection, const QString &table,
                                            const std::atomic_bool *cancel, QStringList *rebuild, QString *error);
};

} // namespace MigrationDesk
