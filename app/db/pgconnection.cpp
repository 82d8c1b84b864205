#include "db/pgconnection.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QMutex>
#include <QMutexLocker>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>
#include <QVariant>

#include <libpq-fe.h>

#include <vector>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate a translation context for the messages of this file.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(PgConnection)
};

QString field(const PGresult *result, int code)
{
    return QString::fromUtf8(PQresultErrorField(result, code)).trimmed();
}

} // namespace

// Collects notices; libpq calls receive() on the connection's thread while a statement runs.
struct PgConnection::NoticeSink
{
    QMutex mutex;
    QStringList notices;
    PQnoticeReceiver previous = nullptr;
    void *previousArg = nullptr;

    static void receive(void *arg, const PGresult *result)
    {
        auto *sink = static_cast<NoticeSink *>(arg);
        QString text = field(result, PG_DIAG_SEVERITY) + u": "_s + field(result, PG_DIAG_MESSAGE_PRIMARY);
        const QString detail = field(result, PG_DIAG_MESSAGE_DETAIL);
        const QString hint = field(result, PG_DIAG_MESSAGE_HINT);
        if (!detail.isEmpty())
            text += u"\nDETAIL: "_s + detail;
        if (!hint.isEmpty())
            text += u"\nHINT: "_s + hint;
        QMutexLocker lock(&sink->mutex);
        sink->notices.append(text);
    }
};

QString SqlError::toString() const
{
    QString text = message;
    if (!sqlState.isEmpty())
        text += u" ["_s + sqlState + QLatin1Char(']');
    if (!detail.isEmpty())
        text += u"\nDETAIL: "_s + detail;
    if (!hint.isEmpty())
        text += u"\nHINT: "_s + hint;
    if (!context.isEmpty())
        text += u"\nCONTEXT: "_s + context;
    return text;
}

std::pair<int, int> SqlError::lineAndColumn(const QString &sql) const
{
    if (position <= 0)
        return {0, 0};
    int line = 1;
    int column = 1;
    int counted = 1;
    for (qsizetype i = 0; i < sql.size() && counted < position; ++i) {
        const QChar c = sql.at(i);
        if (c.isLowSurrogate())
            continue; // the server counts code points, not UTF-16 units
        ++counted;
        if (c == QLatin1Char('\n')) {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

QueryCanceller::QueryCanceller(PGcancel *cancel)
    : m_cancel(cancel)
{
}

QueryCanceller::~QueryCanceller()
{
    if (m_cancel)
        PQfreeCancel(m_cancel);
}

bool QueryCanceller::cancel(QString *error)
{
    if (!m_cancel) {
        if (error)
            *error = Text::tr("There is no connection to cancel.");
        return false;
    }
    char buffer[256] = {};
    if (PQcancel(m_cancel, buffer, sizeof buffer))
        return true;
    if (error)
        *error = Text::tr("Could not send the cancel request: %1").arg(QString::fromUtf8(buffer).trimmed());
    return false;
}

PgConnection::PgConnection()
    : m_notices(std::make_unique<NoticeSink>())
{
}

PgConnection::~PgConnection()
{
    close();
}

bool PgConnection::open(const ConnectionSettings &settings, QString *error, const QString &applicationName)
{
    close();
    takeNotices(); // what an earlier connection said is no longer news
    m_settings = settings;
    QString why;
    if (!settings.validate(&why)) {
        if (error)
            *error = redactSecrets(why);
        return false;
    }
    const QString driverName = u"QPSQL"_s;
    if (!QSqlDatabase::isDriverAvailable(driverName)) {
        if (error)
            *error = Text::tr("The Qt PostgreSQL driver (QPSQL) is not installed. On Debian or Ubuntu install the "
                              "package libqt6sql6-psql.");
        return false;
    }

    static QAtomicInt counter;
    const QString name = u"migrationdesk-pg-%1"_s.arg(counter.fetchAndAddRelaxed(1) + 1);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(driverName, name);
        if (!settings.host.isEmpty())
            db.setHostName(settings.host);
        if (settings.port > 0)
            db.setPort(settings.port);
        if (!settings.database.isEmpty())
            db.setDatabaseName(settings.database);
        if (!settings.user.isEmpty())
            db.setUserName(settings.user);
        // Left unset when empty, so libpq falls back to PGPASSWORD, ~/.pgpass or the service file.
        if (!settings.password.isEmpty())
            db.setPassword(settings.password);
        db.setConnectOptions(settings.connectOptions(applicationName));
        if (db.open()) {
            m_db = db;
        } else {
            const QSqlError sqlError = db.lastError();
            const QString libpqText = sqlError.databaseText().isEmpty() ? sqlError.driverText()
                                                                        : sqlError.databaseText();
            if (error)
                *error = describeConnectionError(libpqText, settings);
        }
    }
    if (!m_db.isValid()) {
        QSqlDatabase::removeDatabase(name);
        return false;
    }
    m_connectionName = name;

    PGconn *conn = pgconn();
    if (!conn) {
        close();
        if (error)
            *error = Text::tr("The Qt PostgreSQL driver did not expose its libpq connection.");
        return false;
    }
    m_notices->previous = PQsetNoticeReceiver(conn, &NoticeSink::receive, m_notices.get());
    m_notices->previousArg = nullptr; // libpq's default receiver ignores its argument
    // QPSQL switches bytea_output to 'escape' for its own decoding (libpq's unescaping reads hex too);
    // migrations must see the server's setting, as under Alembic, because it changes what bytea::text
    // produces. QPSQL also asks for 'UNICODE', which SHOW client_encoding would then report.
    PQclear(PQexec(conn, "RESET bytea_output; SET client_encoding TO 'UTF8'"));
    return true;
}

void PgConnection::close()
{
    if (m_connectionName.isEmpty())
        return;
    if (PGconn *conn = pgconn()) {
        // A copy of database() may outlive us; it must not call back into our sink.
        PQsetNoticeReceiver(conn, m_notices->previous, m_notices->previousArg);
    }
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

bool PgConnection::isOpen() const
{
    return m_db.isValid() && m_db.isOpen();
}

QSqlDatabase PgConnection::database() const
{
    return m_db;
}

PGconn *PgConnection::pgconn() const
{
    if (!isOpen() || !m_db.driver())
        return nullptr;
    const QVariant handle = m_db.driver()->handle();
    // Qt 6.4 registers the handle under the struct's name, "pg_conn*"; older builds said "PGconn*".
    if (!handle.isValid()
        || (qstrcmp(handle.typeName(), "pg_conn*") != 0 && qstrcmp(handle.typeName(), "PGconn*") != 0))
        return nullptr;
    return *static_cast<PGconn *const *>(handle.constData());
}

int PgConnection::backendPid() const
{
    PGconn *conn = pgconn();
    return conn ? PQbackendPID(conn) : 0;
}

int PgConnection::serverVersionNumber() const
{
    PGconn *conn = pgconn();
    return conn ? PQserverVersion(conn) : 0;
}

QString PgConnection::serverVersionString() const
{
    PGconn *conn = pgconn();
    return conn ? QString::fromUtf8(PQparameterStatus(conn, "server_version")) : QString();
}

QString PgConnection::userName() const
{
    PGconn *conn = pgconn();
    return conn ? QString::fromUtf8(PQuser(conn)) : QString();
}

QString PgConnection::databaseName() const
{
    PGconn *conn = pgconn();
    return conn ? QString::fromUtf8(PQdb(conn)) : QString();
}

bool PgConnection::inTransaction() const
{
    PGconn *conn = pgconn();
    if (!conn)
        return false;
    const PGTransactionStatusType status = PQtransactionStatus(conn);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

bool PgConnection::inFailedTransaction() const
{
    PGconn *conn = pgconn();
    return conn && PQtransactionStatus(conn) == PQTRANS_INERROR;
}

SqlError PgConnection::errorFromResult(PGconn *conn, const PGresult *result)
{
    SqlError e;
    e.message = field(result, PG_DIAG_MESSAGE_PRIMARY);
    if (e.message.isEmpty())
        e.message = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
    if (e.message.isEmpty())
        e.message = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
    e.sqlState = field(result, PG_DIAG_SQLSTATE);
    e.detail = field(result, PG_DIAG_MESSAGE_DETAIL);
    e.hint = field(result, PG_DIAG_MESSAGE_HINT);
    e.context = field(result, PG_DIAG_CONTEXT);
    e.position = field(result, PG_DIAG_STATEMENT_POSITION).toInt();
    return e;
}

SqlError PgConnection::clientError(const QString &message)
{
    SqlError e;
    e.message = message;
    return e;
}

namespace {

// Ends a COPY that PQexec started, so the connection stays usable, and collects what follows.
void abandonCopy(PGconn *conn, PGresult *copyResult)
{
    const ExecStatusType status = PQresultStatus(copyResult);
    PQclear(copyResult);
    if (status == PGRES_COPY_IN) {
        PQputCopyEnd(conn, "COPY FROM STDIN is not supported by MigrationDesk");
    } else if (status == PGRES_COPY_OUT) {
        char *buffer = nullptr;
        while (PQgetCopyData(conn, &buffer, 0) > 0)
            PQfreemem(buffer);
    }
    while (PGresult *rest = PQgetResult(conn))
        PQclear(rest);
}

} // namespace

bool PgConnection::exec(const QString &sql, SqlError *error)
{
    PGconn *conn = pgconn();
    if (!conn) {
        if (error)
            *error = clientError(Text::tr("Not connected to a database."));
        return false;
    }
    PGresult *result = PQexec(conn, sql.toUtf8().constData());
    std::unique_ptr<PGresult, decltype(&PQclear)> guard(result, &PQclear);
    if (!result) {
        if (error)
            *error = clientError(QString::fromUtf8(PQerrorMessage(conn)).trimmed());
        return false;
    }
    switch (PQresultStatus(result)) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_EMPTY_QUERY:
        return true;
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
    case PGRES_COPY_BOTH:
        abandonCopy(conn, guard.release());
        if (error)
            *error = clientError(Text::tr("COPY ... FROM STDIN and COPY ... TO STDOUT cannot run here; use "
                                          "INSERT statements or COPY with a server-side file."));
        return false;
    default:
        if (error)
            *error = errorFromResult(conn, result);
        return false;
    }
}

std::optional<QList<QStringList>> PgConnection::query(const QString &sql, const QStringList &params,
                                                      SqlError *error)
{
    return queryOn(pgconn(), sql, params, error);
}

std::optional<QList<QStringList>> PgConnection::queryOn(PGconn *conn, const QString &sql, const QStringList &params,
                                                        SqlError *error)
{
    if (!conn) {
        if (error)
            *error = clientError(Text::tr("Not connected to a database."));
        return std::nullopt;
    }
    std::vector<QByteArray> storage;
    storage.reserve(params.size());
    for (qsizetype i = 0; i < params.size(); ++i) {
        if (params.at(i).contains(QChar(0))) {
            if (error)
                *error = clientError(Text::tr("Parameter $%1 contains a NUL character, which PostgreSQL text "
                                              "cannot hold.").arg(i + 1));
            return std::nullopt;
        }
        storage.push_back(params.at(i).toUtf8());
    }
    std::vector<const char *> values;
    values.reserve(params.size());
    for (qsizetype i = 0; i < params.size(); ++i)
        values.push_back(params.at(i).isNull() ? nullptr : storage[size_t(i)].constData());

    PGresult *result = PQexecParams(conn, sql.toUtf8().constData(), int(values.size()), nullptr,
                                    values.empty() ? nullptr : values.data(), nullptr, nullptr, 0);
    std::unique_ptr<PGresult, decltype(&PQclear)> guard(result, &PQclear);
    if (!result) {
        if (error)
            *error = clientError(QString::fromUtf8(PQerrorMessage(conn)).trimmed());
        return std::nullopt;
    }
    switch (PQresultStatus(result)) {
    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY:
        break;
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
    case PGRES_COPY_BOTH:
        abandonCopy(conn, guard.release());
        if (error)
            *error = clientError(Text::tr("COPY ... FROM STDIN and COPY ... TO STDOUT cannot run here."));
        return std::nullopt;
    default:
        if (error)
            *error = errorFromResult(conn, result);
        return std::nullopt;
    }

    QList<QStringList> rows;
    const int rowCount = PQntuples(result);
    const int columnCount = PQnfields(result);
    rows.reserve(rowCount);
    for (int r = 0; r < rowCount; ++r) {
        QStringList row;
        row.reserve(columnCount);
        for (int c = 0; c < columnCount; ++c) {
            if (PQgetisnull(result, r, c)) {
                row.append(QString());
            } else {
                const int length = PQgetlength(result, r, c);
                // An empty value must stay distinguishable from NULL, hence a non-null empty string.
                row.append(length == 0 ? u""_s : QString::fromUtf8(PQgetvalue(result, r, c), length));
            }
        }
        rows.append(row);
    }
    return rows;
}

std::unique_ptr<QueryCanceller> PgConnection::canceller() const
{
    PGconn *conn = pgconn();
    if (!conn)
        return nullptr;
    PGcancel *cancel = PQgetCancel(conn);
    if (!cancel)
        return nullptr;
    return std::make_unique<QueryCanceller>(cancel);
}

QStringList PgConnection::takeNotices()
{
    QMutexLocker lock(&m_notices->mutex);
    return std::exchange(m_notices->notices, {});
}

QString describeConnectionError(const QString &libpqMessage, const ConnectionSettings &settings)
{
    const QString text = libpqMessage.trimmed();
    const auto has = [&text](const char *needle) {
        return text.contains(QLatin1String(needle), Qt::CaseInsensitive);
    };
    // The quoted name after `prefix` in libpq's text, e.g. database "x" does not exist -> x.
    const auto quoted = [&text](const QString &prefix) {
        const QRegularExpression rx(QRegularExpression::escape(prefix) + u"\\s*\"([^\"]*)\""_s);
        return rx.match(text).captured(1);
    };
    const QString server = settings.serverName();
    const QString user = settings.user.isEmpty() ? quoted(u"user"_s) : settings.user;
    const QString timeout = settings.options.value(u"connect_timeout"_s, u"10"_s);

    QString explanation;
    if (has("password authentication failed")) {
        explanation = Text::tr("Wrong password: the server at %1 rejected the password for user \"%2\". Check the "
                               "password; in a URL, special characters in it must be percent-encoded.")
                          .arg(server, user);
    } else if (has("no password supplied")) {
        explanation = Text::tr("The server at %1 requires a password, but none was given. Put it in the URL, set "
                               "PGPASSWORD, or add it to ~/.pgpass.")
                          .arg(server);
    } else if (has("could not translate host name")) {
        const QString failed = quoted(u"host name"_s);
        const QString host = failed.isEmpty() ? settings.host : failed;
        explanation = Text::tr("Unknown host: the name \"%1\" could not be resolved. Check the spelling. A Docker "
                               "Compose service name such as \"postgres\" only resolves inside the Compose network; "
                               "from the host machine use localhost and the published port.")
                          .arg(host);
    } else if (has("connection refused")) {
        explanation = Text::tr("Connection refused: no PostgreSQL server is accepting connections at %1. Check that "
                               "the server is running and that the host and port are right.")
                          .arg(server);
    } else if (has("unix domain socket") || (has("no such file or directory") && has("socket"))) {
        explanation = Text::tr("No PostgreSQL server is running on the local socket (%1). Start the server, or give "
                               "a host name such as localhost.")
                          .arg(server);
    } else if (has("timeout expired") || has("timed out")) {
        explanation = Text::tr("Timeout: the server at %1 did not answer within %2 seconds. Check the host, the "
                               "port, firewalls and VPNs.")
                          .arg(server, timeout);
    } else if (has("server does not support ssl")) {
        explanation = Text::tr("The server at %1 does not support SSL, but sslmode=%2 requires it. Use "
                               "sslmode=prefer (or disable), or enable SSL on the server.")
                          .arg(server, settings.sslmode.isEmpty() ? u"require"_s : settings.sslmode);
    } else if (has("root certificate file")) {
        const QString file = settings.sslrootcert.isEmpty() ? quoted(u"root certificate file"_s)
                                                            : settings.sslrootcert;
        explanation = Text::tr("sslmode=%1 must verify the server's certificate, but the root certificate file "
                               "\"%2\" does not exist or cannot be read. Set sslrootcert to the CA certificate "
                               "file, or use sslmode=require to encrypt without verifying.")
                          .arg(settings.sslmode, file);
    } else if (has("certificate verify failed")) {
        explanation = Text::tr("The SSL certificate of the server at %1 could not be verified with the root "
                               "certificate (sslrootcert). Check that it is the CA that signed the server's "
                               "certificate, or use sslmode=require to encrypt without verifying.")
                          .arg(server);
    } else if (has("does not match host name")) {
        // libpq: server certificate for "db.example.com" (and 2 other names) does not match host name "10.0.0.5"
        const QString certified = quoted(u"server certificate for"_s);
        explanation = certified.isEmpty()
            ? Text::tr("The server's SSL certificate is for a different host name than %1 "
                       "(sslmode=verify-full). Connect with the name in the certificate.")
                  .arg(server)
            : Text::tr("Wrong host name: the server's SSL certificate is for \"%1\", not for the host name you "
                       "connected to (%2), so sslmode=verify-full refused it. Connect with the name in the "
                       "certificate.")
                  .arg(certified, server);
    } else if (has("database") && has("does not exist")) {
        const QString database = quoted(u"database"_s);
        explanation = Text::tr("The database \"%1\" does not exist on %2. Create it first (for example with "
                               "createdb) or correct the database name.")
                          .arg(database.isEmpty() ? settings.database : database, server);
    } else if (has("role") && has("does not exist")) {
        const QString role = quoted(u"role"_s);
        explanation = Text::tr("The user (role) \"%1\" does not exist on %2. Check the user name, or create the "
                               "role.")
                          .arg(role.isEmpty() ? user : role, server);
    } else if (has("pg_hba.conf")) {
        explanation = Text::tr("The server at %1 does not allow this connection (no matching pg_hba.conf entry for "
                               "this host, user, database and SSL setting).")
                          .arg(server);
    } else if (has("too many clients") || has("connection slots")) {
        explanation = Text::tr("The server at %1 has no free connection slots. Try again later or close other "
                               "connections.")
                          .arg(server);
    } else if (has("starting up") || has("shutting down") || has("recovery mode")) {
        explanation = Text::tr("The server at %1 is starting up or shutting down. Try again shortly.").arg(server);
    } else if (has("ssl")) {
        explanation = Text::tr("The SSL connection to %1 failed.").arg(server);
    } else {
        explanation = Text::tr("Could not connect to %1.").arg(server);
    }

    QString message = explanation;
    if (!text.isEmpty())
        message += QLatin1Char('\n') + Text::tr("libpq said: %1").arg(text);
    message = redactSecrets(message);
    // Very short passwords would turn ordinary words into asterisks and reveal nothing anyway.
    if (settings.password.size() >= 3)
        message.replace(settings.password, u"***"_s);
    return message;
}

} // namespace MigrationDesk
