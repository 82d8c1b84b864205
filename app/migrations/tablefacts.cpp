#include "migrations/tablefacts.h"

#include "db/pgconnection.h"
#include "db/sqlident.h"
#include "migrations/statementclassifier.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

TableFacts::TableFacts(PgConnection *connection, qint64 countLimit)
    : m_connection(connection)
    , m_countLimit(countLimit)
{
}

TableSize TableFacts::table(const QString &name)
{
    if (!m_connection) {
        TableSize unknown;
        unknown.exists = true;
        return unknown;
    }
    const auto cached = m_tables.constFind(name);
    if (cached != m_tables.constEnd())
        return *cached;
    TableSize size;
    // to_regclass reads the name as SQL would (quotes, search_path) and never raises for a missing one.
    const auto rows = m_connection->query(
        u"SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END, pg_total_relation_size(c.oid), "
        "n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p', 'm')"_s,
        {name}, nullptr);
    if (rows && !rows->isEmpty()) {
        const QStringList &row = rows->first();
        size.exists = true;
        size.bytes = row.value(1).isEmpty() ? -1 : row.value(1).toLongLong();
        QString count = row.value(0);
        if (count.isNull()) {
            // Never analyzed: count, but stop at the limit so a review never scans a big table.
            const auto exact = m_connection->query(u"SELECT count(*) FROM (SELECT 1 FROM %1 LIMIT %2) s"_s
                                                       .arg(quoteQualified(row.value(2), row.value(3)))
                                                       .arg(m_countLimit + 1),
                                                   {}, nullptr);
            count = exact && !exact->isEmpty() ? exact->first().value(0) : QString();
            size.rowsAtLeast = !count.isEmpty() && count.toLongLong() > m_countLimit;
            if (size.rowsAtLeast)
                count = QString::number(m_countLimit);
        }
        if (!count.isEmpty())
            size.rows = count.toLongLong();
    }
    m_tables.insert(name, size);
    return size;
}

QString TableFacts::indexTable(const QString &index)
{
    if (!m_connection)
        return QString();
    const auto rows = m_connection->query(u"SELECT i.indrelid::regclass::text FROM pg_index i "
                                          "WHERE i.indexrelid = to_regclass($1)"_s,
                                          {index}, nullptr);
    return rows && !rows->isEmpty() ? rows->first().value(0) : QString();
}

QString TableFacts::columnType(const QString &table, const QString &column)
{
    if (!m_connection)
        return QString();
    const auto rows = m_connection->query(u"SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                                          "WHERE a.attrelid = to_regclass($1) AND a.attname = $2 "
                                          "AND a.attnum > 0 AND NOT a.attisdropped"_s,
                                          {table, foldName(column)}, nullptr);
    return rows && !rows->isEmpty() ? rows->first().value(0) : QString();
}

std::optional<bool> TableFacts::anyVolatile(const QStringList &functions)
{
    if (!m_connection)
        return std::nullopt;
    if (functions.isEmpty())
        return false;
    QStringList names;
    for (const QString &f : functions)
        names << foldName(f).section(u'.', -1);
    // An array literal built by the server from bound text, so no name is ever pasted into SQL.
    const auto rows = m_connection->query(u"SELECT coalesce(bool_or(p.provolatile = 'v'), false) FROM pg_proc p "
                                          "WHERE p.proname = ANY (string_to_array($1, chr(1)))"_s,
                                          {names.join(QChar(1))}, nullptr);
    if (!rows || rows->isEmpty())
        return std::nullopt;
    return rows->first().value(0) == u"t"_s;
}

bool TableFacts::hasNotNullCheck(const QString &table, const QString &column)
{
    if (!m_connection)
        return false;
    // The server prints the check as CHECK ((col IS NOT NULL)), with the column quoted as quote_ident does.
    const auto rows = m_connection->query(
        u"SELECT count(*) FROM pg_constraint c WHERE c.conrelid = to_regclass($1) AND c.contype = 'c' "
        "AND c.convalidated AND regexp_replace(pg_get_constraintdef(c.oid), '[()]', '', 'g') "
        "= 'CHECK ' || quote_ident($2) || ' IS NOT NULL'"_s,
        {table, foldName(column)}, nullptr);
    return rows && !rows->isEmpty() && rows->first().value(0).toLongLong() > 0;
}

} // namespace MigrationDesk
