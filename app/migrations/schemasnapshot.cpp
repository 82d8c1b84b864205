#include "migrations/schemasnapshot.h"

#include "db/pgconnection.h"
#include "db/pgpipeline.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSqlDriver>
#include <QVariant>

#include <libpq-fe.h>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace MigrationDesk {
namespace {

// One statement, so the whole catalog is read in one round trip from one MVCC snapshot.
// Bound values, in order: a JSON array of excluded schema names, then one of excluded
// "schema.table" names (JSON, so any name survives intact and no list is pasted into the SQL).
// Why some filters exist:
// - pg_depend deptype 'e' marks extension members: the extension line stands for them.
// - pg_proc with deptype 'i' are the constructors PostgreSQL generates for range types.
// - array types and multiranges (typtype 'm') are generated alongside the types they serve.
// - names are rendered by quote_ident()/format_type()/regclass while search_path is pg_catalog
//   only, so every user object comes out schema-qualified whatever the session's search_path.
// - the aggregate's OIDs are printed through reg* casts, never as numbers, so two databases built
//   by the same DDL produce the same text.
// - owners, privileges (ACLs, sorted; none where the ACL is NULL, i.e. the default) and comments are
//   lines of their own, keyed by the object, so a GRANT, OWNER TO or COMMENT ON shows up as drift.
// - 'snapshot format: 2' marks snapshots that describe those: older recorded ones did not.
const char kCatalogQuery[] = R"sql(
WITH nsp AS (
    SELECT n.oid, n.nspname, quote_ident(n.nspname) AS qn
    FROM pg_namespace n
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
      AND NOT EXISTS (SELECT 1 FROM json_array_elements_text($1::json) AS x(name) WHERE x.name = n.nspname)
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass
                      AND d.objid = n.oid AND d.deptype = 'e')
), rel AS (
    SELECT c.oid, c.relkind, c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, c.reloptions,
           c.relispartition, c.relpartbound, n.qn || '.' || quote_ident(c.relname) AS qname,
           c.relowner, c.relacl,
           CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
                          WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table' ELSE 'sequence' END AS kind
    FROM pg_class c JOIN nsp n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND NOT EXISTS (SELECT 1 FROM json_array_elements_text($2::json) AS x(name) WHERE x.name = n.nspname || '.' || c.relname)
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
), fn AS (
    SELECT p.oid, p.proowner, p.proacl, p.oid::regprocedure::text AS qname,
           CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window function'
                          ELSE 'function' END AS kind
    FROM pg_proc p JOIN nsp n ON n.oid = p.pronamespace
    WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                      AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
), typ AS (
    SELECT t.oid, t.typowner, t.typacl, format_type(t.oid, NULL) AS qname,
           CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END AS kind
    FROM pg_type t JOIN nsp n ON n.oid = t.typnamespace
    WHERE t.typtype IN ('b', 'c', 'd', 'e', 'r')
      AND (t.typrelid = 0 OR EXISTS (SELECT 1 FROM pg_class tc WHERE tc.oid = t.typrelid AND tc.relkind = 'c'))
      AND NOT EXISTS (SELECT 1 FROM pg_type el WHERE el.typarray = t.oid)
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                      AND d.objid = t.oid AND d.deptype = 'e')
), owned (kind, qname, owner, acl) AS (
    SELECT 'schema', n.qn, ns.nspowner, ns.nspacl FROM nsp n JOIN pg_namespace ns ON ns.oid = n.oid
    UNION ALL SELECT c.kind, c.qname, c.relowner, c.relacl FROM rel c
    UNION ALL SELECT f.kind, f.qname, f.proowner, f.proacl FROM fn f
    UNION ALL SELECT t.kind, t.qname, t.typowner, t.typacl FROM typ t
), commented (kind, qname, classoid, objoid, objsubid) AS (
    SELECT 'schema', n.qn, 'pg_namespace'::regclass, n.oid, 0 FROM nsp n
    UNION ALL SELECT c.kind, c.qname, 'pg_class'::regclass, c.oid, 0 FROM rel c
    UNION ALL SELECT 'column', c.qname || '.' || quote_ident(a.attname), 'pg_class'::regclass, c.oid, a.attnum
              FROM rel c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL SELECT 'index', n.qn || '.' || quote_ident(ic.relname), 'pg_class'::regclass, ic.oid, 0
              FROM pg_index i JOIN rel c ON c.oid = i.indrelid
              JOIN pg_class ic ON ic.oid = i.indexrelid JOIN nsp n ON n.oid = ic.relnamespace
    UNION ALL SELECT 'constraint', c.qname || '.' || quote_ident(k.conname), 'pg_constraint'::regclass, k.oid, 0
              FROM pg_constraint k JOIN rel c ON c.oid = k.conrelid
    UNION ALL SELECT 'trigger', c.qname || '.' || quote_ident(tg.tgname), 'pg_trigger'::regclass, tg.oid, 0
              FROM pg_trigger tg JOIN rel c ON c.oid = tg.tgrelid WHERE NOT tg.tgisinternal
    UNION ALL SELECT f.kind, f.qname, 'pg_proc'::regclass, f.oid, 0 FROM fn f
    UNION ALL SELECT t.kind, t.qname, 'pg_type'::regclass, t.oid, 0 FROM typ t
)
SELECT 'snapshot format: 2'
UNION ALL
SELECT 'schema ' || n.qn FROM nsp n
UNION ALL
SELECT format('owner %s %s: %s', o.kind, o.qname, quote_ident(pg_get_userbyid(o.owner))) FROM owned o
UNION ALL
SELECT format('privileges %s %s: %s', o.kind, o.qname,
    (SELECT string_agg(a::text, ', ' ORDER BY a::text) FROM unnest(o.acl) a))
FROM owned o WHERE o.acl IS NOT NULL
UNION ALL
SELECT format('privileges column %s.%s: %s', c.qname, quote_ident(a.attname),
    (SELECT string_agg(x::text, ', ' ORDER BY x::text) FROM unnest(a.attacl) x))
FROM rel c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE a.attacl IS NOT NULL
UNION ALL
SELECT format('comment %s %s: %s', o.kind, o.qname, quote_literal(d.description))
FROM commented o JOIN pg_description d
    ON d.classoid = o.classoid AND d.objoid = o.objoid AND d.objsubid = o.objsubid
UNION ALL
SELECT format('extension %s: schema %s', quote_ident(e.extname), n.qn)
FROM pg_extension e JOIN nsp n ON n.oid = e.extnamespace
UNION ALL
SELECT format('%s %s: %s',
    CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
                   WHEN 'm' THEN 'materialized view' ELSE 'foreign table' END,
    c.qname,
    concat_ws(', ',
        CASE WHEN c.relkind <> 'v' THEN CASE c.relpersistence WHEN 'u' THEN 'unlogged' ELSE 'permanent' END END,
        CASE WHEN c.relkind IN ('r', 'p', 'f')
             THEN CASE WHEN c.relrowsecurity THEN 'row security on' ELSE 'row security off' END END,
        CASE WHEN c.relforcerowsecurity THEN 'row security forced' END,
        CASE WHEN c.relkind = 'p' THEN 'partition by ' || pg_get_partkeydef(c.oid) END,
        CASE WHEN c.relispartition
             THEN (SELECT 'partition of ' || i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid)
                  || ' ' || pg_get_expr(c.relpartbound, c.oid)
             ELSE (SELECT 'inherits ' || string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhseqno)
                   FROM pg_inherits i WHERE i.inhrelid = c.oid) END,
        'with (' || array_to_string(c.reloptions, ', ') || ')',
        (SELECT 'server ' || quote_ident(s.srvname) || coalesce(' options (' || array_to_string(ft.ftoptions, ', ') || ')', '')
         FROM pg_foreign_table ft JOIN pg_foreign_server s ON s.oid = ft.ftserver WHERE ft.ftrelid = c.oid),
        CASE WHEN c.relkind IN ('v', 'm') THEN 'definition ' || ltrim(pg_get_viewdef(c.oid)) END))
FROM rel c WHERE c.relkind <> 'S'
UNION ALL
SELECT format('column %s.%s: %s%s%s%s%s', c.qname, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod),
    CASE WHEN a.attcollation <> t.typcollation THEN ' COLLATE ' || a.attcollation::regcollation::text END,
    CASE WHEN a.attnotnull THEN ' NOT NULL' END,
    CASE a.attidentity WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY' WHEN 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY' END,
    CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || pg_get_expr(ad.adbin, ad.adrelid) || ') STORED'
         ELSE ' DEFAULT ' || pg_get_expr(ad.adbin, ad.adrelid) END)
FROM rel c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE c.relkind IN ('r', 'p', 'f')
UNION ALL
SELECT format('constraint %s.%s: %s', c.qname, quote_ident(k.conname), pg_get_constraintdef(k.oid))
FROM pg_constraint k JOIN rel c ON c.oid = k.conrelid
UNION ALL
SELECT format('index %s.%s: %s%s', n.qn, quote_ident(ic.relname), pg_get_indexdef(i.indexrelid),
    CASE WHEN NOT i.indisvalid THEN ' (invalid)' END)
FROM pg_index i JOIN rel c ON c.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid JOIN nsp n ON n.oid = ic.relnamespace
UNION ALL
SELECT format('trigger %s.%s: %s%s', c.qname, quote_ident(tg.tgname), pg_get_triggerdef(tg.oid),
    CASE tg.tgenabled WHEN 'D' THEN ' (disabled)' WHEN 'R' THEN ' (enabled on replica only)'
                      WHEN 'A' THEN ' (enabled always)' END)
FROM pg_trigger tg JOIN rel c ON c.oid = tg.tgrelid
WHERE NOT tg.tgisinternal
UNION ALL
SELECT format('rule %s.%s: %s', c.qname, quote_ident(r.rulename), pg_get_ruledef(r.oid))
FROM pg_rewrite r JOIN rel c ON c.oid = r.ev_class
WHERE r.rulename <> '_RETURN'
UNION ALL
SELECT format('policy %s.%s: %s FOR %s TO %s%s%s', c.qname, quote_ident(p.polname),
    CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
    CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                  WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
    (SELECT string_agg(x.name, ', ' ORDER BY x.name)
     FROM (SELECT CASE WHEN r = 0 THEN 'public' ELSE quote_ident(pg_get_userbyid(r)) END AS name
           FROM unnest(p.polroles) r) x),
    ' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')',
    ' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')')
FROM pg_policy p JOIN rel c ON c.oid = p.polrelid
UNION ALL
SELECT format('statistics %s.%s: %s', n.qn, quote_ident(s.stxname), pg_get_statisticsobjdef(s.oid))
FROM pg_statistic_ext s JOIN rel c ON c.oid = s.stxrelid JOIN nsp n ON n.oid = s.stxnamespace
UNION ALL
SELECT format('sequence %s: %s START %s INCREMENT %s MINVALUE %s MAXVALUE %s CACHE %s%s%s', c.qname,
    format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,
    CASE WHEN s.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END,
    ' OWNED BY ' || own.name)
FROM rel c JOIN pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN LATERAL (
    SELECT d.refobjid, d.refobjid::regclass::text || '.' || quote_ident(a.attname) AS name
    FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
      AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
    LIMIT 1) own ON true
WHERE c.relkind = 'S' AND (own.refobjid IS NULL OR own.refobjid IN (SELECT oid FROM rel))
UNION ALL
SELECT format('%s %s: %s',
    CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window function'
                   ELSE 'function' END,
    p.oid::regprocedure::text,
    CASE WHEN p.prokind = 'a'
         THEN (SELECT concat_ws(', ', 'returns ' || pg_get_function_result(p.oid),
                   'sfunc ' || ag.aggtransfn::oid::regprocedure::text,
                   'stype ' || format_type(ag.aggtranstype, NULL),
                   'finalfunc ' || nullif(ag.aggfinalfn::oid, 0)::regprocedure::text,
                   'combinefunc ' || nullif(ag.aggcombinefn::oid, 0)::regprocedure::text,
                   'sortop ' || nullif(ag.aggsortop, 0)::regoperator::text,
                   'initcond ' || quote_literal(ag.agginitval))
               FROM pg_aggregate ag WHERE ag.aggfnoid = p.oid)
         ELSE concat_ws(', ', 'returns ' || pg_get_function_result(p.oid), 'language ' || quote_ident(l.lanname),
                        'md5 ' || md5(pg_get_functiondef(p.oid))) END)
FROM pg_proc p JOIN nsp n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                  AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
UNION ALL
SELECT format('%s %s: %s', CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, format_type(t.oid, NULL),
    CASE t.typtype
    WHEN 'e' THEN 'enum (' || coalesce((SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                                        FROM pg_enum e WHERE e.enumtypid = t.oid), '') || ')'
    WHEN 'd' THEN concat(format_type(t.typbasetype, t.typtypmod),
        (SELECT ' COLLATE ' || t.typcollation::regcollation::text FROM pg_type b
         WHERE b.oid = t.typbasetype AND t.typcollation <> b.typcollation),
        CASE WHEN t.typnotnull THEN ' NOT NULL' END,
        ' DEFAULT ' || pg_get_expr(t.typdefaultbin, 0))
    WHEN 'c' THEN 'composite (' || coalesce((
        SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                   || CASE WHEN a.attcollation <> at.typcollation
                           THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END,
               ', ' ORDER BY a.attnum)
        FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
        WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')'
    WHEN 'r' THEN (SELECT concat_ws(', ', 'range of ' || format_type(r.rngsubtype, NULL),
                       'collation ' || nullif(r.rngcollation, 0)::regcollation::text,
                       'opclass ' || quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname),
                       'canonical ' || nullif(r.rngcanonical::oid, 0)::regprocedure::text,
                       'subtype_diff ' || nullif(r.rngsubdiff::oid, 0)::regprocedure::text)
                   FROM pg_range r JOIN pg_opclass oc ON oc.oid = r.rngsubopc
                   JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
                   WHERE r.rngtypid = t.oid)
    ELSE concat_ws(', ', 'base type', 'input ' || t.typinput::oid::regprocedure::text,
                   'output ' || t.typoutput::oid::regprocedure::text, 'length ' || t.typlen,
                   'alignment ' || t.typalign::text, 'storage ' || t.typstorage::text)
    END)
FROM pg_type t JOIN nsp n ON n.oid = t.typnamespace
WHERE t.typtype IN ('b', 'c', 'd', 'e', 'r')
  AND (t.typrelid = 0 OR EXISTS (SELECT 1 FROM pg_class tc WHERE tc.oid = t.typrelid AND tc.relkind = 'c'))
  AND NOT EXISTS (SELECT 1 FROM pg_type el WHERE el.typarray = t.oid)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                  AND d.objid = t.oid AND d.deptype = 'e')
UNION ALL
SELECT format('domain constraint %s.%s: %s', format_type(k.contypid, NULL), quote_ident(k.conname),
    pg_get_constraintdef(k.oid))
FROM pg_constraint k JOIN pg_type t ON t.oid = k.contypid JOIN nsp n ON n.oid = t.typnamespace
WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                  AND d.objid = t.oid AND d.deptype = 'e')
UNION ALL
SELECT format('collation %s.%s: %s', n.qn, quote_ident(co.collname),
    concat_ws(', ', 'provider ' || co.collprovider::text, CASE WHEN NOT co.collisdeterministic THEN 'nondeterministic' END,
              'collate ' || quote_literal(co.collcollate), 'ctype ' || quote_literal(co.collctype),
              'icu locale ' || quote_literal(co.colliculocale)))
FROM pg_collation co JOIN nsp n ON n.oid = co.collnamespace
WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_collation'::regclass
                  AND d.objid = co.oid AND d.deptype = 'e')
)sql";

// The first line kCatalogQuery returns; see the comment there.
QString formatLine()
{
    return u"snapshot format: 2"_s;
}

QString translated(const char *text)
{
    return QCoreApplication::translate("SchemaSnapshot", text);
}

// Keeps each object on one line, reversibly, so the text form never splits or merges objects.
QString escapeLine(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == u'\\')
            out += u"\\\\"_s;
        else if (c == u'\n')
            out += u"\\n"_s;
        else if (c == u'\r')
            out += u"\\r"_s;
        else
            out += c;
    }
    return out;
}

// Index of the ": " that ends the key, or -1. Quoted identifiers may contain ": " themselves.
int keySeparator(const QString &line)
{
    bool quoted = false;
    for (qsizetype i = 0; i + 1 < line.size(); ++i) {
        const QChar c = line.at(i);
        if (c == u'"')
            quoted = !quoted;
        else if (!quoted && c == u':' && line.at(i + 1) == u' ')
            return int(i);
    }
    return -1;
}

QString jsonArray(const QStringList &values)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(values)).toJson(QJsonDocument::Compact));
}

PGconn *pgConnection(const QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    // Qt 6.4 reports the metatype under the struct's own name (pg_conn*); Qt's docs check PGconn*.
    if (handle.isValid()
        && (qstrcmp(handle.typeName(), "pg_conn*") == 0 || qstrcmp(handle.typeName(), "PGconn*") == 0))
        return *static_cast<PGconn *const *>(handle.constData());
    return nullptr;
}

} // namespace

std::optional<SchemaSnapshot> SchemaSnapshot::capture(QSqlDatabase db, const QStringList &excludedSchemas,
                                                      const QStringList &excludedTables, QString *error)
{
    PGconn *conn = db.isOpen() ? pgConnection(db) : nullptr;
    if (!conn && error)
        *error = db.isOpen() ? translated("The schema snapshot needs a PostgreSQL (QPSQL) connection.")
                             : translated("The database connection is not open.");
    return conn ? capture(conn, excludedSchemas, excludedTables, error) : std::nullopt;
}

std::optional<SchemaSnapshot> SchemaSnapshot::capture(PGconn *conn, const QStringList &excludedSchemas,
                                                      const QStringList &excludedTables, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<SchemaSnapshot> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (!conn || PQstatus(conn) != CONNECTION_OK)
        return fail(translated("The database connection is not open."));
    const PGTransactionStatusType status = PQtransactionStatus(conn);
    if (status == PQTRANS_INERROR)
        return fail(translated("The current transaction has failed; roll it back before reading the schema."));
    if (status != PQTRANS_IDLE && status != PQTRANS_INTRANS)
        return fail(translated("The database connection is busy or broken."));

    // One round trip: the pipeline's statements share one transaction (the caller's, or an implicit
    // read-only one that ends, taking the local search_path with it, at the pipeline's sync). Inside the
    // caller's transaction the search_path is read first and put back after.
    // Bound through libpq's unnamed statement: a named prepared statement would outlive the transaction on
    // a pooled server session (PgBouncer), and collide there with another client's.
    const bool ownTransaction = status == PQTRANS_IDLE;
    QList<PgPipeline::Statement> statements;
    if (!ownTransaction)
        statements.append({u"SELECT pg_catalog.current_setting('search_path')"_s, {}});
    statements.append({ownTransaction ? u"SELECT pg_catalog.set_config('transaction_read_only', 'on', true), "
                                        "pg_catalog.set_config('search_path', 'pg_catalog', true)"_s
                                      : u"SELECT pg_catalog.set_config('search_path', 'pg_catalog', true)"_s, {}});
    statements.append({QString::fromLatin1(kCatalogQuery), {jsonArray(excludedSchemas), jsonArray(excludedTables)}});
    SqlError sqlError;
    const auto results = PgPipeline::run(conn, statements, &sqlError);
    if (!results)
        return fail(sqlError.toString());
    sqlError = PgPipeline::firstError(*results);
    if (!sqlError.isEmpty())
        return fail(sqlError.toString());

    QStringList lines;
    for (const QStringList &row : results->last().rows)
        lines.append(escapeLine(row.value(0)));
    if (!ownTransaction) {
        const QString savedSearchPath = results->first().rows.value(0).value(0);
        if (!PgConnection::queryOn(conn, u"SELECT set_config('search_path', $1, true)"_s, {savedSearchPath}, &sqlError))
            return fail(sqlError.toString());
    }
    return fromLines(lines);
}

QString SchemaSnapshot::toText() const
{
    return m_lines.join(u'\n');
}

SchemaSnapshot SchemaSnapshot::fromText(const QString &text)
{
    QStringList lines = text.split(u'\n');
    for (QString &line : lines) {
        if (line.endsWith(u'\r')) // the text may have passed through a CRLF file
            line.chop(1);
    }
    return fromLines(lines);
}

SchemaSnapshot SchemaSnapshot::fromLines(const QStringList &lines)
{
    SchemaSnapshot snapshot;
    for (const QString &line : lines) {
        if (!line.trimmed().isEmpty())
            snapshot.m_lines.append(line);
    }
    // Plain UTF-16 order, not locale collation, so the text is the same on every machine.
    std::sort(snapshot.m_lines.begin(), snapshot.m_lines.end());
    snapshot.m_lines.erase(std::unique(snapshot.m_lines.begin(), snapshot.m_lines.end()),
                           snapshot.m_lines.end());
    return snapshot;
}

QByteArray SchemaSnapshot::fingerprint() const
{
    return QCryptographicHash::hash(toText().toUtf8(), QCryptographicHash::Sha256).toHex();
}

bool SchemaSnapshot::describesAccess() const
{
    return m_lines.contains(formatLine());
}

SchemaSnapshot SchemaSnapshot::withoutAccess() const
{
    SchemaSnapshot older;
    for (const QString &line : m_lines) {
        if (line != formatLine() && !line.startsWith(u"owner "_s) && !line.startsWith(u"privileges "_s)
            && !line.startsWith(u"comment "_s))
            older.m_lines.append(line);
    }
    return older;
}

QString SchemaSnapshot::lineKey(const QString &line)
{
    const int separator = keySeparator(line);
    return separator < 0 ? line : line.left(separator);
}

QStringList SchemaSnapshot::diff(const SchemaSnapshot &recorded, const SchemaSnapshot &live)
{
    // Key -> value. A key seen twice (only possible in hand-edited text) falls back to keying by
    // the whole line, so no line is silently ignored.
    auto index = [](const QStringList &lines) {
        QMap<QString, QString> byKey;
        for (const QString &line : lines) {
            const int separator = keySeparator(line);
            const QString key = separator < 0 ? line : line.left(separator);
            const QString value = separator < 0 ? QString() : line.mid(separator + 2);
            if (byKey.contains(key))
                byKey.insert(line, QString());
            else
                byKey.insert(key, value);
        }
        return byKey;
    };
    const QMap<QString, QString> before = index(recorded.m_lines);
    const QMap<QString, QString> after = index(live.m_lines);

    QStringList keys = before.keys() + after.keys();
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());

    auto describe = [](const QString &key, const QString &value) {
        return value.isEmpty() ? key : u"%1 (%2)"_s.arg(key, value);
    };
    QStringList differences;
    for (const QString &key : std::as_const(keys)) {
        const auto old = before.constFind(key);
        const auto now = after.constFind(key);
        if (old == before.cend()) {
            differences.append(translated("%1 exists in the database but not in the recorded schema")
                                   .arg(describe(key, now.value())));
        } else if (now == after.cend()) {
            differences.append(translated("%1 is in the recorded schema but missing from the database")
                                   .arg(describe(key, old.value())));
        } else if (old.value() != now.value()) {
            differences.append(translated("%1: definition changed: %2 -> %3")
                                   .arg(key, old.value(), now.value()));
        }
    }
    return differences;
}

} // namespace MigrationDesk
