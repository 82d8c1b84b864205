#include "db/pgpipeline.h"

#include "db/pgconnection.h"

#include <QCoreApplication>

#include <libpq-fe.h>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate a translation context for the messages of this file.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(PgPipeline)
};

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

ResultPtr next(PGconn *conn)
{
    return ResultPtr(PQgetResult(conn), &PQclear);
}

bool send(PGconn *conn, const PgPipeline::Statement &statement, QString *why)
{
    std::vector<QByteArray> storage;
    std::vector<const char *> values;
    storage.reserve(size_t(statement.params.size()));
    for (qsizetype i = 0; i < statement.params.size(); ++i) {
        if (statement.params.at(i).contains(QChar(0))) {
            *why = Text::tr("Parameter $%1 contains a NUL character, which PostgreSQL text cannot hold.").arg(i + 1);
            return false;
        }
        storage.push_back(statement.params.at(i).toUtf8());
    }
    for (qsizetype i = 0; i < statement.params.size(); ++i)
        values.push_back(statement.params.at(i).isNull() ? nullptr : storage[size_t(i)].constData());
    if (PQsendQueryParams(conn, statement.sql.toUtf8().constData(), int(values.size()), nullptr,
                          values.empty() ? nullptr : values.data(), nullptr, nullptr, 0) != 1) {
        *why = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
        return false;
    }
    return true;
}

// Reads what is left up to and including the sync, so the connection leaves pipeline mode clean.
void drainToSync(PGconn *conn)
{
    for (int nulls = 0; nulls < 2;) {
        ResultPtr r = next(conn);
        if (!r) {
            if (PQstatus(conn) != CONNECTION_OK)
                return;
            ++nulls;
            continue;
        }
        nulls = 0;
        if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC)
            return;
    }
}

} // namespace

std::optional<QList<PgPipeline::Result>> PgPipeline::run(PGconn *conn, const QList<Statement> &statements,
                                                         SqlError *error)
{
    QList<Result> results;
    results.reserve(statements.size());
    if (!exchange(conn, statements, true, false, [&results](qsizetype, const Result &r) { results.append(r); }, error))
        return std::nullopt;
    return results;
}

bool PgPipeline::stream(PGconn *conn, const QList<Statement> &statements, bool keepRows,
                        const std::function<void(qsizetype, const Result &)> &onResult, SqlError *error)
{
    return exchange(conn, statements, keepRows, true, onResult, error);
}

bool PgPipeline::exchange(PGconn *conn, const QList<Statement> &statements, bool keepRows, bool flushEach,
                          const std::function<void(qsizetype, const Result &)> &onResult, SqlError *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = PgConnection::clientError(message);
        return false;
    };
    if (!conn || PQstatus(conn) != CONNECTION_OK)
        return fail(Text::tr("Not connected to a database."));
    if (PQenterPipelineMode(conn) != 1)
        return fail(QString::fromUtf8(PQerrorMessage(conn)).trimmed());

    QString why;
    qsizetype sent = 0;
    for (; sent < statements.size(); ++sent) {
        if (!send(conn, statements.at(sent), &why))
            break;
        // The server otherwise holds every answer back until the sync: a flush request after each
        // statement makes it send that statement's answer as soon as it has one.
        if (flushEach && PQsendFlushRequest(conn) != 1) {
            why = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
            ++sent;
            break;
        }
    }
    // Even after a refused statement the sync goes out, so the server ends the implicit transaction of
    // those already sent (a failed pipeline must not leave half of its work behind).
    const bool synced = PQpipelineSync(conn) == 1 && PQflush(conn) == 0;

    bool broken = !synced;
    for (qsizetype i = 0; i < sent && !broken; ++i) {
        Result result;
        ResultPtr r = next(conn);
        if (!r) {
            broken = true;
            why = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
            break;
        }
        switch (PQresultStatus(r.get())) {
        case PGRES_TUPLES_OK:
        case PGRES_COMMAND_OK:
        case PGRES_EMPTY_QUERY:
            result.ok = true;
            if (keepRows)
                result.rows = PgConnection::rowsOf(r.get());
            break;
        case PGRES_PIPELINE_ABORTED:
            result.skipped = true;
            break;
        case PGRES_COPY_IN:
        case PGRES_COPY_OUT:
        case PGRES_COPY_BOTH:
            // Pipeline mode refuses COPY before sending it; a server that starts one anyway is not ours.
            broken = true;
            why = Text::tr("COPY cannot run in a pipeline.");
            break;
        default:
            result.error = PgConnection::errorFromResult(conn, r.get());
            break;
        }
        if (broken)
            break;
        r.reset();
        // Each statement's results end with a null.
        while (ResultPtr extra = next(conn)) {
        }
        onResult(i, result);
    }
    if (PQstatus(conn) == CONNECTION_OK)
        drainToSync(conn);
    PQexitPipelineMode(conn);
    if (broken || sent < statements.size())
        return fail(why.isEmpty() ? QString::fromUtf8(PQerrorMessage(conn)).trimmed() : why);
    return true;
}

SqlError PgPipeline::firstError(const QList<Result> &results)
{
    for (const Result &r : results) {
        if (!r.ok && !r.skipped)
            return r.error;
    }
    return {};
}

QString PgPipeline::failUnless(const QString &condition, const QString &what, const QString &seen)
{
    // Plain SQL rather than a DO block: no parameters could reach it, and PL/pgSQL may be withheld.
    Q_ASSERT(!what.contains(QLatin1Char('\'')));
    return u"CASE WHEN %1 THEN true ELSE ('MigrationDesk check failed: %2: ' || %3)::boolean END"_s.arg(condition, what,
                                                                                                       seen);
}

bool PgPipeline::checkFailed(const SqlError &error)
{
    return error.sqlState == QLatin1String("22P02") && error.message.contains(QLatin1String("MigrationDesk check failed: "));
}

} // namespace MigrationDesk
