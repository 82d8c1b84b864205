#pragma once

#include "db/connectionsettings.h"

#include <QObject>
#include <QString>

namespace MigrationDesk {

// Tries one connection for the connection dialog's Test connection and Connect buttons, then closes
// it again. Lives on a worker QThread of its own, because opening a connection blocks for up to
// connect_timeout; invoke probe() through a queued call and listen to finished().
class ConnectionProbe : public QObject
{
    Q_OBJECT

public:
    explicit ConnectionProbe(QObject *parent = nullptr);

public Q_SLOTS:
    // Opens a PgConnection with `settings` (connect_timeout from its options, 10 s by default) and
    // emits finished(). The message is plain language: the server version on success, otherwise one
    // explanation per cause (wrong password, unknown host, refused, SSL, ...). It never holds the password.
    void probe(const MigrationDesk::ConnectionSettings &settings, quint64 requestId);

Q_SIGNALS:
    void finished(quint64 requestId, bool ok, const QString &message, const QString &serverVersion);
};

} // namespace MigrationDesk
