#pragma once

#include "db/connectionsettings.h"

#include <QObject>

namespace MigrationDesk {

class AppServices;
class UnmaskAuditor;

// The one way a masked column of the Tables view is revealed: each request is first recorded in the
// audit table by an UnmaskAuditor on a worker thread from the AppServices (started on the first
// request, which must outlive this); only a recorded request comes back as recorded(). GUI thread.
class RevealGate : public QObject
{
    Q_OBJECT

public:
    explicit RevealGate(AppServices &services, QObject *parent = nullptr);
    ~RevealGate() override;

    void request(const MigrationDesk::ConnectionSettings &settings, const QString &schema, const QString &table,
                 const QString &column);

Q_SIGNALS:
    void recorded(const QString &schema, const QString &table, const QString &column);
    // Nothing was recorded, so the column stays masked; message says why (secrets redacted).
    void failed(const QString &schema, const QString &table, const QString &column, const QString &message);

private:
    AppServices &m_services;
    UnmaskAuditor *m_auditor = nullptr;
};

} // namespace MigrationDesk
