#pragma once

#include "db/connectionerror.h" // open() explains its failures with describeConnectionError
#include "db/connectionsettings.h"
#include "db/querycanceller.h"
#include "db/sqlerror.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace MigrationDesk {

class NoticeCollector;

// One PostgreSQL connection, opened on bare libpq or (for callers that need database()) through Qt's
// QPSQL driver, with multi-statement SQL, bound parameters, error fields, notices and cancelling. Lives
// on, and may only be used from, the thread that opened it; only canceller() objects cross threads.
// Do not interleave QSqlQuery use with exec()/query() while a forward-only QSqlQuery is still fetching.
class PgConnection
{
public:
    // What open() builds on. Libpq costs libpq's handshake and nothing more: client_encoding and
    // application_name travel in the startup packet. QtSql adds QPSQL's five start-up queries and our
    // one undoing its settings (six round trips): only for callers that need database().
    enum class Access { Libpq, QtSql };

    PgConnection();
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    // Opens a fresh connection (closing any previous one). On failure *error holds a plain-language
    // explanation followed by libpq's text (see describeConnectionError); it never contains the password.
    bool open(const ConnectionSettings &settings, QString *error,
              const QString &applicationName = QStringLiteral("migrationdesk"), Access access = Access::Libpq);
    void close();
    bool isOpen() const;

    // The QSqlDatabase behind this connection (invalid unless opened with Access::QtSql). Do not keep
    // copies past this object's lifetime.
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

    // A failed result's fields; the text of a client-side failure as a SqlError; a result's rows as text
    // (SQL NULL as a null QString).
    static SqlError errorFromResult(PGconn *conn, const PGresult *result);
    static SqlError clientError(const QString &message);
    static QList<QStringList> rowsOf(const PGresult *result);

private:
    bool openLibpq(const ConnectionSettings &settings, const QString &applicationName, QString *error);
    bool openQtSql(const ConnectionSettings &settings, const QString &applicationName, QString *error);

    PGconn *m_conn = nullptr; // Access::Libpq: ours to finish
    QString m_connectionName;
    QSqlDatabase m_db;
    ConnectionSettings m_settings;
    std::unique_ptr<NoticeCollector> m_notices;
};

} // namespace MigrationDesk
