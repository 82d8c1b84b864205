#include "sandbox/sandboxaccess.h"

#include "db/pgconnection.h"
#include "db/sqlident.h"

#include <QCoreApplication>
#include <QRandomGenerator>

#include <libpq-fe.h>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate the same context ("Sandbox") that the sandbox's other messages use.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(Sandbox)
};

} // namespace

QString SandboxAccess::newPassword()
{
    // Letters and digits only: the URL stays readable, though ConnectionUrl would encode anything.
    static const QString alphabet = u"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"_s;
    QString password;
    for (int i = 0; i < 24; ++i)
        password.append(alphabet.at(QRandomGenerator::system()->bounded(int(alphabet.size()))));
    return password;
}

std::optional<ConnectionSettings> SandboxAccess::grantTcpAccess(const ConnectionSettings &socketSettings,
                                                                const QString &password, QString *error)
{
    if (password.isEmpty()) {
        *error = Text::tr("The sandbox needs a password for connections over TCP.");
        return std::nullopt;
    }
    PgConnection connection;
    if (!connection.open(socketSettings, error))
        return std::nullopt;
    // The server stores only the SCRAM verifier; computed here, the password itself never travels.
    const QByteArray user = socketSettings.user.toUtf8();
    char *verifier = PQencryptPasswordConn(connection.pgconn(), password.toUtf8().constData(), user.constData(),
                                           "scram-sha-256");
    if (!verifier) {
        *error = Text::tr("Cannot prepare the sandbox's password: %1")
                         .arg(QString::fromUtf8(PQerrorMessage(connection.pgconn())).trimmed());
        return std::nullopt;
    }
    const QString hash = QString::fromUtf8(verifier);
    PQfreemem(verifier);
    SqlError sqlError;
    // ALTER ROLE takes no parameters; the verifier is our own base64 text, quoted all the same.
    if (!connection.exec(u"ALTER ROLE "_s + quoteIdentifier(socketSettings.user) + u" PASSWORD "_s + quoteLiteral(hash),
                         &sqlError)) {
        *error = Text::tr("Cannot set the sandbox's password: %1").arg(sqlError.toString());
        return std::nullopt;
    }
    ConnectionSettings tcp;
    tcp.host = u"127.0.0.1"_s;
    tcp.port = socketSettings.port;
    tcp.user = socketSettings.user;
    tcp.database = socketSettings.database;
    tcp.password = password;
    return tcp;
}

} // namespace MigrationDesk
