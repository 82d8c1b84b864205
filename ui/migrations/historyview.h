#pragma once

#include "migrations/historyquery.h"
#include "models/historymodel.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;

namespace MigrationDesk {

class DatabaseWorker;
class HistoryFilterBar;

// A table of recorded migration runs (who, when, direction, duration, result, backup), sortable, failures
// marked; a double click (or Statements…) opens a run's statement log. Used for the History tab, with a
// filter row whose rows the worker reads, and, filtered to one revision, for a revision's Runs. GUI thread.
class HistoryView : public QWidget
{
    Q_OBJECT

public:
    explicit HistoryView(QWidget *parent = nullptr);

    HistoryModel *model() const { return m_model; }
    // Created on first use (shown, or asked for here).
    QTableView *tableView();

    // The worker that reads filtered rows and statement logs (queued calls); without one, neither works.
    void setWorker(DatabaseWorker *worker);
    // Shows the filter row above the table (call before the view is first shown).
    void setFiltersEnabled(bool enabled) { m_filtersEnabled = enabled; }
    HistoryFilterBar *filterBar() const { return m_filterBar; }
    // Asks the worker for the statements of the run on row `row` (of the table as sorted) and opens them.
    void openStatementLog(int row);

    // Every run, newest first (the status's); shown unless a filter is set, then the filter is read again.
    void setEntries(const QList<HistoryEntry> &entries);
    void setRevisionFilter(const QString &revision);
    // Shown instead of "No runs recorded" while there is nothing to list (e.g. not connected).
    void setEmptyText(const QString &text);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void applyFilter(const HistoryFilter &filter);
    void onHistoryLoaded(int request, const QList<HistoryEntry> &entries, const QString &error);
    void onStatementLogLoaded(qint64 historyId, const QList<LoggedStatement> &statements, const QString &error);
    void updateSummary();

    HistoryModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
    QToolButton *m_logButton = nullptr;
    QString m_emptyText;
    QPointer<DatabaseWorker> m_worker;
    bool m_filtersEnabled = false;
    HistoryFilterBar *m_filterBar = nullptr;
    QList<HistoryEntry> m_allEntries; // the status's, shown while no filter is set
    HistoryFilter m_filter;           // the one shown
    int m_request = 0;                // the latest filter read asked of the worker
    QString m_loadError;
    QList<HistoryEntry> m_logRuns;    // runs whose statement log was asked for, by history id
};

} // namespace MigrationDesk
