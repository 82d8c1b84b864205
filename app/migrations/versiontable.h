#pragma once

#include "migrations/revisiongraph.h"

#include <QString>
#include <QStringList>

namespace MigrationDesk {

// The Alembic version table's name and the SQL that creates and changes it, shared by the online
// runner (bound values) and the offline renderer (literals) so both write the same statements.
// Value type; any thread.
class VersionTable
{
public:
    // "alembic_version" or "schema.table"; nullopt (and *error) for anything else.
    static std::optional<VersionTable> fromName(const QString &name, QString *error);

    QString schema() const { return m_schema; }       // empty: the search_path's first schema
    QString table() const { return m_table; }
    // The same table named in `schema`: the runner pins the name to the schema it resolved at start.
    VersionTable inSchema(const QString &schema) const
    {
        VersionTable t = *this;
        t.m_schema = schema;
        return t;
    }
    QString displayName() const { return m_schema.isEmpty() ? m_table : m_schema + QLatin1Char('.') + m_table; }
    QString qualifiedSql() const;                     // quoted, ready for SQL
    QString createSql(bool ifNotExists) const;        // Alembic 1.8's DDL, constraint <table>_pkc
    QString dropSql() const;

    // One statement for one change. With literals=false it uses $1/$2 placeholders in the order
    // of params() and returns the rows it touched, so the runner can check that exactly one matched;
    // with literals=true the values are inlined as quoted literals (offline scripts, as Alembic's).
    QString opSql(const VersionOp &op, bool literals) const;
    static QStringList params(const VersionOp &op);

private:
    QString m_schema;
    QString m_table = QStringLiteral("alembic_version");
};

} // namespace MigrationDesk
