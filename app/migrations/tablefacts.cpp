#include "migrations/tablefacts.h"

#include "db/pgconnection.h"
#include "db/pgpipeline.h"
#include "db/sqlident.h"
#include "migrations/statementclassifier.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

TableFacts::TableFacts(PgConnection *connection, qint64 countLimit)
    : m_connection(connection)
    , m_countLimit(countLimit)
{
}

std::pair<QString, QStringList> TableFacts::statementFor(const Question &q)
{
    switch (q.ask) {
    case Ask::Table:
        // to_regclass reads the name as SQL would (quotes, search_path) and never raises for a missing one.
        return {u"SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END, pg_total_relation_size(c.oid), "
                "n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p', 'm')"_s,
                q.args};
    case Ask::IndexTable:
        return {u"SELECT i.indrelid::regclass::text FROM pg_index i WHERE i.indexrelid = to_regclass($1)"_s, q.args};
    case Ask::ColumnType:
        return {u"SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                "WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped"_s,
                q.args};
    case Ask::AnyVolatile:
        // An array built by the server from bound text, so no name is ever pasted into SQL.
        return {u"SELECT coalesce(bool_or(p.provolatile = 'v'), false) FROM pg_proc p "
                "WHERE p.proname = ANY (string_to_array($1, chr(1)))"_s,
                q.args};
    case Ask::NotNullCheck:
        // The server prints the check as CHECK ((col IS NOT NULL)), with the column quoted as quote_ident does.
        return {u"SELECT count(*) FROM pg_constraint c WHERE c.conrelid = to_regclass($1) AND c.contype = 'c' "
                "AND c.convalidated AND regexp_replace(pg_get_constraintdef(c.oid), '[()]', '', 'g') "
                "= 'CHECK ' || quote_ident($2) || ' IS NOT NULL'"_s,
                q.args};
    }
    return {};
}

QString TableFacts::key(const Question &q)
{
    // Each name prefixed by its length, so no two questions share a key whatever characters the names hold.
    QString k = QString::number(int(q.ask));
    for (const QString &arg : q.args)
        k += u' ' + QString::number(arg.size()) + u':' + arg;
    return k;
}

std::optional<QList<QStringList>> TableFacts::rowsFor(const Question &q)
{
    const auto [sql, params] = statementFor(q);
    return m_connection->query(sql, params, nullptr);
}

std::optional<QString> TableFacts::answer(const Question &q)
{
    const QString k = key(q);
    const auto cached = m_answers.constFind(k);
    if (cached != m_answers.constEnd())
        return *cached;
    if (m_recording) {
        m_recorded << q;
        return std::nullopt;
    }
    const auto rows = rowsFor(q);
    if (!rows)
        return std::nullopt;
    const QString first = rows->isEmpty() ? QString() : rows->first().value(0);
    m_answers.insert(k, first);
    return first;
}

TableSize TableFacts::sizeFrom(const QList<QStringList> &rows, QString *countSql)
{
    TableSize size;
    if (rows.isEmpty())
        return size;
    const QStringList &row = rows.first();
    size.exists = true;
    size.bytes = row.value(1).isEmpty() ? -1 : row.value(1).toLongLong();
    const QString estimate = row.value(0);
    if (estimate.isNull()) {
        // Never analyzed: count, but stop at the limit so a review never scans a big table.
        *countSql = u"SELECT count(*) FROM (SELECT 1 FROM %1 LIMIT %2) s"_s.arg(quoteQualified(row.value(2), row.value(3)))
                        .arg(m_countLimit + 1);
    } else if (!estimate.isEmpty()) {
        size.rows = estimate.toLongLong();
    }
    return size;
}

void TableFacts::applyCount(TableSize *size, QString count) const
{
    size->rowsAtLeast = !count.isEmpty() && count.toLongLong() > m_countLimit;
    if (size->rowsAtLeast)
        count = QString::number(m_countLimit);
    if (!count.isEmpty())
        size->rows = count.toLongLong();
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
    if (m_recording) {
        m_recorded << Question{Ask::Table, {name}};
        TableSize unknown;
        unknown.exists = true;
        return unknown;
    }
    TableSize size;
    if (const auto rows = rowsFor(Question{Ask::Table, {name}})) {
        QString countSql;
        size = sizeFrom(*rows, &countSql);
        if (!countSql.isEmpty()) {
            const auto exact = m_connection->query(countSql, {}, nullptr);
            applyCount(&size, exact && !exact->isEmpty() ? exact->first().value(0) : QString());
        }
    }
    m_tables.insert(name, size);
    return size;
}

QString TableFacts::indexTable(const QString &index)
{
    if (!m_connection)
        return QString();
    return answer(Question{Ask::IndexTable, {index}}).value_or(QString());
}

QString TableFacts::columnType(const QString &table, const QString &column)
{
    if (!m_connection)
        return QString();
    return answer(Question{Ask::ColumnType, {table, foldName(column)}}).value_or(QString());
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
    const auto value = answer(Question{Ask::AnyVolatile, {names.join(QChar(1))}});
    if (!value || value->isNull())
        return std::nullopt;
    return *value == u"t"_s;
}

bool TableFacts::hasNotNullCheck(const QString &table, const QString &column)
{
    if (!m_connection)
        return false;
    const auto value = answer(Question{Ask::NotNullCheck, {table, foldName(column)}});
    return value && value->toLongLong() > 0;
}

void TableFacts::startRecording()
{
    m_recording = m_connection != nullptr;
    m_recorded.clear();
}

void TableFacts::prefetch()
{
    m_recording = false;
    const QList<Question> recorded = std::exchange(m_recorded, {});
    if (!m_connection)
        return;
    QList<Question> asked;
    QList<PgPipeline::Statement> statements;
    QSet<QString> seen;
    for (const Question &q : recorded) {
        const QString k = key(q);
        const bool known = q.ask == Ask::Table ? m_tables.contains(q.args.first()) : m_answers.contains(k);
        if (known || seen.contains(k))
            continue;
        seen.insert(k);
        asked << q;
        const auto [sql, params] = statementFor(q);
        statements << PgPipeline::Statement{sql, params};
    }
    if (statements.isEmpty())
        return;
    // A failed pipeline, or a failed statement in it, leaves its questions to be asked one by one.
    const auto results = PgPipeline::run(m_connection->pgconn(), statements);
    if (!results || results->size() != asked.size())
        return;
    QList<PgPipeline::Statement> counts;
    QStringList counted;
    QList<TableSize> uncounted;
    for (qsizetype i = 0; i < asked.size(); ++i) {
        const PgPipeline::Result &r = results->at(i);
        if (!r.ok)
            continue;
        const Question &q = asked.at(i);
        if (q.ask != Ask::Table) {
            m_answers.insert(key(q), r.rows.isEmpty() ? QString() : r.rows.first().value(0));
            continue;
        }
        QString countSql;
        const TableSize size = sizeFrom(r.rows, &countSql);
        if (countSql.isEmpty()) {
            m_tables.insert(q.args.first(), size);
        } else {
            counts << PgPipeline::Statement{countSql, {}};
            counted << q.args.first();
            uncounted << size;
        }
    }
    if (counts.isEmpty())
        return;
    const auto countResults = PgPipeline::run(m_connection->pgconn(), counts);
    if (!countResults || countResults->size() != counts.size())
        return;
    for (qsizetype i = 0; i < counts.size(); ++i) {
        const PgPipeline::Result &r = countResults->at(i);
        if (!r.ok)
            continue;
        TableSize size = uncounted.at(i);
        applyCount(&size, r.rows.isEmpty() ? QString() : r.rows.first().value(0));
        m_tables.insert(counted.at(i), size);
    }
}

} // namespace MigrationDesk
