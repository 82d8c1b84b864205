#pragma once

#include <QProcessEnvironment>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace MigrationDesk {

// Runs a throwaway PostgreSQL cluster for database tests, with psql/pg_dump helpers; main thread.
class PgFixture
{
public:
    PgFixture();
    ~PgFixture();
    PgFixture(const PgFixture &) = delete;
    PgFixture &operator=(const PgFixture &) = delete;

    // Clients under test connect over TCP to host():port() as superuser() with password()
    // (scram-sha-256). The fixture's own helpers (psql, pg_dump, createDatabase) use the cluster's
    // private Unix socket with trust, so a test that changes roles cannot lock the fixture out.

    // One cluster per test process, started on first use and stopped at process exit. A failed
    // start is remembered (not retried): check isRunning() and report errorString(), e.g.
    //   QVERIFY2(PgFixture::shared().isRunning(), qPrintable(PgFixture::shared().errorString()));
    static PgFixture &shared();

    // A loopback TCP port that is free right now (a race with another process is the caller's retry).
    static int pickFreePort();
    // Gives a file or folder to the postgres account, for servers started through runuser as root.
    static bool chownToServerUser(const QString &path);

    // initdb + pg_ctl start on a free port. On failure *error (and errorString()) says why,
    // including the tail of the server log.
    bool start(QString *error = nullptr);
    // pg_ctl stop (fast, then immediate, then SIGKILL) and removes the temporary directory.
    // Safe to call twice; the destructor calls it.
    void stop();
    bool isRunning() const { return m_running; }
    QString errorString() const { return m_error; }

    int port() const { return m_port; }
    QString host() const;
    QString superuser() const;
    QString password() const { return m_password; }
    // postgresql://postgres:PW@127.0.0.1:PORT/db (password percent-encoded).
    QString url(const QString &db = QStringLiteral("postgres")) const;
    // The system environment with PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE pointing at this
    // cluster over TCP (other PG* variables removed), for child processes under test.
    QProcessEnvironment environment(const QString &db = QStringLiteral("postgres")) const;

    // Drops `name` if it exists (forcing other sessions off), then creates it empty.
    [[nodiscard]] bool createDatabase(const QString &name, QString *error = nullptr);
    [[nodiscard]] bool dropDatabase(const QString &name, QString *error = nullptr);
    // Turns TLS on in the running server (ssl = on with this certificate and key, copied into the data
    // directory; a configuration reload, no restart) and waits until new sessions see it. TCP clients
    // may then use any sslmode; the default cluster stays without TLS.
    [[nodiscard]] bool enableSsl(const QString &certFile, const QString &keyFile, QString *error = nullptr);
    // Creates (or replaces) a login role with the given password.
    [[nodiscard]] bool createRole(const QString &name, const QString &password, bool superuser,
                    QString *error = nullptr);

    // psql -X -q -At -v ON_ERROR_STOP=1 -c sql; returns trimmed stdout. On failure *ok is false
    // and *err holds psql's stderr; a caller that passes no `ok` does not expect a failure, so one
    // fails the running test at the caller's line (see DbTest::qExpectError for statements that must fail).
    QString psql(const QString &db, const QString &sql, bool *ok = nullptr, QString *err = nullptr,
                 const char *file = __builtin_FILE(), int line = __builtin_LINE()) const;
    // psql -X -q -v ON_ERROR_STOP=1 [-1] -f file. *output gets stdout, then stderr.
    // Without singleTransaction every statement autocommits (needed for CREATE INDEX CONCURRENTLY).
    [[nodiscard]] bool psqlFile(const QString &db, const QString &file, QString *output = nullptr,
                  bool singleTransaction = false) const;
    // Same as psqlFile() but the script text is fed on stdin.
    [[nodiscard]] bool psqlScript(const QString &db, const QString &script, QString *output = nullptr,
                    bool singleTransaction = false) const;
    // pg_dump --schema-only --no-owner, minus the lines that carry versions, dates or random
    // keys, so two dumps of the same schema compare equal. Empty string on failure.
    QString schemaDump(const QString &db, const QStringList &excludeSchemas = {}) const;

    // A QPSQL connection over TCP with the superuser's password (test convenience). The caller
    // checks isOpen()/lastError(). An existing connection of that name is replaced.
    QSqlDatabase openDatabase(const QString &db, const QString &connectionName) const;

    QString binDir() const { return m_binDir; }
    QString dataDir() const;
    QString socketDir() const;
    QString logFile() const;

private:
    struct Result
    {
        bool ok = false;
        QString out;
        QString err;
    };
    bool startOnce(QString *error);
    bool initCluster(QString *error);
    bool writeConfig(QString *error);
    bool launch(int port, QString *error, bool *portTaken);
    void startWatchdog();
    Result run(const QString &program, const QStringList &args, bool asServerUser,
               const QByteArray &input = {}, int timeoutMs = 120000,
               const QProcessEnvironment &env = {}) const;
    Result runPsql(const QString &db, const QStringList &args, const QByteArray &input = {}) const;
    QProcessEnvironment adminEnvironment(const QString &db) const;
    QString serverLogTail() const;
    bool fail(QString *error, const QString &message);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_binDir;
    QString m_initdb;
    QString m_pgCtl;
    QString m_psql;
    QString m_pgDump;
    QString m_password;
    QString m_error;
    qint64 m_watchdogPid = 0;
    int m_port = 0;
    bool m_running = false;
    bool m_asRoot = false;
};

} // namespace MigrationDesk
