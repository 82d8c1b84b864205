#include "migrations/statementexecutor.h"

#include <QElapsedTimer>
#include <QRegularExpression>

#include <libpq-fe.h>

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

bool StatementExecutor::setTimeout(const QString &value, SqlError *error)
{
    // Local to the revision's transaction when there is one: a rollback then also ends it.
    const bool local = m_expected == TransactionGuard::State::Open;
    return m_connection
        .query(u"SELECT pg_catalog.set_config('statement_timeout', $1, $2::boolean)"_s,
               {value, local ? u"true"_s : u"false"_s}, error)
        .has_value();
}

StatementExecutor::Result StatementExecutor::run(const QList<SqlStatement> &statements, int from, const Hooks &hooks)
{
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
            r.error.message = tr("cancelled by the user");
            r.error.sqlState = u"57014"_s;
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
