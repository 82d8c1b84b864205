#pragma once

#include "browse/catalog.h"
#include "db/connectionsettings.h"
#include "browse/fetcherpool.h"
#include "browse/keysetquery.h"
#include "browse/revealedcolumns.h"
#include "browse/rowfetcher.h"
#include "browse/tablecount.h"
#include "browse/tablefetchers.h"
#include "browse/viewrows.h"
#include "browse/windowcache.h"
#include "browse/windowreader.h"

#include <QAbstractTableModel>
#include <QList>
#include <QHash>
#include <QSet>
#include <QStringList>

namespace MigrationDesk {

// A table of any size for the grid: rows come in windows from a RowFetcher on its own thread, so
// this model never runs SQL. GUI thread.
class LazyTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role {
        IsNullRole = Qt::UserRole + 1, // bool: the value is SQL NULL
        LoadedRole,                    // bool: the row's window is in the cache
    };

    // Fetchers come from `pool`, which must outlive the model.
    explicit LazyTableModel(FetcherPool &pool, QObject *parent = nullptr);
    ~LazyTableModel() override;

    static QString placeholder();      // "…" for rows not loaded yet
    static QString maskText();         // "••••" for sensitive values not revealed

    // Connects the fetcher and loads the table's shape, then its estimate; tableReady() follows.
    // joins add columns of referenced tables (e.g. the customer's name beside each order).
    void openTable(const ConnectionSettings &settings, const QString &schema, const QString &table,
                   const QList<JoinSpec> &joins = {});

    const TableInfo &tableInfo() const { return m_table; }
    // Filters apply server-side; a new generation starts and the count is estimated afresh.
    void setFilters(const QList<ColumnFilter> &filters);
    QList<ColumnFilter> filters() const { return m_filters; }
    // Tables with is_deleted hide soft-deleted rows unless this is on.
    void setIncludeDeleted(bool include);
    // While sorted by `sortColumn`, rows with equal values are ordered by `thenBy` (same direction)
    // before the key: a date, then a start time. Applies from the next read.
    void setThenBy(const QString &sortColumn, const QStringList &thenBy);
    // Sorting by a column that leads an index is instant; other sorts can be cancel()ed.
    bool isInstantSort(int column) const;
    // The column sorted by (-1: the key order) and its direction.
    int sortColumn() const { return m_table.columnIndex(m_sortColumn); }
    Qt::SortOrder sortOrder() const { return m_ascending ? Qt::AscendingOrder : Qt::DescendingOrder; }
    void cancel();
    // Shows the rows from `sortValue` on (the first at or past it in display order), read by the sort
    // column's index and placed where its statistics put them; rows before it stay a scroll away.
    // Needs a sort column and a row count; sent once the read in flight is done. jumped() follows.
    void jumpToValue(const QString &sortValue);
    // Reads the rows again (after an edit or a restore), keeping the sort and filters; recount
    // when rows may have come or gone.
    void refresh(bool recount = false);
    // A window is being read (a slow sort shows a busy indicator with Cancel while this is true).
    bool isFetching() const { return m_reader.isInFlight(); }

    // The rows the view shows now; only the latest range is fetched (requests coalesce). Once a view
    // calls this, data() no longer steers fetching; before that, the rows data() misses do.
    void requestRows(int first, int last);
    bool isRowLoaded(int row) const;
    // The loaded row's values as text, unmasked (a null QString is SQL NULL); empty when not loaded.
    // For detail panes and actions, which apply masking themselves.
    QStringList rowValues(int row) const;
    // One value of a loaded row by column name; a null QString when not loaded or absent.
    QString value(int row, const QString &column) const;

    bool isColumnSensitive(int column) const;
    // Sorting, filtering and searching on a sensitive column are refused (errorOccurred, nothing
    // changes) until it is revealed; masking it again drops its filters and its sort.
    void setRevealed(int column, bool revealed);
    bool isRevealed(int column) const { return m_revealed.contains(column); }

    bool isCountExact() const { return m_count.isExact(); }
    // "≥ 200" while only the first window is in, "≈ 10,000,000" from the estimate until the exact count
    // arrives, then "10,000,000".
    QString countText() const;

    static constexpr int defaultWindowSize = 200;
    void setWindowSize(int rows) { m_windowSize = qMax(1, rows); }
    int windowSize() const { return m_windowSize; }
    void setMaxWindows(int windows) { m_windows.setMaxWindows(windows); }
    int cachedWindowCount() const { return m_windows.size(); }
    quint64 generation() const { return m_reader.generation(); }
    int staleRepliesDropped() const { return m_reader.staleDropped(); }

    // rowCount: the estimate, corrected by the exact count and by reads that hit an end.
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    // Cached values, the placeholder for rows still loading (and a fetch for them), masks.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // Column names across, 1-based row numbers down.
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // Server-side sort by that column, the primary key breaking ties; column -1 is the key order.
    // A masked column is refused (errorOccurred) and the sort stays as it was.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void tableReady();
    void countChanged();
    void windowLoaded(int firstRow, int lastRow);
    void errorOccurred(const QString &message);
    void fetchingChanged(bool fetching);
    // jumpToValue()'s rows are in, the first of them at `row`.
    void jumped(int row);

private:
    void restart(bool keepCount);
    void setRowCountTo(qint64 rows);
    void removeLeadingRows(int count);
    int place(int start, const QList<QStringList> &rows, const QStringList &firstKey,
               const QStringList &lastKey, bool fromEnd);
    // A new count moves the end: windows placed from the old end no longer sit where their rows are.
    void dropWindowsFromEnd();
    void pump();

    void onTableDescribed(quint64 generation, const TableInfo &table, const QString &error);
    void onEstimate(qint64 rows);
    void onCount(qint64 rows);
    void onWindow(const WindowReader::Read &read, const QList<QStringList> &rows, const QStringList &firstKey,
                  const QStringList &lastKey);

    // Fetchers come from the FetcherPool on the first openTable() and go back to it with the model.
    void acquireFetchers(const ConnectionSettings &settings);

    TableFetchers m_fetchers;

    TableInfo m_table;
    KeysetQuery m_query;
    QString m_sortColumn;
    QHash<QString, QStringList> m_thenBy;
    QString m_jumpValue;               // jumpToValue() waiting for the read in flight
    bool m_ascending = true;
    QList<ColumnFilter> m_filters;
    bool m_includeDeleted = false;
    RevealedColumns m_revealed;

    int m_rowCount = 0;

    WindowCache m_windows;
    int m_windowSize = defaultWindowSize;

    mutable ViewRows m_viewRows;         // data() notes the rows it misses
    WindowReader m_reader;             // reads m_rowCount and m_fetchers: declared after them
    int m_stalledRow = -1;             // a read that did not fill this row; no retry until things change
    TableCount m_count;                // reads m_query and m_windows: declared after them
};

} // namespace MigrationDesk
