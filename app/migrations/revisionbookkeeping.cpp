#include "migrations/revisionbookkeeping.h"

#include "db/auditlog.h"
#include "db/pgconnection.h"
#include "migrations/transactionguard.h"

#include <QRegularExpression>
#include <QSysInfo>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The label of an op check's count in the server's message, where close() reads the count back.
QString rowsWritten()
{
    return u"rows written"_s;
}

PgPipeline::Statement plain(const QString &sql)
{
    return {sql, {}};
}

} // namespace

HistoryEntry RevisionBookkeeping::historyEntry(const QString &runId, const QString &appVersion, const QString &revision,
                                               MigrationOp op, const QString &scriptSha256, const QDateTime &started)
{
    HistoryEntry h;
    h.runId = runId;
    h.revision = revision;
    h.direction = migrationOpName(op);
    h.startedAt = started;
    h.osUser = AuditLog::osUser();
    h.clientHost = QSysInfo::machineHostName();
    h.appVersion = appVersion;
    h.scriptSha256 = scriptSha256;
    return h;
}

RevisionBookkeeping::RevisionBookkeeping(PgConnection &connection, Bookkeeping &books, bool versionTableExists)
    : m_connection(connection)
    , m_books(books)
    , m_tableExpected(versionTableExists)
{
}

PgPipeline::Statement RevisionBookkeeping::transactionSettings(const QString &lockTimeout)
{
    return {u"SELECT pg_catalog.set_config('lock_timeout', $1, true), "
            "pg_catalog.set_config('client_connection_check_interval', '1s', true)"_s,
            {lockTimeout}};
}

QList<PgPipeline::Statement> RevisionBookkeeping::prologueStatements(const Prologue &prologue, bool rowsRead) const
{
    QList<PgPipeline::Statement> statements;
    if (prologue.begin)
        statements << plain(u"BEGIN"_s) << TransactionGuard::beginStatement();
    if (prologue.lockTimeout)
        statements << transactionSettings(*prologue.lockTimeout);
    statements << PgPipeline::Statement{u"SELECT pg_catalog.set_config('search_path', $1, $2::boolean)"_s,
                                        {prologue.searchPath, prologue.local ? u"true"_s : u"false"_s}};
    statements << m_books.identityRead();
    // Read only when expected: the read of a missing table fails, and with it the whole prologue.
    if (rowsRead)
        statements << m_books.rowsRead();
    if (prologue.marker)
        statements << m_books.interruptedUpsert(*prologue.marker);
    return statements;
}

bool RevisionBookkeeping::open(const Prologue &prologue, TransactionGuard *guard, SqlError *error)
{
    if (m_ahead) {
        // Sent with the previous revision's epilogue (see close()).
        m_ahead = false;
        Q_ASSERT(prologue.begin == m_aheadBegin);
        return readPrologue(prologue, m_aheadResults, true, guard, error);
    }
    const bool rowsRead = m_tableExpected;
    const auto results = PgPipeline::run(m_connection.pgconn(), prologueStatements(prologue, rowsRead), error);
    return results && readPrologue(prologue, *results, rowsRead, guard, error);
}

bool RevisionBookkeeping::readPrologue(const Prologue &prologue, const QList<PgPipeline::Result> &results,
                                       bool rowsRead, TransactionGuard *guard, SqlError *error)
{
    if (const SqlError failed = PgPipeline::firstError(results); !failed.isEmpty()) {
        if (error)
            *error = failed;
        return false;
    }
    if (prologue.begin && !guard->begun(results.value(1).rows)) {
        if (error)
            *error = PgConnection::clientError(tr("The server did not report the transaction's id."));
        return false;
    }
    const qsizetype identityAt = (prologue.begin ? 2 : 0) + (prologue.lockTimeout ? 1 : 0) + 1;
    m_identity = results.value(identityAt).rows.value(0).value(0);
    m_rows.clear();
    m_tableExpected = !m_identity.isNull();
    if (!m_tableExpected)
        return true;
    if (rowsRead) {
        m_rows = results.value(identityAt + 1).rows.value(0).value(0);
        return true;
    }
    // There after all (an earlier downgrade to base leaves it empty): its rows in a read of their own.
    const auto rows = m_connection.query(m_books.rowsRead().sql, {}, error);
    if (!rows)
        return false;
    m_rows = rows->value(0).value(0);
    return true;
}

QList<PgPipeline::Statement> RevisionBookkeeping::stateChecks() const
{
    // The reads of open() again, each as a check against what they read then. The rows are only read
    // once the identity (name and columns included) proved the table the same.
    const PgPipeline::Statement identity = m_books.identityRead();
    QList<PgPipeline::Statement> checks{
        {u"SELECT %1 FROM (%2) AS cur(identity)"_s.arg(
             PgPipeline::failUnless(u"cur.identity IS NOT DISTINCT FROM $2"_s, u"the version table changed"_s,
                                    u"coalesce(cur.identity, 'absent')"_s),
             identity.sql),
         identity.params + QStringList{m_identity}}};
    if (!m_identity.isNull()) {
        checks.append({u"SELECT %1 FROM (%2) AS cur(version_rows)"_s.arg(
                           PgPipeline::failUnless(u"cur.version_rows = $1"_s, u"the rows of the version table changed"_s,
                                                  u"cur.version_rows"_s),
                           m_books.rowsRead().sql),
                       {m_rows}});
    }
    return checks;
}

PgPipeline::Statement RevisionBookkeeping::opCheck(const VersionOp &op) const
{
    // Alembic's "expected to match one row", checked before the COMMIT rather than after it.
    return {u"WITH op AS (%1) SELECT %2 FROM op"_s.arg(
                m_books.versionTable().opSql(op, false),
                PgPipeline::failUnless(u"count(*) = 1"_s, rowsWritten(), u"count(*)::text"_s)),
            VersionTable::params(op)};
}

QString RevisionBookkeeping::versionTableChanged() const
{
    return tr("the script changed the version table %1 (dropped, renamed, truncated, altered or wrote to "
              "it); only the runner may change it")
        .arg(m_books.versionTable().displayName());
}

RevisionBookkeeping::Outcome RevisionBookkeeping::close(const Epilogue &epilogue, const Prologue *next,
                                                        SqlError *error)
{
    m_ahead = false;
    QList<PgPipeline::Statement> statements;
    if (epilogue.begin)
        statements << plain(u"BEGIN"_s);
    const qsizetype guardAt = epilogue.guard ? statements.size() : -1;
    if (epilogue.guard)
        statements << epilogue.guard->sameTransactionCheck();
    const qsizetype checksFrom = statements.size();
    statements << stateChecks();
    const qsizetype checksTo = statements.size();
    // Only when it was missing, and (checked just above) still is: CREATE needs a right on the schema that
    // a role altering only its own tables may not have.
    if (m_identity.isNull())
        statements << plain(m_books.versionTable().createSql(true));
    const qsizetype opsFrom = statements.size();
    for (const VersionOp &op : epilogue.ops)
        statements << opCheck(op);
    // Recorded inside the revision's own transaction: the history can never claim a run that rolled back.
    statements << m_books.historyInsert(epilogue.history);
    if (!epilogue.clearInterrupted.isEmpty())
        statements << m_books.interruptedDelete(epilogue.clearInterrupted);
    if (epilogue.commit)
        statements << plain(u"COMMIT"_s);
    // The next revision's prologue rides along: skipped with the rest when anything above fails, and run
    // in a transaction of its own after the COMMIT. After this epilogue the version table exists.
    const qsizetype nextFrom = statements.size();
    if (next)
        statements << prologueStatements(*next, true);

    SqlError failed;
    const auto results = PgPipeline::run(m_connection.pgconn(), statements, &failed);
    for (qsizetype i = 0; results && i < nextFrom && failed.isEmpty(); ++i) {
        const PgPipeline::Result &r = results->at(i);
        if (r.ok || r.skipped)
            continue;
        failed = r.error;
        if (!PgPipeline::checkFailed(failed))
            break;
        if (i == guardAt) {
            if (error)
                *error = SqlError();
            return Outcome::TransactionChanged;
        }
        if (i >= checksFrom && i < checksTo) {
            failed = PgConnection::clientError(versionTableChanged());
        } else if (i >= opsFrom && i < opsFrom + epilogue.ops.size()) {
            static const QRegularExpression count(rowsWritten() + u": (\\d+)"_s);
            const auto found = count.match(failed.message);
            if (found.hasMatch())
                failed = PgConnection::clientError(
                    m_books.opMismatch(epilogue.ops.at(i - opsFrom), found.captured(1).toLongLong()));
        }
    }
    if (!results || !failed.isEmpty()) {
        if (error)
            *error = failed;
        return Outcome::Failed;
    }
    m_tableExpected = true;
    if (next) {
        m_ahead = true;
        m_aheadBegin = next->begin;
        m_aheadResults = results->mid(nextFrom);
    }
    return Outcome::Recorded;
}

} // namespace MigrationDesk
