#pragma once

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

} // namespace MigrationDesk
