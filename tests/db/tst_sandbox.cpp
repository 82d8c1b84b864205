// The local sandbox against the real PostgreSQL server programs: first start (initdb, start, upgrade,
// demo data), reuse by a second object, stop and restart, a machine without initdb, and a folder whose
// path is too long for a Unix socket. Every cluster started here is stopped before its folder goes away.
#include "db/connectionsettings.h"
#include "db/pgconnection.h"
#include "migrations/scriptset.h"
#include "sandbox/sandbox.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QScopeGuard>
#include <QtTest>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 DemoEmployees = 40;
constexpr qint64 DemoSchedules = 300;

bool isRoot()
{
    return ::geteuid() == 0;
}

uid_t serverUid()
{
    if (!isRoot())
        return ::geteuid();
    const passwd *pw = ::getpwnam("postgres");
    return pw ? pw->pw_uid : uid_t(-1);
}

// The first column of the first row, or "<error: ...>" so a QCOMPARE shows what went wrong.
QString scalar(const ConnectionSettings &settings, const QString &sql)
{
    PgConnection connection;
    QString error;
    if (!connection.open(settings, &error))
        return u"<error: "_s + error + u'>';
    SqlError sqlError;
    const auto rows = connection.query(sql, {}, &sqlError);
    if (!rows)
        return u"<error: "_s + sqlError.toString() + u'>';
    return rows->isEmpty() ? QString() : rows->first().value(0);
}

bool canConnect(const ConnectionSettings &settings)
{
    PgConnection connection;
    QString error;
    return connection.open(settings, &error);
}

QString postmasterPid(const Sandbox &sandbox)
{
    QFile file(sandbox.dataDirectory() + u"/postmaster.pid"_s);
    return file.open(QIODevice::ReadOnly) ? QString::fromLatin1(file.readLine().trimmed()) : QString();
}

QJsonObject stateFile(const Sandbox &sandbox)
{
    QFile file(sandbox.directory() + u"/sandbox.json"_s);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}

// Stops the sandbox (and removes its /tmp socket folder) when a test function ends, pass or fail, before
// the test's temporary folder is deleted under a running server.
auto stopAtEnd(const QString &dir)
{
    return qScopeGuard([dir] {
        Sandbox sandbox;
        sandbox.setDirectory(dir);
        QString error;
        if (!sandbox.stop(&error))
            qWarning("could not stop the sandbox in %s: %s", qPrintable(dir), qPrintable(error));
        if (sandbox.socketDirectory() != dir)
            QDir(sandbox.socketDirectory()).removeRecursively();
    });
}

} // namespace

class TestSandbox : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void defaultDirectoryIsReachable();
    void firstStartCreatesMigratesAndFills();
    void secondObjectReusesTheRunningCluster();
    void stopThenEnsureRunningRestarts();
    void missingInitdbNamesThePackage();
    void longDirectoryKeepsTheSocketPathShort();
    void unreachableDirectoryIsRefused();
    void cancelDuringDemoFillAddsNothing();

private:
    // A short folder under /tmp that the server user owns (the postgres user cannot enter root's 0700
    // temporary folders otherwise).
    std::unique_ptr<QTemporaryDir> makeTempDir();

    std::unique_ptr<QTemporaryDir> m_root;
    QString m_mainDir;
    QString m_head;
};

std::unique_ptr<QTemporaryDir> TestSandbox::makeTempDir()
{
    auto dir = std::make_unique<QTemporaryDir>(u"/tmp/mdsbt-XXXXXX"_s);
    if (!dir->isValid())
        return nullptr;
    if (isRoot()) {
        const passwd *pw = ::getpwnam("postgres");
        if (!pw || ::chown(QFile::encodeName(dir->path()).constData(), pw->pw_uid, pw->pw_gid) != 0)
            return nullptr;
    }
    return dir;
}

void TestSandbox::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_root = makeTempDir();
    QVERIFY2(m_root, "cannot create a temporary folder for the sandbox under /tmp");
    m_mainDir = m_root->filePath(u"sb"_s);

    const ScriptSet scripts = ScriptSet::load(ScriptSet::bundledLocation());
    QVERIFY2(scripts.isValid(), qPrintable(scripts.errorText()));
    QCOMPARE(scripts.graph().heads().size(), 1);
    m_head = scripts.graph().heads().constFirst();
}

void TestSandbox::cleanupTestCase()
{
    const auto guard = stopAtEnd(m_mainDir);
}

void TestSandbox::defaultDirectoryIsReachable()
{
    const QString dir = Sandbox::defaultDirectory();
    if (isRoot()) {
        // /root is closed to the postgres user that runs the server.
        QCOMPARE(dir, u"/var/tmp/migrationdesk-sandbox-root"_s);
    } else {
        QCOMPARE(dir, QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/sandbox"_s);
    }
    QCOMPARE(Sandbox().directory(), dir);
}

void TestSandbox::firstStartCreatesMigratesAndFills()
{
    Sandbox sandbox;
    sandbox.setDirectory(m_mainDir);
    sandbox.setDemoSize(DemoEmployees, DemoSchedules);
    QCOMPARE(sandbox.directory(), m_mainDir);
    QVERIFY(!sandbox.isRunning());

    QSignalSpy progress(&sandbox, &Sandbox::progress);
    QString error;
    const std::optional<ConnectionSettings> settings = sandbox.ensureRunning(&error);
    QVERIFY2(settings, qPrintable(error));
    QVERIFY(sandbox.isRunning());

    QCOMPARE(settings->host, sandbox.socketDirectory());
    QCOMPARE(settings->host, m_mainDir); // short enough to hold the socket itself
    QVERIFY(settings->port > 0);
    QCOMPARE(settings->database, u"migrationdesk"_s);
    QVERIFY(!settings->user.isEmpty());
    QVERIFY(settings->password.isEmpty());
    QVERIFY(QFileInfo::exists(settings->host + u"/.s.PGSQL."_s + QString::number(settings->port)));

    QCOMPARE(scalar(*settings, u"SELECT string_agg(version_num, ',') FROM alembic_version"_s), m_head);
    QCOMPARE(scalar(*settings, u"SELECT count(*) FROM employees"_s), QString::number(DemoEmployees));
    QCOMPARE(scalar(*settings, u"SELECT count(*) FROM schedules"_s), QString::number(DemoSchedules));
    QCOMPARE(scalar(*settings, u"SELECT pg_encoding_to_char(encoding) FROM pg_database "
                               "WHERE datname = current_database()"_s),
             u"UTF8"_s);
    QCOMPARE(scalar(*settings, u"SHOW listen_addresses"_s), u"127.0.0.1"_s);
    QCOMPARE(scalar(*settings, u"SHOW unix_socket_permissions"_s), u"0700"_s);
    QCOMPARE(scalar(*settings, u"SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"_s), u"true"_s);

    // Trust is for the private socket only: over loopback TCP the password nobody has is required.
    ConnectionSettings tcp = *settings;
    tcp.host = u"127.0.0.1"_s;
    QVERIFY(!canConnect(tcp));

    // The cluster and its socket folder belong to the server user and nobody else may enter.
    struct stat info {};
    QCOMPARE(::stat(QFile::encodeName(m_mainDir).constData(), &info), 0);
    QCOMPARE(info.st_uid, serverUid());
    QCOMPARE(int(info.st_mode & 0777), 0700);
    QCOMPARE(::stat(QFile::encodeName(sandbox.dataDirectory()).constData(), &info), 0);
    QCOMPARE(info.st_uid, serverUid());

    const QJsonObject state = stateFile(sandbox);
    QCOMPARE(state.value(u"port"_s).toInt(), settings->port);
    QCOMPARE(state.value(u"demoFilled"_s).toBool(), true);

    QVERIFY(progress.size() >= 5);
    int last = -1;
    for (const QList<QVariant> &signal : std::as_const(progress)) {
        QVERIFY(!signal.at(0).toString().isEmpty());
        const int percent = signal.at(1).toInt();
        QVERIFY2(percent >= last, qPrintable(u"progress went back from %1 to %2"_s.arg(last).arg(percent)));
        last = percent;
    }
    QCOMPARE(last, 100);
}

void TestSandbox::secondObjectReusesTheRunningCluster()
{
    Sandbox first;
    first.setDirectory(m_mainDir);
    QVERIFY2(first.isRunning(), "firstStartCreatesMigratesAndFills must leave the sandbox running");
    const QString pidBefore = postmasterPid(first);
    QVERIFY(!pidBefore.isEmpty());

    QString error;
    std::optional<ConnectionSettings> settings = first.ensureRunning(&error);
    QVERIFY2(settings, qPrintable(error));
    {
        PgConnection connection;
        QVERIFY2(connection.open(*settings, &error), qPrintable(error));
        SqlError sqlError;
        QVERIFY2(connection.exec(u"CREATE TABLE sandbox_marker (note text); "
                                 "INSERT INTO sandbox_marker VALUES ('kept')"_s, &sqlError),
                 qPrintable(sqlError.toString()));
    }

    Sandbox second;
    second.setDirectory(m_mainDir);
    second.setDemoSize(DemoEmployees * 10, DemoSchedules * 10);
    const std::optional<ConnectionSettings> again = second.ensureRunning(&error);
    QVERIFY2(again, qPrintable(error));
    QVERIFY(*again == *settings);
    QCOMPARE(postmasterPid(second), pidBefore); // not restarted
    QCOMPARE(scalar(*again, u"SELECT note FROM sandbox_marker"_s), u"kept"_s); // not re-created
    QCOMPARE(scalar(*again, u"SELECT count(*) FROM employees"_s), QString::number(DemoEmployees)); // not refilled
    QCOMPARE(scalar(*again, u"SELECT count(*) FROM schedules"_s), QString::number(DemoSchedules));
}

void TestSandbox::stopThenEnsureRunningRestarts()
{
    Sandbox sandbox;
    sandbox.setDirectory(m_mainDir);
    sandbox.setDemoSize(DemoEmployees * 10, DemoSchedules * 10);
    QString error;
    const std::optional<ConnectionSettings> before = sandbox.ensureRunning(&error);
    QVERIFY2(before, qPrintable(error));
    QVERIFY(canConnect(*before));

    QVERIFY2(sandbox.stop(&error), qPrintable(error));
    QVERIFY(!sandbox.isRunning());
    QVERIFY(!canConnect(*before));
    QVERIFY(!QFileInfo::exists(sandbox.dataDirectory() + u"/postmaster.pid"_s));
    // Stopping a stopped sandbox is not an error.
    QVERIFY2(sandbox.stop(&error), qPrintable(error));

    const std::optional<ConnectionSettings> after = sandbox.ensureRunning(&error);
    QVERIFY2(after, qPrintable(error));
    QVERIFY(sandbox.isRunning());
    QCOMPARE(after->port, before->port); // the stored port is reused while it is free
    QCOMPARE(scalar(*after, u"SELECT note FROM sandbox_marker"_s), u"kept"_s);
    QCOMPARE(scalar(*after, u"SELECT count(*) FROM employees"_s), QString::number(DemoEmployees));
    QCOMPARE(scalar(*after, u"SELECT string_agg(version_num, ',') FROM alembic_version"_s), m_head);
}

void TestSandbox::missingInitdbNamesThePackage()
{
    const auto root = makeTempDir();
    QVERIFY(root);
    QTemporaryDir emptyBin;
    QVERIFY(emptyBin.isValid());
    // Only pg_ctl present: initdb is what is missing.
    QFile fakePgCtl(emptyBin.filePath(u"pg_ctl"_s));
    QVERIFY(fakePgCtl.open(QIODevice::WriteOnly));
    fakePgCtl.write("#!/bin/sh\nexit 1\n");
    fakePgCtl.close();
    QVERIFY(fakePgCtl.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));

    Sandbox sandbox;
    sandbox.setDirectory(root->filePath(u"sb"_s));
    sandbox.setProgramSearchPath({emptyBin.path()});
    QString error;
    QVERIFY(!sandbox.ensureRunning(&error));
    QVERIFY2(error.contains(u"initdb"_s), qPrintable(error));
    QVERIFY2(error.contains(u"install the Debian package postgresql."_s), qPrintable(error));
    QVERIFY(!QFileInfo::exists(sandbox.dataDirectory()));
    QVERIFY(!sandbox.isRunning());
}

void TestSandbox::longDirectoryKeepsTheSocketPathShort()
{
    const auto root = makeTempDir();
    QVERIFY(root);
    const QString dir = root->filePath(QString(90, u'd') + u"/sandbox"_s);
    QVERIFY(QFile::encodeName(dir).size() > 107);

    Sandbox sandbox;
    sandbox.setDirectory(dir);
    sandbox.setDemoSize(5, 20);
    QVERIFY(sandbox.socketDirectory() != dir);
    const auto guard = stopAtEnd(dir);
    QString error;
    const std::optional<ConnectionSettings> settings = sandbox.ensureRunning(&error);
    QVERIFY2(settings, qPrintable(error));
    QCOMPARE(settings->host, sandbox.socketDirectory());
    const QByteArray socketPath =
            QFile::encodeName(settings->host + u"/.s.PGSQL."_s + QString::number(settings->port));
    QVERIFY2(socketPath.size() < 107, socketPath.constData());
    QVERIFY(QFileInfo::exists(QFile::decodeName(socketPath)));
    struct stat info {};
    QCOMPARE(::lstat(QFile::encodeName(settings->host).constData(), &info), 0);
    QVERIFY(S_ISDIR(info.st_mode));
    QCOMPARE(info.st_uid, serverUid());
    QCOMPARE(int(info.st_mode & 0777), 0700);

    QCOMPARE(scalar(*settings, u"SELECT count(*) FROM employees"_s), u"5"_s);

    // Another object on the same long folder finds the same socket.
    Sandbox other;
    other.setDirectory(dir);
    QCOMPARE(other.socketDirectory(), sandbox.socketDirectory());
    QVERIFY(other.isRunning());
    QVERIFY2(other.stop(&error), qPrintable(error));
    QVERIFY(!canConnect(*settings));
}

void TestSandbox::unreachableDirectoryIsRefused()
{
    QTemporaryDir parent(u"/tmp/mdsbt-XXXXXX"_s);
    QVERIFY(parent.isValid());
    // As root the folder stays root's and private, so the postgres user cannot enter it (like /root);
    // as anyone else it is read-only, so the sandbox folder cannot even be made.
    if (!isRoot())
        QVERIFY(QFile::setPermissions(parent.path(), QFile::ReadOwner | QFile::ExeOwner));
    Sandbox sandbox;
    sandbox.setDirectory(parent.filePath(u"sb"_s));
    QString error;
    QVERIFY(!sandbox.ensureRunning(&error));
    QVERIFY2(error.contains(sandbox.directory()), qPrintable(error));
    if (isRoot())
        QVERIFY2(error.contains(u"postgres system user"_s) && error.contains(u"/var/tmp"_s), qPrintable(error));
    QVERIFY(!QFileInfo::exists(sandbox.dataDirectory()));
    QFile::setPermissions(parent.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

void TestSandbox::cancelDuringDemoFillAddsNothing()
{
    const auto root = makeTempDir();
    QVERIFY(root);
    const QString dir = root->filePath(u"sb"_s);
    Sandbox sandbox;
    sandbox.setDirectory(dir);
    sandbox.setDemoSize(DemoEmployees, DemoSchedules);
    // Direct connection: the flag is set on this thread before the generator sends its first chunk.
    bool cancelSent = false;
    connect(&sandbox, &Sandbox::progress, this, [&](const QString &, int percent) {
        if (percent >= 70 && percent < 100 && !cancelSent) {
            cancelSent = true;
            sandbox.cancel();
        }
    });
    const auto guard = stopAtEnd(dir);
    QString error;
    QVERIFY(!sandbox.ensureRunning(&error));
    QVERIFY(cancelSent);
    QVERIFY2(error.contains(u"cancel"_s), qPrintable(error));
    QCOMPARE(stateFile(sandbox).value(u"demoFilled"_s).toBool(), false);

    // The next start finishes the job exactly once.
    sandbox.disconnect(this);
    const std::optional<ConnectionSettings> settings = sandbox.ensureRunning(&error);
    QVERIFY2(settings, qPrintable(error));
    QCOMPARE(scalar(*settings, u"SELECT count(*) FROM employees"_s), QString::number(DemoEmployees));
    QCOMPARE(scalar(*settings, u"SELECT count(*) FROM schedules"_s), QString::number(DemoSchedules));
    QCOMPARE(stateFile(sandbox).value(u"demoFilled"_s).toBool(), true);
    QVERIFY2(sandbox.stop(&error), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestSandbox)
#include "tst_sandbox.moc"
