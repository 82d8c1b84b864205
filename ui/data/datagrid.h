#pragma once

#include <QTableView>

class QMenu;

namespace MigrationDesk {

class LazyTableModel;

// The grid every data view shows: a QTableView over a LazyTableModel that tells the model which
// rows are on screen (so only those are fetched), sorts server-side from the header, copies the
// selected cells as tab-separated text, and reveals masked columns only on an explicit request.
// GUI thread.
class DataGrid : public QTableView
{
    Q_OBJECT

public:
    explicit DataGrid(QWidget *parent = nullptr);

    void setLazyModel(LazyTableModel *model);
    LazyTableModel *lazyModel() const { return m_model; }

    // The selected cells as rows of tab-separated values, in on-screen order; masked values stay
    // masked and rows not loaded yet are left out.
    QString selectionAsText() const;
    void copySelection() const;

    // Sorts the model server-side and shows it in the header, so the next header click continues from
    // this order (a view's default sort goes through here too); column -1 is the key order.
    void sortBy(int column, Qt::SortOrder order);

    // Reveals (or masks again) a sensitive column; revealing asks first unless confirm is false.
    void setColumnRevealed(int column, bool revealed, bool confirm = true);

Q_SIGNALS:
    void copied(int cells);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void requestVisibleRows();
    void showHeaderMenu(const QPoint &pos);
    void onSectionClicked(int section);
    // The header shows the model's own sort, the one source of truth.
    void showSortIndicator();

    LazyTableModel *m_model = nullptr;
};

} // namespace MigrationDesk
