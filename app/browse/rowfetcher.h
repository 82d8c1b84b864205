#pragma once

#include "db/connectionsettings.h"
#include "browse/keysetquery.h"
#include "browse/warmup.h"
#include "db/statementcanceller.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>
#include <optional>

namespace MigrationDesk {

class PgConnection;

// Where a window starts: at the beginning, after/before a key (sequential scrolling), at a fraction
// of the way through (a jump, through the pg_stats histogram), or at the end (reverse keyset).
struct WindowRequest
{
    enum Kind { Start, After, Before, Fraction, End };
    quint64 generation = 0;
    quint64 requestId = 0;
    Kind kind = Start;
    QStringList key;         // After/Before
    double fraction = 0;     // Fraction
    QString seekValue;       // Fraction: rows from this sort value on, placed where the histogram puts it
    qint64 estimatedRows = 0; // Fraction without statistics falls back to OFFSET fraction * this; a seek
                              // without one (0) reads the estimate itself
    int limit = 200;
    KeysetQuery query;
};

// Loads windows of rows and counts for the lazy model. Lives on its own QThread with its own
// connection; its methods are invoked queued from the GUI thread, results come back as signals.
// skipBefore() and cancelRunning() are thread-safe and called directly.
class RowFetcher : public QObject
{
    Q_OBJECT

public:
    explicit RowFetcher(QObject *parent = nullptr);
    ~RowFetcher() override;

    // Thread-safe: queued requests of older generations are dropped without running.
    void skipBefore(quint64 generation);
    // Thread-safe and non-blocking: cancels the statement running now (a slow sort or count), which then
    // fails quietly. Nothing is sent while the fetcher is idle; the request itself (PQcancel opens a
    // connection to the server) goes out from the global thread pool, never from the caller's thread.
    void cancelRunning();
    // Thread-safe: the user's Cancel of the window read requestId, whether it is running or still queued;
    // it fails with SQLSTATE 57014 either way.
    void cancelWindow(quint64 requestId);
    // A fetcher for counts: its session runs without parallel workers, so a background count(*) over
    // millions of rows leaves the cores to the window reads and the GUI. Call before open().
    void setBackground(bool background) { m_background = background; }

    // The rest runs on the fetcher's thread (the model invokes it queued, through lambdas).
    // Browsing never writes: the session is default_transaction_read_only. A live session opened with the
    // same settings is kept (a pooled fetcher's next table).
    void open(const MigrationDesk::ConnectionSettings &settings);
    void close();
    void describeTable(quint64 generation, const QString &schema, const QString &table,
                       const QList<MigrationDesk::JoinSpec> &joins = {});
    // open() then describeTable(), for a grid's first look at a table: a live session kept with the same
    // settings is not checked with a round trip of its own; should the description find that the server
    // dropped it meanwhile, it connects afresh and describes again.
    void openAndDescribe(const MigrationDesk::ConnectionSettings &settings, quint64 generation, const QString &schema,
                         const QString &table, const QList<MigrationDesk::JoinSpec> &joins = {});
    void estimateRows(quint64 generation, const MigrationDesk::KeysetQuery &query);
    void fetchWindow(const MigrationDesk::WindowRequest &request);
    // count(*) under statement_timeout; countReady(..., exact = false) when it timed out or failed.
    void countExact(quint64 generation, const MigrationDesk::KeysetQuery &query, int timeoutMs);
    // Describes the table and reads the window `warmUp` names, keeping nothing: a new backend's first
    // statements cost many times their later runs (catalog caches, first touches of shared buffers).
    // Failures are quiet (a missing table, no rights); warmed() comes either way.
    void warm(const MigrationDesk::WarmUp &warmUp);

Q_SIGNALS:
    void opened(bool ok, const QString &error);
    void tableDescribed(quint64 generation, const MigrationDesk::TableInfo &table, const QString &error);
    void estimateReady(quint64 generation, qint64 rows);
    // rows in display order; each holds the table's columns only. firstKey/lastKey are the keys of
    // the first and last row (empty when rows is empty).
    void windowReady(quint64 generation, quint64 requestId, const QList<QStringList> &rows,
                     const QStringList &firstKey, const QStringList &lastKey);
    void windowFailed(quint64 generation, quint64 requestId, const QString &error);
    // Before the windowReady of a seek to a value: where (0..1) that value sits, and the row estimate the
    // seek read because its request had none (-1 when it had one).
    void seekPositioned(quint64 generation, quint64 requestId, double fraction, qint64 estimate);
    void countReady(quint64 generation, qint64 rows, bool exact);
    void warmed();
    // The estimate failed: the filters do not fit the columns' types.
    void queryFailed(quint64 generation, const QString &error);

private:
    bool stale(quint64 generation) const { return generation < m_minGeneration.load(); }
    void emitDescribed(quint64 generation, const QString &schema, const QString &table,
                       const std::optional<TableInfo> &info, const QString &error);

    std::unique_ptr<PgConnection> m_connection;
    ConnectionSettings m_settings;      // what m_connection was opened with
    StatementCanceller m_running;
    std::atomic<quint64> m_minGeneration{0};
    std::atomic<quint64> m_cancelledRequest{0};
    bool m_background = false;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::WindowRequest)
