#pragma once

#include "browse/keysetquery.h"
#include "browse/tablefetchers.h"
#include "browse/windowcache.h"

#include <QObject>
#include <QString>

namespace MigrationDesk {

// The row count of the lazy model's table under its current filters: one planner estimate per turn
// of the event loop, then the exact count (a full scan, with a timeout) once the first rows are in,
// from the counter fetcher; replies for older filters are dropped. GUI thread, owned by LazyTableModel.
class TableCount : public QObject
{
    Q_OBJECT

public:
    // Reads the model's current `query` and `windows`; `fetchers`, `query` and `windows` must outlive this.
    TableCount(TableFetchers &fetchers, const KeysetQuery &query, const WindowCache &windows);

    // Listens to the counter of the fetchers just acquired; detach() before they go back to the pool.
    void attach();
    void detach();
    // A table opens: the counter connects, and the old table's exact count no longer holds.
    void open();
    // New filters: the estimate and the exact count are forgotten.
    void forget();
    // Counts for the current query: the estimate once control returns to the event loop (a view sorts
    // and filters right after a table is ready), the exact count after the first rows.
    void restart();
    // Rows the first window proved to exist: the estimate never goes below them.
    void setKnownRows(int rows) { m_knownRows = rows; }
    // The first window held every row: that is the exact count, no scan needed.
    void settleFromFirstWindow();
    // A window arrived: the exact count goes out now, unless the queued estimate is still to send it.
    void windowArrived();
    // An estimate for the current filters read elsewhere (with a jump's rows); ignored once one is in.
    void acceptEstimate(qint64 rows);

    bool isExact() const { return m_exact; }
    bool haveEstimate() const { return m_haveEstimate; }
    // "≥ 200" while only the first window is in, "≈ 10,000,000" from the estimate, then "10,000,000".
    QString text(int rows) const;

Q_SIGNALS:
    void estimated(qint64 rows);
    void counted(qint64 rows); // exact
    void failed(const QString &error);

private:
    void requestEstimate();
    void requestExactCount();
    void onEstimate(quint64 generation, qint64 rows);
    void onCount(quint64 generation, qint64 rows, bool exact);

    TableFetchers &m_fetchers;
    const KeysetQuery &m_query;
    const WindowCache &m_windows;
    quint64 m_generation = 0;           // changes with the filters only, not with the sort
    bool m_haveEstimate = false;
    bool m_exact = false;
    bool m_estimateScheduled = false;   // requestEstimate() is queued for this turn of the event loop
    bool m_exactWanted = false;         // sent once the first window is in (or there are no rows)
    int m_knownRows = 0;                // rows the first window proved to exist
};

} // namespace MigrationDesk
