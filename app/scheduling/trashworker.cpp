#include "scheduling/trashworker.h"

#include "db/pgconnection.h"
#include "db/sqlerror.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

TrashWorker::TrashWorker(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<MigrationDesk::TrashStatus>();
    qRegisterMetaType<MigrationDesk::TrashOutcome>();
    qRegisterMetaType<QList<MigrationDesk::TrashRow>>();
    qRegisterMetaType<QList<MigrationDesk::TrashOwner>>();
    qRegisterMetaType<MigrationDesk::TrashUndo>();
    qRegisterMetaType<QList<MigrationDesk::AuditRecord>>();
}

TrashWorker::~TrashWorker() = default;

void TrashWorker::open(const ConnectionSettings &settings)
{
    close();
    auto connection = std::make_unique<PgConnection>();
    QString error;
    if (!connection->open(settings, &error, u"migrationdesk-trash"_s)) {
        Q_EMIT opened(false, error, {});
        return;
    }
    SqlError sqlError;
    const auto rows = connection->query(
        u"SELECT to_regclass('public.schedules') IS NOT NULL, to_regclass('public.employees') IS NOT NULL, "
        "current_setting('default_transaction_read_only') = 'on' OR pg_is_in_recovery()"_s,
        {}, &sqlError);
    if (!rows || rows->isEmpty()) {
        Q_EMIT opened(false, sqlError.toString(), {});
        return;
    }
    TrashStatus status;
    status.schedulesExist = rows->first().value(0) == u"t"_s;
    status.employeesExist = rows->first().value(1) == u"t"_s;
    status.readOnly = rows->first().value(2) == u"t"_s;
    m_connection = std::move(connection);
    Q_EMIT opened(true, {}, status);
}

TrashOutcome TrashWorker::notConnected() const
{
    TrashOutcome outcome;
    outcome.message = tr("Not connected.");
    return outcome;
}

void TrashWorker::close()
{
    m_connection.reset();
}

void TrashWorker::findDeletedOwners(const QList<TrashRow> &schedules)
{
    if (!m_connection) {
        Q_EMIT ownersFound(schedules, {}, tr("Not connected."));
        return;
    }
    QList<qint64> ids;
    for (const TrashRow &row : schedules)
        ids.append(row.id);
    QString error;
    const auto owners = TrashStore(*m_connection).deletedOwners(ids, &error);
    Q_EMIT ownersFound(schedules, owners.value_or(QList<TrashOwner>()), owners ? QString() : error);
}

void TrashWorker::restore(TrashTable table, const QList<TrashRow> &rows, bool withOwners)
{
    Q_EMIT restored(m_connection ? TrashStore(*m_connection).restore(table, rows, withOwners) : notConnected());
}

void TrashWorker::purge(TrashTable table, const QList<TrashRow> &rows)
{
    Q_EMIT purged(m_connection ? TrashStore(*m_connection).purge(table, rows) : notConnected());
}

void TrashWorker::undoRestore(const TrashUndo &undo)
{
    Q_EMIT undone(m_connection ? TrashStore(*m_connection).undoRestore(undo) : notConnected());
}

void TrashWorker::readAudit(int limit)
{
    if (!m_connection) {
        Q_EMIT auditRead({}, tr("Not connected."));
        return;
    }
    SqlError error;
    const auto records = AuditReader(*m_connection).newest(limit, &error);
    Q_EMIT auditRead(records.value_or(QList<AuditRecord>()), records ? QString() : error.toString());
}

} // namespace MigrationDesk
