#pragma once

#include "scheduling/auditreader.h"

#include <QAbstractTableModel>
#include <QList>

namespace MigrationDesk {

// The Trash view's Audit tab: the newest migrationdesk.audit rows as TrashWorker read them (who,
// when, what, the values before with secrets masked). Holds only what it is given. GUI thread.
class TrashAuditModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { When, DbUser, OsUser, Action, Table, Row, Before, ColumnCount };

    explicit TrashAuditModel(QObject *parent = nullptr);

    void setRecords(const QList<AuditRecord> &records);
    const QList<AuditRecord> &records() const { return m_records; }
    // "Restored", "Deleted permanently", "Moved back to the trash", "Unmasked": an action as people read it.
    static QString actionLabel(const QString &action);

    // One row per record, none under the root's children.
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    // The record's fields as text; the values before also as a tooltip, since they are long.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // Translated column titles across; nothing down.
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<AuditRecord> m_records;
};

} // namespace MigrationDesk
