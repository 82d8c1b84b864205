#pragma once

#include "db/connectionsettings.h"
#include "scheduling/auditreader.h"
#include "scheduling/trashstore.h"

#include <QList>
#include <QMetaType>
#include <QObject>

#include <memory>

namespace MigrationDesk {

class PgConnection;

// What the trash needs to know about the database before offering anything. A plain value.
struct TrashStatus
{
    bool schedulesExist = false;
    bool employeesExist = false;
    bool readOnly = false;  // default_transaction_read_only or a hot standby: nothing can be restored
};

// Restores, undoes restores and purges soft-deleted rows through a TrashStore, and reads the audit
// trail, on its own writable connection. Lives on
// the QThread its owner starts; its methods are invoked queued, results come back as signals.
class TrashWorker : public QObject
{
    Q_OBJECT

public:
    explicit TrashWorker(QObject *parent = nullptr);
    ~TrashWorker() override;

    void open(const MigrationDesk::ConnectionSettings &settings);
    void close();
    // The soft-deleted employees of these schedules, so the view can offer to restore them too.
    void findDeletedOwners(const QList<MigrationDesk::TrashRow> &schedules);
    void restore(MigrationDesk::TrashTable table, const QList<MigrationDesk::TrashRow> &rows, bool withOwners);
    void purge(MigrationDesk::TrashTable table, const QList<MigrationDesk::TrashRow> &rows);
    // Puts the rows of a restore back in the trash (TrashStore::undoRestore); answers with undone().
    void undoRestore(const MigrationDesk::TrashUndo &undo);
    // The newest audit rows, for the Audit tab.
    void readAudit(int limit);

Q_SIGNALS:
    void opened(bool ok, const QString &error, const MigrationDesk::TrashStatus &status);
    void ownersFound(const QList<MigrationDesk::TrashRow> &schedules, const QList<MigrationDesk::TrashOwner> &owners,
                     const QString &error);
    void restored(const MigrationDesk::TrashOutcome &outcome);
    void purged(const MigrationDesk::TrashOutcome &outcome);
    void undone(const MigrationDesk::TrashOutcome &outcome);
    void auditRead(const QList<MigrationDesk::AuditRecord> &records, const QString &error);

private:
    TrashOutcome notConnected() const;

    std::unique_ptr<PgConnection> m_connection;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::TrashStatus)
