#pragma once

#include <QList>
#include <QPair>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

class PgConnection;

// One column as our own catalog query sees it. A plain value; any thread.
struct ColumnInfo
{
    QString name;
    QString type;            // format_type(), e.g. "timestamp without time zone", usable as a cast
    bool nullable = true;
    int position = 0;        // attnum, 1-based
    bool leadsIndex = false; // first column of a valid index: sorting by it is instant
    bool sensitive = false;  // SensitiveColumns::matches(name): masked until revealed
    bool canUpdate = false;  // has_column_privilege(..., 'UPDATE') for the connected role
    // A column of a joined table (JoinSpec): its SQL expression over alias j<N>. Empty for the
    // table's own columns, which are r.<quoted name>.
    QString expr;
    bool isJoined() const { return !expr.isEmpty(); }
};

// Columns of another table shown beside each row through a foreign key, e.g. the customer's name
// beside each order. Every name is quoted by our own code; values never enter the SQL.
struct JoinSpec
{
    QString foreignKeyColumn;          // in the browsed table, e.g. customer_id
    QString schema;                    // the referenced table, e.g. public.customers
    QString table;
    QString referencedColumn;          // e.g. customer_id
    QList<QPair<QString, QString>> columns; // (column in the referenced table, name shown), e.g. (name, customer_name)
};

// A table's shape and size for the browser. A plain value; any thread.
struct TableInfo
{
    QString oid;             // pg_class.oid as text, bound as $n::oid
    QString schema;
    QString name;
    QList<ColumnInfo> columns;
    QStringList primaryKey;  // in index order; empty when the table has none
    double estimatedRows = -1; // reltuples; -1 when the table was never analyzed
    qint64 totalBytes = 0;   // pg_total_relation_size
    bool hasIsDeleted = false; // a boolean is_deleted column (soft-deleted rows)
    bool isDeletedNullable = true; // NOT NULL lets the filter match the partial indexes' NOT is_deleted
    QString joinSql;         // LEFT JOINs built from JoinSpecs by Catalog; empty without joins
    bool isView = false;     // a view or materialized view
    bool hasCtid = true;     // tables and materialized views; plain views and foreign tables have none
    // Table privileges of the connected role (has_table_privilege), for enabling actions.
    bool canSelect = false;
    bool canInsert = false;
    bool canUpdate = false;
    bool canDelete = false;

    bool isValid() const { return !oid.isEmpty(); }
    int columnIndex(const QString &column) const; // -1 when absent
};

// Catalog look-ups with bound names, instead of QPSQL's record()/primaryIndex()/tables(), which
// paste names into SQL unescaped. Runs on whatever thread owns the connection.
class Catalog
{
public:
    explicit Catalog(PgConnection &connection);

    // std::nullopt with *error on a server error; an invalid TableInfo when the table does not exist.
    std::optional<TableInfo> table(const QString &schema, const QString &name, QString *error = nullptr);
    // The same, with the joined tables' columns appended after the table's own.
    std::optional<TableInfo> table(const QString &schema, const QString &name, const QList<JoinSpec> &joins,
                                   QString *error = nullptr);

private:
    PgConnection &m_connection;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::TableInfo)
Q_DECLARE_METATYPE(MigrationDesk::JoinSpec)
