#pragma once

#include "db/pgconnection.h"
#include "migrations/sqlsplitter.h"
#include "migrations/statementlog.h"
#include "migrations/transactionguard.h"

#include <QList>

#include <functional>

namespace MigrationDesk {

// Runs one section's statements in order on the runner's connection: announces each (with password
// literals redacted), stops at the first failure or cancel, and checks with the TransactionGuard that the
// statements left the transaction as the revision needs it: open for a transactional revision, none for a
// non-transactional one. Inside a transaction, statements that cannot end it go out in pipelines (one
// round trip for many); otherwise, and around each statement's timeout, one statement at a time.
// Runner thread.
class StatementExecutor
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MigrationRunner)

public:
    struct Result
    {
        bool ok = true;
        int failedAt = -1;           // the statement that stopped the run, else -1
        int failedLine = 0;
        SqlError error;
        bool transactionChanged = false; // statement failedAt succeeded but ended (or opened) a transaction
        bool connectionLost = false;
        QList<LoggedStatement> log;  // every statement started, with its time or its error
    };
    struct Hooks
    {
        std::function<bool()> cancelled;
        std::function<void(int statement, const SqlStatement &st, const QString &shownSql)> started;
        std::function<void(int statement, qint64 elapsedMs)> finished;
        std::function<bool(int statement)> skip;                   // optional: true skips it
        std::function<bool(int statement, SqlError *error)> after; // optional: bookkeeping after each success
    };

    StatementExecutor(PgConnection &connection, TransactionGuard &guard, TransactionGuard::State expected);
    // --statement-timeout: set just before each statement (SET LOCAL in a transaction) and set back to
    // restoreTo right after it, so the runner's own bookkeeping never runs under it. Empty: none.
    void setStatementTimeout(const QString &timeout, const QString &restoreTo);
    Result run(const QList<SqlStatement> &statements, int from, const Hooks &hooks);

    // The statement may share a pipeline with the revision's other statements.
    static bool pipelinable(const SqlStatement &statement);

private:
    static SqlError cancelError();
    Result runPipelined(const QList<SqlStatement> &statements, int from, const Hooks &hooks);
    bool setTimeout(const QString &value, SqlError *error);

    PgConnection &m_connection;
    TransactionGuard &m_guard;
    TransactionGuard::State m_expected;
    QString m_statementTimeout;
    QString m_restoreTimeout;
};

// sql with the value of every PASSWORD '...' (CREATE/ALTER ROLE, CREATE USER MAPPING ...) replaced by
// '***', for echoing statements to logs and terminals.
QString redactPasswordLiterals(const QString &sql);

} // namespace MigrationDesk
