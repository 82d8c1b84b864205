#pragma once

#include "db/connectionsettings.h"

#include <QObject>

#include <memory>

namespace MigrationDesk {

class PgConnection;

// Records each unmasking of a sensitive column in migrationdesk.audit (action "unmask") before the
// grid shows its values: the browsing sessions are read-only, so this keeps a writable connection of
// its own. Lives on the QThread its owner starts (AppServices::threads()); record() is invoked queued,
// the answer comes back as recorded().
class UnmaskAuditor : public QObject
{
    Q_OBJECT

public:
    explicit UnmaskAuditor(QObject *parent = nullptr);
    ~UnmaskAuditor() override;

    // One audit row for schema.table's column; reuses the session while the settings stay the same.
    void record(const MigrationDesk::ConnectionSettings &settings, const QString &schema, const QString &table,
                const QString &column);
    void close();

Q_SIGNALS:
    // ok = false: nothing was recorded and the column must stay masked; error says why.
    void recorded(const QString &schema, const QString &table, const QString &column, bool ok, const QString &error);

private:
    std::unique_ptr<PgConnection> m_connection;
    ConnectionSettings m_settings;
};

} // namespace MigrationDesk
