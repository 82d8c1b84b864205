#pragma once

#include "browse/keysetquery.h"
#include "browse/tablefetchers.h"
#include "browse/windowcache.h"

#include <QObject>

#include <functional>

namespace MigrationDesk {

// The window reads of one LazyTableModel: sends each to its windows fetcher, keeps the one in flight,
// and passes on only that read's answer (replies for older reads or generations are counted and
// dropped). GUI thread, owned by LazyTableModel.
class WindowReader : public QObject
{
    Q_OBJECT

public:
    // One read as sent: where its rows go once they are in.
    struct Read
    {
        quint64 requestId = 0;
        WindowRequest::Kind kind = WindowRequest::Start;
        int start = 0;
        int limit = 0;
        int targetRow = 0;
        bool fromEnd = false;
        int rowCountAtRequest = 0;      // a window counted back from the end moves with the count
        bool toValue = false;           // jumpToValue(): placed by the fetcher's seekPositioned

        // Where `count` rows of this read begin now that the table has `rowCount` rows.
        int startOf(int count, int rowCount) const;
    };

    // `rowCount` tells the model's row count now: a jump's rows sit at a fraction of it. `fetchers`
    // must outlive this.
    WindowReader(TableFetchers &fetchers, std::function<int()> rowCount);

    // Listens to the windows fetcher just acquired; detach() before it goes back to the pool.
    void attach();
    void detach();
    // A new generation: the read in flight is forgotten, and the fetcher skips all older ones.
    void restart(quint64 generation);
    quint64 generation() const { return m_generation; }

    // The first window; a jump's window (placed mid-table until the fetcher says where).
    static WindowCache::Plan startPlan(int windowSize);
    static WindowCache::Plan jumpPlan(int rowCount, int windowSize);
    // Sends the read of `plan` for `query`; it becomes the one in flight. A non-null `seekValue` seeks
    // a Fraction plan to that value of the sort column; `haveCount` false sends it before any estimate
    // (the fetcher then reads one with it, and estimated() comes before the rows).
    void send(const WindowCache::Plan &plan, const KeysetQuery &query, int targetRow, const QString &seekValue = {},
              bool haveCount = true);
    void cancel();
    bool isInFlight() const { return m_inFlight; }
    int staleDropped() const { return m_staleDropped; }

Q_SIGNALS:
    void fetchingChanged(bool fetching);
    void arrived(const MigrationDesk::WindowReader::Read &read, const QList<QStringList> &rows,
                 const QStringList &firstKey, const QStringList &lastKey);
    void failed(const MigrationDesk::WindowReader::Read &read, const QString &error);
    // The estimate a seek read for the current query because it was sent without one.
    void estimated(qint64 rows);

private:
    void setInFlight(bool inFlight);
    bool isCurrent(quint64 generation, quint64 requestId);
    void onWindow(quint64 generation, quint64 requestId, const QList<QStringList> &rows,
                  const QStringList &firstKey, const QStringList &lastKey);
    void onWindowFailed(quint64 generation, quint64 requestId, const QString &error);
    void onSeekPositioned(quint64 generation, quint64 requestId, double fraction, qint64 estimate);

    TableFetchers &m_fetchers;
    std::function<int()> m_rowCount;
    quint64 m_generation = 0;
    bool m_inFlight = false;
    Read m_pending;
    int m_staleDropped = 0;
};

} // namespace MigrationDesk
