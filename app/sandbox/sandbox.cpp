#include "sandbox/sandbox.h"
#include "sandbox/sandboxstate.h"
#include "sandbox/serveraccount.h"
#include "sandbox/servertools.h"

#include "db/pgconnection.h"
#include "db/sqlident.h"
#include "scheduling/demodata.h"
#include "migrations/migrationrunner.h"
#include "migrations/scriptset.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QStandardPaths>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// sun_path holds 108 bytes including the terminating NUL; stay one below what the brief allows.
constexpr int MaxSocketPathBytes = 106;
// "/.s.PGSQL." plus the longest port number.
constexpr int SocketFileNameBytes = 15;
constexpr int PortAttempts = 6;
constexpr qint64 MaxLogBytes = 4 * 1024 * 1024;

// A string value in postgresql.conf: single-quoted, with quotes and backslashes escaped.
QByteArray confString(const QString &value)
{
    QString escaped = value;
    escaped.replace(u'\\', u"\\\\"_s);
    escaped.replace(u'\'', u"''"_s);
    return "'" + escaped.toUtf8() + "'";
}

// Gives lupdate the same context ("Sandbox") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(Sandbox)
};

} // namespace

Sandbox::Sandbox(QObject *parent)
    : QObject(parent)
{
    setDirectory(defaultDirectory());
}

Sandbox::~Sandbox() = default;

QString Sandbox::defaultDirectory()
{
    // Lets scripts and tests keep several sandboxes apart without touching the user's own.
    const QString fromEnvironment = qEnvironmentVariable("MIGRATIONDESK_SANDBOX_DIR");
    if (!fromEnvironment.isEmpty())
        return QDir::cleanPath(QDir(fromEnvironment).absolutePath());
    if (ServerAccount::runningAsRoot())
        return u"/var/tmp/migrationdesk-sandbox-root"_s;
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/sandbox"_s;
}

void Sandbox::setDirectory(const QString &dir)
{
    m_directory = dir.isEmpty() ? QString() : QDir::cleanPath(QDir(dir).absolutePath());
}

QString Sandbox::dataDirectory() const
{
    return m_directory + u"/data"_s;
}

QString Sandbox::logFile() const
{
    return m_directory + u"/server.log"_s;
}

QString Sandbox::stateFile() const
{
    return m_directory + u"/sandbox.json"_s;
}

QString Sandbox::socketDirectory() const
{
    if (QFile::encodeName(m_directory).size() + SocketFileNameBytes <= MaxSocketPathBytes)
        return m_directory;
    // Derived from the sandbox folder, so every process that opens this sandbox finds the same socket.
    const QByteArray hash = QCryptographicHash::hash(QFile::encodeName(m_directory), QCryptographicHash::Sha1);
    return u"/tmp/mdsb-"_s + QString::fromLatin1(hash.toHex().left(12));
}

void Sandbox::setDemoSize(qint64 employees, qint64 schedules)
{
    m_demoEmployees = employees;
    m_demoSchedules = schedules;
}

void Sandbox::setProgramSearchPath(const QStringList &dirs)
{
    m_programSearchPath = dirs;
}

std::optional<ConnectionSettings> Sandbox::ensureRunning(QString *error)
{
    m_cancelled = false;
    QString message;
    const std::optional<ConnectionSettings> settings = bringUp(&message);
    if (!settings && error)
        *error = redactSecrets(message);
    return settings;
}

std::optional<ConnectionSettings> Sandbox::bringUp(QString *error)
{
    Q_EMIT progress(Text::tr("Looking for PostgreSQL"), 0);
    const std::optional<ServerTools> tools = ServerTools::find(dataDirectory(), m_programSearchPath, error);
    if (!tools || !prepareDirectory(error))
        return std::nullopt;

    QLockFile lock(m_directory + u"/sandbox.lock"_s);
    if (!lockDirectory(lock, error))
        return std::nullopt;

    if (!QFileInfo::exists(dataDirectory() + u"/PG_VERSION"_s) && !initCluster(*tools, error))
        return std::nullopt;
    if (!checkCancelled(error))
        return std::nullopt;

    SandboxState state = SandboxState::read(stateFile());
    const int livePort = isRunning() ? runningPort() : 0;
    if (livePort > 0) {
        state.port = livePort;
    } else if (!startServer(*tools, &state, error)) {
        return std::nullopt;
    }
    if (!saveState(state, error) || !checkCancelled(error))
        return std::nullopt;

    ConnectionSettings settings;
    settings.host = socketDirectory();
    settings.port = state.port;
    settings.user = ServerAccount::osUserName();
    settings.database = u"postgres"_s;

    // Created only when missing: a later start finds it and goes on.
    Q_EMIT progress(Text::tr("Preparing the database %1").arg(databaseName()), 40);
    bool created = false;
    if (!createDatabase(settings, &created, error) || !checkCancelled(error))
        return std::nullopt;
    settings.database = databaseName();

    if (!upgradeToHead(settings, error) || !checkCancelled(error))
        return std::nullopt;

    // A database someone dropped and we re-created is empty again, whatever sandbox.json remembers.
    if (!state.demoFilled || created) {
        state.demoFilled = false;
        if (!fillDemoData(settings, error))
            return std::nullopt;
        state.demoFilled = true;
        if (!saveState(state, error))
            return std::nullopt;
    }
    Q_EMIT progress(Text::tr("The sandbox is ready"), 100);
    return settings;
}

bool Sandbox::prepareDirectory(QString *error) const
{
    if (m_directory.isEmpty()) {
        *error = Text::tr("No folder is set for the local sandbox.");
        return false;
    }
    QString why;
    if (!QDir().mkpath(m_directory) || !ServerAccount::claimDirectory(m_directory, &why)) {
        *error = Text::tr("Cannot use %1 for the local sandbox: %2").arg(m_directory, why);
        return false;
    }
    if (ServerAccount::runningAsRoot()) {
        // Every folder above must be enterable by postgres; /root is not.
        const ServerAccount::ProcessResult reach = ServerAccount::run(u"test"_s, {u"-w"_s, m_directory, u"-a"_s, u"-x"_s, m_directory},
                                                     30000);
        if (!reach.ok) {
            *error = Text::tr("Running as root, the sandbox server runs as the postgres system user, which cannot "
                        "reach %1. Choose a folder outside /root, for example under /var/tmp.")
                             .arg(m_directory);
            return false;
        }
    }
    return true;
}

bool Sandbox::lockDirectory(QLockFile &lock, QString *error)
{
    // Only a dead owner makes the lock stale: a first start with initdb and demo data takes a while.
    lock.setStaleLockTime(0);
    bool announced = false;
    while (!lock.tryLock(250)) {
        if (lock.error() != QLockFile::LockFailedError) {
            *error = Text::tr("Cannot lock the sandbox folder %1.").arg(m_directory);
            return false;
        }
        if (!checkCancelled(error))
            return false;
        if (!announced) {
            announced = true;
            Q_EMIT progress(Text::tr("Waiting for another MigrationDesk that is starting the sandbox"), 0);
        }
    }
    return true;
}

bool Sandbox::initCluster(const ServerTools &tools, QString *error)
{
    const QDir data(dataDirectory());
    if (data.exists() && !data.isEmpty()) {
        *error = Text::tr("%1 is not empty but holds no PostgreSQL cluster; remove it to let the sandbox start afresh.")
                         .arg(dataDirectory());
        return false;
    }
    Q_EMIT progress(Text::tr("Creating the sandbox cluster (initdb)"), 5);
    // Trust is safe on the socket because only its owner can open it (unix_socket_permissions = 0700);
    // no role has a password, so TCP stays closed until the user sets one.
    const ServerAccount::ProcessResult r = ServerAccount::run(
            tools.initdb,
            {u"-D"_s, dataDirectory(), u"-E"_s, u"UTF8"_s, u"--locale=C.UTF-8"_s, u"-U"_s, ServerAccount::osUserName(),
             u"--auth-local=trust"_s, u"--auth-host=scram-sha-256"_s, u"--no-instructions"_s},
            300000);
    if (!r.ok) {
        *error = Text::tr("initdb could not create the sandbox cluster in %1:\n%2").arg(dataDirectory(), r.output.trimmed());
        return false;
    }
    const QByteArray hba = "# MigrationDesk sandbox: the Unix socket (mode 0700) is trusted; TCP needs a password.\n"
                           "local all all trust\n"
                           "host all all 127.0.0.1/32 scram-sha-256\n";
    const QByteArray include = "\n# MigrationDesk sandbox: port and socket folder, rewritten at every start.\n"
                               "include_if_exists = 'migrationdesk.conf'\n";
    if (!ServerAccount::writeServerFile(data.filePath(u"pg_hba.conf"_s), hba, QIODevice::WriteOnly | QIODevice::Truncate)
        || !ServerAccount::writeServerFile(data.filePath(u"postgresql.conf"_s), include, QIODevice::Append)) {
        *error = Text::tr("Cannot write the sandbox's configuration in %1.").arg(dataDirectory());
        return false;
    }
    return true;
}

bool Sandbox::writeConfig(int port, QString *error) const
{
    // unix_socket_directories is a list: the double quotes keep a comma in the path from splitting it.
    QString socketDir = socketDirectory();
    socketDir.replace(u'"', u"\"\""_s);
    const QByteArray conf = "listen_addresses = '127.0.0.1'\n"
                            "port = " + QByteArray::number(port) + "\n"
                            "unix_socket_directories = " + confString(u'"' + socketDir + u'"') + "\n"
                            "unix_socket_permissions = 0700\n"
                            "max_connections = 30\n"
                            "shared_buffers = 32MB\n";
    const QString path = dataDirectory() + u"/migrationdesk.conf"_s;
    if (!ServerAccount::writeServerFile(path, conf, QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = Text::tr("Cannot write the sandbox's configuration in %1.").arg(dataDirectory());
        return false;
    }
    return true;
}

bool Sandbox::prepareSocketDirectory(QString *error) const
{
    const QString dir = socketDirectory();
    QString why;
    if (dir != m_directory && !ServerAccount::claimDirectory(dir, &why)) {
        *error = Text::tr("Cannot use %1 for the sandbox's Unix socket: %2").arg(dir, why);
        return false;
    }
    return true;
}

bool Sandbox::startServer(const ServerTools &tools, SandboxState *state, QString *error)
{
    Q_EMIT progress(Text::tr("Starting the sandbox server"), 25);
    if (!prepareSocketDirectory(error))
        return false;
    if (QFileInfo(logFile()).size() > MaxLogBytes)
        QFile::remove(logFile());

    // The port of the last run keeps URLs the user copied working; another program may have taken it since.
    int port = state->port > 0 ? ServerAccount::bindLoopback(state->port) : 0;
    QString lastError;
    for (int attempt = 0; attempt < PortAttempts; ++attempt) {
        if (port == 0)
            port = ServerAccount::bindLoopback(0);
        if (port == 0) {
            *error = Text::tr("Cannot find a free TCP port on 127.0.0.1 for the sandbox.");
            return false;
        }
        if (!writeConfig(port, error))
            return false;
        const qint64 logSizeBefore = QFileInfo(logFile()).size();
        const ServerAccount::ProcessResult r = ServerAccount::run(
                tools.pgCtl, {u"-D"_s, dataDirectory(), u"-l"_s, logFile(), u"-w"_s, u"-t"_s, u"60"_s, u"start"_s},
                90000);
        if (r.ok) {
            state->port = port;
            return true;
        }
        // Only this attempt's part of the log tells whether the port was the problem.
        QString log;
        QFile file(logFile());
        if (file.open(QIODevice::ReadOnly) && file.seek(qMin(logSizeBefore, file.size())))
            log = QString::fromUtf8(file.readAll());
        lastError = Text::tr("pg_ctl could not start the sandbox on port %1:\n%2\nServer log:\n%3")
                            .arg(port)
                            .arg(r.output.trimmed(), serverLogTail());
        if (!log.contains(u"could not bind"_s) && !log.contains(u"could not create any TCP/IP sockets"_s))
            break;
        port = 0;
    }
    *error = lastError;
    return false;
}

bool Sandbox::createDatabase(const ConnectionSettings &settings, bool *created, QString *error)
{
    PgConnection connection;
    if (!connection.open(settings, error))
        return false;
    SqlError sqlError;
    const auto rows = connection.query(u"SELECT 1 FROM pg_database WHERE datname = $1"_s, {databaseName()}, &sqlError);
    if (!rows) {
        *error = Text::tr("Cannot look for the sandbox database: %1").arg(sqlError.toString());
        return false;
    }
    *created = rows->isEmpty();
    if (*created && !connection.exec(u"CREATE DATABASE "_s + quoteIdentifier(databaseName()), &sqlError)) {
        *error = Text::tr("Cannot create the sandbox database: %1").arg(sqlError.toString());
        return false;
    }
    return true;
}

bool Sandbox::upgradeToHead(const ConnectionSettings &settings, QString *error)
{
    Q_EMIT progress(Text::tr("Upgrading the sandbox database to head"), 45);
    const ScriptSet scripts = ScriptSet::load(ScriptSet::bundledLocation());
    if (!scripts.isValid()) {
        *error = Text::tr("The bundled migrations are broken:\n%1").arg(scripts.errorText());
        return false;
    }
    MigrationRunner runner(scripts, settings, RunOptions{});
    connect(&runner, &MigrationRunner::stepStarted, this,
            [this](int step, int count, const QString &revision, bool) {
                Q_EMIT progress(Text::tr("Upgrading the sandbox database: %1").arg(revision),
                                45 + 20 * step / qMax(1, count));
            });
    const RunResult result = runner.upgrade(u"head"_s);
    if (!result.ok()) {
        *error = Text::tr("Cannot upgrade the sandbox database to head: %1").arg(result.error);
        return false;
    }
    return true;
}

bool Sandbox::fillDemoData(const ConnectionSettings &settings, QString *error)
{
    Q_EMIT progress(Text::tr("Filling the sandbox with demo data"), 70);
    PgConnection connection;
    if (!connection.open(settings, error))
        return false;
    DemoDataOptions options;
    options.employees = m_demoEmployees;
    options.schedules = m_demoSchedules;
    int lastPercent = 70;
    const auto onProgress = [this, &lastPercent](qint64 done, qint64 total) {
        const int percent = 70 + int(29 * done / qMax<qint64>(1, total));
        if (percent != lastPercent) {
            lastPercent = percent;
            Q_EMIT progress(Text::tr("Filling the sandbox with demo data"), percent);
        }
    };
    QString generateError;
    if (!DemoDataGenerator::generate(connection, options, onProgress, &m_cancelled, &generateError)) {
        // The generator adds nothing when it fails, so the next start fills the database afresh.
        if (checkCancelled(error))
            *error = Text::tr("Cannot fill the sandbox with demo data: %1").arg(generateError);
        return false;
    }
    return true;
}

bool Sandbox::isRunning() const
{
    QString ignored;
    const std::optional<ServerTools> tools = ServerTools::find(dataDirectory(), m_programSearchPath, &ignored);
    if (!tools || !QFileInfo::exists(dataDirectory() + u"/postmaster.pid"_s))
        return false;
    // pg_ctl status also sees through a postmaster.pid left behind by a crash.
    return ServerAccount::run(tools->pgCtl, {u"-D"_s, dataDirectory(), u"status"_s}, 30000).ok;
}

bool Sandbox::stop(QString *error)
{
    QString message;
    const std::optional<ServerTools> tools = ServerTools::find(dataDirectory(), m_programSearchPath, &message);
    if (!QFileInfo::exists(dataDirectory() + u"/postmaster.pid"_s))
        return true;
    if (!tools) {
        if (error)
            *error = message;
        return false;
    }
    Q_EMIT progress(Text::tr("Stopping the sandbox server"), 0);
    const ServerAccount::ProcessResult r = ServerAccount::run(
            tools->pgCtl, {u"-D"_s, dataDirectory(), u"-m"_s, u"fast"_s, u"-w"_s, u"-t"_s, u"60"_s, u"stop"_s}, 90000);
    if (r.ok || !isRunning()) {
        Q_EMIT progress(Text::tr("The sandbox server is stopped"), 100);
        return true;
    }
    if (error)
        *error = Text::tr("pg_ctl could not stop the sandbox:\n%1").arg(r.output.trimmed());
    return false;
}

int Sandbox::runningPort() const
{
    // postmaster.pid: pid, data directory, start time, port, socket directory, listen address, ...
    QFile file(dataDirectory() + u"/postmaster.pid"_s);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> lines = file.readAll().split('\n');
    return lines.size() > 3 ? lines.at(3).trimmed().toInt() : 0;
}

bool Sandbox::saveState(const SandboxState &state, QString *error) const
{
    return state.write(stateFile(), socketDirectory(), databaseName(), ServerAccount::osUserName(), error);
}

QString Sandbox::serverLogTail() const
{
    QFile file(logFile());
    if (!file.open(QIODevice::ReadOnly))
        return Text::tr("(no server log)");
    QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
    return lines.mid(qMax(0, int(lines.size()) - 15)).join(u'\n');
}

bool Sandbox::checkCancelled(QString *error) const
{
    if (!m_cancelled)
        return true;
    *error = Text::tr("Starting the sandbox was cancelled.");
    return false;
}

} // namespace MigrationDesk
