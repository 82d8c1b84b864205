#pragma once

#include <QList>
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
    bool sensitive = false;  // named like password, secret, token or hash: masked until revealed
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

    // password, secret, token or hash anywhere in the name, case-insensitively.
    static bool isSensitiveName(const QString &column);

private:
    PgConnection &m_connection;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::TableInfo)
