#include "db/connectionerror.h"

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate a translation context for the messages of this file (the connection's, where they began).
class Text
{
    Q_DECLARE_TR_FUNCTIONS(PgConnection)
};

} // namespace

QString describeConnectionError(const QString &libpqMessage, const ConnectionSettings &settings)
{
    const QString text = libpqMessage.trimmed();
    const auto has = [&text](const char *needle) {
        return text.contains(QLatin1String(needle), Qt::CaseInsensitive);
    };
    // The quoted name after `prefix` in libpq's text, e.g. database "x" does not exist -> x.
    const auto quoted = [&text](const QString &prefix) {
        const QRegularExpression rx(QRegularExpression::escape(prefix) + u"\\s*\"([^\"]*)\""_s);
        return rx.match(text).captured(1);
    };
    const QString server = settings.serverName();
    const QString user = settings.user.isEmpty() ? quoted(u"user"_s) : settings.user;
    const QString timeout = settings.options.value(u"connect_timeout"_s, u"10"_s);

    QString explanation;
    if (has("password authentication failed")) {
        explanation = Text::tr("Wrong password: the server at %1 rejected the password for user \"%2\". Check the "
                               "password; in a URL, special characters in it must be percent-encoded.")
                          .arg(server, user);
    } else if (has("no password supplied")) {
        // The Password field first: most people meet this in the connection dialog.
        explanation = Text::tr("The server at %1 requires a password, but none was given. Enter it in the Password "
                               "field, or put it in the URL, set PGPASSWORD, or add it to ~/.pgpass.")
                          .arg(server);
    } else if (has("could not translate host name")) {
        const QString failed = quoted(u"host name"_s);
        const QString host = failed.isEmpty() ? settings.host : failed;
        explanation = Text::tr("Unknown host: the name \"%1\" could not be resolved. Check the spelling. A Docker "
                               "Compose service name such as \"postgres\" only resolves inside the Compose network; "
                               "from the host machine use localhost and the published port.")
                          .arg(host);
    } else if (has("connection refused")) {
        explanation = Text::tr("Connection refused: no PostgreSQL server is accepting connections at %1. Check that "
                               "the server is running and that the host and port are right.")
                          .arg(server);
    } else if (has("unix domain socket") || (has("no such file or directory") && has("socket"))) {
        explanation = Text::tr("No PostgreSQL server is running on the local socket (%1). Start the server, or give "
                               "a host name such as localhost.")
                          .arg(server);
    } else if (has("timeout expired") || has("timed out")) {
        explanation = Text::tr("Timeout: the server at %1 did not answer within %2 seconds. Check the host, the "
                               "port, firewalls and VPNs.")
                          .arg(server, timeout);
    } else if (has("server does not support ssl")) {
        explanation = Text::tr("The server at %1 does not support SSL, but sslmode=%2 requires it. Use "
                               "sslmode=prefer (or disable), or enable SSL on the server.")
                          .arg(server, settings.sslmode.isEmpty() ? u"require"_s : settings.sslmode);
    } else if (has("root certificate file")) {
        const QString file = settings.sslrootcert.isEmpty() ? quoted(u"root certificate file"_s)
                                                            : settings.sslrootcert;
        explanation = Text::tr("sslmode=%1 must verify the server's certificate, but the root certificate file "
                               "\"%2\" does not exist or cannot be read. Set sslrootcert to the CA certificate "
                               "file, or use sslmode=require to encrypt without verifying.")
                          .arg(settings.sslmode, file);
    } else if (has("certificate verify failed")) {
        explanation = Text::tr("The SSL certificate of the server at %1 could not be verified with the root "
                               "certificate (sslrootcert). Check that it is the CA that signed the server's "
                               "certificate, or use sslmode=require to encrypt without verifying.")
                          .arg(server);
    } else if (has("does not match host name")) {
        // libpq: server certificate for "db.example.com" (and 2 other names) does not match host name "10.0.0.5"
        const QString certified = quoted(u"server certificate for"_s);
        explanation = certified.isEmpty()
            ? Text::tr("The server's SSL certificate is for a different host name than %1 "
                       "(sslmode=verify-full). Connect with the name in the certificate.")
                  .arg(server)
            : Text::tr("Wrong host name: the server's SSL certificate is for \"%1\", not for the host name you "
                       "connected to (%2), so sslmode=verify-full refused it. Connect with the name in the "
                       "certificate.")
                  .arg(certified, server);
    } else if (has("database") && has("does not exist")) {
        const QString database = quoted(u"database"_s);
        explanation = Text::tr("The database \"%1\" does not exist on %2. Create it first (for example with "
                               "createdb) or correct the database name.")
                          .arg(database.isEmpty() ? settings.database : database, server);
    } else if (has("role") && has("does not exist")) {
        const QString role = quoted(u"role"_s);
        explanation = Text::tr("The user (role) \"%1\" does not exist on %2. Check the user name, or create the "
                               "role.")
                          .arg(role.isEmpty() ? user : role, server);
    } else if (has("pg_hba.conf")) {
        explanation = Text::tr("The server at %1 does not allow this connection (no matching pg_hba.conf entry for "
                               "this host, user, database and SSL setting).")
                          .arg(server);
    } else if (has("too many clients") || has("connection slots")) {
        explanation = Text::tr("The server at %1 has no free connection slots. Try again later or close other "
                               "connections.")
                          .arg(server);
    } else if (has("starting up") || has("shutting down") || has("recovery mode")) {
        explanation = Text::tr("The server at %1 is starting up or shutting down. Try again shortly.").arg(server);
    } else if (has("ssl")) {
        explanation = Text::tr("The SSL connection to %1 failed.").arg(server);
    } else {
        explanation = Text::tr("Could not connect to %1.").arg(server);
    }

    QString message = explanation;
    if (!text.isEmpty())
        message += QLatin1Char('\n') + Text::tr("libpq said: %1").arg(text);
    message = redactSecrets(message);
    // Very short passwords would turn ordinary words into asterisks and reveal nothing anyway.
    if (settings.password.size() >= 3)
        message.replace(settings.password, u"***"_s);
    return message;
}

} // namespace MigrationDesk
