#include "session/connectionprobe.h"

#include "db/pgconnection.h"

namespace MigrationDesk {

ConnectionProbe::ConnectionProbe(QObject *parent)
    : QObject(parent)
{
}

void ConnectionProbe::probe(const ConnectionSettings &settings, quint64 requestId)
{
    QString error;
    QString version;
    bool ok = false;
    {
        // Scoped so the connection is closed (and its QSqlDatabase name released) before anyone hears
        // about the result and perhaps starts the next probe.
        PgConnection connection;
        ok = connection.open(settings, &error);
        if (ok)
            version = connection.serverVersionString();
    }
    const QString message = ok ? tr("Connected to %1 (PostgreSQL %2).").arg(settings.displayName(), version)
                               : error;
    Q_EMIT finished(requestId, ok, message, version);
}

} // namespace MigrationDesk
