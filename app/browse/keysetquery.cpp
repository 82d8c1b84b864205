#include "browse/keysetquery.h"

#include "db/sqlident.h"

#include <QCoreApplication>

#include <cmath>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The refusal reaches the user as the grid's error, so it is translated.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::KeysetQuery)
};

QString bind(QStringList *params, const QString &value, const QString &type)
{
    params->append(value);
    return u"$%1::%2"_s.arg(params->size()).arg(type);
}

} // namespace

QString KeysetQuery::maskedError(const QString &column)
{
    return Text::tr("The column \u201c%1\u201d is masked: it cannot be sorted, filtered or searched. "
                    "Reveal its values first (right-click its header).").arg(column);
}

KeysetQuery::KeysetQuery(const TableInfo &table, const QString &sortColumn, bool ascending,
                         const QList<ColumnFilter> &filters, bool includeDeleted, const QStringList &thenBy,
                         const QSet<QString> &revealed)
    : m_table(table)
    , m_ascending(ascending)
    , m_filters(filters)
    , m_includeDeleted(includeDeleted)
{
    QStringList key = table.primaryKey;
    if (!sortColumn.isEmpty()) {
        const int index = table.columnIndex(sortColumn);
        if (index < 0) {
            m_error = u"unknown sort column %1"_s.arg(sortColumn);
        } else if (!key.isEmpty() && key.first() == sortColumn) {
            // Sorting by the key's first column is the key order itself.
        } else {
            m_sortColumn = sortColumn;
            m_sortType = table.columns.at(index).type;
            m_sortNullable = table.columns.at(index).nullable;
            key.removeAll(sortColumn);
        }
    }
    QStringList thenColumns;
    if (!m_sortColumn.isEmpty()) {
        for (const QString &column : thenBy) {
            if (table.columnIndex(column) < 0)
                m_error = u"unknown then-by column %1"_s.arg(column);
            else if (column != m_sortColumn && !thenColumns.contains(column))
                thenColumns.append(column);
        }
        for (const QString &column : std::as_const(thenColumns))
            key.removeAll(column);
    }
    for (const QString &column : std::as_const(key)) {
        m_keyExprs.append(columnExpr(column));
        m_keyTypes.append(table.columns.value(table.columnIndex(column)).type);
        m_keyNullable.append(false);
    }
    if (key.isEmpty() && !table.hasCtid) {
        // A plain view has neither a key nor row ids: number its rows in display order inside a
        // subquery and page by that number. Views have no statistics either, so jumps use OFFSET.
        if (!m_sortColumn.isEmpty() && !table.columns.at(table.columnIndex(m_sortColumn)).isJoined())
            m_rowNumberOrder = u"v."_s + quoteIdentifier(m_sortColumn) + (m_ascending ? u" ASC"_s : u" DESC"_s);
        m_sortColumn.clear();
        m_ascending = true;
        m_keyExprs = {u"r."_s + rowNumberColumn()};
        m_keyTypes = {u"bigint"_s};
        m_keyNullable = {false};
        m_numberRows = true;
        thenColumns.clear();
    } else if (key.isEmpty()) {
        // Without a primary key the physical row id breaks ties; it is stable while nobody updates.
        m_keyExprs.append(u"r.ctid"_s);
        m_keyTypes.append(u"tid"_s);
        m_keyNullable.append(false);
    }
    if (!m_sortColumn.isEmpty()) {
        for (auto it = thenColumns.crbegin(); it != thenColumns.crend(); ++it) {
            const ColumnInfo &info = table.columns.at(table.columnIndex(*it));
            m_keyExprs.prepend(columnExpr(*it));
            m_keyTypes.prepend(info.type);
            m_keyNullable.prepend(info.nullable);
        }
        m_thenByCount = int(thenColumns.size());
        m_keyExprs.prepend(columnExpr(m_sortColumn));
        m_keyTypes.prepend(m_sortType);
        m_keyNullable.prepend(m_sortNullable);
    }
    for (const ColumnFilter &filter : filters) {
        for (const QString &column : QStringList{filter.column} + filter.otherColumns) {
            if (table.columnIndex(column) < 0)
                m_error = u"unknown filter column %1"_s.arg(column);
        }
    }
    // Ordering by a hidden value leaks it too (a binary search by sort position), not only a filter.
    QStringList used{sortColumn};
    for (const ColumnFilter &filter : filters)
        used += QStringList{filter.column} + filter.otherColumns;
    for (const QString &column : std::as_const(used)) {
        const int index = table.columnIndex(column);
        if (m_error.isEmpty() && index >= 0 && table.columns.at(index).sensitive && !revealed.contains(column))
            m_error = maskedError(column);
    }
}

bool KeysetQuery::hasFilters() const
{
    return !m_filters.isEmpty() || (m_table.hasIsDeleted && !m_includeDeleted);
}

QString KeysetQuery::escapeLike(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == u'\\' || c == u'%' || c == u'_')
            out.append(u'\\');
        out.append(c);
    }
    return out;
}

QString KeysetQuery::arrayLiteral(const QStringList &values)
{
    QStringList quoted;
    for (const QString &value : values) {
        QString element = value;
        element.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s);
        quoted.append(u'"' + element + u'"');
    }
    return u'{' + quoted.join(u',') + u'}';
}

QString KeysetQuery::columnExpr(const QString &column) const
{
    const int index = m_table.columnIndex(column);
    if (index >= 0 && m_table.columns.at(index).isJoined())
        return m_table.columns.at(index).expr;
    return u"r."_s + quoteIdentifier(column);
}

QString KeysetQuery::rowNumberColumn()
{
    return u"\"md row number\""_s;
}

QString KeysetQuery::fromClause() const
{
    if (m_numberRows) {
        return u" FROM (SELECT v.*, row_number() OVER (ORDER BY "_s
            + (m_rowNumberOrder.isEmpty() ? u"(SELECT NULL)"_s : m_rowNumberOrder) + u") AS "_s + rowNumberColumn()
            + u" FROM "_s + quoteQualified(m_table.schema, m_table.name) + u" AS v) AS r"_s + m_table.joinSql;
    }
    // The alias keeps ORDER BY on the table's columns: a bare name there would mean the text output column.
    return u" FROM "_s + quoteQualified(m_table.schema, m_table.name) + u" AS r"_s + m_table.joinSql;
}

QString KeysetQuery::selectList() const
{
    QStringList parts;
    for (const ColumnInfo &column : m_table.columns)
        parts.append(columnExpr(column.name) + u"::text"_s);
    for (const QString &expr : m_keyExprs)
        parts.append(expr + u"::text"_s);
    return u"SELECT "_s + parts.join(u", "_s);
}

QString KeysetQuery::whereFilters(QStringList *params) const
{
    QStringList conditions;
    if (m_table.hasIsDeleted && !m_includeDeleted) {
        // NOT is_deleted is the predicate of the partial indexes; IS NOT TRUE would not match them.
        conditions.append(m_table.isDeletedNullable ? u"r.is_deleted IS NOT TRUE"_s : u"NOT r.is_deleted"_s);
    }
    for (const ColumnFilter &filter : m_filters) {
        const QString column = columnExpr(filter.column);
        const QString type = m_table.columns.value(m_table.columnIndex(filter.column)).type;
        switch (filter.op) {
        case ColumnFilter::Equal:
            conditions.append(column + u" = "_s + bind(params, filter.value, type));
            break;
        case ColumnFilter::NotEqual:
            conditions.append(column + u" <> "_s + bind(params, filter.value, type));
            break;
        case ColumnFilter::Less:
            conditions.append(column + u" < "_s + bind(params, filter.value, type));
            break;
        case ColumnFilter::Greater:
            conditions.append(column + u" > "_s + bind(params, filter.value, type));
            break;
        case ColumnFilter::Between: {
            const QString low = bind(params, filter.value, type);
            conditions.append(column + u" BETWEEN "_s + low + u" AND "_s + bind(params, filter.value2, type));
            break;
        }
        case ColumnFilter::Contains:
            conditions.append(column + u"::text ILIKE "_s
                              + bind(params, u"%"_s + escapeLike(filter.value) + u"%"_s, u"text"_s)
                              + u" ESCAPE '\\'"_s);
            break;
        case ColumnFilter::ContainsAny: {
            const QString pattern = bind(params, u"%"_s + escapeLike(filter.value) + u"%"_s, u"text"_s);
            QStringList any;
            for (const QString &name : QStringList{filter.column} + filter.otherColumns)
                any.append(columnExpr(name) + u"::text ILIKE "_s + pattern + u" ESCAPE '\\'"_s);
            conditions.append(u"("_s + any.join(u" OR "_s) + u")"_s);
            break;
        }
        case ColumnFilter::In:
            conditions.append(column + u" = ANY("_s + bind(params, arrayLiteral(filter.values), type + u"[]"_s) + u")"_s);
            break;
        case ColumnFilter::IsNull:
            conditions.append(column + u" IS NULL"_s);
            break;
        case ColumnFilter::IsNotNull:
            conditions.append(column + u" IS NOT NULL"_s);
            break;
        }
    }
    return conditions.join(u" AND "_s);
}

QString KeysetQuery::orderBy(bool reversed) const
{
    const bool up = m_ascending != reversed;
    // ASC puts NULLs last and DESC first, so the reversed order is exactly the mirror image.
    const QString direction = up ? u" ASC"_s : u" DESC"_s;
    QStringList parts;
    for (const QString &expr : m_keyExprs)
        parts.append(expr + direction);
    return u" ORDER BY "_s + parts.join(u", "_s);
}

QString KeysetQuery::lexicographicAfter(const QStringList &key, bool up, QStringList *params) const
{
    // Built from the last key column back: rest_i = "after, given columns 0..i-1 are equal".
    QString rest = u"FALSE"_s;
    for (int i = int(m_keyExprs.size()) - 1; i >= 0; --i) {
        const QString expr = m_keyExprs.at(i);
        const QString value = i < key.size() ? key.at(i) : QString();
        const bool nullable = m_keyNullable.value(i);
        if (value.isNull()) {
            // Ascending puts NULLs last: after a NULL come only NULLs (then the rest); before it, every value.
            rest = up ? u"(%1 IS NULL AND %2)"_s.arg(expr, rest)
                      : u"(%1 IS NOT NULL OR (%1 IS NULL AND %2))"_s.arg(expr, rest);
            continue;
        }
        const QString bound = bind(params, value, m_keyTypes.at(i));
        const QString strict = u"%1 %2 %3"_s.arg(expr, up ? u">"_s : u"<"_s, bound);
        const QString equal = u"(%1 = %2 AND %3)"_s.arg(expr, bound, rest);
        rest = nullable && up ? u"(%1 IS NULL OR %2 OR %3)"_s.arg(expr, strict, equal)
                              : u"(%1 OR %2)"_s.arg(strict, equal);
    }
    const QString first = key.value(0);
    if (first.isNull() || m_keyNullable.value(0))
        return rest;
    // The first column never goes back past its value: said plainly, an index on it can bound the scan.
    return u"%1 %2 %3 AND %4"_s.arg(m_keyExprs.first(), up ? u">="_s : u"<="_s,
                                    bind(params, first, m_keyTypes.first()), rest);
}

QString KeysetQuery::afterCondition(const QStringList &key, bool up, QStringList *params) const
{
    if (m_thenByCount > 0)
        return lexicographicAfter(key, up, params);
    const QString op = up ? u" > "_s : u" < "_s;
    QStringList exprs = m_keyExprs;
    QStringList values;
    for (int i = 0; i < m_keyExprs.size(); ++i)
        values.append(i < key.size() ? key.at(i) : QString());

    if (m_sortColumn.isEmpty() || !m_sortNullable) {
        QStringList bound;
        for (int i = 0; i < exprs.size(); ++i)
            bound.append(bind(params, values.at(i), m_keyTypes.at(i)));
        return u"("_s + exprs.join(u", "_s) + u")"_s + op + u"("_s + bound.join(u", "_s) + u")"_s;
    }

    // A nullable sort column: NULLs sit after every value in ascending order. A row comparison
    // with NULL is unknown, so the NULL block is handled separately.
    const QString sort = exprs.takeFirst();
    const QString sortValue = values.takeFirst();
    QStringList bound;
    for (int i = 0; i < exprs.size(); ++i)
        bound.append(bind(params, values.at(i), m_keyTypes.at(i + 1)));
    const QString rest = u"("_s + exprs.join(u", "_s) + u")"_s + op + u"("_s + bound.join(u", "_s) + u")"_s;
    if (sortValue.isNull()) {
        return up ? u"(%1 IS NULL AND %2)"_s.arg(sort, rest)
                  : u"(%1 IS NOT NULL OR %2)"_s.arg(sort, rest);
    }
    const QString value = bind(params, sortValue, m_sortType);
    const QString pair = u"(%1, %2)"_s.arg(sort, exprs.join(u", "_s)) + op
        + u"(%1, %2)"_s.arg(value, bound.join(u", "_s));
    return up ? u"(%1 IS NULL OR %2)"_s.arg(sort, pair) : pair;
}

BoundQuery KeysetQuery::forward(const QStringList &afterKey, int limit) const
{
    BoundQuery s;
    QStringList conditions;
    const QString filters = whereFilters(&s.params);
    if (!filters.isEmpty())
        conditions.append(filters);
    if (!afterKey.isEmpty())
        conditions.append(afterCondition(afterKey, m_ascending, &s.params));
    s.sql = selectList() + fromClause()
        + (conditions.isEmpty() ? QString() : u" WHERE "_s + conditions.join(u" AND "_s))
        + orderBy(false) + u" LIMIT %1"_s.arg(limit);
    return s;
}

BoundQuery KeysetQuery::backward(const QStringList &beforeKey, int limit) const
{
    BoundQuery s;
    QStringList conditions;
    const QString filters = whereFilters(&s.params);
    if (!filters.isEmpty())
        conditions.append(filters);
    if (!beforeKey.isEmpty())
        conditions.append(afterCondition(beforeKey, !m_ascending, &s.params));
    s.sql = selectList() + fromClause()
        + (conditions.isEmpty() ? QString() : u" WHERE "_s + conditions.join(u" AND "_s))
        + orderBy(true) + u" LIMIT %1"_s.arg(limit);
    return s;
}

BoundQuery KeysetQuery::seek(const QString &sortValue, int limit) const
{
    BoundQuery s;
    QStringList conditions;
    const QString filters = whereFilters(&s.params);
    if (!filters.isEmpty())
        conditions.append(filters);
    const QString type = m_keyTypes.first();
    conditions.append(m_keyExprs.first() + (m_ascending ? u" >= "_s : u" <= "_s) + bind(&s.params, sortValue, type));
    s.sql = selectList() + fromClause() + u" WHERE "_s + conditions.join(u" AND "_s) + orderBy(false)
        + u" LIMIT %1"_s.arg(limit);
    return s;
}

BoundQuery KeysetQuery::atOffset(qint64 offset, int limit) const
{
    BoundQuery s;
    const QString filters = whereFilters(&s.params);
    s.sql = selectList() + fromClause() + (filters.isEmpty() ? QString() : u" WHERE "_s + filters)
        + orderBy(false) + u" LIMIT %1 OFFSET %2"_s.arg(limit).arg(offset);
    return s;
}

BoundQuery KeysetQuery::all() const
{
    BoundQuery s;
    const QString filters = whereFilters(&s.params);
    s.sql = selectList() + fromClause() + (filters.isEmpty() ? QString() : u" WHERE "_s + filters) + orderBy(false);
    return s;
}

BoundQuery KeysetQuery::histogramBounds() const
{
    BoundQuery s;
    QString column = m_sortColumn.isEmpty() ? m_table.primaryKey.value(0) : m_sortColumn;
    const int index = m_table.columnIndex(column);
    if (index >= 0 && m_table.columns.at(index).isJoined())
        column.clear(); // statistics belong to the other table; no bounds, so OFFSET is used
    s.params = {m_table.schema, m_table.name, column};
    // anyarray has no direct cast to text[]; its text form parses back with quoting intact.
    s.sql = u"SELECT u.b FROM (SELECT histogram_bounds FROM pg_stats "
            "WHERE schemaname = $1 AND tablename = $2 AND attname = $3 ORDER BY inherited LIMIT 1) s "
            "CROSS JOIN LATERAL unnest(s.histogram_bounds::text::text[]) WITH ORDINALITY AS u(b, o) "
            "ORDER BY u.o"_s;
    return s;
}

QString KeysetQuery::boundAt(const QStringList &bounds, double fraction) const
{
    if (bounds.isEmpty())
        return {};
    const double f = std::clamp(m_ascending ? fraction : 1.0 - fraction, 0.0, 1.0);
    const auto index = static_cast<qsizetype>(std::lround(f * double(bounds.size() - 1)));
    return bounds.at(index);
}

BoundQuery KeysetQuery::positionOf(const QString &sortValue) const
{
    BoundQuery s = histogramBounds();
    // Compared as the column's type: text order is not date or number order.
    const QString value = bind(&s.params, sortValue, m_keyTypes.value(0));
    const QString below = u"h.b::%1 < %2"_s.arg(m_keyTypes.value(0), value);
    const QString fraction = u"(count(*) FILTER (WHERE %1))::float8 / greatest(count(*) - 1, 1)"_s.arg(below);
    s.sql = u"SELECT CASE WHEN count(*) = 0 THEN NULL ELSE %1 END::text FROM ("_s
        .arg(m_ascending ? fraction : u"1 - "_s + fraction)
        + s.sql + u") h(b)"_s;
    return s;
}

BoundQuery KeysetQuery::rowsBefore(const QString &sortValue, int cap) const
{
    BoundQuery s;
    QStringList conditions;
    const QString filters = whereFilters(&s.params);
    if (!filters.isEmpty())
        conditions.append(filters);
    const QString key = m_keyExprs.first();
    const QString value = bind(&s.params, sortValue, m_keyTypes.first());
    // The complement of seek()'s condition: DESC puts NULLs first, so they are before any value.
    conditions.append(m_ascending ? u"%1 < %2"_s.arg(key, value) : u"(%1 > %2 OR %1 IS NULL)"_s.arg(key, value));
    s.sql = u"SELECT count(*)::text FROM (SELECT 1"_s + fromClause() + u" WHERE "_s + conditions.join(u" AND "_s)
        + u" LIMIT %1) before_value"_s.arg(cap);
    return s;
}

BoundQuery KeysetQuery::reltuples() const
{
    return {u"SELECT reltuples::float8::text FROM pg_class WHERE oid = $1::oid"_s, {m_table.oid}};
}

BoundQuery KeysetQuery::explainCount() const
{
    BoundQuery s;
    const QString filters = whereFilters(&s.params);
    s.sql = u"EXPLAIN (FORMAT JSON) SELECT 1"_s + fromClause() + (filters.isEmpty() ? QString() : u" WHERE "_s + filters);
    return s;
}

BoundQuery KeysetQuery::exactCount() const
{
    BoundQuery s;
    const QString filters = whereFilters(&s.params);
    s.sql = u"SELECT count(*)::text"_s + fromClause() + (filters.isEmpty() ? QString() : u" WHERE "_s + filters);
    return s;
}

} // namespace MigrationDesk
