#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

class PgConnection;

// What the review knows about one table before the plan runs.
struct TableSize
{
    bool exists = false;      // offline: assumed true, sizes unknown
    qint64 rows = -1;         // -1: unknown
    bool rowsAtLeast = false; // rows is a lower bound (a bounded count found more)
    qint64 bytes = -1;        // pg_total_relation_size; -1: unknown
};

// The pre-flight review's catalog lookups, on the caller's connection with every name bound (never
// pasted), each answer cached for one review. Without a connection (offline) every answer is "unknown".
// Lives on the connection's thread.
class TableFacts
{
public:
    // `countLimit`: a table without statistics is counted, but never past this many rows.
    TableFacts(PgConnection *connection, qint64 countLimit);

    bool online() const { return m_connection != nullptr; }
    TableSize table(const QString &name);
    // The table an index belongs to (qualified and quoted by the server), empty when unknown.
    QString indexTable(const QString &index);
    // format_type() of the column, empty when the table or column does not exist (or offline).
    QString columnType(const QString &table, const QString &column);
    // Whether any function of these names is volatile (provolatile = 'v'); nullopt offline.
    // Names the server does not know are not counted.
    std::optional<bool> anyVolatile(const QStringList &functions);
    // Whether the table has a validated CHECK (column IS NOT NULL), which lets SET NOT NULL skip its scan.
    bool hasNotNullCheck(const QString &table, const QString &column);

private:
    PgConnection *m_connection;
    qint64 m_countLimit;
    QHash<QString, TableSize> m_tables;
};

} // namespace MigrationDesk
