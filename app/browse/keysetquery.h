#pragma once

#include "browse/catalog.h"

#include <QList>
#include <QMetaType>
#include <QSet>
#include <QString>
#include <QStringList>

namespace MigrationDesk {

// One statement with its bound text parameters ($1 = params[0]; a null QString binds NULL).
struct BoundQuery
{
    QString sql;
    QStringList params;
};

// A per-column filter from the filter bar. Values are carried as text and cast to the column's type.
struct ColumnFilter
{
    // ContainsAny: `value` inside `column` or inside any of `otherColumns` (a search over several).
    // In: `column` equals one of `values`, bound as one array parameter (= ANY($k::type[])).
    enum Op { Equal, NotEqual, Less, Greater, Between, Contains, IsNull, IsNotNull, ContainsAny, In };
    QString column;
    Op op = Equal;
    QString value;
    QString value2;          // upper bound for Between (inclusive)
    QStringList otherColumns; // ContainsAny only
    QStringList values;       // In only
};

// Builds the SQL text of keyset windows, counts and the histogram seek for one table, one sort and
// one set of filters. Identifiers are quoted by quoteIdentifier; every value is a bound parameter cast
// as $k::<column type>. Keys are text: the sort column's value (unless it is part of the key), then the
// primary key columns (or ctid when there is none). Pure value type; any thread.
class KeysetQuery
{
public:
    KeysetQuery() = default;
    // An empty sortColumn sorts by the primary key. includeDeleted = false hides is_deleted rows.
    // thenBy: columns that order rows with equal sort values, in the same direction, before the key
    // (a date, then a start time); ignored without a sortColumn.
    // revealed: the sensitive columns the user unmasked; a sort or filter on any other sensitive
    // column is refused here, so that no front end can find rows by fragments of a hidden value.
    KeysetQuery(const TableInfo &table, const QString &sortColumn, bool ascending,
                const QList<ColumnFilter> &filters, bool includeDeleted = false, const QStringList &thenBy = {},
                const QSet<QString> &revealed = {});

    // False when the sort or a filter names an unknown or a masked column; error() says which.
    bool isValid() const { return m_error.isEmpty() && m_table.isValid(); }
    QString error() const { return m_error; }
    const TableInfo &table() const { return m_table; }
    QString sortColumn() const { return m_sortColumn; }
    bool ascending() const { return m_ascending; }
    bool hasFilters() const;

    // Every result row holds the table's columns, then keyColumnCount() key values.
    int keyColumnCount() const { return m_keyExprs.size(); }

    // The first `limit` rows after `afterKey` in display order; from the start when afterKey is empty.
    BoundQuery forward(const QStringList &afterKey, int limit) const;
    // The `limit` rows before `beforeKey`, nearest first (the caller reverses them); the last rows
    // when beforeKey is empty (End).
    BoundQuery backward(const QStringList &beforeKey, int limit) const;
    // Rows whose sort value is at or past `sortValue` in display order (the histogram seek).
    BoundQuery seek(const QString &sortValue, int limit) const;
    // The fallback without statistics: OFFSET on the same ordering.
    BoundQuery atOffset(qint64 offset, int limit) const;
    // Every row in display order, without LIMIT: for streaming through a cursor (CSV export).
    BoundQuery all() const;

    // The histogram bounds of the sort column as one text row each, in ascending order.
    BoundQuery histogramBounds() const;
    // The bound at `fraction` (0..1) of the way through the display order; null when bounds is empty.
    QString boundAt(const QStringList &bounds, double fraction) const;
    // The inverse: how far (0..1) through the display order `sortValue` sits, by the histogram bounds
    // before it; one row, NULL without statistics.
    BoundQuery positionOf(const QString &sortValue) const;
    // The exact number of rows before `sortValue` in display order, counting no further than `cap`
    // (a result of cap means "at least"): for small sets, where one histogram bucket is many rows off.
    BoundQuery rowsBefore(const QString &sortValue, int cap) const;

    // reltuples (unfiltered) and the planner's row estimate (EXPLAIN (FORMAT JSON)).
    BoundQuery reltuples() const;
    BoundQuery explainCount() const;
    BoundQuery exactCount() const;

    // A PostgreSQL array literal of text elements, each double-quoted with " and \\ escaped: {"a","b"}.
    static QString arrayLiteral(const QStringList &values);

    // The refusal for a sort, filter or search on a masked column, as error() words it.
    static QString maskedError(const QString &column);

    // Escapes LIKE wildcards so that `text` matches only itself inside ILIKE ... ESCAPE '\'.
    static QString escapeLike(const QString &text);

private:
    struct Builder;
    QString columnExpr(const QString &column) const; // r."name", or a joined column's expression
    static QString rowNumberColumn();
    QString fromClause() const;
    QString whereFilters(QStringList *params) const;
    QString orderBy(bool reversed) const;
    QString selectList() const;
    // Rows strictly after `key` in the direction (ascending XOR reversed).
    QString afterCondition(const QStringList &key, bool forwardInAscending, QStringList *params) const;
    // The same for keys with then-by columns: written out column by column (NULLs sort last ascending),
    // behind a plain bound on the sort column so that its index still narrows the scan.
    QString lexicographicAfter(const QStringList &key, bool up, QStringList *params) const;

    TableInfo m_table;
    QString m_sortColumn;              // empty: the key alone orders
    QString m_sortType;
    bool m_sortNullable = false;
    bool m_ascending = true;
    QList<ColumnFilter> m_filters;
    bool m_includeDeleted = false;
    bool m_numberRows = false;         // a plain view: paged by row_number() in a subquery
    QString m_rowNumberOrder;          // the view's sort inside that subquery
    QStringList m_keyExprs;            // quoted SQL expressions
    QStringList m_keyTypes;
    QList<bool> m_keyNullable;
    int m_thenByCount = 0;
    QString m_error;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::KeysetQuery)
