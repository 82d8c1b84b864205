#include "browse/schemacatalog.h"

#include "db/pgconnection.h"
#include "base/workerthreads.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

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
        u"SELECT n.nspname, c.relname, c.relkind::text, c.reltuples::float8::text, "
        "pg_total_relation_size(c.oid)::text, has_table_privilege(c.oid, 'SELECT')::text "
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
    for (const QStringList &row : *relations) {
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
        listing.relations.append(entry);
    }
    return listing;
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
