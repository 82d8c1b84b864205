#pragma once

#include "db/connectionsettings.h"
#include "browse/keysetquery.h"

#include <QMutex>
#include <QObject>
#include <QSet>
#include <QString>

#include <atomic>
#include <memory>

namespace MigrationDesk {

class QueryCanceller;

// What to export: the grid's own query (same filters, sort and deleted-rows switch) and where to.
struct CsvExportRequest
{
    ConnectionSettings settings;
    KeysetQuery query;
    QString path;
    QSet<int> revealed;        // sensitive columns the grid shows unmasked; the others are written masked
    qint64 estimatedRows = 0;  // for the progress bar; 0 when unknown
    // Starts the file with a UTF-8 byte order mark: Excel reads BOM-less CSV in the legacy code page,
    // which turns Korean (any non-ASCII) text into mojibake.
    bool byteOrderMark = false;
};

// Streams one query's rows into a CSV file: its own connection, a NO SCROLL cursor in a read-only
// transaction read 5000 rows at a time (memory stays flat at any table size), RFC 4180 quoting, UTF-8,
// a header row. The file appears only when everything was written: a cancelled or failed export
// leaves nothing behind. One export per object; lives on its own QThread (run() is invoked queued),
// cancel() is thread-safe and called directly.
class CsvExporter : public QObject
{
    Q_OBJECT

public:
    enum Outcome { Finished, Cancelled, Failed };
    Q_ENUM(Outcome)

    static constexpr int batchRows = 5000;

    explicit CsvExporter(QObject *parent = nullptr);
    ~CsvExporter() override;

    // Thread-safe: stops the export at the next batch, and the running FETCH through libpq's cancel.
    void cancel();
    void run(const MigrationDesk::CsvExportRequest &request);

    // CsvFormat::field, kept here for the exporter's callers.
    static QString field(const QString &value);

Q_SIGNALS:
    void progress(qint64 rowsWritten, qint64 estimatedRows);
    // message: the error for Failed; the path for Finished.
    void finished(MigrationDesk::CsvExporter::Outcome outcome, qint64 rowsWritten, const QString &message);

private:
    void finish(Outcome outcome, qint64 rows, const QString &message);

    std::atomic<bool> m_cancelled{false};
    QMutex m_cancelMutex;
    std::unique_ptr<QueryCanceller> m_canceller;
};

} // namespace MigrationDesk
