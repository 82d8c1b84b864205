// Starts the real migrationdesk executable: --help, --version and usage errors with no display at all,
// then the --self-test start-up (window shown and painted, then quit) on the offscreen platform.
#include "db/pgconnection.h"
#include "pgfixture.h"
#include "sandbox/sandbox.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

struct Result
{
    bool finished = false;
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    QString out;
    QString err;
};

// No platform plugin can load here: no QT_QPA_PLATFORM, no X11 or Wayland display. Settings and
// connection sources are isolated from the user running the tests.
QProcessEnvironment headlessEnvironment(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(u"PG"_s) || key.startsWith(u"POSTGRES_"_s) || key == u"DATABASE_URL"_s)
            env.remove(key);
    }
    for (const char *key : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "QT_QPA_PLATFORMTHEME"})
        env.remove(QString::fromLatin1(key));
    env.insert(u"HOME"_s, home);
    env.insert(u"XDG_CONFIG_HOME"_s, home + u"/config"_s);
    env.insert(u"XDG_RUNTIME_DIR"_s, home);
    // No session bus: a keychain lookup must not wait for one.
    env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path="_s + home + u"/no-bus"_s);
    return env;
}

Result run(const QStringList &args, const QProcessEnvironment &env, int timeoutMs = 60000)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(MD_GUI_PATH), args);
    Result r;
    if (!process.waitForStarted(10000))
        return r;
    r.finished = process.waitForFinished(timeoutMs);
    if (!r.finished) {
        process.kill();
        process.waitForFinished();
    }
    r.exitCode = process.exitCode();
    r.exitStatus = process.exitStatus();
    r.out = QString::fromUtf8(process.readAllStandardOutput());
    r.err = QString::fromUtf8(process.readAllStandardError());
    return r;
}

} // namespace

class TstSmoke : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void versionWithoutDisplay();
    void helpWithoutDisplay();
    void usageErrorsWithoutDisplay_data();
    void usageErrorsWithoutDisplay();
    void selfTestOffscreen();
    void selfTestConnectingFromEnvironment();
    void sigtermClosesTheAppAndStopsTheSandbox();

private:
    QTemporaryDir m_home;
};

void TstSmoke::initTestCase()
{
    QVERIFY(m_home.isValid());
    QVERIFY2(QFileInfo(QStringLiteral(MD_GUI_PATH)).isExecutable(), MD_GUI_PATH);
    // Without a display a normal start cannot work: proves the environment really is headless.
    const Result normal = run({u"--view"_s, u"trash"_s}, headlessEnvironment(m_home.path()), 30000);
    QVERIFY(normal.finished);
    QVERIFY(normal.exitStatus == QProcess::CrashExit || normal.exitCode != 0);
}

void TstSmoke::versionWithoutDisplay()
{
    const Result r = run({u"--version"_s}, headlessEnvironment(m_home.path()));
    QVERIFY(r.finished);
    QCOMPARE(r.exitStatus, QProcess::NormalExit);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, u"migrationdesk %1\n"_s.arg(QStringLiteral(MIGRATIONDESK_VERSION)));
    QCOMPARE(r.err, QString());
}

void TstSmoke::helpWithoutDisplay()
{
    // Qt's own options before ours must not get in the way, and --help wins over everything else.
    const Result r = run({u"-platform"_s, u"xcb"_s, u"--view"_s, u"tables"_s, u"--help"_s},
                         headlessEnvironment(m_home.path()));
    QVERIFY(r.finished);
    QCOMPARE(r.exitStatus, QProcess::NormalExit);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith(u"Usage: migrationdesk"_s), qPrintable(r.out));
    for (const QString &option : {u"--url URL"_s, u"--profile NAME"_s, u"--migrations DIR"_s,
                                  u"--version-table NAME"_s, u"--view VIEW"_s, u"--table NAME"_s,
                                  u"--schema SCHEMA"_s, u"--version"_s, u"DATABASE_URL"_s}) {
        QVERIFY2(r.out.contains(option), qPrintable(option));
    }
    QVERIFY(!r.out.contains(u"self-test"_s));
    QCOMPARE(r.err, QString());
}

void TstSmoke::usageErrorsWithoutDisplay_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option") << QStringList{u"--bogus"_s} << u"Unknown option --bogus"_s;
    QTest::newRow("stray argument") << QStringList{u"extra"_s} << u"Unexpected argument extra"_s;
    QTest::newRow("bad view") << QStringList{u"--view"_s, u"tabels"_s} << u"--view must be"_s;
    QTest::newRow("missing value") << QStringList{u"--view"_s} << u"--view needs a value"_s;
    QTest::newRow("table with another view")
        << QStringList{u"--view"_s, u"trash"_s, u"--table"_s, u"orders"_s} << u"--table opens the tables view"_s;
    QTest::newRow("schema without table") << QStringList{u"--schema"_s, u"audit"_s} << u"--schema needs --table"_s;
    QTest::newRow("bad url") << QStringList{u"--url"_s, u"mysql://u:topsecret@h/db"_s} << u"Invalid --url"_s;
    QTest::newRow("bad version table")
        << QStringList{u"--version-table"_s, u"a.b.c"_s} << u"Invalid --version-table"_s;
    QTest::newRow("missing migrations")
        << QStringList{u"--migrations=/nonexistent/scripts"_s} << u"/nonexistent/scripts does not exist"_s;
}

void TstSmoke::usageErrorsWithoutDisplay()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Result r = run(args, headlessEnvironment(m_home.path()));
    QVERIFY(r.finished);
    QCOMPARE(r.exitStatus, QProcess::NormalExit);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY2(r.err.contains(u"--help"_s), qPrintable(r.err));
    QVERIFY(!r.err.contains(u"topsecret"_s));
    QCOMPARE(r.out, QString());
}

void TstSmoke::selfTestOffscreen()
{
    const Result r = run({u"-platform"_s, u"offscreen"_s, u"--self-test"_s, u"--view"_s, u"schedules"_s},
                         headlessEnvironment(m_home.path()));
    QVERIFY2(r.finished, "the self-test did not quit");
    QCOMPARE(r.exitStatus, QProcess::NormalExit);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
}

void TstSmoke::selfTestConnectingFromEnvironment()
{
    // Quitting while the worker thread is still connecting must shut down cleanly.
    PgFixture &pg = PgFixture::shared();
    QVERIFY2(pg.isRunning() || pg.start(), qPrintable(pg.errorString()));
    QVERIFY(pg.createDatabase(u"shell_smoke"_s));
    QProcessEnvironment env = headlessEnvironment(m_home.path());
    env.insert(u"DATABASE_URL"_s, pg.url(u"shell_smoke"_s));
    const Result r = run({u"-platform"_s, u"offscreen"_s, u"--self-test"_s, u"--view"_s, u"tables"_s, u"--table"_s,
                          u"orders"_s},
                         env);
    QVERIFY2(r.finished, "the self-test did not quit");
    QCOMPARE(r.exitStatus, QProcess::NormalExit);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
}

// A logout or `kill` sends SIGTERM: the app closes as if the user closed it, so the sandbox server it
// started is stopped, not left running.
void TstSmoke::sigtermClosesTheAppAndStopsTheSandbox()
{
    // As root the server runs as postgres, which must be able to enter the folder.
    QTemporaryDir dir(u"/var/tmp/md-smoke-XXXXXX"_s);
    QVERIFY(dir.isValid());
    QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                                  | QFile::ExeGroup | QFile::ExeOther));
    const QString sandboxDir = dir.path() + u"/sandbox"_s;
    Sandbox sandbox;
    sandbox.setDirectory(sandboxDir);
    auto cleanup = qScopeGuard([&] {
        QString ignored;
        if (sandbox.isRunning())
            sandbox.stop(&ignored);
    });

    QProcessEnvironment env = headlessEnvironment(m_home.path());
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.insert(u"MIGRATIONDESK_SANDBOX_DIR"_s, sandboxDir);
    QProcess app;
    app.setProcessEnvironment(env);
    app.setProcessChannelMode(QProcess::MergedChannels);
    app.start(QStringLiteral(MD_GUI_PATH), {u"--sandbox"_s});
    QVERIFY(app.waitForStarted(10000));

    // Up and connected: the sandbox is filled, and the app has opened its grid sessions on it.
    std::unique_ptr<PgConnection> probe;
    const bool connected = QTest::qWaitFor([&] {
        if (app.state() != QProcess::Running)
            return false;
        if (!probe) {
            QFile stateFile(sandboxDir + u"/sandbox.json"_s);
            if (!stateFile.open(QIODevice::ReadOnly))
                return false;
            const QJsonObject state = QJsonDocument::fromJson(stateFile.readAll()).object();
            if (!state.value(u"demoFilled"_s).toBool())
                return false;
            ConnectionSettings settings;
            settings.host = state.value(u"socketDirectory"_s).toString();
            settings.port = state.value(u"port"_s).toInt();
            settings.user = state.value(u"user"_s).toString();
            settings.database = state.value(u"database"_s).toString();
            auto connection = std::make_unique<PgConnection>();
            QString error;
            if (!connection->open(settings, &error))
                return false;
            probe = std::move(connection);
        }
        const auto rows = probe->query(u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrationdesk-browse'"_s);
        return rows && rows->value(0).value(0).toInt() > 0;
    }, 180000);
    QVERIFY2(connected, qPrintable(QString::fromUtf8(app.readAll())));
    probe.reset();
    QVERIFY(sandbox.isRunning());

    app.terminate(); // SIGTERM
    QVERIFY(app.waitForFinished(60000));
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.exitCode(), 0);
    QVERIFY2(!sandbox.isRunning(), "the sandbox server outlived the app");
}

QTEST_GUILESS_MAIN(TstSmoke)
#include "tst_smoke.moc"
