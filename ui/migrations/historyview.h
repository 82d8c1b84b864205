#pragma once

#include "models/historymodel.h"

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace MigrationDesk {

// A table of recorded migration runs (who, when, direction, duration, result), sortable, failures
// marked. Used for the History tab and, filtered to one revision, for a revision's Runs. GUI thread.
class HistoryView : public QWidget
{
    Q_OBJECT

public:
    explicit HistoryView(QWidget *parent = nullptr);

    HistoryModel *model() const { return m_model; }
    // Created on first use (shown, or asked for here).
    QTableView *tableView();

    void setEntries(const QList<HistoryEntry> &entries);
    void setRevisionFilter(const QString &revision);
    // Shown instead of "No runs recorded" while there is nothing to list (e.g. not connected).
    void setEmptyText(const QString &text);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void updateSummary();

    HistoryModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
    QString m_emptyText;
};

} // namespace MigrationDesk
