#include "pgfixture.h"

#include "db/pgtools.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>
#include <QThread>
#include <QUrl>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

constexpr int MaxPortAttempts = 8;

QString quoteIdent(const QString &name)
{
    QString quoted = name;
    quoted.replace(u'"', u"\"\""_s);
    return u'"' + quoted + u'"';
}

// Only used on scripts fed through stdin (never argv, never logs); standard_conforming_strings
// is on, so doubling quotes is the whole escaping.
QString quoteLiteral(const QString &value)
{
    QString quoted = value;
    quoted.replace(u'\'', u"''"_s);
    return u'\'' + quoted + u'\'';
}

QString randomPassword()
{
    static const QString alphabet =
            u"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"_s;
    QString password;
    for (int i = 0; i < 32; ++i)
        password += alphabet.at(int(QRandomGenerator::system()->bounded(alphabet.size())));
    return password;
}


bool writeFile(const QString &path, const QByteArray &data, QIODevice::OpenMode mode)
{
    QFile file(path);
    if (!file.open(mode))
        return false;
    return file.write(data) == data.size();
}

QString tr(const char *text)
{
    return QCoreApplication::translate("PgFixture", text);
}

} // namespace

// The kernel picks a port that is free right now; a race with another process is handled by
// retrying the start.
int PgFixture::pickFreePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    int port = 0;
    socklen_t len = sizeof(addr);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

bool PgFixture::chownToServerUser(const QString &path)
{
    const passwd *pw = ::getpwnam("postgres");
    return pw && ::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) == 0;
}

PgFixture::PgFixture() = default;

PgFixture::~PgFixture()
{
    stop();
}

PgFixture &PgFixture::shared()
{
    // A function-local static is destroyed at exit, which stops the cluster.
    static PgFixture instance;
    static bool attempted = false;
    if (!attempted) {
        attempted = true;
        instance.start();
    }
    return instance;
}

QString PgFixture::host() const
{
    return u"127.0.0.1"_s;
}

QString PgFixture::superuser() const
{
    return u"postgres"_s;
}

QString PgFixture::url(const QString &db) const
{
    return u"postgresql://%1:%2@%3:%4/%5"_s.arg(
            superuser(), QString::fromLatin1(QUrl::toPercentEncoding(m_password)), host(),
            QString::number(m_port), QString::fromLatin1(QUrl::toPercentEncoding(db)));
}

QProcessEnvironment PgFixture::environment(const QString &db) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // A developer's PGSERVICE, PGSSLMODE, PGOPTIONS... must not leak into a test.
    const QStringList keys = env.keys();
    for (const QString &key : keys) {
        if (key.startsWith(u"PG"_s))
            env.remove(key);
    }
    env.insert(u"PGHOST"_s, host());
    env.insert(u"PGPORT"_s, QString::number(m_port));
    env.insert(u"PGUSER"_s, superuser());
    env.insert(u"PGPASSWORD"_s, m_password);
    env.insert(u"PGDATABASE"_s, db);
    env.insert(u"PGCONNECT_TIMEOUT"_s, u"10"_s);
    return env;
}

QProcessEnvironment PgFixture::adminEnvironment(const QString &db) const
{
    QProcessEnvironment env = environment(db);
    env.remove(u"PGPASSWORD"_s);
    env.insert(u"PGHOST"_s, socketDir());
    return env;
}

QString PgFixture::dataDir() const
{
    return m_dir ? m_dir->filePath(u"data"_s) : QString();
}

QString PgFixture::socketDir() const
{
    return m_dir ? m_dir->path() : QString();
}

QString PgFixture::logFile() const
{
    return m_dir ? m_dir->filePath(u"server.log"_s) : QString();
}

bool PgFixture::fail(QString *error, const QString &message)
{
    m_error = message;
    if (error)
        *error = message;
    return false;
}

bool PgFixture::start(QString *error)
{
    if (m_running)
        return true;
    m_error.clear();
    if (startOnce(error))
        return true;
    const QString reason = m_error;
    stop();
    m_error = reason;
    return false;
}

bool PgFixture::startOnce(QString *error)
{
    QString lookupError;
    m_initdb = PgTools::findProgram(u"initdb"_s, &lookupError, true);
    m_pgCtl = m_initdb.isEmpty() ? QString() : PgTools::findProgram(u"pg_ctl"_s, &lookupError, true);
    m_psql = m_pgCtl.isEmpty() ? QString() : PgTools::findProgram(u"psql"_s, &lookupError, true);
    m_pgDump = m_psql.isEmpty() ? QString() : PgTools::findProgram(u"pg_dump"_s, &lookupError, true);
    if (m_pgDump.isEmpty())
        return fail(error, tr("Cannot start the PostgreSQL test cluster: %1").arg(lookupError));
    m_binDir = QFileInfo(m_initdb).canonicalPath();

    // The socket path must stay under 107 bytes, so the directory lives directly in /tmp.
    m_dir = std::make_unique<QTemporaryDir>(u"/tmp/mdpg-XXXXXX"_s);
    if (!m_dir->isValid())
        return fail(error, tr("Cannot create a temporary directory for the test cluster: %1")
                                   .arg(m_dir->errorString()));

    // initdb and pg_ctl refuse to run as root; they then run as the postgres system user.
    m_asRoot = ::geteuid() == 0;
    if (m_asRoot && !chownToServerUser(m_dir->path()))
        return fail(error, tr("Running as root, but the directory %1 cannot be handed to the "
                              "postgres system user (does it exist?).")
                                   .arg(m_dir->path()));

    m_password = randomPassword();
    if (!initCluster(error) || !writeConfig(error))
        return false;

    QString launchError;
    for (int attempt = 0; attempt < MaxPortAttempts; ++attempt) {
        const int port = pickFreePort();
        if (port == 0)
            return fail(error, tr("Cannot find a free TCP port on 127.0.0.1."));
        bool portTaken = false;
        if (launch(port, &launchError, &portTaken)) {
            m_port = port;
            m_running = true;
            startWatchdog();
            return true;
        }
        if (!portTaken)
            break;
    }
    return fail(error, launchError);
}

bool PgFixture::initCluster(QString *error)
{
    const QString pwFile = m_dir->filePath(u"pwfile"_s);
    if (!writeFile(pwFile, m_password.toUtf8() + '\n', QIODevice::WriteOnly)
        || !QFile::setPermissions(pwFile, QFile::ReadOwner | QFile::WriteOwner)
        || (m_asRoot && !chownToServerUser(pwFile)))
        return fail(error, tr("Cannot write the password file for initdb."));

    const Result r = run(m_initdb,
                         { u"-D"_s, dataDir(), u"-E"_s, u"UTF8"_s, u"--locale=C.UTF-8"_s,
                           u"-U"_s, superuser(), u"--pwfile="_s + pwFile,
                           u"--auth-local=trust"_s, u"--auth-host=scram-sha-256"_s,
                           u"--no-sync"_s, u"--no-instructions"_s },
                         true);
    QFile::remove(pwFile);
    if (!r.ok)
        return fail(error, tr("initdb failed: %1").arg(r.err.trimmed()));
    return true;
}

bool PgFixture::writeConfig(QString *error)
{
    // Durability is worthless for a cluster that is deleted after the test.
    const QByteArray conf = "\n# MigrationDesk test fixture\n"
                            "listen_addresses = '127.0.0.1'\n"
                            "unix_socket_directories = '"
                            + QFile::encodeName(socketDir())
                            + "'\n"
                              "password_encryption = 'scram-sha-256'\n"
                              "max_connections = 50\n"
                              "shared_buffers = 16MB\n"
                              "fsync = off\n"
                              "synchronous_commit = off\n"
                              "full_page_writes = off\n"
                              "wal_level = minimal\n"
                              "max_wal_senders = 0\n"
                              "checkpoint_timeout = 1h\n"
                              "autovacuum = off\n"
                              "jit = off\n"
                              "timezone = 'UTC'\n"
                              "lc_messages = 'C'\n"
                              "log_line_prefix = '%m [%p] '\n"
                              "log_min_messages = warning\n";
    // Trust only on the fixture's private socket; TCP clients must prove the password.
    const QByteArray hba = "local all all trust\n"
                           "host all all 127.0.0.1/32 scram-sha-256\n"
                           "host all all ::1/128 scram-sha-256\n";
    const QDir data(dataDir());
    if (!writeFile(data.filePath(u"postgresql.conf"_s), conf, QIODevice::Append)
        || !writeFile(data.filePath(u"pg_hba.conf"_s), hba, QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(error, tr("Cannot write the test cluster's configuration in %1.").arg(dataDir()));
    return true;
}

bool PgFixture::launch(int port, QString *error, bool *portTaken)
{
    QFile::remove(logFile());
    const Result r = run(m_pgCtl,
                         { u"-D"_s, dataDir(), u"-l"_s, logFile(), u"-w"_s, u"-t"_s, u"60"_s,
                           u"-o"_s, u"-p %1"_s.arg(port), u"start"_s },
                         true);
    if (r.ok)
        return true;
    const QString log = serverLogTail();
    *portTaken = log.contains(u"Address already in use"_s)
            || log.contains(u"could not bind"_s)
            || log.contains(u"could not create any TCP/IP sockets"_s);
    *error = tr("pg_ctl could not start the test cluster on port %1: %2\nServer log:\n%3")
                     .arg(port)
                     .arg(r.err.trimmed(), log);
    return false;
}

// If the test process dies without running destructors (crash, ctest timeout), a detached shell
// notices and takes the cluster down, so no orphaned servers pile up on the machine.
void PgFixture::startWatchdog()
{
    const QString script = u"while kill -0 \"$1\" 2>/dev/null; do sleep 2; done; "
                           "if [ -f \"$3/postmaster.pid\" ]; then "
                           "if [ \"$5\" = root ]; then runuser -u postgres -- \"$2\" -D \"$3\" -m immediate stop; "
                           "else \"$2\" -D \"$3\" -m immediate stop; fi; rm -rf \"$4\"; fi"_s;
    QProcess watchdog;
    watchdog.setProgram(u"/bin/sh"_s);
    watchdog.setArguments({ u"-c"_s, script, u"md-pg-watchdog"_s,
                            QString::number(QCoreApplication::applicationPid()), m_pgCtl,
                            dataDir(), m_dir->path(), m_asRoot ? u"root"_s : u"user"_s });
    watchdog.setStandardInputFile(QProcess::nullDevice());
    watchdog.setStandardOutputFile(QProcess::nullDevice());
    watchdog.setStandardErrorFile(QProcess::nullDevice());
    watchdog.setWorkingDirectory(u"/"_s);
    if (!watchdog.startDetached(&m_watchdogPid))
        m_watchdogPid = 0;
}

void PgFixture::stop()
{
    if (m_watchdogPid > 0) {
        ::kill(pid_t(m_watchdogPid), SIGKILL);
        m_watchdogPid = 0;
    }
    if (!m_dir) {
        m_running = false;
        return;
    }
    const QString pidFile = QDir(dataDir()).filePath(u"postmaster.pid"_s);
    if (QFile::exists(pidFile)) {
        const Result fast = run(m_pgCtl, { u"-D"_s, dataDir(), u"-m"_s, u"fast"_s, u"-w"_s,
                                           u"-t"_s, u"30"_s, u"stop"_s },
                                true, {}, 40000);
        if (!fast.ok && QFile::exists(pidFile)) {
            run(m_pgCtl, { u"-D"_s, dataDir(), u"-m"_s, u"immediate"_s, u"-w"_s, u"-t"_s,
                           u"30"_s, u"stop"_s },
                true, {}, 40000);
        }
        if (QFile::exists(pidFile)) {
            QFile file(pidFile);
            if (file.open(QIODevice::ReadOnly)) {
                const qint64 pid = file.readLine().trimmed().toLongLong();
                if (pid > 1)
                    ::kill(pid_t(pid), SIGKILL);
                QThread::msleep(200);
            }
        }
    }
    m_dir->remove();
    m_dir.reset();
    m_running = false;
    m_port = 0;
}

PgFixture::Result PgFixture::run(const QString &program, const QStringList &args,
                                 bool asServerUser, const QByteArray &input, int timeoutMs,
                                 const QProcessEnvironment &env) const
{
    QProcess process;
    if (asServerUser && m_asRoot) {
        process.setProgram(u"runuser"_s);
        process.setArguments(QStringList { u"-u"_s, u"postgres"_s, u"--"_s, program } + args);
    } else {
        process.setProgram(program);
        process.setArguments(args);
    }
    QProcessEnvironment processEnv = env.isEmpty() ? QProcessEnvironment::systemEnvironment() : env;
    // English messages, so the log can be searched for "Address already in use".
    processEnv.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    processEnv.remove(u"LANGUAGE"_s);
    process.setProcessEnvironment(processEnv);
    // The postgres user may not be able to enter the caller's working directory (e.g. /root).
    process.setWorkingDirectory(m_dir ? m_dir->path() : u"/"_s);
    if (input.isEmpty())
        process.setStandardInputFile(QProcess::nullDevice());

    Result result;
    process.start();
    if (!process.waitForStarted(30000)) {
        result.err = tr("cannot run %1: %2").arg(process.program(), process.errorString());
        return result;
    }
    if (!input.isEmpty()) {
        process.write(input);
        process.closeWriteChannel();
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        result.err = tr("%1 did not finish within %2 s").arg(program).arg(timeoutMs / 1000);
        return result;
    }
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    result.ok = process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    if (!result.ok && result.err.trimmed().isEmpty())
        result.err = tr("%1 exited with code %2").arg(program).arg(process.exitCode());
    return result;
}

PgFixture::Result PgFixture::runPsql(const QString &db, const QStringList &args,
                                     const QByteArray &input) const
{
    if (!m_running) {
        Result r;
        r.err = tr("the test cluster is not running");
        return r;
    }
    return run(m_psql, QStringList { u"-X"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s } + args, false,
               input, 300000, adminEnvironment(db));
}

QString PgFixture::psql(const QString &db, const QString &sql, bool *ok, QString *err, const char *file,
                        int line) const
{
    const Result r = runPsql(db, { u"-q"_s, u"-A"_s, u"-t"_s, u"-c"_s, sql });
    if (ok) {
        *ok = r.ok;
    } else if (!r.ok) {
        const QString message = u"psql failed on %1: %2\n  %3"_s.arg(db, r.err.trimmed(), sql);
        // Outside a Qt Test function (a benchmark) there is no test to fail.
        if (QTest::currentTestFunction())
            QTest::qFail(qPrintable(message), file, line);
        else
            qWarning("%s", qPrintable(message));
    }
    if (err)
        *err = r.err.trimmed();
    return r.out.trimmed();
}

bool PgFixture::psqlFile(const QString &db, const QString &file, QString *output,
                         bool singleTransaction) const
{
    QStringList args { u"-q"_s, u"-f"_s, file };
    if (singleTransaction)
        args.prepend(u"-1"_s);
    const Result r = runPsql(db, args);
    if (output)
        *output = r.out + r.err;
    return r.ok;
}

bool PgFixture::psqlScript(const QString &db, const QString &script, QString *output,
                           bool singleTransaction) const
{
    QStringList args { u"-q"_s, u"-f"_s, u"-"_s };
    if (singleTransaction)
        args.prepend(u"-1"_s);
    // An empty stdin would otherwise be mistaken for "no input".
    const Result r = runPsql(db, args, script.toUtf8() + '\n');
    if (output)
        *output = r.out + r.err;
    return r.ok;
}

bool PgFixture::createDatabase(const QString &name, QString *error)
{
    // Two -c options run as two autocommitted statements in one psql process.
    const Result r = runPsql(u"postgres"_s,
                             { u"-q"_s, u"-c"_s,
                               u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(quoteIdent(name)),
                               u"-c"_s, u"CREATE DATABASE %1"_s.arg(quoteIdent(name)) });
    if (!r.ok && error)
        *error = r.err.trimmed();
    return r.ok;
}

bool PgFixture::dropDatabase(const QString &name, QString *error)
{
    bool ok = false;
    QString err;
    psql(u"postgres"_s, u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(quoteIdent(name)), &ok, &err);
    if (!ok && error)
        *error = err;
    return ok;
}

bool PgFixture::enableSsl(const QString &certFile, const QString &keyFile, QString *error)
{
    // Not fail(): errorString() stays about the start.
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (!m_running)
        return fail(tr("the test cluster is not running"));
    const QDir data(dataDir());
    const QString cert = data.filePath(u"md_server.crt"_s);
    const QString key = data.filePath(u"md_server.key"_s);
    QFile::remove(cert);
    QFile::remove(key);
    // The server refuses a key that others can read, and must be able to read both as its own user.
    if (!QFile::copy(certFile, cert) || !QFile::copy(keyFile, key)
        || !QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner)
        || (m_asRoot && (!chownToServerUser(cert) || !chownToServerUser(key))))
        return fail(tr("Cannot copy the TLS certificate and key into %1.").arg(dataDir()));
    QString output;
    if (!psqlScript(u"postgres"_s, u"ALTER SYSTEM SET ssl_cert_file = %1;\nALTER SYSTEM SET ssl_key_file = %2;\n"
                                   "ALTER SYSTEM SET ssl = on;\nSELECT pg_reload_conf();\n"_s
                                       .arg(quoteLiteral(cert), quoteLiteral(key)),
                    &output))
        return fail(tr("Cannot turn TLS on: %1").arg(output.trimmed()));
    // The postmaster applies the reload asynchronously; each psql is a new session.
    for (int i = 0; i < 100; ++i) {
        bool ok = false;
        if (psql(u"postgres"_s, u"SHOW ssl"_s, &ok) == QLatin1String("on") && ok)
            return true;
        QThread::msleep(100);
    }
    return fail(tr("The server did not turn TLS on:\n%1").arg(serverLogTail()));
}

bool PgFixture::createRole(const QString &name, const QString &password, bool superuser,
                           QString *error)
{
    // Fed on stdin: the password must not appear in argv.
    const QString script =
            u"SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %1) AS md_create_role \\gset\n"
            "\\if :md_create_role\n"
            "CREATE ROLE %2;\n"
            "\\endif\n"
            "ALTER ROLE %2 WITH LOGIN %3 PASSWORD %4;\n"_s.arg(
                    quoteLiteral(name), quoteIdent(name),
                    superuser ? u"SUPERUSER"_s : u"NOSUPERUSER"_s, quoteLiteral(password));
    QString output;
    const bool ok = psqlScript(u"postgres"_s, script, &output);
    if (!ok && error)
        *error = output.trimmed();
    return ok;
}

QString PgFixture::schemaDump(const QString &db, const QStringList &excludeSchemas) const
{
    if (!m_running)
        return {};
    QStringList args { u"--schema-only"_s, u"--no-owner"_s };
    for (const QString &schema : excludeSchemas)
        args << u"--exclude-schema=%1"_s.arg(schema);
    const Result r = run(m_pgDump, args, false, {}, 300000, adminEnvironment(db));
    if (!r.ok)
        return {};
    QStringList kept;
    const QStringList lines = r.out.split(u'\n');
    for (const QString &line : lines) {
        // Versions and dates differ between dumps; \restrict carries a random key (15.14+).
        if (line.startsWith(u"-- Dumped from"_s) || line.startsWith(u"-- Dumped by"_s)
            || line.startsWith(u"-- Started on"_s) || line.startsWith(u"-- Completed on"_s)
            || line.startsWith(u"\\restrict"_s) || line.startsWith(u"\\unrestrict"_s))
            continue;
        kept << line;
    }
    return kept.join(u'\n');
}

QSqlDatabase PgFixture::openDatabase(const QString &db, const QString &connectionName) const
{
    if (QSqlDatabase::contains(connectionName))
        QSqlDatabase::removeDatabase(connectionName);
    QSqlDatabase database = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName);
    database.setHostName(host());
    database.setPort(m_port);
    database.setUserName(superuser());
    database.setPassword(m_password);
    database.setDatabaseName(db);
    database.setConnectOptions(u"connect_timeout=10"_s);
    database.open();
    return database;
}

QString PgFixture::serverLogTail() const
{
    QFile file(logFile());
    if (!file.open(QIODevice::ReadOnly))
        return tr("(no server log)");
    QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
    if (lines.size() > 20)
        lines = lines.mid(lines.size() - 20);
    return lines.join(u'\n');
}

} // namespace MigrationDesk
