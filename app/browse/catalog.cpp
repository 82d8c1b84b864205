#include "browse/catalog.h"

#include "db/pgconnection.h"
#include "db/sensitivecolumns.h"
#include "db/sqlident.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

int TableInfo::columnIndex(const QString &column) const
{
    for (int i = 0; i < columns.size(); ++i) {
        if (columns.at(i).name == column)
            return i;
    }
    return -1;
}

Catalog::Catalog(PgConnection &connection)
    : m_connection(connection)
{
}

std::optional<TableInfo> Catalog::table(const QString &schema, const QString &name, QString *error)
{
    return table(schema, name, {}, error);
}

namespace {

// The relation, its columns and its primary key for each wanted (schema, name), in one statement: a
// grid's first rows wait for this, and on a new session each round trip also pays for planning. Rows
// come as (part, wanted index, sequence, fields...), part 0 the relation, 1 a column, 2 a key column.
// The names are bound ($1, $2, ...), never pasted.
QString describeSql(const QList<QPair<QString, QString>> &wanted, QStringList *params)
{
    QStringList values;
    for (int i = 0; i < wanted.size(); ++i) {
        values << u"($%1::text, $%2::text, %3)"_s.arg(2 * i + 1).arg(2 * i + 2).arg(i);
        *params << wanted.at(i).first << wanted.at(i).second;
    }
    return u"WITH wanted (nsp, rel, ord) AS (VALUES "_s + values.join(u", "_s) + u"), "
        "found AS (SELECT w.ord, c.oid, c.relkind, c.reltuples FROM wanted w "
        "  JOIN pg_namespace n ON n.nspname = w.nsp "
        "  JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.rel "
        "  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')) "
        "SELECT 0, f.ord, 0::int8, f.oid::text, f.reltuples::float8::text, pg_total_relation_size(f.oid)::text, "
        "  (f.relkind IN ('v', 'm'))::text, (f.relkind IN ('r', 'p', 'm'))::text, "
        "  has_table_privilege(f.oid, 'SELECT')::text, has_table_privilege(f.oid, 'INSERT')::text, "
        "  has_table_privilege(f.oid, 'UPDATE')::text, has_table_privilege(f.oid, 'DELETE')::text "
        "FROM found f "
        "UNION ALL "
        "SELECT 1, f.ord, a.attnum::int8, a.attname::text, format_type(a.atttypid, a.atttypmod), "
        "  (NOT a.attnotnull)::text, a.attnum::text, "
        "  EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisvalid "
        "          AND i.indkey[0] = a.attnum)::text, "
        "  has_column_privilege(a.attrelid, a.attnum, 'UPDATE')::text, NULL, NULL, NULL "
        "FROM found f JOIN pg_attribute a ON a.attrelid = f.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "UNION ALL "
        "SELECT 2, f.ord, k.ord, a.attname::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL "
        "FROM found f JOIN pg_index i ON i.indrelid = f.oid AND i.indisprimary "
        "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
        "ORDER BY 2, 1, 3"_s;
}

} // namespace

std::optional<TableInfo> Catalog::table(const QString &schema, const QString &name, const QList<JoinSpec> &joins,
                                        QString *error)
{
    SqlError sqlError;
    auto fail = [&]() -> std::optional<TableInfo> {
        if (error)
            *error = sqlError.toString();
        return std::nullopt;
    };

    QList<QPair<QString, QString>> wanted = {{schema, name}};
    for (const JoinSpec &join : joins)
        wanted.append({join.schema, join.table});
    QStringList params;
    const QString sql = describeSql(wanted, &params);
    const auto rows = m_connection.query(sql, params, &sqlError);
    if (!rows)
        return fail();

    // Index i describes wanted[i]; a relation that does not exist keeps an invalid TableInfo.
    QList<TableInfo> described(wanted.size());
    for (const QStringList &row : *rows) {
        const int part = row.at(0).toInt();
        TableInfo &info = described[row.at(1).toInt()];
        const QStringList f = row.mid(3);
        if (part == 0) {
            const auto &[relSchema, relName] = wanted.at(row.at(1).toInt());
            info.oid = f.at(0);
            info.schema = relSchema;
            info.name = relName;
            info.estimatedRows = f.at(1).toDouble();
            info.totalBytes = f.at(2).toLongLong();
            info.isView = f.at(3) == u"true"_s;
            info.hasCtid = f.at(4) == u"true"_s;
            info.canSelect = f.at(5) == u"true"_s;
            info.canInsert = f.at(6) == u"true"_s;
            info.canUpdate = f.at(7) == u"true"_s;
            info.canDelete = f.at(8) == u"true"_s;
        } else if (part == 1) {
            ColumnInfo column;
            column.name = f.at(0);
            column.type = f.at(1);
            column.nullable = f.at(2) == u"true"_s;
            column.position = f.at(3).toInt();
            column.leadsIndex = f.at(4) == u"true"_s;
            column.sensitive = SensitiveColumns::matches(column.name);
            column.canUpdate = f.at(5) == u"true"_s;
            if (column.name == u"is_deleted"_s && column.type == u"boolean"_s) {
                info.hasIsDeleted = true;
                info.isDeletedNullable = column.nullable;
            }
            info.columns.append(column);
        } else {
            info.primaryKey.append(f.at(0));
        }
    }

    TableInfo info = described.first();
    if (!info.isValid())
        return TableInfo();
    for (int j = 0; j < joins.size(); ++j) {
        const JoinSpec &join = joins.at(j);
        if (info.columnIndex(join.foreignKeyColumn) < 0) {
            sqlError.message = u"unknown join column %1"_s.arg(join.foreignKeyColumn);
            return fail();
        }
        const TableInfo &ref = described.at(j + 1);
        if (!ref.isValid() || ref.columnIndex(join.referencedColumn) < 0) {
            sqlError.message = u"unknown joined table %1.%2"_s.arg(join.schema, join.table);
            return fail();
        }
        const QString alias = u"j%1"_s.arg(j);
        info.joinSql += u" LEFT JOIN "_s + quoteQualified(join.schema, join.table) + u" AS "_s + alias
            + u" ON "_s + alias + u"."_s + quoteIdentifier(join.referencedColumn) + u" = r."_s
            + quoteIdentifier(join.foreignKeyColumn);
        for (const auto &[source, shownAs] : join.columns) {
            const int index = ref.columnIndex(source);
            if (index < 0) {
                sqlError.message = u"unknown joined column %1"_s.arg(source);
                return fail();
            }
            ColumnInfo column = ref.columns.at(index);
            column.name = shownAs;
            column.nullable = true; // a LEFT JOIN may find no row
            column.leadsIndex = false;
            column.canUpdate = false;
            column.position = int(info.columns.size()) + 1;
            column.expr = alias + u"."_s + quoteIdentifier(source);
            info.columns.append(column);
        }
    }
    return info;
}

} // namespace MigrationDesk
