#pragma once

#include "browse/csvexporter.h"
#include "browse/schemacatalog.h"
#include "db/connectionsettings.h"

#include <QPair>
#include <QSet>
#include <QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QToolButton;
class QTreeView;

namespace MigrationDesk {

class AppServices;
class DataGrid;
class ExportBar;
class FetchBusyBar;
class FilterBar;
class LazyTableModel;
class SchemaTreeModel;
class TableActions;
class TableExport;
class TableGridModel;
class TableReveals;
class TableStatusLine;

// The Tables view: a tree of schemas, tables and views with their estimated rows and sizes, and the
// selected one's rows in a lazy grid with typed filters, a deleted-rows switch, copy and a streamed
// CSV export. Every query runs on worker threads from the AppServices, which must outlive the view (the
// catalog loader, the model's fetchers, the exporter). GUI thread.
class TablesView : public QWidget
{
    Q_OBJECT

public:
    explicit TablesView(AppServices &services, QWidget *parent = nullptr);
    ~TablesView() override;

    // Connected: the schema tree loads (now when visible, else when first shown).
    void setConnection(const MigrationDesk::ConnectionSettings &settings);
    // Disconnected: drops the tree, the grid and any export; shows "Connect to a database".
    void clearConnection();
    bool isConnected() const { return m_connected; }

    // Selects schema.name once the tree is loaded; says so in the view when it does not exist.
    void openTable(const QString &schema, const QString &name);
    // Shows relation's rows now, while the window's connection with settings is still being made (a
    // --table look-up found it): the grid's sessions need not wait for that connection. setConnection()
    // with the same settings then keeps the grid and loads the tree; clearConnection() drops both.
    void openBeforeConnected(const MigrationDesk::ConnectionSettings &settings, const MigrationDesk::RelationEntry &relation);
    // Reads the tree again, keeping the selection.
    void refreshTree();
    // Exports what the grid shows (filters, sort, deleted rows, revealed columns) to path, without
    // a file dialog. False when nothing can be exported now (no readable table, or an export runs).
    bool exportTo(const QString &path);
    void cancelExport();
    void copyCells();

    QString currentSchema() const { return m_schema; }
    QString currentTable() const { return m_table; }
    bool isTreeLoaded() const { return m_treeLoaded; }
    bool isExporting() const;
    bool isBusyShown() const;
    // The text the view shows instead of the grid (not connected, no privilege, missing table...).
    QString messageText() const;
    bool isShowingGrid() const;
    QString countText() const;
    QString errorText() const;
    QString exportStatusText() const;

    QTreeView *tree() const { return m_tree; }
    SchemaTreeModel *treeModel() const { return m_treeModel; }
    DataGrid *grid() const { return m_grid; }
    LazyTableModel *model() const;
    TableGridModel *gridModel() const { return m_model; }
    TableActions *actions() const { return m_actions; }
    FilterBar *filterBar() const { return m_filterBar; }
    QCheckBox *showDeletedBox() const { return m_showDeleted; }
    QToolButton *copyButton() const;
    QToolButton *exportButton() const;
    QPushButton *cancelFetchButton() const;

Q_SIGNALS:
    void treeLoaded();
    // A table's columns are known and its filter bar is set up for them.
    void tableShown();
    void busyChanged(bool busy);
    void exportFinished(MigrationDesk::CsvExporter::Outcome outcome, qint64 rows, const QString &message);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void loadTree();
    void onTreeLoaded(const SchemaListing &listing, const QString &error);
    void onCurrentChanged(const QModelIndex &current);
    void selectPending();
    void showRelation(const RelationEntry &relation);
    void showMessage(const QString &text);
    void ensureModel();
    void onTableReady();
    void onModelError(const QString &message);
    void onFetchingChanged(bool fetching);
    void setBusy(bool busy);
    void updateCount();
    void updateActions();
    int sortColumn() const;

    AppServices &m_services;
    ConnectionSettings m_settings;
    bool m_connected = false;
    bool m_openedEarly = false; // openBeforeConnected(): the grid runs on settings the window is still connecting with
    bool m_treeWanted = false;
    bool m_treeLoaded = false;
    QString m_schema;
    QString m_table;
    std::optional<QPair<QString, QString>> m_pending;

    SchemaCatalogLoader *m_loader;
    SchemaTreeModel *m_treeModel;
    TableReveals *m_reveals = nullptr;
    QTreeView *m_tree;
    QToolButton *m_refreshTree;
    QStackedWidget *m_stack;
    QLabel *m_message;
    QWidget *m_gridPage;
    QLabel *m_title;
    QCheckBox *m_showDeleted;
    TableActions *m_actions;
    FilterBar *m_filterBar;
    FetchBusyBar *m_busyBar;
    DataGrid *m_grid;
    TableGridModel *m_model = nullptr;

    TableStatusLine *m_status;
    ExportBar *m_exportBar;
    TableExport *m_export;
};

} // namespace MigrationDesk
