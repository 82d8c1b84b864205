#include "migrations/bookkeeping.h"

#include "db/pgconnection.h"
#include "db/pgpipeline.h"
#include "migrations/historyquery.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate the same context ("Bookkeeping") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(Bookkeeping)
};

QString isoUtc(const QDateTime &dt)
{
    return dt.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime fromIso(const QString &text)
{
    QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    dt.setTimeSpec(Qt::UTC);
    return dt;
}

// Timestamps travel as ISO text: a bound QDateTime would lose its microseconds in QPSQL.
const char *kIsoColumn = "to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS')";

QString isoColumn(const QString &column)
{
    return QString::fromLatin1(kIsoColumn).arg(column);
}

} // namespace

Bookkeeping::Bookkeeping(PgConnection *connection, const VersionTable &versionTable)
    : m_connection(connection)
    , m_versionTable(versionTable)
    , m_target(versionTable)
{
}

bool Bookkeeping::ensureSchema(SqlError *error)
{
    // One cheap look-up on every run; the DDL (and its catalog writes) only when something is missing.
    // Extend the list whenever the DDL below gains an object.
    const auto present = m_connection->query(
        u"SELECT to_regclass('migrationdesk.history') IS NOT NULL AND to_regclass('migrationdesk.snapshot') "
                       "IS NOT NULL AND to_regclass('migrationdesk.interrupted') IS NOT NULL AND EXISTS (SELECT 1 FROM "
           "pg_attribute WHERE attrelid = to_regclass('migrationdesk.history') AND attname = 'statement_log')"_s,
        {}, error);
    if (!present)
        return false;
    if (!present->isEmpty() && present->first().value(0) == QLatin1String("t"))
        return true;
    // Idempotent DDL so older databases pick up new objects without a migration of our own. The text
    // runs as one transaction; its first statement serializes it with any other run creating the same
    // objects (on another version table, so not under our run lock): IF NOT EXISTS alone still races
    // on the catalogs' unique indexes. 0x4D44424B is "MDBK".
    return m_connection->exec(uR"SQL(
SELECT pg_advisory_xact_lock(1296319051, 0);
CREATE SCHEMA IF NOT EXISTS migrationdesk;
COMMENT ON SCHEMA migrationdesk IS 'MigrationDesk bookkeeping: run history, schema snapshots, audit. Not part of the application schema.';
CREATE TABLE IF NOT EXISTS migrationdesk.history (
    id            bigserial PRIMARY KEY,
    run_id        uuid NOT NULL,
    version_table text NOT NULL,
    revision      text NOT NULL,
    direction     text NOT NULL CHECK (direction IN ('upgrade', 'downgrade', 'stamp')),
    started_at    timestamptz NOT NULL,
    duration_ms   double precision NOT NULL,
    db_user       text NOT NULL DEFAULT current_user,
    os_user       text,
    client_host   text,
    app_version   text,
    script_sha256 text,
    success       boolean NOT NULL,
    error         text,
    statements    integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS history_revision_idx ON migrationdesk.history (version_table, revision, started_at);
ALTER TABLE migrationdesk.history ADD COLUMN IF NOT EXISTS backup_path text,
    ADD COLUMN IF NOT EXISTS statement_log jsonb;
CREATE TABLE IF NOT EXISTS migrationdesk.snapshot (
    version_table text PRIMARY KEY,
    taken_at      timestamptz NOT NULL DEFAULT now(),
    heads         text[] NOT NULL,
    fingerprint   text NOT NULL,
    schema_text   text NOT NULL
);
CREATE TABLE IF NOT EXISTS migrationdesk.interrupted (
    version_table    text NOT NULL,
    revision         text NOT NULL,
    direction        text NOT NULL,
    statements_done  integer NOT NULL DEFAULT 0,
    statements_total integer NOT NULL DEFAULT 0,
    script_sha256    text,
    started_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (version_table, revision, direction)
);
)SQL"_s,
                              error);
}

bool Bookkeeping::schemaExists(SqlError *error)
{
    const auto rows = m_connection->query(u"SELECT to_regclass('migrationdesk.history') IS NOT NULL"_s, {}, error);
    return rows && !rows->isEmpty() && rows->first().value(0) == QLatin1String("t");
}

bool Bookkeeping::resolveVersionTable(SqlError *error)
{
    if (!m_versionTable.schema().isEmpty())
        return true;
    const auto rows = m_connection->query(
        u"SELECT coalesce((SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.oid = to_regclass($1)), current_schema()), current_setting('search_path')"_s,
        {m_versionTable.qualifiedSql()}, error);
    if (!rows || rows->isEmpty())
        return false;
    if (rows->first().value(0).isNull()) {
        if (error)
            *error = SqlError{Text::tr("no schema of the search_path (%1) exists, so there is no "
                                                          "schema for the version table %2; name one with "
                                                          "--version-table schema.table")
                                  .arg(rows->first().value(1), m_versionTable.displayName()),
                              {}, {}, {}, {}, 0};
        return false;
    }
    m_target = m_versionTable.inSchema(rows->first().value(0));
    return true;
}

bool Bookkeeping::versionTableExists(SqlError *error)
{
    // Unresolved, the server looks the name up in the session's search_path, as unqualified DDL would.
    const auto rows = m_connection->query(u"SELECT to_regclass($1) IS NOT NULL"_s, {m_target.qualifiedSql()}, error);
    return rows && !rows->isEmpty() && rows->first().value(0) == QLatin1String("t");
}

bool Bookkeeping::ensureVersionTable(SqlError *error)
{
    SqlError e;
    const bool exists = versionTableExists(&e);
    if (!e.isEmpty()) {
        if (error)
            *error = e;
        return false;
    }
    return exists || m_connection->exec(m_target.createSql(true), error);
}

QString Bookkeeping::headsSql() const
{
    return u"SELECT version_num FROM %1 ORDER BY version_num"_s.arg(m_target.qualifiedSql());
}

std::optional<QStringList> Bookkeeping::readHeads(SqlError *error)
{
    if (m_connection->inTransaction()) {
        // A failed read of a missing table would abort the caller's transaction: ask first.
        SqlError e;
        const bool exists = versionTableExists(&e);
        if (!e.isEmpty()) {
            if (error)
                *error = e;
            return std::nullopt;
        }
        m_versionTableSeen = exists;
        if (!exists)
            return QStringList();
        const auto rows = m_connection->query(
            headsSql(), {}, error);
        if (!rows)
            return std::nullopt;
        QStringList heads;
        for (const QStringList &r : *rows)
            heads << r.value(0);
        return heads;
    }
    // One round trip: whether the table exists, and its rows, which fail to read only when it does not;
    // outside a transaction the failure ends with the pipeline's own.
    const auto results = PgPipeline::run(m_connection->pgconn(),
        {{u"SELECT to_regclass($1) IS NOT NULL"_s, {m_target.qualifiedSql()}},
         {headsSql(), {}}}, error);
    if (!results)
        return std::nullopt;
    const PgPipeline::Result &exists = results->at(0);
    const PgPipeline::Result &rows = results->at(1);
    if (!exists.ok) {
        if (error)
            *error = exists.error;
        return std::nullopt;
    }
    m_versionTableSeen = exists.rows.value(0).value(0) == QLatin1String("t");
    if (!m_versionTableSeen)
        return QStringList();
    if (!rows.ok) {
        if (error)
            *error = rows.error;
        return std::nullopt;
    }
    QStringList heads;
    for (const QStringList &r : rows.rows)
        heads << r.value(0);
    return heads;
}

bool Bookkeeping::applyOps(const QList<VersionOp> &ops, SqlError *error)
{
    for (const VersionOp &op : ops) {
        const auto rows = m_connection->query(m_target.opSql(op, false), VersionTable::params(op), error);
        if (!rows)
            return false;
        if (rows->size() != 1) {
            if (error)
                *error = SqlError{opMismatch(op, rows->size()), {}, {}, {}, {}, 0};
            return false;
        }
    }
    return true;
}

QString Bookkeeping::opMismatch(const VersionOp &op, qsizetype found) const
{
    const QString table = m_target.displayName();
    const QString count = QString::number(found);
    return op.kind == VersionOp::Kind::Update
        ? Text::tr("Online migration expected to match one row when updating "
                   "'%1' to '%2' in version table %3; %4 found")
              .arg(op.from, op.to, table, count)
        : op.kind == VersionOp::Kind::Delete
        ? Text::tr("Online migration expected to match one row when deleting "
                   "'%1' from version table %2; %3 found")
              .arg(op.from, table, count)
        : Text::tr("Online migration expected to insert one row '%1' into "
                   "version table %2; %3 inserted")
              .arg(op.to, table, count);
}

std::optional<QString> Bookkeeping::versionTableState(SqlError *error)
{
    const PgPipeline::Statement identityStatement = identityRead();
    const auto identity = m_connection->query(identityStatement.sql, identityStatement.params, error);
    if (!identity)
        return std::nullopt;
    m_versionTableSeen = !identity->value(0).value(0).isNull();
    if (!m_versionTableSeen)
        return stateOf({}, {});
    const auto rows = m_connection->query(rowsRead().sql, {}, error);
    if (!rows || rows->isEmpty())
        return std::nullopt;
    return stateOf(identity->first().value(0), rows->first().value(0));
}

PgPipeline::Statement Bookkeeping::identityRead() const
{
    return {u"SELECT (SELECT c.oid::text || ':' || coalesce(pg_relation_filenode(c.oid)::text, '') || ':' || n.nspname "
            "|| '.' || c.relname || ':' || (SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ',' "
            "ORDER BY attnum) FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1))"_s,
            {m_target.qualifiedSql()}};
}

PgPipeline::Statement Bookkeeping::rowsRead() const
{
    return {u"SELECT coalesce(string_agg(version_num::text, ',' ORDER BY version_num), '') FROM %1"_s.arg(
                m_target.qualifiedSql()),
            {}};
}

QString Bookkeeping::stateOf(const QString &identity, const QString &rows)
{
    return identity.isNull() ? u"absent"_s : identity + u" rows: "_s + rows;
}

bool Bookkeeping::recordHistory(const HistoryEntry &e, SqlError *error)
{
    const PgPipeline::Statement insert = historyInsert(e);
    return m_connection->query(insert.sql, insert.params, error).has_value();
}

PgPipeline::Statement Bookkeeping::historyInsert(const HistoryEntry &e) const
{
    return {u"INSERT INTO migrationdesk.history (run_id, version_table, revision, direction, started_at, duration_ms, "
            "os_user, client_host, app_version, script_sha256, success, error, statements, backup_path, statement_log) "
            "VALUES ($1::uuid, $2, $3, $4, $5::timestamptz, $6::double precision, $7, $8, $9, $10, $11::boolean, $12, "
            "$13::integer, nullif($14, ''), nullif($15, '')::jsonb)"_s,
            {e.runId, m_versionTable.displayName(), e.revision, e.direction, isoUtc(e.startedAt),
             QString::number(e.durationMs, 'f', 3), e.osUser, e.clientHost, e.appVersion, e.scriptSha256,
             e.success ? u"true"_s : u"false"_s, e.error, QString::number(e.statements), e.backupPath,
             StatementLog::toJson(e.statementLog)}};
}

namespace {

HistoryFilter revisionHistory(const QString &revision, int limit)
{
    HistoryFilter filter;
    filter.revision = revision;
    filter.exactRevision = true;
    filter.limit = limit > 0 ? limit : 1000000;
    return filter;
}

} // namespace

std::optional<QList<HistoryEntry>> Bookkeeping::history(const QString &revision, int limit, SqlError *error)
{
    return HistoryQuery(m_connection, m_versionTable.displayName()).find(revisionHistory(revision, limit), error);
}

PgPipeline::Statement Bookkeeping::historyStatement(const QString &revision, int limit) const
{
    return HistoryQuery::statement(m_versionTable.displayName(), revisionHistory(revision, limit), true);
}

std::optional<QHash<QString, QString>> Bookkeeping::appliedChecksums(SqlError *error)
{
    SqlError e;
    if (!schemaExists(&e)) {
        if (!e.message.isEmpty()) {
            if (error)
                *error = e;
            return std::nullopt;
        }
        return QHash<QString, QString>();
    }
    const auto rows = m_connection->query(checksumsSql(), {m_versionTable.displayName()}, error);
    if (!rows)
        return std::nullopt;
    return checksumsFrom(*rows);
}

QString Bookkeeping::checksumsSql()
{
    return u"SELECT DISTINCT ON (revision) revision, script_sha256 FROM migrationdesk.history "
           "WHERE version_table = $1 AND success AND direction IN ('upgrade', 'stamp') "
           "AND script_sha256 IS NOT NULL AND script_sha256 <> '' "
           "ORDER BY revision, started_at DESC, id DESC"_s;
}

QHash<QString, QString> Bookkeeping::checksumsFrom(const QList<QStringList> &rows)
{
    QHash<QString, QString> out;
    for (const QStringList &r : rows)
        out.insert(r.value(0), r.value(1));
    return out;
}

bool Bookkeeping::saveSnapshot(const QStringList &heads, const QString &fingerprint, const QString &text,
                               SqlError *error, const QString &searchPath)
{
    // heads travel as one text value split on the server, so no array literal is ever built here.
    const PgPipeline::Statement write{
        u"INSERT INTO migrationdesk.snapshot (version_table, taken_at, heads, fingerprint, schema_text) "
        "VALUES ($1, now(), coalesce(string_to_array($2, ','), '{}'), $3, $4) "
        "ON CONFLICT (version_table) DO UPDATE SET taken_at = excluded.taken_at, "
        "heads = excluded.heads, fingerprint = excluded.fingerprint, schema_text = excluded.schema_text"_s,
        {m_versionTable.displayName(), heads.join(QLatin1Char(',')), fingerprint, text}};
    if (searchPath.isNull())
        return m_connection->query(write.sql, write.params, error).has_value();
    // One implicit transaction: the setting is local to it and ends with the write.
    const auto results = PgPipeline::run(
        m_connection->pgconn(),
        {{u"SELECT pg_catalog.set_config('search_path', $1, true)"_s, {searchPath}}, write}, error);
    if (!results)
        return false;
    const SqlError failed = PgPipeline::firstError(*results);
    if (failed.isEmpty())
        return true;
    if (error)
        *error = failed;
    return false;
}

std::optional<StoredSnapshot> Bookkeeping::loadSnapshot(SqlError *error)
{
    if (!schemaExists(error))
        return std::nullopt;
    const auto rows = m_connection->query(snapshotSql(), {m_versionTable.displayName()}, error);
    return rows ? snapshotFrom(*rows) : std::nullopt;
}

QString Bookkeeping::snapshotSql()
{
    return u"SELECT array_to_string(heads, ','), %1, fingerprint, schema_text FROM migrationdesk.snapshot "
           "WHERE version_table = $1"_s.arg(isoColumn(u"taken_at"_s));
}

std::optional<StoredSnapshot> Bookkeeping::snapshotFrom(const QList<QStringList> &rows)
{
    if (rows.isEmpty())
        return std::nullopt;
    const QStringList &r = rows.first();
    StoredSnapshot s;
    s.heads = r.value(0).isEmpty() ? QStringList() : r.value(0).split(QLatin1Char(','));
    s.takenAt = fromIso(r.value(1));
    s.fingerprint = r.value(2);
    s.text = r.value(3);
    return s;
}

std::optional<BookkeepingOverview> Bookkeeping::readOverview(SqlError *error, bool withSnapshot,
                                                           const QList<PgPipeline::Statement> &extras)
{
    BookkeepingOverview overview;
    if (!m_connection->inTransaction()) {
        // The reads fail only when their table is missing; then the flags say so and the slow path follows.
        const QString key = m_versionTable.displayName();
        const auto results = PgPipeline::run(m_connection->pgconn(),
            QList<PgPipeline::Statement>{
                {u"SELECT to_regclass($1) IS NOT NULL, to_regclass('migrationdesk.history') IS NOT NULL"_s,
                 {m_target.qualifiedSql()}},
                {checksumsSql(), {key}},
                withSnapshot ? PgPipeline::Statement{snapshotSql(), {key}} : PgPipeline::Statement{u"SELECT 1 WHERE false"_s, {}},
                {headsSql(), {}}}
                + extras,
            error);
        if (!results)
            return std::nullopt;
        const PgPipeline::Result &flags = results->at(0);
        if (!flags.ok) {
            if (error)
                *error = flags.error;
            return std::nullopt;
        }
        const QStringList exist = flags.rows.value(0);
        if (exist.value(0) == QLatin1String("t") && exist.value(1) == QLatin1String("t")) {
            const SqlError failed = PgPipeline::firstError(results->mid(0, 4));
            if (!failed.isEmpty()) {
                if (error)
                    *error = failed;
                return std::nullopt;
            }
            overview.appliedChecksums = checksumsFrom(results->at(1).rows);
            overview.snapshot = snapshotFrom(results->at(2).rows);
            for (const QStringList &r : results->at(3).rows)
                overview.heads << r.value(0);
            overview.extras = results->mid(4);
            return overview;
        }
    }
    const auto heads = readHeads(error);
    if (!heads)
        return std::nullopt;
    const auto checksums = appliedChecksums(error);
    if (!checksums)
        return std::nullopt;
    SqlError e;
    overview.heads = *heads;
    overview.appliedChecksums = *checksums;
    if (withSnapshot)
        overview.snapshot = loadSnapshot(&e);
    if (!e.isEmpty()) {
        if (error)
            *error = e;
        return std::nullopt;
    }
    return overview;
}

bool Bookkeeping::markInterrupted(const InterruptedRun &run, SqlError *error)
{
    const PgPipeline::Statement upsert = interruptedUpsert(run);
    return m_connection->query(upsert.sql, upsert.params, error).has_value();
}

PgPipeline::Statement Bookkeeping::interruptedUpsert(const InterruptedRun &run) const
{
    return {u"INSERT INTO migrationdesk.interrupted (version_table, revision, direction, statements_done, "
            "statements_total, script_sha256) VALUES ($1, $2, $3, $4::integer, $5::integer, $6) "
            "ON CONFLICT (version_table, revision, direction) DO UPDATE SET statements_done = excluded.statements_done, "
            "statements_total = excluded.statements_total, script_sha256 = excluded.script_sha256"_s,
            {m_versionTable.displayName(), run.revision, run.direction, QString::number(run.statementsDone),
             QString::number(run.statementsTotal), run.scriptSha256}};
}

bool Bookkeeping::clearInterrupted(const QString &revision, SqlError *error)
{
    const PgPipeline::Statement remove = interruptedDelete(revision);
    return m_connection->query(remove.sql, remove.params, error).has_value();
}

PgPipeline::Statement Bookkeeping::interruptedDelete(const QString &revision) const
{
    return {u"DELETE FROM migrationdesk.interrupted WHERE version_table = $1 AND revision = $2"_s,
            {m_versionTable.displayName(), revision}};
}

std::optional<QList<InterruptedRun>> Bookkeeping::interrupted(SqlError *error)
{
    const auto rows = m_connection->query(
        u"SELECT revision, direction, statements_done, statements_total, script_sha256, %1 "
                       "FROM migrationdesk.interrupted WHERE version_table = $1 ORDER BY started_at"_s
            .arg(isoColumn(u"started_at"_s)),
        {m_versionTable.displayName()}, error);
    if (!rows)
        return std::nullopt;
    QList<InterruptedRun> out;
    for (const QStringList &r : *rows) {
        InterruptedRun run;
        run.revision = r.value(0);
        run.direction = r.value(1);
        run.statementsDone = r.value(2).toInt();
        run.statementsTotal = r.value(3).toInt();
        run.scriptSha256 = r.value(4);
        run.startedAt = fromIso(r.value(5));
        out << run;
    }
    return out;
}

} // namespace MigrationDesk
