#pragma once

#include "db/secretredaction.h" // every user of the settings redacts its messages

#include <QMetaType>

#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

// Where and how to reach one PostgreSQL database: parsed from URLs or the environment, and turned into
// QPSQL connect options or libpq environment variables for child programs. A plain value; any thread.
// Empty fields mean "let libpq decide" (PG* variables, ~/.pgpass, service files, compiled defaults).
struct ConnectionSettings
{
    QString host;           // name, IP address (IPv6 without brackets) or Unix socket directory
    int port = 0;           // 0 = libpq's default
    QString database;
    QString user;
    QString password;       // empty = libpq looks in PGPASSWORD, ~/.pgpass or the service file
    QString sslmode;
    QString sslrootcert;
    QString service;
    // Further libpq keywords (connect_timeout, application_name, options, sslcert, ...). Keys must be in
    // supportedOptionKeys(); validate() checks them.
    QMap<QString, QString> options;

    // Accepts postgresql://, postgres:// and SQLAlchemy's postgresql+<driver>:// URLs. User, password,
    // host, database and query values are percent-decoded; IPv6 hosts go in brackets; a Unix socket
    // directory can be given percent-encoded as the host or as ?host=/path. Query parameters must be
    // libpq keywords that make sense here; anything else is refused with a message saying why.
    static std::optional<ConnectionSettings> fromUrl(const QString &url, QString *error);

    // The first source that is set: DATABASE_URL; then POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB,
    // POSTGRES_HOST, POSTGRES_PORT (the docker-compose convention, used if any of them is non-empty);
    // otherwise empty settings so libpq's own PG* variables, ~/.pgpass and service files apply.
    // *source names the one used: "DATABASE_URL", "POSTGRES_*" or "libpq environment".
    static std::optional<ConnectionSettings> fromEnvironment(const QProcessEnvironment &env, QString *source,
                                                             QString *error);

    // The libpq keywords accepted in `options` (and as URL query parameters).
    static QStringList supportedOptionKeys();

    // Checks what fromUrl() checks, for settings built by hand: known option keys, sane sslmode and
    // port, and no ';' in values that travel through QPSQL's connect options (QPSQL turns ';' into ' ').
    bool validate(QString *error) const;

    // user@host:port/db for titles and logs, blanks filled from PG* variables and libpq's defaults.
    // A Unix socket connection shows as [local] (or [local:/dir]), as psql does.
    QString displayName() const;
    // Just the host:port part of displayName(), for messages about the server.
    QString serverName() const;

    // A postgresql:// URL that fromUrl() reads back to the same settings. The password is left out
    // unless withPassword is true.
    QString toUrl(bool withPassword = false) const;

    // libpq keywords for QSqlDatabase::setConnectOptions, ';'-separated and quoted libpq-style.
    // Never contains the password (QPSQL gets that through setPassword). Always sets
    // client_encoding=UTF8, application_name (unless options has one) and connect_timeout=10 (unless
    // options has one); sslmode, sslrootcert and service come from their fields.
    QString connectOptions(const QString &applicationName = QStringLiteral("migrationdesk")) const;

    // `env` plus PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT, PGSERVICE and
    // the PG* variable of each option that has one, for child programs (pg_dump, psql), so that the
    // password never appears on a command line. Empty fields leave the inherited variables alone.
    // PGAPPNAME is the application_name option, else applicationName when that is non-empty.
    QProcessEnvironment applyTo(QProcessEnvironment env, const QString &applicationName = QString()) const;

    bool operator==(const ConnectionSettings &other) const;
    bool operator!=(const ConnectionSettings &other) const { return !(*this == other); }
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::ConnectionSettings)
