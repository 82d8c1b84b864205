#pragma once

#include <QWidget>

#include <functional>

class QCheckBox;
class QLabel;

namespace MigrationDesk {

class AppServices;
class DataGrid;
class ExportBar;
class FetchBusyBar;
class FilterBar;
class TableActions;

// The Tables view's right-hand page, laid out: the table's title with the deleted-rows switch, Copy and
// Export, the filter bar, the busy bar, the grid, the row count and error line, and the export bar. It
// only builds and places them; the view wires them. GUI thread.
class TableGridPage : public QWidget
{
    Q_OBJECT

public:
    // stillFetching tells the busy bar whether a fetch still runs; actionsParent owns the TableActions.
    TableGridPage(AppServices &services, std::function<bool()> stillFetching, QObject *actionsParent,
                  QWidget *parent = nullptr);

    QLabel *title() const { return m_title; }
    QCheckBox *showDeleted() const { return m_showDeleted; }
    TableActions *actions() const { return m_actions; }
    FilterBar *filterBar() const { return m_filterBar; }
    FetchBusyBar *busyBar() const { return m_busyBar; }
    DataGrid *grid() const { return m_grid; }
    QLabel *count() const { return m_count; }
    QLabel *error() const { return m_error; }
    ExportBar *exportBar() const { return m_exportBar; }

private:
    QLabel *m_title;
    QCheckBox *m_showDeleted;
    TableActions *m_actions;
    FilterBar *m_filterBar;
    FetchBusyBar *m_busyBar;
    DataGrid *m_grid;
    QLabel *m_count;
    QLabel *m_error;
    ExportBar *m_exportBar;
};

} // namespace MigrationDesk
