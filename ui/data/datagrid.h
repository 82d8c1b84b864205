#pragma once

#include <QTableView>

class QMenu;

namespace MigrationDesk {

class LazyTableModel;

// The grid every data view shows: a QTableView over a LazyTableModel that tells the model which
// rows are on screen (so only those are fetched), sorts server-side from the header, copies the
// selected cells as tab-separated text, and asks for a masked column to be revealed only on an
// explicit request. Sorting or copying a masked column is refused with refused(). GUI thread.
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
    // Copies selectionAsText(); refused (refused(), the clipboard untouched) while the selection
    // holds a masked value.
    void copySelection() const;
    // The masked column a selected non-null cell sits in; -1 when none.
    int maskedSelectedColumn() const;

    // Sorts the model server-side and shows it in the header, so the next header click continues from
    // this order (a view's default sort goes through here too); column -1 is the key order.
    void sortBy(int column, Qt::SortOrder order);

    // Masks a sensitive column again at once; revealing asks first unless confirm is false, then
    // emits revealRequested(): the owner records the unmasking (audit) and then reveals it in the model.
    void setColumnRevealed(int column, bool revealed, bool confirm = true);

Q_SIGNALS:
    void copied(int cells);
    void revealRequested(int column);
    // The column is masked again (its filters and sort were dropped by the model).
    void maskedAgain(int column);
    // A sort or copy on a masked column was refused; message says why and what to do.
    void refused(const QString &message);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
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
