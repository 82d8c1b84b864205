#pragma once

#include "browse/keysetquery.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QRect>
#include <QString>

namespace MigrationDesk {

class TablesView;

// What a user sees in the Tables view beyond its texts: the open table, its filters, sort and
// deleted-rows switch, the selected cells and the scroll position. Captured from one view and put back on another
// (the window a language switch builds), as its rows arrive. GUI thread.
class TablesViewState : public QObject
{
    Q_OBJECT

public:
    // nullptr when no table's rows are showing.
    static TablesViewState *capture(TablesView *view, QObject *parent = nullptr);

    // Opens the table on view and, once its columns and then enough rows are there, puts the rest back;
    // deletes itself when done or when view goes.
    void restoreTo(TablesView *view);

private:
    explicit TablesViewState(QObject *parent);
    void applyFilters();
    // Once the grid holds the rows: selection, current cell and scroll position. True when done.
    bool applyRows();

    QPointer<TablesView> m_view;
    QString m_schema;
    QString m_table;
    QList<ColumnFilter> m_filters;
    bool m_includeDeleted = false;
    int m_sortColumn = -1;     // -1: the key order
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    int m_currentRow = -1;
    int m_currentColumn = -1;
    QList<QRect> m_selection;  // as rows x columns rectangles of the grid's model
    int m_lastRow = -1;        // the highest row to be restored: rows up to it must be there first
    int m_verticalScroll = 0;
    int m_horizontalScroll = 0;
};

} // namespace MigrationDesk
