#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace MigrationDesk {

class PgConnection;
struct SqlError;

// One row of migrationdesk.audit as the Trash view's Audit tab lists it. A plain value.
struct AuditRecord
{
    qint64 id = 0;
    QString changedAt;   // timestamptz as text, the session's time zone
    QString dbUser;
    QString osUser;
    QString action;      // restore, purge, delete, unmask
    QString table;       // schema.table
    QString rowKey;      // JSON text
    QString before;      // JSON text, sensitive values masked
};

// Reads the newest audit rows for the Trash view. Values of sensitive columns are masked again on the
// way out, whoever wrote the row. Runs on the thread that owns the connection (TrashWorker's).
class AuditReader
{
public:
    explicit AuditReader(PgConnection &connection);

    // The newest `limit` rows, newest first; an empty list when the table does not exist yet.
    std::optional<QList<AuditRecord>> newest(int limit, SqlError *error);

    // before with every sensitive key's non-null value replaced by "(masked)".
    static QString maskSecrets(const QString &json);

private:
    PgConnection &m_connection;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::AuditRecord)
