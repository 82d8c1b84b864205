#include "browse/csvexporter.h"

#include "browse/csvformat.h"
#include "browse/lazytablemodel.h"
#include "db/pgconnection.h"

#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

CsvExporter::CsvExporter(QObject *parent)
    : QObject(parent)
{
}

CsvExporter::~CsvExporter() = default;

void CsvExporter::cancel()
{
    m_cancelled.store(true);
    QMutexLocker lock(&m_cancelMutex);
    if (m_canceller)
        m_canceller->cancel();
}

QString CsvExporter::field(const QString &value)
{
    return CsvFormat::field(value);
}

void CsvExporter::finish(Outcome outcome, qint64 rows, const QString &message)
{
    {
        QMutexLocker lock(&m_cancelMutex);
        m_canceller.reset();
    }
    Q_EMIT finished(outcome, rows, message);
}

void CsvExporter::run(const CsvExportRequest &request)
{
    const KeysetQuery &query = request.query;
    if (!query.isValid()) {
        finish(Failed, 0, query.error());
        return;
    }
    if (m_cancelled.load()) {
        finish(Cancelled, 0, {});
        return;
    }
    // QSaveFile writes next to the target and renames only on commit(); dropping it unfinished
    // removes the temporary file, so no partial CSV is ever left under the chosen name.
    QSaveFile file(request.path);
    if (!file.open(QIODevice::WriteOnly)) {
        finish(Failed, 0, tr("Cannot write %1: %2").arg(request.path, file.errorString()));
        return;
    }
    PgConnection connection;
    QString error;
    if (!connection.open(request.settings, &error, u"migrationdesk-export"_s)) {
        finish(Failed, 0, error);
        return;
    }
    {
        QMutexLocker lock(&m_cancelMutex);
        m_canceller = connection.canceller();
    }

    const QList<ColumnInfo> &columns = query.table().columns;
    const int columnCount = int(columns.size());
    QList<bool> masked;
    QStringList header;
    for (int c = 0; c < columnCount; ++c) {
        masked.append(columns.at(c).sensitive && !request.revealed.contains(c));
        header.append(field(columns.at(c).name));
    }

    auto failWith = [&](const SqlError &sqlError, qint64 rows) {
        connection.exec(u"ROLLBACK"_s);
        file.cancelWriting();
        if (m_cancelled.load() || sqlError.sqlState == u"57014"_s)
            finish(Cancelled, rows, {});
        else
            finish(Failed, rows, sqlError.toString());
    };

    SqlError sqlError;
    // One snapshot for the whole file, and a session that cannot write even by accident.
    if (!connection.exec(u"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"_s, &sqlError)) {
        failWith(sqlError, 0);
        return;
    }
    const BoundQuery all = query.all();
    if (!connection.query(u"DECLARE md_export NO SCROLL CURSOR FOR "_s + all.sql, all.params, &sqlError)) {
        failWith(sqlError, 0);
        return;
    }

    if (request.byteOrderMark)
        file.write("\xEF\xBB\xBF");
    file.write((header.join(u',') + u"\r\n"_s).toUtf8());
    qint64 written = 0;
    Q_EMIT progress(0, request.estimatedRows);
    const QString fetch = u"FETCH %1 FROM md_export"_s.arg(batchRows);
    for (;;) {
        if (m_cancelled.load()) {
            failWith({}, written);
            return;
        }
        const auto rows = connection.query(fetch, {}, &sqlError);
        if (!rows) {
            failWith(sqlError, written);
            return;
        }
        QString chunk;
        for (const QStringList &row : *rows)
            chunk += CsvFormat::row(row, masked, LazyTableModel::maskText());
        if (!chunk.isEmpty() && file.write(chunk.toUtf8()) < 0) {
            connection.exec(u"ROLLBACK"_s);
            file.cancelWriting();
            finish(Failed, written, tr("Cannot write %1: %2").arg(request.path, file.errorString()));
            return;
        }
        written += rows->size();
        Q_EMIT progress(written, request.estimatedRows);
        if (rows->size() < batchRows)
            break;
    }
    connection.exec(u"COMMIT"_s);
    if (m_cancelled.load()) {
        file.cancelWriting();
        finish(Cancelled, written, {});
        return;
    }
    if (!file.commit()) {
        finish(Failed, written, tr("Cannot write %1: %2").arg(request.path, file.errorString()));
        return;
    }
    finish(Finished, written, request.path);
}

} // namespace MigrationDesk
