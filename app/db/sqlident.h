#pragma once

#include <QString>

namespace MigrationDesk {

// SQL text quoting for identifiers and literals. Qt's QSqlDriver::escapeIdentifier is not used because
// it leaves names that already start and end with a double quote untouched. Pure; any thread.

// "name" with every embedded double quote doubled: we"ird -> "we""ird".
QString quoteIdentifier(const QString &name);

// "schema"."name"; just "name" when schema is empty.
QString quoteQualified(const QString &schema, const QString &name);

// 'value' with every single quote doubled. Assumes standard_conforming_strings = on (the default since
// PostgreSQL 9.1), so backslashes stay literal. Only for rendering offline SQL scripts; live queries
// bind their values instead.
QString quoteLiteral(const QString &value);

// A version table name as Alembic accepts it: [A-Za-z_][A-Za-z0-9_]*, optionally schema-qualified
// (schema.table), each part at most 63 characters (PostgreSQL's NAMEDATALEN - 1).
bool isValidVersionTableName(const QString &name);

} // namespace MigrationDesk
