#include "db/pgconnection.h"

#include "db/connectionerror.h"
#include "db/noticecollector.h"

#include <QAtomicInt>
#include <QCoreApplication>
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

PgConnection::PgConnection()
    : m_notices(std::make_unique<NoticeCollector>())
{
}

PgConnection::~PgConnection()
{
    close();
}

bool PgConnection::open(const ConnectionSettings &settings, QString *error, const QString &applicationName,
                        Access access)
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
    if (!(access == Access::Libpq ? openLibpq(settings, applicationName, error)
                                  : openQtSql(settings, applicationName, error)))
        return false;
    m_notices->attach(pgconn());
    return true;
}

bool PgConnection::openLibpq(const ConnectionSettings &settings, const QString &applicationName, QString *error)
{
    // The same keywords QPSQL would pass (connectOptions() is written for it, ';' between pairs), as
    // separate values: nothing is quoted, and dbname is never read as a connection string.
    char *parseError = nullptr;
    const QByteArray optionText = settings.connectOptions(applicationName).replace(u';', u' ').toUtf8();
    PQconninfoOption *parsed = PQconninfoParse(optionText.constData(), &parseError);
    if (!parsed) {
        if (error)
            *error = redactSecrets(QString::fromUtf8(parseError ? parseError : "invalid connection options").trimmed());
        PQfreemem(parseError);
        return false;
    }
    QList<QByteArray> keys;
    QList<QByteArray> values;
    const auto add = [&](const char *key, const QString &value) {
        if (!value.isEmpty()) {
            keys << QByteArray(key);
            values << value.toUtf8();
        }
    };
    add("host", settings.host);
    add("port", settings.port > 0 ? QString::number(settings.port) : QString());
    add("dbname", settings.database);
    add("user", settings.user);
    // Left unset when empty, so libpq falls back to PGPASSWORD, ~/.pgpass or the service file.
    add("password", settings.password);
    for (const PQconninfoOption *o = parsed; o->keyword; ++o) {
        if (o->val)
            add(o->keyword, QString::fromUtf8(o->val));
    }
    PQconninfoFree(parsed);
    std::vector<const char *> keyPointers;
    std::vector<const char *> valuePointers;
    for (qsizetype i = 0; i < keys.size(); ++i) {
        keyPointers.push_back(keys.at(i).constData());
        valuePointers.push_back(values.at(i).constData());
    }
    keyPointers.push_back(nullptr);
    valuePointers.push_back(nullptr);

    PGconn *conn = PQconnectdbParams(keyPointers.data(), valuePointers.data(), 0);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        if (error)
            *error = describeConnectionError(conn ? QString::fromUtf8(PQerrorMessage(conn)) : Text::tr("Out of memory."),
                                             settings);
        if (conn)
            PQfinish(conn);
        return false;
    }
    // Dates and times are read as text in ISO form, which QPSQL used to ask for with a SET on every
    // connection. The server reports its DateStyle during the handshake, so only a server configured
    // otherwise costs the round trip (psycopg2 does the same). Not in the startup packet's options:
    // PgBouncer in transaction mode refuses those.
    if (!QByteArray(PQparameterStatus(conn, "DateStyle")).startsWith("ISO"))
        PQclear(PQexec(conn, "SET DateStyle TO 'ISO'"));
    m_conn = conn;
    return true;
}

bool PgConnection::openQtSql(const ConnectionSettings &settings, const QString &applicationName, QString *error)
{
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
    // QPSQL switches bytea_output to 'escape' for its own decoding (libpq's unescaping reads hex too);
    // migrations must see the server's setting, as under Alembic, because it changes what bytea::text
    // produces. QPSQL also asks for 'UNICODE', which SHOW client_encoding would then report.
    PQclear(PQexec(conn, "RESET bytea_output; SET client_encoding TO 'UTF8'"));
    return true;
}

void PgConnection::close()
{
    if (m_conn) {
        m_notices->detach(m_conn);
        PQfinish(m_conn);
        m_conn = nullptr;
    }
    if (m_connectionName.isEmpty())
        return;
    if (PGconn *conn = pgconn()) {
        // A copy of database() may outlive us; it must not call back into our sink.
        m_notices->detach(conn);
    }
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

bool PgConnection::isOpen() const
{
    if (m_conn)
        return PQstatus(m_conn) == CONNECTION_OK;
    return m_db.isValid() && m_db.isOpen();
}

QSqlDatabase PgConnection::database() const
{
    return m_db;
}

PGconn *PgConnection::pgconn() const
{
    if (m_conn)
        return PQstatus(m_conn) == CONNECTION_OK ? m_conn : nullptr;
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

    return rowsOf(result);
}

QList<QStringList> PgConnection::rowsOf(const PGresult *result)
{
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
    return m_notices->take();
}

} // namespace MigrationDesk
