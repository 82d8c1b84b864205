#include "migrations/historyquery.h"

#include "db/pgconnection.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

QString isoOrNull(const QDateTime &dt)
{
    return dt.isValid() ? dt.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime fromIso(const QString &text)
{
    QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    dt.setTimeSpec(Qt::UTC);
    return dt;
}

} // namespace

HistoryQuery::HistoryQuery(PgConnection *connection, const QString &versionTable)
    : m_connection(connection)
    , m_versionTable(versionTable)
{
}

bool HistoryQuery::tableExists(SqlError *error)
{
    const auto rows = m_connection->query(
        u"SELECT to_regclass('migrationdesk.history') IS NOT NULL, EXISTS (SELECT 1 FROM pg_attribute "
        "WHERE attrelid = to_regclass('migrationdesk.history') AND attname = 'statement_log' AND NOT attisdropped)"_s,
        {}, error);
    m_newColumns = rows && !rows->isEmpty() && rows->first().value(1) == QLatin1String("t");
    return rows && !rows->isEmpty() && rows->first().value(0) == QLatin1String("t");
}

std::optional<QList<HistoryEntry>> HistoryQuery::find(const HistoryFilter &filter, SqlError *error)
{
    SqlError e;
    if (!tableExists(&e)) {
        if (!e.message.isEmpty()) {
            if (error)
                *error = e;
            return std::nullopt;
        }
        return QList<HistoryEntry>();
    }
    const PgPipeline::Statement st = statement(m_versionTable, filter, m_newColumns);
    const auto rows = m_connection->query(st.sql, st.params, error);
    if (!rows)
        return std::nullopt;
    return entriesFrom(*rows);
}

PgPipeline::Statement HistoryQuery::statement(const QString &versionTable, const HistoryFilter &filter,
                                                bool newColumns)
{
    // Timestamps travel as ISO text (a bound QDateTime would lose its microseconds in QPSQL). A history
    // written before backup_path existed is read as it is: only a run adds the columns.
    const QString result = filter.result == HistoryFilter::Result::Any         ? QString()
                           : filter.result == HistoryFilter::Result::Succeeded ? u"true"_s
                                                                               : u"false"_s;
    return {u"SELECT id, run_id::text, version_table, revision, direction, "
            "to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS'), duration_ms, db_user, os_user, "
            "client_host, app_version, script_sha256, success, error, statements, %1 "
            "FROM migrationdesk.history WHERE version_table = $1 "
            "AND ($2::text IS NULL OR CASE WHEN $3::boolean THEN revision = $2 ELSE left(revision, length($2)) = $2 END) "
            "AND ($4::text IS NULL OR strpos(lower(db_user), lower($4)) > 0 "
            "     OR strpos(lower(coalesce(os_user, '')), lower($4)) > 0) "
            "AND ($5::boolean IS NULL OR success = $5::boolean) "
            "AND ($6::timestamptz IS NULL OR started_at >= $6::timestamptz) "
            "AND ($7::timestamptz IS NULL OR started_at < $7::timestamptz) "
            "ORDER BY started_at DESC, id DESC LIMIT $8::integer"_s.arg(newColumns ? u"backup_path"_s : u"NULL"_s),
            {versionTable, filter.revision.isEmpty() ? QString() : filter.revision,
             filter.exactRevision ? u"true"_s : u"false"_s,
             filter.user.trimmed().isEmpty() ? QString() : filter.user.trimmed(), result, isoOrNull(filter.from),
             isoOrNull(filter.until), QString::number(qMax(1, filter.limit))}};
}

QList<HistoryEntry> HistoryQuery::entriesFrom(const QList<QStringList> &rows)
{
    QList<HistoryEntry> out;
    for (const QStringList &r : rows) {
        HistoryEntry h;
        h.id = r.value(0).toLongLong();
        h.runId = r.value(1);
        h.versionTable = r.value(2);
        h.revision = r.value(3);
        h.direction = r.value(4);
        h.startedAt = fromIso(r.value(5));
        h.durationMs = r.value(6).toDouble();
        h.dbUser = r.value(7);
        h.osUser = r.value(8);
        h.clientHost = r.value(9);
        h.appVersion = r.value(10);
        h.scriptSha256 = r.value(11);
        h.success = r.value(12) == QLatin1String("t");
        h.error = r.value(13);
        h.statements = r.value(14).toInt();
        h.backupPath = r.value(15);
        out << h;
    }
    return out;
}

std::optional<QList<LoggedStatement>> HistoryQuery::statementLog(qint64 historyId, SqlError *error)
{
    SqlError e;
    if (!tableExists(&e) || !m_newColumns) {
        if (error)
            *error = e;
        return e.message.isEmpty() ? std::optional(QList<LoggedStatement>()) : std::nullopt;
    }
    const auto rows = m_connection->query(
        u"SELECT statement_log::text FROM migrationdesk.history WHERE id = $1::bigint AND version_table = $2"_s,
        {QString::number(historyId), m_versionTable}, error);
    if (!rows)
        return std::nullopt;
    return rows->isEmpty() ? QList<LoggedStatement>() : StatementLog::fromJson(rows->first().value(0));
}

} // namespace MigrationDesk
