#pragma once

#include <QList>
#include <QPair>
#include <QString>

#include <optional>

typedef struct pg_conn PGconn;

namespace MigrationDesk {

struct SqlError;

// Tells whether a libpq connection reaches PostgreSQL through a connection pooler such as PgBouncer, where
// session state (session advisory locks, SET, named prepared statements) does not stay with the client.
// A pooler makes up the backend key it hands the client, so the process id libpq was told differs from
// the one the server reports: a direct connection's always match. One round trip on the caller's thread;
// nullopt (and *error) when the query fails.
std::optional<bool> isBehindPooler(PGconn *conn, SqlError *error = nullptr);

// isBehindPooler() and, on a direct connection only, session settings (name, value pairs, as SET would
// make them) in the same round trip: the server compares its pid with the one libpq was told and applies
// the settings only when they match. Behind a pooler a session setting would stay with a server session
// other clients share, so there nothing is set. nullopt (and *error) when the query fails.
std::optional<bool> applyUnlessPooled(PGconn *conn, const QList<QPair<QString, QString>> &settings,
                                      SqlError *error = nullptr);

} // namespace MigrationDesk
