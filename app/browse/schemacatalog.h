#pragma once

#include "db/connectionsettings.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

class PgConnection;
class WorkerThreads;

// One table or view in the schema tree, with the catalog's size estimates. A plain value; any thread.
struct RelationEntry
{
    enum Kind { Table, PartitionedTable, View, MaterializedView, ForeignTable };
    QString schema;
    QString name;
    Kind kind = Table;
    double estimatedRows = -1; // reltuples; -1 when never analyzed (views have no estimate)
    qint64 totalBytes = 0;     // pg_total_relation_size
    bool canSelect = false;    // has_table_privilege(..., 'SELECT') for the connected role

    bool isView() const { return kind == View || kind == MaterializedView; }
};

// Every user schema (also empty ones) and the relations in them, sorted by name. A plain value; any thread.
struct SchemaListing
{
    QStringList schemas;
    QList<RelationEntry> relations;
};

// Lists schemas and relations with our own catalog query, leaving out the system schemas
// (pg_catalog, information_schema, pg_toast and temporary ones); `migrationdesk` is kept. No name
// ever enters the SQL. Runs on whatever thread owns the connection.
class SchemaCatalog
{
public:
    static std::optional<SchemaListing> list(PgConnection &connection, QString *error = nullptr);
    // One relation as list() would give it, by name (not SQL-quoted); an empty schema means the first one
    // on the search path. An entry with an empty name when there is none; nullopt (and *error) on failure.
    static std::optional<RelationEntry> lookUp(PgConnection &connection, const QString &schema, const QString &name,
                                               QString *error = nullptr);
};

// Reads the listing with its own short-lived connection. Lives on SchemaCatalogLoader's thread.
class SchemaCatalogWorker : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    void load(quint64 requestId, const MigrationDesk::ConnectionSettings &settings);

Q_SIGNALS:
    void loaded(quint64 requestId, const MigrationDesk::SchemaListing &listing, const QString &error);
};

// Starts listings on a worker thread (from WorkerThreads, which must outlive it) and hands back only the
// newest one, so the GUI thread never waits on the catalog and a slow old listing never overwrites a
// newer one. GUI thread.
class SchemaCatalogLoader : public QObject
{
    Q_OBJECT

public:
    explicit SchemaCatalogLoader(WorkerThreads &threads, QObject *parent = nullptr);
    ~SchemaCatalogLoader() override;

    void load(const ConnectionSettings &settings);
    // Forgets the listing in flight (after a disconnect).
    void abandon() { ++m_requestId; m_loading = false; }
    bool isLoading() const { return m_loading; }

Q_SIGNALS:
    // error is empty on success; on failure listing is empty.
    void loaded(const MigrationDesk::SchemaListing &listing, const QString &error);

private:
    WorkerThreads &m_threads;
    SchemaCatalogWorker *m_worker = nullptr;
    quint64 m_requestId = 0;
    bool m_loading = false;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::SchemaListing)
