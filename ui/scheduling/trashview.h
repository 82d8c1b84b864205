#pragma once

#include "db/connectionsettings.h"
#include "scheduling/trashstore.h"
#include "scheduling/trashworker.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTimer;

namespace MigrationDesk {

class AppServices;
class DataGrid;
class LazyTableModel;
class TrashActions;
class TrashAuditPane;

// The Trash view for support staff: soft-deleted schedules and employees, newest deletion first,
// with Restore (and Undo of the last restore), Delete permanently and an Audit tab. Reads through
// LazyTableModels; writes (TrashActions) and reads the audit through a TrashWorker on a thread from the
// AppServices, which must outlive the view. GUI thread.
class TrashView : public QWidget
{
    Q_OBJECT

public:
    explicit TrashView(AppServices &services, QWidget *parent = nullptr);
    ~TrashView() override;

    void setConnection(const MigrationDesk::ConnectionSettings &settings);
    void clearConnection();

    // The grid's model of a tab; nullptr until connected.
    LazyTableModel *model(TrashTable table) const;
    TrashTable currentTable() const;
    bool isAuditTabCurrent() const;
    TrashAuditPane *auditPane() const { return m_audit; }
    // Whether Undo is offered (a restore succeeded and nothing was changed through the view since).
    bool canUndo() const;
    QString message() const;          // the page shown instead of the grids (not connected, no tables)
    QString statusText() const;       // the last result or error under the grids

Q_SIGNALS:
    // A restore or purge finished (successfully or refused).
    void finished(bool ok, const QString &message);

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Tab
    {
        DataGrid *grid = nullptr;
        LazyTableModel *model = nullptr;
    };

    void load();
    void dropModels();
    void showMessage(const QString &text);
    void onOpened(bool ok, const QString &error, const TrashStatus &status);
    void openModel(TrashTable table);
    void onTableReady(TrashTable table);
    void applyFilters(TrashTable table);
    void arrangeColumns(TrashTable table);
    void updateTabTitle(TrashTable table);
    void updateActions();
    // The selected rows, or none (with a status message) while any of them is not loaded yet.
    QList<TrashRow> loadedSelection(TrashTable table);
    void restoreSelected();
    void purgeSelected();
    void refreshModels();
    void setStatus(const QString &text, bool error);
    Tab &tab(TrashTable table) { return table == TrashTable::Schedules ? m_schedules : m_employees; }
    const Tab &tab(TrashTable table) const { return table == TrashTable::Schedules ? m_schedules : m_employees; }

    AppServices &m_services;
    TrashWorker *m_worker = nullptr;
    ConnectionSettings m_settings;
    bool m_connected = false;
    bool m_loaded = false;
    TrashStatus m_status;
    int m_pendingOpens = 0;         // only the last open()'s answer counts

    QStackedWidget *m_pages;
    QLabel *m_message;
    QTabWidget *m_tabs;
    QLineEdit *m_search;
    QTimer *m_searchTimer;
    QPushButton *m_refresh;
    QPushButton *m_restore;
    QPushButton *m_purge;
    QPushButton *m_undoButton;
    TrashAuditPane *m_audit = nullptr;
    TrashActions *m_actions = nullptr;
    QLabel *m_statusLabel;
    Tab m_schedules;
    Tab m_employees;
};

} // namespace MigrationDesk
