#pragma once

#include <QObject>

class QAction;
class QToolButton;
class QWidget;

namespace MigrationDesk {

class DataGrid;

// The Tables view's Copy and Export CSV: the two buttons above the grid, the same two actions in the
// grid's context menu, the export's "Excel compatible" option (remembered in QSettings), and when
// each is enabled and why not. The view decides what they do. GUI thread.
class TableActions : public QObject
{
    Q_OBJECT

public:
    // The buttons are made in buttonParent, where the view places them.
    explicit TableActions(QWidget *buttonParent, QObject *parent = nullptr);
    // Puts Copy and Export CSV in grid's context menu (made after the buttons, which keeps the tab order).
    void addContextActions(DataGrid *grid);

    QToolButton *copyButton() const { return m_copy; }
    QToolButton *exportButton() const { return m_export; }
    bool canExport() const;
    // Excel compatible (UTF-8 with BOM): in the export button's menu, checked as it was last time.
    QAction *excelCompatibleAction() const { return m_excel; }
    bool isExcelCompatible() const;
    static QString excelSettingsKey();

    // hasTable: a table's rows are shown; canSelect: its SELECT privilege; exporting: an export runs.
    void update(bool hasTable, bool canSelect, bool hasSelection, bool exporting);

Q_SIGNALS:
    void copyRequested();
    void exportRequested();

private:
    QToolButton *m_copy;
    QToolButton *m_export;
    QAction *m_copyAction = nullptr;
    QAction *m_excel;
};

} // namespace MigrationDesk
