#pragma once

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>

typedef struct pg_conn PGconn;

namespace MigrationDesk {

// A normalized, order-independent description of a database's user schema read from the catalog,
// comparable across databases (drift detection for `check`). Value type, any thread; capture()
// runs on the thread owning db.
//
// Each line is `<kind> <qualified name>: <attributes>` (or just `<kind> <name>`), e.g.
//   column public.customers.email: character varying(255) NOT NULL
// Names are quoted as quote_ident() does, so a key ends at the first ": " outside double quotes.
// Backslashes, newlines and carriage returns inside a line are written as \\, \n and \r so every
// object stays on one line. Owners, privileges and comments are lines of their own:
//   owner table public.customers: app_owner
//   privileges table public.customers: app_owner=arwdDxt/app_owner, reporting=r/app_owner
//   comment column public.customers.email: 'Login name'
// OIDs and sequence values never appear.
class SchemaSnapshot
{
public:
    // Reads the catalog through db (an open QPSQL connection). Everything outside pg_catalog,
    // information_schema, pg_toast*, pg_temp* and the schemas in excludedSchemas is described;
    // excludedTables holds "schema.table" names (raw, unquoted) left out together with their
    // columns, constraints, indexes, triggers, rules, policies and owned sequences. Objects that
    // belong to an extension are described by the extension's line only.
    // Runs inside the caller's transaction if one is open, otherwise in its own read-only one;
    // the session's search_path is left as it was. On failure returns nullopt and sets *error.
    static std::optional<SchemaSnapshot> capture(QSqlDatabase db, const QStringList &excludedSchemas,
                                                 const QStringList &excludedTables, QString *error);
    // The same through a bare libpq connection, in one round trip (two inside a transaction).
    static std::optional<SchemaSnapshot> capture(PGconn *conn, const QStringList &excludedSchemas,
                                                 const QStringList &excludedTables, QString *error);

    QStringList lines() const { return m_lines; } // sorted, one object/attribute per line
    QString toText() const;                       // lines joined with '\n'
    static SchemaSnapshot fromText(const QString &text);
    static SchemaSnapshot fromLines(const QStringList &lines); // sorts and drops duplicates/blanks
    QByteArray fingerprint() const;               // SHA-256 hex of toText()
    bool isEmpty() const { return m_lines.isEmpty(); }

    // False for a snapshot recorded before owners, privileges and comments were described.
    bool describesAccess() const;
    // This snapshot without its owner, privileges and comment lines: what an older recorded one is
    // compared with.
    SchemaSnapshot withoutAccess() const;

    // The part of a line before its ": " separator (the whole line if it has none).
    static QString lineKey(const QString &line);

    // Human-readable differences from `recorded` (what the migrations built) to `live`, one per
    // changed object key, sorted by key. Empty if equal.
    static QStringList diff(const SchemaSnapshot &recorded, const SchemaSnapshot &live);

    bool operator==(const SchemaSnapshot &other) const { return m_lines == other.m_lines; }
    bool operator!=(const SchemaSnapshot &other) const { return m_lines != other.m_lines; }

private:
    QStringList m_lines;
};

} // namespace MigrationDesk
