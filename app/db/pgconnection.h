#pragma once

#include "db/connectionsettings.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <utility>

typedef struct pg_conn PGconn;
typedef struct pg_cancel PGcancel;
typedef struct pg_result PGresult;

namespace MigrationDesk {

// One server error as libpq reports it, split into its fields. A plain value; any thread.
struct SqlError
{
    QString message;    // the primary message, e.g. relation "x" does not exist
    QString sqlState;   // five-character SQLSTATE; empty for client-side failures (connection lost)
    QString detail;
    QString hint;
    QString context;    // PL/pgSQL call stack and similar, when the server sends one
    int position = 0;   // 1-based character offset into the statement text; 0 = none

    bool isEmpty() const { return message.isEmpty() && sqlState.isEmpty(); }
    // "message [SQLSTATE]", then DETAIL:, HINT: and CONTEXT: lines when present.
    QString toString() const;
    // 1-based line and column of `position` inside `sql` (the text the error came from), counting
    // characters as the server does; {0, 0} without a position.
    std::pair<int, int> lineAndColumn(const QString &sql) const;
};

// Cancels the statement running on one connection. Made on the connection's thread, then cancel() may
// be called from any thread, also after the connection closed (it then does nothing harmful).
class QueryCanceller
{
public:
    explicit QueryCanceller(PGcancel *cancel);
    ~QueryCanceller();
    QueryCanceller(const QueryCanceller &) = delete;
    QueryCanceller &operator=(const QueryCanceller &) = delete;

    // Asks the server to cancel whatever the connection is running; true if the request was delivered
    // (the statement then fails with SQLSTATE 57014, unless it had already finished).
    bool cancel(QString *error = nullptr);

private:
    PGcancel *m_cancel = nullptr;
};

// One PostgreSQL connection opened through Qt's QPSQL driver, with direct libpq access for
// multi-statement SQL, bound parameters, error fields, notices and cancelling. Lives on, and may only be
// used from, the thread that opened it (a QSqlDatabase rule); only canceller() objects cross threads.
// Do not interleave QSqlQuery use with exec()/query() while a forward-only QSqlQuery is still fetching.
class PgConnection
{
public:
    PgConnection();
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    // Opens a fresh connection (closing any previous one). On failure *error holds a plain-language
    // explanation followed by libpq's text (see describeConnectionError); it never contains the password.
    bool open(const ConnectionSettings &settings, QString *error,
              const QString &applicationName = QStringLiteral("migrationdesk"));
    void close();
    bool isOpen() const;

    // The QSqlDatabase behind this connection. Do not keep copies past this object's lifetime.
    QSqlDatabase database() const;
    PGconn *pgconn() const;
    const ConnectionSettings &settings() const { return m_settings; }

    int backendPid() const;
    int serverVersionNumber() const;        // e.g. 150004; 0 when closed
    QString serverVersionString() const;    // e.g. "15.4 (Debian 15.4-1)"
    QString userName() const;               // the role libpq authenticated as
    QString databaseName() const;
    bool inTransaction() const;             // inside BEGIN ... (including a failed transaction)
    bool inFailedTransaction() const;       // an error happened; only ROLLBACK is accepted

    // Runs SQL text with the simple query protocol (PQexec): several ';'-separated statements are
    // fine, and run as one implicit transaction unless they contain their own BEGIN/COMMIT. Stops at the
    // first failing statement. COPY ... FROM STDIN / TO STDOUT is refused.
    bool exec(const QString &sql, SqlError *error = nullptr);

    // One statement with $1, $2, ... bound as text (PQexecParams); a null QString binds SQL NULL.
    // Returns the rows as text, SQL NULL as a null QString. Cast parameters whose type the server
    // cannot infer ($1::text).
    // query() on a bare libpq connection that is not a PgConnection (e.g. the runner's lock session).
    static std::optional<QList<QStringList>> queryOn(PGconn *conn, const QString &sql, const QStringList &params,
                                                     SqlError *error = nullptr);
    std::optional<QList<QStringList>> query(const QString &sql, const QStringList &params = {},
                                            SqlError *error = nullptr);

    // A canceller for this connection, or nullptr when closed.
    std::unique_ptr<QueryCanceller> canceller() const;

    // Server NOTICE/WARNING/INFO messages received since the last call, oldest first, each as
    // "SEVERITY: message" with DETAIL/HINT lines when present.
    QStringList takeNotices();

private:
    struct NoticeSink;

    static SqlError errorFromResult(PGconn *conn, const PGresult *result);
    static SqlError clientError(const QString &message);

    QString m_connectionName;
    QSqlDatabase m_db;
    ConnectionSettings m_settings;
    std::unique_ptr<NoticeSink> m_notices;
};

// Explains a libpq connection failure in plain language, for the common cases: wrong password, no
// password given, unknown host, connection refused, timeout, SSL problems (server without SSL,
// certificate verification, missing root certificate), unknown database or role. libpq's own text
// follows the explanation. The result is redacted (URL and key=value passwords, and settings.password
// itself when it is 3 characters or longer).
QString describeConnectionError(const QString &libpqMessage, const ConnectionSettings &settings);

} // namespace MigrationDesk
