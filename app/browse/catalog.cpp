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

std::optional<TableInfo> Catalog::table(const QString &schema, const QString &name, const QList<JoinSpec> &joins,
                                        QString *error)
{
    SqlError sqlError;
    auto fail = [&]() -> std::optional<TableInfo> {
        if (error)
            *error = sqlError.toString();
        return std::nullopt;
    };

    const auto rel = m_connection.query(
        u"SELECT c.oid::text, c.reltuples::float8::text, pg_total_relation_size(c.oid)::text, "
        "(c.relkind IN ('v', 'm'))::text, (c.relkind IN ('r', 'p', 'm'))::text, "
        "has_table_privilege(c.oid, 'SELECT')::text, has_table_privilege(c.oid, 'INSERT')::text, "
        "has_table_privilege(c.oid, 'UPDATE')::text, has_table_privilege(c.oid, 'DELETE')::text "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"_s,
        {schema, name}, &sqlError);
    if (!rel)
        return fail();
    TableInfo info;
    if (rel->isEmpty())
        return info;
    info.oid = rel->first().at(0);
    info.schema = schema;
    info.name = name;
    info.estimatedRows = rel->first().at(1).toDouble();
    info.totalBytes = rel->first().at(2).toLongLong();
    info.isView = rel->first().at(3) == u"true"_s;
    info.hasCtid = rel->first().at(4) == u"true"_s;
    info.canSelect = rel->first().at(5) == u"true"_s;
    info.canInsert = rel->first().at(6) == u"true"_s;
    info.canUpdate = rel->first().at(7) == u"true"_s;
    info.canDelete = rel->first().at(8) == u"true"_s;

    const auto columns = m_connection.query(
        u"SELECT a.attname, format_type(a.atttypid, a.atttypmod), (NOT a.attnotnull)::text, a.attnum::text, "
        "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisvalid "
        "        AND i.indkey[0] = a.attnum)::text, "
        "has_column_privilege(a.attrelid, a.attnum, 'UPDATE')::text "
        "FROM pg_attribute a WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY a.attnum"_s,
        {info.oid}, &sqlError);
    if (!columns)
        return fail();
    for (const QStringList &row : *columns) {
        ColumnInfo column;
        column.name = row.at(0);
        column.type = row.at(1);
        column.nullable = row.at(2) == u"true"_s;
        column.position = row.at(3).toInt();
        column.leadsIndex = row.at(4) == u"true"_s;
        column.sensitive = SensitiveColumns::matches(column.name);
        column.canUpdate = row.at(5) == u"true"_s;
        if (column.name == u"is_deleted"_s && column.type == u"boolean"_s) {
            info.hasIsDeleted = true;
            info.isDeletedNullable = column.nullable;
        }
        info.columns.append(column);
    }

    const auto key = m_connection.query(
        u"SELECT a.attname FROM pg_index i "
        "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
        "WHERE i.indrelid = $1::oid AND i.indisprimary ORDER BY k.ord"_s,
        {info.oid}, &sqlError);
    if (!key)
        return fail();
    for (const QStringList &row : *key)
        info.primaryKey.append(row.at(0));

    for (int j = 0; j < joins.size(); ++j) {
        const JoinSpec &join = joins.at(j);
        if (info.columnIndex(join.foreignKeyColumn) < 0) {
            sqlError.message = u"unknown join column %1"_s.arg(join.foreignKeyColumn);
            return fail();
        }
        const auto ref = table(join.schema, join.table, {}, error);
        if (!ref)
            return std::nullopt;
        if (!ref->isValid() || ref->columnIndex(join.referencedColumn) < 0) {
            sqlError.message = u"unknown joined table %1.%2"_s.arg(join.schema, join.table);
            return fail();
        }
        const QString alias = u"j%1"_s.arg(j);
        info.joinSql += u" LEFT JOIN "_s + quoteQualified(join.schema, join.table) + u" AS "_s + alias
            + u" ON "_s + alias + u"."_s + quoteIdentifier(join.referencedColumn) + u" = r."_s
            + quoteIdentifier(join.foreignKeyColumn);
        for (const auto &[source, shownAs] : join.columns) {
            const int index = ref->columnIndex(source);
            if (index < 0) {
                sqlError.message = u"unknown joined column %1"_s.arg(source);
                return fail();
            }
            ColumnInfo column = ref->columns.at(index);
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
