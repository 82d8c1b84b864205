#include "scheduling/trashauditpane.h"

#include "scheduling/trashauditmodel.h"
#include "scheduling/trashworker.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

TrashAuditPane::TrashAuditPane(TrashWorker *worker, QWidget *parent)
    : QWidget(parent)
    , m_worker(worker)
    , m_model(new TrashAuditModel(this))
    , m_table(new QTableView(this))
    , m_status(new QLabel(this))
{
    setObjectName(u"auditPane"_s);
    m_table->setObjectName(u"auditTable"_s);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_status->setObjectName(u"auditStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    connect(m_worker, &TrashWorker::auditRead, this, &TrashAuditPane::onRead);
}

void TrashAuditPane::reload()
{
    ++m_pending;
    m_status->setText(tr("Reading the audit trail\u2026"));
    TrashWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker] { worker->readAudit(rowLimit); }, Qt::QueuedConnection);
}

void TrashAuditPane::clear()
{
    m_model->setRecords({});
    m_status->clear();
}

QString TrashAuditPane::statusText() const
{
    return m_status->text();
}

void TrashAuditPane::onRead(const QList<AuditRecord> &records, const QString &error)
{
    if (--m_pending > 0)
        return;
    m_pending = 0;
    if (!error.isEmpty()) {
        m_status->setText(tr("The audit trail could not be read: %1").arg(error));
        return;
    }
    m_model->setRecords(records);
    m_table->resizeColumnsToContents();
    // The values before can be long JSON: the last column stretches instead of widening the table.
    m_table->horizontalHeader()->resizeSection(TrashAuditModel::Before, 240);
    m_status->setText(records.isEmpty() ? tr("Nothing has been audited yet.")
                      : records.size() >= rowLimit
                          ? tr("The newest %n audit row(s).", nullptr, int(records.size()))
                          : tr("%n audit row(s).", nullptr, int(records.size())));
}

} // namespace MigrationDesk
