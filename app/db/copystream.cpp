#include "db/copystream.h"

#include "db/pgconnection.h"

#include <libpq-fe.h>

namespace MigrationDesk {

void CopyStream::appendText(QByteArray &out, const char *utf8, qsizetype length)
{
    const char *begin = utf8;
    const char *const stop = utf8 + length;
    for (const char *p = utf8; p != stop; ++p) {
        char replacement;
        switch (*p) {
        case '\\': replacement = '\\'; break;
        case '\t': replacement = 't'; break;
        case '\n': replacement = 'n'; break;
        case '\r': replacement = 'r'; break;
        default: continue;
        }
        out.append(begin, qsizetype(p - begin));
        const char pair[2] = {'\\', replacement};
        out.append(pair, 2);
        begin = p + 1;
    }
    out.append(begin, qsizetype(stop - begin));
}

QByteArray CopyStream::escapeText(const QString &value)
{
    if (value.isNull())
        return QByteArrayLiteral("\\N");
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 8);
    appendText(out, utf8.constData(), utf8.size());
    return out;
}

bool CopyStream::copyFromStdin(PgConnection &connection, const QByteArray &copySql,
                               const std::function<bool(QByteArray &)> &fill, const std::atomic_bool *cancel,
                               QString *error)
{
    PGconn *conn = connection.pgconn();
    if (!conn) {
        if (error)
            *error = tr("Not connected to a database.");
        return false;
    }
    auto takeResults = [conn](QString *firstError) {
        bool ok = true;
        while (PGresult *result = PQgetResult(conn)) {
            const ExecStatusType status = PQresultStatus(result);
            if (status != PGRES_COMMAND_OK && ok) {
                ok = false;
                if (firstError)
                    *firstError = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
            }
            PQclear(result);
        }
        return ok;
    };

    PGresult *start = PQexec(conn, copySql.constData());
    const ExecStatusType startStatus = start ? PQresultStatus(start) : PGRES_FATAL_ERROR;
    if (startStatus != PGRES_COPY_IN) {
        if (error)
            *error = start ? QString::fromUtf8(PQresultErrorMessage(start)).trimmed()
                           : QString::fromUtf8(PQerrorMessage(conn)).trimmed();
        if (error && error->isEmpty())
            *error = tr("The server did not start the COPY.");
        PQclear(start);
        if (startStatus == PGRES_COPY_OUT || startStatus == PGRES_COPY_BOTH)
            PQputCopyEnd(conn, "unexpected COPY direction");
        takeResults(nullptr);
        return false;
    }
    PQclear(start);

    QByteArray buffer;
    buffer.reserve(kChunkBytes + 64 * 1024);
    bool more = true;
    bool cancelled = false;
    QString sendError;
    while (more) {
        if (cancel && cancel->load()) {
            cancelled = true;
            break;
        }
        buffer.resize(0);
        more = fill(buffer);
        if (!buffer.isEmpty() && PQputCopyData(conn, buffer.constData(), int(buffer.size())) != 1) {
            sendError = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
            break;
        }
    }
    const char *abortReason = cancelled ? "cancelled" : !sendError.isEmpty() ? "client error" : nullptr;
    if (PQputCopyEnd(conn, abortReason) != 1 && sendError.isEmpty())
        sendError = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
    QString serverError;
    const bool ok = takeResults(&serverError);
    if (cancelled) {
        if (error)
            *error = tr("Cancelled.");
        return false;
    }
    if (!sendError.isEmpty() || !ok) {
        if (error)
            *error = !serverError.isEmpty() ? serverError : sendError;
        return false;
    }
    return true;
}

} // namespace MigrationDesk
