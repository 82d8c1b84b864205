#include "browse/schemacatalog.h"

#include "db/pgconnection.h"
#include "base/workerthreads.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The columns relationOf() reads, over pg_class c and pg_namespace n.
QString relationColumns()
{
    return u"n.nspname, c.relname, c.relkind::text, c.reltuples::float8::text, "
           "pg_catalog.pg_total_relation_size(c.oid)::text, pg_catalog.has_table_privilege(c.oid, 'SELECT')::text"_s;
}

RelationEntry relationOf(const QStringList &row)
{
    RelationEntry entry;
    entry.schema = row.at(0);
    entry.name = row.at(1);
    const QString kind = row.at(2);
    entry.kind = kind == u"p"_s   ? RelationEntry::PartitionedTable
        : kind == u"v"_s          ? RelationEntry::View
        : kind == u"m"_s          ? RelationEntry::MaterializedView
        : kind == u"f"_s          ? RelationEntry::ForeignTable
                                  : RelationEntry::Table;
    // Plain views have no rows of their own: reltuples is meaningless there.
    entry.estimatedRows = entry.kind == RelationEntry::View ? -1 : row.at(3).toDouble();
    entry.totalBytes = row.at(4).toLongLong();
    entry.canSelect = row.at(5) == u"true"_s;
    return entry;
}

} // namespace

std::optional<SchemaListing> SchemaCatalog::list(PgConnection &connection, QString *error)
{
    // pg_temp_N / pg_toast_temp_N belong to other sessions; pg_toast holds no browsable relations.
    static const QString userSchemas =
        u"n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') "
        "AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'"_s;
    SqlError sqlError;
    const auto schemas = connection.query(
        u"SELECT n.nspname FROM pg_namespace n WHERE "_s + userSchemas + u" ORDER BY n.nspname"_s, {}, &sqlError);
    if (!schemas) {
        if (error)
            *error = sqlError.toString();
        return std::nullopt;
    }
    // Partitions are listed under their partitioned parent's data, so only top-level relations show.
    const auto relations = connection.query(
        u"SELECT "_s + relationColumns() + u" "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition AND "_s
            + userSchemas + u" ORDER BY n.nspname, c.relname"_s,
        {}, &sqlError);
    if (!relations) {
        if (error)
            *error = sqlError.toString();
        return std::nullopt;
    }
    SchemaListing listing;
    for (const QStringList &row : *schemas)
        listing.schemas.append(row.at(0));
    for (const QStringList &row : *relations)
        listing.relations.append(relationOf(row));
    return listing;
}

std::optional<RelationEntry> SchemaCatalog::lookUp(PgConnection &connection, const QString &schema,
                                                   const QString &name, QString *error)
{
    // As the listing reads a relation, for one name: visible on the search path when no schema is given.
    SqlError sqlError;
    const auto rows = connection.query(
        u"SELECT "_s + relationColumns()
            + u" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
              "WHERE c.relname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
              "AND CASE WHEN $2::text IS NULL THEN pg_catalog.pg_table_is_visible(c.oid) "
              "ELSE n.nspname = $2::text END LIMIT 1"_s,
        {name, schema.isEmpty() ? QString() : schema}, &sqlError);
    if (!rows) {
        if (error)
            *error = sqlError.toString();
        return std::nullopt;
    }
    return rows->isEmpty() ? RelationEntry() : relationOf(rows->first());
}

void SchemaCatalogWorker::load(quint64 requestId, const ConnectionSettings &settings)
{
    PgConnection connection;
    QString error;
    if (!connection.open(settings, &error, u"migrationdesk-browse"_s)) {
        Q_EMIT loaded(requestId, {}, error);
        return;
    }
    const auto listing = SchemaCatalog::list(connection, &error);
    Q_EMIT loaded(requestId, listing.value_or(SchemaListing()), listing ? QString() : error);
}

SchemaCatalogLoader::SchemaCatalogLoader(WorkerThreads &threads, QObject *parent)
    : QObject(parent)
    , m_threads(threads)
{
    qRegisterMetaType<MigrationDesk::SchemaListing>();
    m_worker = m_threads.start(new SchemaCatalogWorker, u"SchemaCatalogLoader"_s);
    connect(m_worker, &SchemaCatalogWorker::loaded, this,
            [this](quint64 requestId, const SchemaListing &listing, const QString &error) {
                if (requestId != m_requestId)
                    return; // an older listing, overtaken by a newer request
                m_loading = false;
                Q_EMIT loaded(listing, error);
            });
}

SchemaCatalogLoader::~SchemaCatalogLoader()
{
    // A listing in flight has nobody left to hand it to: its connection ends with it, on the worker's thread.
    m_threads.retire(m_worker);
}

void SchemaCatalogLoader::load(const ConnectionSettings &settings)
{
    const quint64 requestId = ++m_requestId;
    m_loading = true;
    SchemaCatalogWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, requestId, settings] { worker->load(requestId, settings); },
                              Qt::QueuedConnection);
}

} // namespace MigrationDesk
