#pragma once

#include "scheduling/auditreader.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace MigrationDesk {

class TrashAuditModel;
class TrashWorker;

// The Trash view's Audit tab: the newest migrationdesk.audit rows, read on the trash worker's own
// connection (never on the GUI thread) whenever the tab is shown or the trash changed. GUI thread; the
// worker must outlive the pane.
class TrashAuditPane : public QWidget
{
    Q_OBJECT

public:
    static constexpr int rowLimit = 500;

    explicit TrashAuditPane(TrashWorker *worker, QWidget *parent = nullptr);

    // Asks the worker for the rows again (the answer arrives later, as a model reset).
    void reload();
    void clear();
    TrashAuditModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QString statusText() const;

private:
    void onRead(const QList<AuditRecord> &records, const QString &error);

    TrashWorker *m_worker;
    TrashAuditModel *m_model;
    QTableView *m_table;
    QLabel *m_status;
    int m_pending = 0; // only the last read's answer counts
};

} // namespace MigrationDesk
