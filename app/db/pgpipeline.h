#pragma once

#include "db/sqlerror.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

typedef struct pg_conn PGconn;

namespace MigrationDesk {

// Sends several statements in one round trip (libpq's pipeline mode) and collects each one's rows or
// error; used on the thread that owns the connection. Without a BEGIN among them the statements run as
// one implicit transaction, so the first failure aborts (and rolls back) the rest.
class PgPipeline
{
public:
    struct Statement
    {
        QString sql;          // one statement, $1, $2, ... bound as text as in PgConnection::query()
        QStringList params;   // a null QString binds SQL NULL
    };
    struct Result
    {
        bool ok = false;
        bool skipped = false;      // not run: an earlier statement failed
        QList<QStringList> rows;
        SqlError error;            // when !ok and !skipped
    };

    // The results, one per statement, in order; nullopt (and *error) when the pipeline itself could not be
    // sent or read (no connection, a broken socket, a COPY).
    static std::optional<QList<Result>> run(PGconn *conn, const QList<Statement> &statements,
                                            SqlError *error = nullptr);
    // run() handing each statement's result to onResult as soon as the server has it (with its rows only
    // when keepRows), so that a long pipeline can report progress; false (and *error) where run() gives nullopt, after the
    // results that did arrive were handed over.
    static bool stream(PGconn *conn, const QList<Statement> &statements, bool keepRows,
                       const std::function<void(qsizetype index, const Result &result)> &onResult,
                       SqlError *error = nullptr);

private:
    // flushEach: the server sends each answer as it has it, not all of them at the sync.
    static bool exchange(PGconn *conn, const QList<Statement> &statements, bool keepRows, bool flushEach,
                         const std::function<void(qsizetype index, const Result &result)> &onResult,
                         SqlError *error);

public:
    // The first failure among results (empty when every statement ran).
    static SqlError firstError(const QList<Result> &results);

    // A check for a pipeline that has to verify something before its COMMIT: an expression that is true
    // when `condition` holds and otherwise fails its statement on the server (checkFailed()), so that the
    // statements after it, up to the sync, are skipped. `what` (ours, never user text) and `seen` go into
    // the server's message; `seen` must not be a constant, or the planner folds the failing arm and the
    // statement fails whatever the condition.
    static QString failUnless(const QString &condition, const QString &what, const QString &seen);
    // The error is a failUnless() check that failed (SQLSTATE 22P02, its text cast to boolean).
    static bool checkFailed(const SqlError &error);
};

} // namespace MigrationDesk
