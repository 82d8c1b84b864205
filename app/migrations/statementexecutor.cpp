#include "migrations/statementexecutor.h"

#include "db/pgpipeline.h"
#include "migrations/sqltokenizer.h"

#include <QElapsedTimer>
#include <QRegularExpression>

#include <libpq-fe.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

StatementExecutor::StatementExecutor(PgConnection &connection, TransactionGuard &guard,
                                     TransactionGuard::State expected)
    : m_connection(connection)
    , m_guard(guard)
    , m_expected(expected)
{
}

void StatementExecutor::setStatementTimeout(const QString &timeout, const QString &restoreTo)
{
    m_statementTimeout = timeout;
    m_restoreTimeout = restoreTo;
}

SqlError StatementExecutor::cancelError()
{
    // SQLSTATE 57014, as the server reports a cancelled statement: the runner tells the two apart by its flag.
    SqlError error;
    error.message = tr("cancelled by the user");
    error.sqlState = u"57014"_s;
    return error;
}

bool StatementExecutor::setTimeout(const QString &value, SqlError *error)
{
    // Local to the revision's transaction when there is one: a rollback then also ends it.
    const bool local = m_expected == TransactionGuard::State::Open;
    return m_connection
        .query(u"SELECT pg_catalog.set_config('statement_timeout', $1, $2::boolean)"_s,
               {value, local ? u"true"_s : u"false"_s}, error)
        .has_value();
}

namespace {

// What one pipeline may carry: the sent SQL must fit in the sockets' buffers while the server is still
// answering, so that a blocking send can never wait on a server that waits on us.
constexpr qsizetype pipelineBytes = 32 * 1024;
constexpr qsizetype pipelineStatements = 500;

} // namespace

bool StatementExecutor::pipelinable(const SqlStatement &statement)
{
    // Transaction control ends or changes the runner's transaction: the guard has to see it right after
    // the statement, before anything else runs. COPY cannot run in a pipeline. A psql meta-command is a
    // syntax error, reported as the server words it.
    if (!statement.metaCommand.isEmpty())
        return false;
    const QList<SqlToken> tokens = tokenizeSql(statement.text);
    if (tokens.isEmpty() || tokens.first().type != SqlToken::Type::Word)
        return true;
    static const QStringList refused{u"begin"_s,   u"start"_s,   u"commit"_s,  u"end"_s,  u"rollback"_s,
                                     u"abort"_s,   u"savepoint"_s, u"release"_s, u"prepare"_s, u"copy"_s};
    return !refused.contains(tokens.first().text.toLower());
}

StatementExecutor::Result StatementExecutor::run(const QList<SqlStatement> &statements, int from, const Hooks &hooks)
{
    // Inside the revision's transaction, statements the guard need not see one by one go out in
    // pipelines: one round trip for many statements, with the same first failure, line and rollback.
    if (m_expected == TransactionGuard::State::Open && m_statementTimeout.isEmpty() && !hooks.skip && !hooks.after
        && statements.size() - from > 1
        && std::all_of(statements.begin() + from, statements.end(), pipelinable))
        return runPipelined(statements, from, hooks);
    Result r;
    QElapsedTimer timer;
    auto stop = [&r, &timer](int s, const SqlStatement &st) {
        if (!r.log.isEmpty() && r.log.last().index == s) {
            r.log.last().error = r.error.message;
            r.log.last().elapsedMs = timer.isValid() ? timer.elapsed() : -1;
        }
        r.ok = false;
        r.failedAt = s;
        r.failedLine = st.line;
        return r;
    };
    for (int s = from; s < statements.size(); ++s) {
        const SqlStatement &st = statements.at(s);
        timer.invalidate();
        if (hooks.cancelled && hooks.cancelled()) {
            r.error = cancelError();
            return stop(s, st);
        }
        if (hooks.skip && hooks.skip(s))
            continue;
        const QString shown = redactPasswordLiterals(st.text);
        r.log.append({s, st.line, shown.left(StatementLog::maxSqlLength() + 1), -1, {}});
        if (hooks.started)
            hooks.started(s, st, shown);
        const bool timed = !m_statementTimeout.isEmpty();
        if (timed && !setTimeout(m_statementTimeout, &r.error))
            return stop(s, st);
        timer.start();
        const bool ran = m_connection.exec(st.text, &r.error);
        // Checked after every statement, also a failed one: a lost connection is not a failed statement.
        const TransactionGuard::State state = m_guard.state();
        // Set back also after a failed statement outside a transaction, where the setting is the session's;
        // a failed transaction ends (and takes its SET LOCAL with it) in the rollback.
        if (timed && state == m_expected) {
            SqlError restoreError;
            if (!setTimeout(m_restoreTimeout, &restoreError) && ran) {
                r.error = restoreError;
                return stop(s, st);
            }
        }
        if (state == TransactionGuard::State::ConnectionLost) {
            r.connectionLost = true;
            if (ran || r.error.message.isEmpty())
                r.error.message = QString::fromUtf8(PQerrorMessage(m_connection.pgconn())).trimmed();
            return stop(s, st);
        }
        if (!ran)
            return stop(s, st);
        if (state != m_expected) {
            r.transactionChanged = true;
            return stop(s, st);
        }
        r.log.last().elapsedMs = timer.elapsed();
        if (hooks.finished)
            hooks.finished(s, r.log.last().elapsedMs);
        if (hooks.after && !hooks.after(s, &r.error)) {
            r.ok = false;
            r.failedAt = -1; // the statement itself succeeded; recording it did not
            return r;
        }
    }
    return r;
}

StatementExecutor::Result StatementExecutor::runPipelined(const QList<SqlStatement> &statements, int from,
                                                          const Hooks &hooks)
{
    Result r;
    QElapsedTimer timer;
    auto start = [&](int s) {
        const SqlStatement &st = statements.at(s);
        const QString shown = redactPasswordLiterals(st.text);
        r.log.append({s, st.line, shown.left(StatementLog::maxSqlLength() + 1), -1, {}});
        if (hooks.started)
            hooks.started(s, st, shown);
        timer.start();
    };
    auto stop = [&](int s) {
        r.ok = false;
        r.failedAt = s;
        r.failedLine = s >= 0 ? statements.at(s).line : 0;
        if (s >= 0 && !r.log.isEmpty() && r.log.last().index == s) {
            r.log.last().error = r.error.message;
            r.log.last().elapsedMs = timer.isValid() ? timer.elapsed() : -1;
        }
        return r;
    };
    for (int batchFrom = from; batchFrom < statements.size();) {
        if (hooks.cancelled && hooks.cancelled()) {
            r.error = cancelError();
            return stop(batchFrom);
        }
        QList<PgPipeline::Statement> batch;
        qsizetype bytes = 0;
        for (int s = batchFrom; s < statements.size(); ++s) {
            const qsizetype size = statements.at(s).text.size();
            if (!batch.isEmpty() && (bytes + size > pipelineBytes || batch.size() >= pipelineStatements))
                break;
            batch.append({statements.at(s).text, {}});
            bytes += size;
        }
        // Each statement starts on the server when the one before it has answered.
        start(batchFrom);
        const int batchEnd = batchFrom + int(batch.size());
        int failed = -1;
        int cancelledBefore = -1;
        const bool streamed = PgPipeline::stream(
            m_connection.pgconn(), batch, false,
            [&](qsizetype i, const PgPipeline::Result &result) {
                const int s = batchFrom + int(i);
                if (failed >= 0 || cancelledBefore >= 0 || result.skipped)
                    return;
                if (!result.ok) {
                    failed = s;
                    r.error = result.error;
                    return;
                }
                r.log.last().elapsedMs = timer.elapsed();
                if (hooks.finished)
                    hooks.finished(s, r.log.last().elapsedMs);
                if (s + 1 >= batchEnd)
                    return;
                // A cancel that reached the server between two statements stopped neither: the revision
                // ends before the next one, as it would one statement at a time. That one and the rest
                // still run, in the transaction the caller rolls back.
                if (hooks.cancelled && hooks.cancelled())
                    cancelledBefore = s + 1;
                else
                    start(s + 1);
            },
            &r.error);
        const TransactionGuard::State state = m_guard.state();
        if (state == TransactionGuard::State::ConnectionLost || !streamed) {
            r.connectionLost = state == TransactionGuard::State::ConnectionLost;
            if (r.error.message.isEmpty())
                r.error.message = QString::fromUtf8(PQerrorMessage(m_connection.pgconn())).trimmed();
            return stop(failed >= 0 ? failed : r.log.last().index);
        }
        if (cancelledBefore >= 0) {
            r.error = cancelError();
            return stop(cancelledBefore);
        }
        if (failed >= 0)
            return stop(failed);
        if (state != m_expected) {
            // pipelinable() keeps transaction control out, so this is not expected; which statement did it
            // cannot be told after the fact, and the message does not guess.
            r.transactionChanged = true;
            return stop(-1);
        }
        batchFrom = batchEnd;
    }
    return r;
}

QString redactPasswordLiterals(const QString &sql)
{
    // PASSWORD 'x', PASSWORD E'x', PASSWORD $$x$$ / $tag$x$tag$; an unterminated literal runs to the end.
    static const QRegularExpression rx(
        u"(\\bPASSWORD\\s+)(?:[Ee]?'(?:[^'\\\\]|''|\\\\.)*'?|\\$([A-Za-z_][A-Za-z0-9_]*)?\\$.*?(?:\\$\\2\\$|$))"_s,
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    QString out = sql;
    out.replace(rx, u"\\1'***'"_s);
    return out;
}

} // namespace MigrationDesk
