// The main window on the offscreen platform against the fixture's real server: navigation, the status
// bar after connecting and migrating, read-only sessions, connection sources and failures, --table
// lookups, and what persists in QSettings between two windows.
#include "bundledrevisions.h"
#include "pgfixture.h"
#include "testcertificates.h"

#include "connect/connectiondialog.h"
#include "mainwindow.h"
#include "migrations/migrationsview.h"
#include "scheduling/schedulesview.h"
#include "data/tablesview.h"
#include "browse/lazytablemodel.h"
#include "models/schematreemodel.h"
#include "scheduling/trashview.h"

#include "db/connectionsettings.h"
#include "db/pgconnection.h"
#include "session/databaseworker.h"
#include "session/appservices.h"
#include "session/profilestore.h"
#include "i18n/translator.h"

#include <QAction>
#include <QGuiApplication>
#include <QClipboard>
#include <QDialog>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QProgressDialog>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>
#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

const QString kHead = Test::bundledHead();
const QString kSecond = u"ce3d30390578"_s;
constexpr int kDbTimeout = 60000;

ConnectionSettings fixtureSettings(const QString &db)
{
    QString error;
    const auto settings = ConnectionSettings::fromUrl(PgFixture::shared().url(db), &error);
    if (!settings)
        qFatal("fixture URL rejected: %s", qPrintable(error));
    return *settings;
}

QString expectedDisplayName(const QString &db)
{
    const PgFixture &pg = PgFixture::shared();
    return u"%1@%2:%3/%4"_s.arg(pg.superuser(), pg.host(), QString::number(pg.port()), db);
}

// What the status bar's connection field shows: user@host/db, without the port.
QString expectedShortName(const QString &db)
{
    const PgFixture &pg = PgFixture::shared();
    return u"%1@%2/%3"_s.arg(pg.superuser(), pg.host(), db);
}

QLabel *statusLabel(const MainWindow &window, const QString &name)
{
    auto label = window.findChild<QLabel *>(name);
    if (!label)
        qFatal("status bar label %s missing", qPrintable(name));
    return label;
}

void runOnWorker(MainWindow &window, MigrationOp op, const QString &target)
{
    DatabaseWorker *worker = window.worker();
    QMetaObject::invokeMethod(
        worker, [worker, op, target] { worker->runMigration(op, target, QString()); }, Qt::QueuedConnection);
}

// When MD_SCREENSHOT_DIR is set, keeps a PNG of the window for the docs; never part of an assertion.
void screenshot(QWidget &window, const QString &name)
{
    const QString dir = qEnvironmentVariable("MD_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    window.grab().save(dir + QLatin1Char('/') + name + u".png"_s);
}

} // namespace

class TstMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void viewNames();
    void navigationSwitchesViews();
    void placeholdersWhileDisconnected();
    void statusBarAfterConnectingAndMigrating();
    void readOnlySession();
    void driftBadge();
    void connectThroughTheDialog();
    void connectionDialogIsASheetInTheWindow();
    void connectionFailureShowsMessage();
    void gridSessionsConnectBesideTheMainConnection();
    void environmentConnectsAutomatically_data();
    void environmentConnectsAutomatically();
    void profileConnectsAndBecomesLastProfile();
    void openTableLooksUpTheCatalog();
    void tableOpensBeforeTheWindowIsConnected();
    void windowStateAndLastViewPersist();
    void disconnectClearsStatus();
    void sandboxConnectsAndStopsOnExit();
    void languageSwitchRebuildsTheWindow();
    void workersComeFromTheRoot();
    // Last: it turns TLS on in the fixture's server for the rest of this process.
    void statusBarSaysTlsIsNotVerified();

private:
    // The composition root the GUI main builds; outlives every window of every test.
    AppServices m_services;
};

void TstMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"MigrationDesk"_s);
    QCoreApplication::setApplicationName(u"tst_mainwindow"_s);
    QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(),
             qPrintable(PgFixture::shared().errorString()));
    // Test mode must keep the settings away from the user's own file.
    QVERIFY2(QSettings().fileName().contains(u".qttest"_s), qPrintable(QSettings().fileName()));
}

void TstMainWindow::init()
{
    QSettings().clear();
}

void TstMainWindow::cleanup()
{
    qunsetenv("PGPASSWORD");
}

void TstMainWindow::viewNames()
{
    QCOMPARE(MainWindow::viewFromName(u"tables"_s), MainWindow::View::Tables);
    QCOMPARE(MainWindow::viewFromName(u"Trash"_s), MainWindow::View::Trash);
    QCOMPARE(MainWindow::viewFromName(u"migrations"_s), MainWindow::View::Migrations);
    QCOMPARE(MainWindow::viewFromName(u"schedules"_s), MainWindow::View::Schedules);
    QVERIFY(!MainWindow::viewFromName(u"table"_s));
    QCOMPARE(MainWindow::viewName(MainWindow::View::Schedules), u"schedules"_s);
}

void TstMainWindow::navigationSwitchesViews()
{
    MainWindow window(m_services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto navigation = window.findChild<QListWidget *>(u"navigation"_s);
    auto stack = window.findChild<QStackedWidget *>(u"viewStack"_s);
    QVERIFY(navigation);
    QVERIFY(stack);
    QCOMPARE(navigation->count(), 4);
    QCOMPARE(stack->currentWidget()->objectName(), u"migrationsView"_s);

    const QStringList expected = {u"tablesView"_s, u"schedulesView"_s, u"trashView"_s, u"migrationsView"_s};
    const QList<int> rows = {1, 2, 3, 0};
    const QList<MainWindow::View> views = {MainWindow::View::Tables, MainWindow::View::Schedules,
                                           MainWindow::View::Trash, MainWindow::View::Migrations};
    for (int i = 0; i < rows.size(); ++i) {
        const QRect rect = navigation->visualItemRect(navigation->item(rows[i]));
        QTest::mouseClick(navigation->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(stack->currentWidget()->objectName(), expected[i]);
        QVERIFY(stack->currentWidget()->isVisible());
        QCOMPARE(window.currentView(), views[i]);
    }
    QVERIFY(qobject_cast<MigrationsView *>(stack->currentWidget()));
}

void TstMainWindow::placeholdersWhileDisconnected()
{
    MainWindow window(m_services);
    auto tables = window.tablesView();
    QVERIFY(tables);
    QVERIFY2(tables->messageText().startsWith(u"Connect to a database"_s), qPrintable(tables->messageText()));
    QVERIFY(!tables->isShowingGrid());
    auto trash = window.trashView();
    QVERIFY(trash);
    QCOMPARE(trash->message(), u"Connect to a database"_s);
    auto schedules = window.schedulesView();
    QVERIFY(schedules);
    QVERIFY2(schedules->message().startsWith(u"Connect to a database"_s), qPrintable(schedules->message()));
    QCOMPARE(statusLabel(window, u"connectionLabel"_s)->text(), u"Not connected"_s);
    QVERIFY(statusLabel(window, u"revisionLabel"_s)->isHidden());
    QVERIFY(statusLabel(window, u"accessLabel"_s)->isHidden());
    QVERIFY(!window.findChild<QAction *>(u"disconnectAction"_s)->isEnabled());
    QVERIFY(!window.findChild<QAction *>(u"refreshAction"_s)->isEnabled());
}

void TstMainWindow::statusBarAfterConnectingAndMigrating()
{
    PgFixture &pg = PgFixture::shared();
    QVERIFY(pg.createDatabase(u"shell_status"_s));
    bool ok = false;
    const QString version = pg.psql(u"shell_status"_s, u"SHOW server_version"_s, &ok).section(u' ', 0, 0);
    QVERIFY(ok);
    QVERIFY(version.startsWith(u"15."_s));

    MainWindow window(m_services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy connectedSpy(&window, &MainWindow::connectionChanged);
    window.connectToDatabase(fixtureSettings(u"shell_status"_s));
    QTRY_COMPARE_WITH_TIMEOUT(connectedSpy.count(), 1, kDbTimeout);
    QCOMPARE(connectedSpy.first().first().toBool(), true);
    QVERIFY(window.isConnected());

    QLabel *connection = statusLabel(window, u"connectionLabel"_s);
    QLabel *revision = statusLabel(window, u"revisionLabel"_s);
    QLabel *access = statusLabel(window, u"accessLabel"_s);
    QTRY_VERIFY(connection->text().startsWith(expectedShortName(u"shell_status"_s) + u" · "_s));
    // The short label leaves the port to the tooltip, which has every detail.
    QVERIFY2(connection->toolTip().contains(expectedDisplayName(u"shell_status"_s)), qPrintable(connection->toolTip()));
    QVERIFY2(connection->text().contains(version), qPrintable(connection->text()));
    QCOMPARE(revision->text(), u"Revision: none"_s);
    QVERIFY(revision->isVisible());
    QCOMPARE(access->text(), u"read-write"_s);
    QVERIFY(access->isVisible());
    QVERIFY(window.windowTitle().contains(expectedDisplayName(u"shell_status"_s)));
    // The data views got the connection: the Tables view lists the (empty) public schema.
    window.setCurrentView(MainWindow::View::Tables);
    QTRY_VERIFY_WITH_TIMEOUT(window.tablesView()->isTreeLoaded(), kDbTimeout);
    QVERIFY(window.findChild<QAction *>(u"disconnectAction"_s)->isEnabled());

    // Part way up: the revision without the head mark.
    runOnWorker(window, MigrationOp::Upgrade, kSecond);
    QTRY_COMPARE_WITH_TIMEOUT(revision->text(), u"Revision: "_s + kSecond, kDbTimeout);
    QCOMPARE(pg.psql(u"shell_status"_s, u"SELECT version_num FROM alembic_version"_s), kSecond);

    runOnWorker(window, MigrationOp::Upgrade, u"head"_s);
    QTRY_COMPARE_WITH_TIMEOUT(revision->text(), u"Revision: %1 (head)"_s.arg(kHead), kDbTimeout);
    QCOMPARE(pg.psql(u"shell_status"_s, u"SELECT version_num FROM alembic_version"_s), kHead);
    QVERIFY(connection->isVisible());
    window.setCurrentView(MainWindow::View::Migrations);
    screenshot(window, u"mainwindow-migrations"_s);
    window.setCurrentView(MainWindow::View::Tables);
    screenshot(window, u"mainwindow-tables"_s);

    // A revision the scripts do not know (e.g. written by another branch of the code) is called out.
    QVERIFY(pg.psql(u"shell_status"_s, u"UPDATE alembic_version SET version_num = 'feedfacecafe'"_s, &ok).isEmpty());
    QVERIFY(ok);
    window.findChild<QAction *>(u"refreshAction"_s)->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(revision->text(), u"Revision: feedfacecafe (not in the scripts)"_s, kDbTimeout);
}

void TstMainWindow::readOnlySession()
{
    PgFixture &pg = PgFixture::shared();
    QVERIFY(pg.createDatabase(u"shell_readonly"_s));
    bool ok = false;
    pg.psql(u"postgres"_s, u"ALTER DATABASE shell_readonly SET default_transaction_read_only = on"_s, &ok);
    QVERIFY(ok);

    MainWindow window(m_services);
    window.connectToDatabase(fixtureSettings(u"shell_readonly"_s));
    QLabel *access = statusLabel(window, u"accessLabel"_s);
    QTRY_COMPARE_WITH_TIMEOUT(access->text(), u"read-only"_s, kDbTimeout);
    QVERIFY(statusLabel(window, u"connectionLabel"_s)->text().startsWith(expectedShortName(u"shell_readonly"_s) + u" · "_s));
}

void TstMainWindow::driftBadge()
{
    PgFixture &pg = PgFixture::shared();
    QVERIFY(pg.createDatabase(u"shell_drift"_s));
    MainWindow window(m_services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.connectToDatabase(fixtureSettings(u"shell_drift"_s));
    QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), kDbTimeout);
    QLabel *revision = statusLabel(window, u"revisionLabel"_s);
    runOnWorker(window, MigrationOp::Upgrade, u"head"_s);
    QTRY_COMPARE_WITH_TIMEOUT(revision->text(), u"Revision: %1 (head)"_s.arg(kHead), kDbTimeout);

    QLabel *badge = statusLabel(window, u"driftBadge"_s);
    QAction *check = window.migrationsView()->checkDriftAction();
    QVERIFY(check);
    QSignalSpy drift(window.migrationsView(), &MigrationsView::driftChecked);
    QTRY_VERIFY_WITH_TIMEOUT(check->isEnabled(), kDbTimeout);
    check->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(drift.count(), 1, kDbTimeout);
    QCOMPARE(drift.first().first().toBool(), false);
    QVERIFY(badge->isHidden());

    bool ok = false;
    pg.psql(u"shell_drift"_s, u"ALTER TABLE employees ADD COLUMN nickname text"_s, &ok);
    QVERIFY(ok);
    QTRY_VERIFY_WITH_TIMEOUT(check->isEnabled(), kDbTimeout);
    check->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(drift.count(), 2, kDbTimeout);
    QCOMPARE(drift.last().first().toBool(), true);
    QVERIFY(badge->isVisible());
    screenshot(window, u"mainwindow-drift"_s);

    // A new connection starts without a verdict.
    window.connectToDatabase(fixtureSettings(u"shell_drift"_s));
    QTRY_VERIFY_WITH_TIMEOUT(badge->isHidden(), kDbTimeout);
}

void TstMainWindow::connectionDialogIsASheetInTheWindow()
{
    MainWindow window(m_services);
    window.resize(1180, 760);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto navigation = window.findChild<QListWidget *>(u"navigation"_s);
    QVERIFY(navigation);
    const int row = navigation->currentRow();
    window.findChild<QAction *>(u"connectAction"_s)->trigger();
    auto dialog = window.findChild<ConnectionDialog *>(u"connectionDialog"_s);
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());

    // One window: the dialog paints into the main window's backing store instead of a second one.
    QVERIFY(!dialog->isWindow());
    QCOMPARE(dialog->window(), &window);
    for (QWidget *top : QApplication::topLevelWidgets())
        QVERIFY2(top == &window || !top->isVisible(), top->metaObject()->className());
    QVERIFY(dialog->geometry().width() > 0 && window.rect().contains(dialog->mapTo(&window, dialog->rect().bottomRight())));

    // Modal to the window, as a dialog would be: the views, menus and toolbars take no input, and a
    // click on the dimmed area reaches nothing below it.
    QVERIFY(!window.centralWidget()->isEnabled());
    QVERIFY(!window.menuBar()->isEnabled());
    QTRY_VERIFY(QApplication::focusWidget() && dialog->isAncestorOf(QApplication::focusWidget()));
    auto sheet = window.findChild<QWidget *>(u"dialogSheet"_s);
    QVERIFY(sheet);
    const QRect otherRow = navigation->visualItemRect(navigation->item(row == 0 ? 1 : 0));
    const QPoint onSheet = sheet->mapFromGlobal(navigation->viewport()->mapToGlobal(otherRow.center()));
    QCOMPARE(sheet->childAt(onSheet), nullptr); // the dimmed area, not the panel
    QTest::mouseClick(sheet, Qt::LeftButton, {}, onSheet);
    QCOMPARE(navigation->currentRow(), row);

    // Typing goes to the dialog's fields; Escape closes it and gives the window its input back.
    auto host = dialog->findChild<QLineEdit *>(u"hostEdit"_s);
    QVERIFY(host);
    host->setFocus();
    QTest::keyClicks(QApplication::focusWidget(), u"db.example"_s);
    QCOMPARE(host->text(), u"db.example"_s);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QTRY_VERIFY(!window.findChild<ConnectionDialog *>(u"connectionDialog"_s));
    QTRY_VERIFY(!window.findChild<QWidget *>(u"dialogSheet"_s));
    QVERIFY(window.centralWidget()->isEnabled());
    QVERIFY(window.menuBar()->isEnabled());
}

void TstMainWindow::connectThroughTheDialog()
{
    PgFixture &pg = PgFixture::shared();
    QVERIFY(pg.createDatabase(u"shell_dialog"_s));
    MainWindow window(m_services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.findChild<QAction *>(u"connectAction"_s)->trigger();
    auto dialog = window.findChild<ConnectionDialog *>(u"connectionDialog"_s);
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    // A second Connect… raises the open dialog instead of stacking another one.
    window.findChild<QAction *>(u"connectAction"_s)->trigger();
    QCOMPARE(window.findChildren<ConnectionDialog *>().size(), 1);

    const QList<QPair<QString, QString>> fields = {
        {u"hostEdit"_s, pg.host()},           {u"portEdit"_s, QString::number(pg.port())},
        {u"databaseEdit"_s, u"shell_dialog"_s}, {u"userEdit"_s, pg.superuser()},
        {u"passwordEdit"_s, pg.password()},
    };
    for (const auto &[name, value] : fields) {
        auto edit = dialog->findChild<QLineEdit *>(name);
        QVERIFY2(edit, qPrintable(name));
        edit->clear();
        QTest::keyClicks(edit, value);
    }
    auto connectButton = dialog->findChild<QPushButton *>(u"connectButton"_s);
    QVERIFY(connectButton);
    QTest::mouseClick(connectButton, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), kDbTimeout);
    QTRY_VERIFY(!window.findChild<ConnectionDialog *>(u"connectionDialog"_s));
    QVERIFY(statusLabel(window, u"connectionLabel"_s)->text().startsWith(expectedShortName(u"shell_dialog"_s) + u" · "_s));
    QCOMPARE(pg.psql(u"postgres"_s, u"SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = 'shell_dialog'"_s),
             u"t"_s);
}

void TstMainWindow::connectionFailureShowsMessage()
{
    MainWindow window(m_services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QString error;
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    const auto settings = ConnectionSettings::fromUrl(u"postgresql://postgres:hunter2secret@127.0.0.1:1/nowhere"_s, &error);
    QVERIFY2(settings, qPrintable(error));
    window.connectToDatabase(*settings);
    QMessageBox *box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = window.findChild<QMessageBox *>(u"connectionErrorBox"_s)), kDbTimeout);
    QTRY_VERIFY(box->isVisible());
    QVERIFY2(box->text().contains(u"127.0.0.1:1"_s), qPrintable(box->text()));
    QVERIFY(!box->informativeText().isEmpty());
    QVERIFY(!box->text().contains(u"hunter2secret"_s));
    QVERIFY(!box->informativeText().contains(u"hunter2secret"_s));
    QVERIFY(!window.isConnected());
    QCOMPARE(statusLabel(window, u"connectionLabel"_s)->text(), u"Not connected"_s);
    box->accept();
    QTRY_VERIFY(!window.findChild<QMessageBox *>(u"connectionErrorBox"_s));
}

void TstMainWindow::gridSessionsConnectBesideTheMainConnection()
{
    m_services.fetchers().clear();
    {
        MainWindow window(m_services);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // The grids' two pairs of sessions are on their way before the main connection has answered, so
        // the first view does not wait for its handshakes after the main connection's.
        window.connectToDatabase(fixtureSettings(u"postgres"_s));
        QVERIFY(!window.isConnected());
        QCOMPARE(m_services.fetchers().idleCount(), 4);
        // Both window sessions warm the Schedules grid's and the Trash's first windows.
        QCOMPARE(m_services.fetchers().warmingCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), kDbTimeout);
        const auto browseSessions = [] {
            bool ok = false;
            const QString n = PgFixture::shared().psql(u"postgres"_s, u"SELECT count(*) FROM pg_stat_activity "
                                                                     "WHERE application_name = 'migrationdesk-browse'"_s, &ok);
            return ok ? n.trimmed() : u"psql failed"_s;
        };
        QTRY_COMPARE_WITH_TIMEOUT(browseSessions(), u"4"_s, kDbTimeout);
    }
    m_services.fetchers().clear();
    QCOMPARE(m_services.fetchers().idleCount(), 0);

    // A connection that fails takes the sessions opened beside it along.
    MainWindow window(m_services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QString error;
    const auto refused = ConnectionSettings::fromUrl(u"postgresql://postgres@127.0.0.1:1/nowhere"_s, &error);
    QVERIFY2(refused, qPrintable(error));
    window.connectToDatabase(*refused);
    QCOMPARE(m_services.fetchers().idleCount(), 4);
    QMessageBox *box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = window.findChild<QMessageBox *>(u"connectionErrorBox"_s)), kDbTimeout);
    QCOMPARE(m_services.fetchers().idleCount(), 0);
    box->accept();
}

void TstMainWindow::environmentConnectsAutomatically_data()
{
    QTest::addColumn<bool>("useUrl");
    QTest::newRow("DATABASE_URL") << true;
    QTest::newRow("POSTGRES_*") << false;
}

void TstMainWindow::environmentConnectsAutomatically()
{
    QFETCH(bool, useUrl);
    PgFixture &pg = PgFixture::shared();
    QVERIFY(pg.createDatabase(u"shell_env"_s));
    QProcessEnvironment env;
    if (useUrl) {
        env.insert(u"DATABASE_URL"_s, pg.url(u"shell_env"_s));
    } else {
        env.insert(u"POSTGRES_USER"_s, pg.superuser());
        env.insert(u"POSTGRES_PASSWORD"_s, pg.password());
        env.insert(u"POSTGRES_HOST"_s, pg.host());
        env.insert(u"POSTGRES_PORT"_s, QString::number(pg.port()));
        env.insert(u"POSTGRES_DB"_s, u"shell_env"_s);
    }
    MainWindow window(m_services);
    window.connectFromEnvironment(env);
    QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), kDbTimeout);
    QVERIFY(statusLabel(window, u"connectionLabel"_s)->text().startsWith(expectedShortName(u"shell_env"_s) + u" · "_s));
    QVERIFY(!window.findChild<QDialog *>(u"connectionDialog"_s));
}

void TstMainWindow::profileConnectsAndBecomesLastProfile()
{
    PgFixture &pg = PgFixture::shared();
    QVERIFY(pg.createDatabase(u"shell_profile"_s));
    {
        QSettings settings;
        ProfileStore profiles(&settings);
        ConnectionProfile profile;
        profile.name = u"fixture db"_s;
        profile.settings = fixtureSettings(u"shell_profile"_s);
        profile.settings.password.clear();
        profiles.save(profile);
        QVERIFY(profiles.lastProfile().isEmpty());
    }
    // No password in the profile: libpq's own sources supply it, here PGPASSWORD.
    qputenv("PGPASSWORD", pg.password().toUtf8());
    {
        MainWindow window(m_services);
        window.connectToProfile(u"fixture db"_s);
        QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), kDbTimeout);
        QLabel *connection = statusLabel(window, u"connectionLabel"_s);
        QVERIFY2(connection->text().startsWith(u"fixture db · PostgreSQL "_s), qPrintable(connection->text()));
        QVERIFY2(connection->toolTip().contains(expectedDisplayName(u"shell_profile"_s)), qPrintable(connection->toolTip()));
        QVERIFY(connection->toolTip().contains(u"fixture db"_s));
    }
    QSettings settings;
    QCOMPARE(ProfileStore(&settings).lastProfile(), u"fixture db"_s);

    // A profile whose password should be in the keychain, which has none for it here (no keychain at
    // all, or no entry): the dialog opens on that profile instead of connecting without it.
    {
        QSettings settings;
        ProfileStore profiles(&settings);
        ConnectionProfile profile = *profiles.profile(u"fixture db"_s);
        profile.name = u"keychain db"_s;
        profile.rememberPassword = true;
        profiles.save(profile);
    }
    {
        MainWindow window(m_services);
        window.connectToProfile(u"keychain db"_s);
        QTRY_VERIFY_WITH_TIMEOUT(window.findChild<ConnectionDialog *>(u"connectionDialog"_s), 15000);
        QCOMPARE(window.findChild<ConnectionDialog *>(u"connectionDialog"_s)->profileName(), u"keychain db"_s);
        QVERIFY(!window.isConnected());
    }

    // An unknown profile is reported; the window stays usable.
    MainWindow window(m_services);
    window.connectToProfile(u"no such profile"_s);
    auto box = window.findChild<QMessageBox *>(u"profileErrorBox"_s);
    QVERIFY(box);
    QVERIFY(box->text().contains(u"no such profile"_s));
    QVERIFY(!window.isConnected());
}

void TstMainWindow::openTableLooksUpTheCatalog()
{
    PgFixture &pg = PgFixture::shared();
    QVERIFY(pg.createDatabase(u"shell_tables"_s));
    bool ok = false;
    pg.psql(u"shell_tables"_s,
            u"CREATE TABLE orders (id int); INSERT INTO orders VALUES (1), (2), (3); "
            "CREATE SCHEMA audit; CREATE TABLE audit.\"Log Entries\" (id int)"_s, &ok);
    QVERIFY(ok);

    MainWindow window(m_services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto tables = window.tablesView();
    // Remembered before there is a connection to check it against.
    window.openTable(QString(), u"orders"_s);
    QCOMPARE(window.currentView(), MainWindow::View::Tables);
    QVERIFY2(tables->messageText().startsWith(u"Connect to a database"_s), qPrintable(tables->messageText()));

    // No schema given: the table the search path sees. The look-up runs on a thread of its own, beside
    // the main connection's handshake rather than after it on the same worker.
    m_services.fetchers().clear();
    window.connectToDatabase(fixtureSettings(u"shell_tables"_s));
    QVERIFY(!window.isConnected());
    QVERIFY2(m_services.threads().names().contains(u"TableLookup"_s), qPrintable(m_services.threads().names().join(u", "_s)));
    // The grid's sessions are opened, but warm nothing: the table's own reads go to them first.
    QCOMPARE(m_services.fetchers().idleCount(), 4);
    QCOMPARE(m_services.fetchers().warmingCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(tables->currentTable(), u"orders"_s, kDbTimeout);
    QCOMPARE(tables->currentSchema(), u"public"_s);
    QTRY_VERIFY_WITH_TIMEOUT(tables->isShowingGrid(), kDbTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(tables->model()->rowCount(), 3, kDbTimeout);

    // Catalog names, not SQL: spaces and capitals as stored, no quoting.
    window.openTable(u"audit"_s, u"Log Entries"_s);
    QTRY_COMPARE_WITH_TIMEOUT(tables->currentTable(), u"Log Entries"_s, kDbTimeout);
    QCOMPARE(tables->currentSchema(), u"audit"_s);

    window.openTable(u"audit"_s, u"log entries"_s);
    QTRY_VERIFY_WITH_TIMEOUT(tables->messageText().contains(u"audit.log entries"_s), kDbTimeout);
    QVERIFY(!tables->isShowingGrid());
    screenshot(window, u"mainwindow-missing-table"_s);
    window.openTable(QString(), u"orders'; DROP TABLE orders; --"_s);
    QTRY_VERIFY_WITH_TIMEOUT(tables->messageText().contains(u"orders'; DROP TABLE orders; --"_s), kDbTimeout);
    QCOMPARE(pg.psql(u"shell_tables"_s, u"SELECT count(*) FROM orders"_s), u"3"_s);
    QVERIFY(window.isConnected());
    QCOMPARE(window.currentView(), MainWindow::View::Tables);
}

void TstMainWindow::tableOpensBeforeTheWindowIsConnected()
{
    PgFixture &pg = PgFixture::shared();
    QVERIFY(pg.createDatabase(u"shell_early"_s));
    bool ok = false;
    pg.psql(u"shell_early"_s,
            u"CREATE TABLE orders (id int); INSERT INTO orders VALUES (1), (2), (3); "
            "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"_s,
            &ok);
    QVERIFY(ok);
    // Made before the lock below, so that it goes after the lock's release on every return: its worker
    // may be waiting for that lock.
    MainWindow window(m_services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // The window's connection reads the version table before it counts as connected: a lock held on it
    // keeps the window connecting for as long as the test wants.
    PgConnection holder;
    QString error;
    QVERIFY2(holder.open(fixtureSettings(u"shell_early"_s), &error), qPrintable(error));
    SqlError sqlError;
    QVERIFY2(holder.exec(u"BEGIN; LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE"_s, &sqlError),
             qPrintable(sqlError.toString()));
    auto release = qScopeGuard([&] { holder.exec(u"ROLLBACK"_s); });

    auto tables = window.tablesView();
    window.openTable(QString(), u"orders"_s);
    m_services.fetchers().clear();
    window.connectToDatabase(fixtureSettings(u"shell_early"_s));
    // The grid shows the rows while the window is still connecting: it waited for neither that
    // connection nor the schema tree.
    QTRY_COMPARE_WITH_TIMEOUT(tables->model() ? tables->model()->rowCount() : -1, 3, kDbTimeout);
    QVERIFY(!window.isConnected());
    QVERIFY(tables->isShowingGrid());
    QCOMPARE(tables->currentSchema(), u"public"_s);
    QCOMPARE(tables->currentTable(), u"orders"_s);
    QVERIFY(!tables->isTreeLoaded());
    // The status bar says what the rest of the window waits for.
    QVERIFY2(statusLabel(window, u"activityLabel"_s)->text().startsWith(u"Connecting to "_s),
             qPrintable(statusLabel(window, u"activityLabel"_s)->text()));
    QVERIFY(pg.psql(u"shell_early"_s, u"SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                      "AND datname = 'shell_early'"_s) != u"0"_s);

    // Once connected, the same grid stays (no reload) and the tree selects its table.
    QSignalSpy resets(tables->model(), &QAbstractItemModel::modelReset);
    release.dismiss();
    QVERIFY(holder.exec(u"ROLLBACK"_s));
    QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), kDbTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(tables->isTreeLoaded(), kDbTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(tables->treeModel()->relationAt(tables->tree()->currentIndex())
                                  ? tables->treeModel()->relationAt(tables->tree()->currentIndex())->name
                                  : QString(),
                              u"orders"_s, kDbTimeout);
    QTest::qWait(200);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(tables->model()->rowCount(), 3);
    QCOMPARE(tables->currentTable(), u"orders"_s);

    // Settings that cannot connect open no grid early: the look-up fails with them too.
    MainWindow second(m_services);
    second.show();
    QVERIFY(QTest::qWaitForWindowExposed(&second));
    auto secondTables = second.tablesView();
    second.openTable(QString(), u"orders"_s);
    ConnectionSettings wrong = fixtureSettings(u"shell_early"_s);
    wrong.password = u"not the password"_s;
    second.connectToDatabase(wrong);
    QTRY_VERIFY_WITH_TIMEOUT(second.findChild<QMessageBox *>(u"connectionErrorBox"_s), kDbTimeout);
    QVERIFY(!second.isConnected());
    QVERIFY(!secondTables->isShowingGrid());
    QVERIFY(!secondTables->isConnected());
}

void TstMainWindow::windowStateAndLastViewPersist()
{
    {
        MainWindow first(m_services);
        first.show();
        QVERIFY(QTest::qWaitForWindowExposed(&first));
        first.resize(1140, 680);
        first.setCurrentView(MainWindow::View::Schedules);
        first.close();
    }
    {
        MainWindow second(m_services);
        QCOMPARE(second.currentView(), MainWindow::View::Schedules);
        second.show();
        QVERIFY(QTest::qWaitForWindowExposed(&second));
        QCOMPARE(second.size(), QSize(1140, 680));
        // A view chosen by clicking persists too, even without closing (a crash keeps it).
        auto navigation = second.findChild<QListWidget *>(u"navigation"_s);
        QTest::mouseClick(navigation->viewport(), Qt::LeftButton, {},
                          navigation->visualItemRect(navigation->item(3)).center());
        QCOMPARE(second.currentView(), MainWindow::View::Trash);
    }
    MainWindow third(m_services);
    QCOMPARE(third.currentView(), MainWindow::View::Trash);
}

void TstMainWindow::disconnectClearsStatus()
{
    PgFixture &pg = PgFixture::shared();
    QVERIFY(pg.createDatabase(u"shell_disconnect"_s));
    MainWindow window(m_services);
    window.connectToDatabase(fixtureSettings(u"shell_disconnect"_s));
    QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), kDbTimeout);
    QSignalSpy changed(&window, &MainWindow::connectionChanged);
    window.findChild<QAction *>(u"disconnectAction"_s)->trigger();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().first().toBool(), false);
    QVERIFY(!window.isConnected());
    QCOMPARE(statusLabel(window, u"connectionLabel"_s)->text(), u"Not connected"_s);
    QVERIFY(statusLabel(window, u"revisionLabel"_s)->isHidden());
    QCOMPARE(window.trashView()->message(), u"Connect to a database"_s);
    QVERIFY(window.tablesView()->messageText().startsWith(u"Connect to a database"_s));
    // The worker really closed its session.
    QTRY_COMPARE_WITH_TIMEOUT(
        pg.psql(u"postgres"_s, u"SELECT count(*) FROM pg_stat_activity WHERE datname = 'shell_disconnect'"_s), u"0"_s,
        kDbTimeout);
}

void TstMainWindow::sandboxConnectsAndStopsOnExit()
{
    // A short path, reachable by the postgres user when we are root (the sandbox's server runs as it).
    QTemporaryDir dir(u"/tmp/mdgui-XXXXXX"_s);
    QVERIFY(dir.isValid());
    QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                          | QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
                                          | QFileDevice::ExeOther);
    const QString sandboxDir = dir.filePath(u"sb"_s);
    qputenv("MIGRATIONDESK_SANDBOX_DIR", sandboxDir.toLocal8Bit());
    auto unsetDir = qScopeGuard([] { qunsetenv("MIGRATIONDESK_SANDBOX_DIR"); });
    const QString pidFile = sandboxDir + u"/data/postmaster.pid"_s;
    {
        MainWindow window(m_services);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!window.keepsSandboxRunning());
        QVERIFY(window.findChild<QAction *>(u"sandboxAction"_s));
        // The newcomer's way in: the connection dialog's Local Sandbox button.
        window.openConnectionDialog();
        QPushButton *sandboxButton = nullptr;
        QTRY_VERIFY((sandboxButton = window.findChild<QPushButton *>(u"sandboxButton"_s)) != nullptr);
        QTRY_VERIFY(sandboxButton->isVisible());
        // Its Copy Sandbox URL neighbour waits for a running sandbox.
        auto copyUrlButton = window.findChild<QToolButton *>(u"copySandboxUrlButton"_s);
        QVERIFY(copyUrlButton);
        QVERIFY(!copyUrlButton->isEnabled());
        QTest::mouseClick(sandboxButton, Qt::LeftButton);
        // Progress is shown while initdb, migrations and demo data run on the sandbox's thread.
        QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QProgressDialog *>(u"sandboxProgress"_s), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), 240000);
        QLabel *connection = statusLabel(window, u"connectionLabel"_s);
        QTRY_VERIFY(connection->text().contains(u"/migrationdesk"_s));
        QTRY_COMPARE_WITH_TIMEOUT(statusLabel(window, u"revisionLabel"_s)->text(),
                                  u"Revision: %1 (head)"_s.arg(kHead), kDbTimeout);
        QVERIFY(QFile::exists(pidFile));

        // Copy Sandbox URL: psql's way in, over TCP with this session's password.
        QAction *copyUrl = window.findChild<QAction *>(u"copySandboxUrlAction"_s);
        QVERIFY(copyUrl);
        QVERIFY(copyUrl->isEnabled());
        QGuiApplication::clipboard()->clear();
        copyUrl->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!QGuiApplication::clipboard()->text().isEmpty(), kDbTimeout);
        const QString url = QGuiApplication::clipboard()->text();
        QString error;
        const auto copied = ConnectionSettings::fromUrl(url, &error);
        QVERIFY2(copied, qPrintable(error));
        QCOMPARE(copied->host, u"127.0.0.1"_s);
        QCOMPARE(copied->database, u"migrationdesk"_s);
        QVERIFY(copied->password.size() >= 16);
        QCOMPARE(copied->toUrl(true), url);
        // The status bar says so without the password; the settings file never sees it.
        QVERIFY(!statusLabel(window, u"activityLabel"_s)->text().contains(copied->password));
        QSettings().sync();
        QFile ini(QSettings().fileName());
        if (ini.open(QIODevice::ReadOnly))
            QVERIFY(!ini.readAll().contains(copied->password.toUtf8()));
        {
            PgConnection tcp;
            QVERIFY2(tcp.open(*copied, &error), qPrintable(error));
        }
        ConnectionSettings wrong = *copied;
        wrong.password += u"x"_s;
        {
            PgConnection tcp;
            QVERIFY(!tcp.open(wrong, &error));
        }
        // A second click keeps the same password: a URL copied earlier keeps working.
        QGuiApplication::clipboard()->clear();
        copyUrl->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(QGuiApplication::clipboard()->text(), url, kDbTimeout);
        window.close();
    }
    // Closing the window stopped the app's own server.
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(pidFile), 30000);
}

void TstMainWindow::languageSwitchRebuildsTheWindow()
{
    PgFixture &pg = PgFixture::shared();
    QVERIFY(pg.createDatabase(u"shell_language"_s));
    MainWindow window(m_services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.connectToDatabase(fixtureSettings(u"shell_language"_s));
    QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), kDbTimeout);
    window.setCurrentView(MainWindow::View::Schedules);

    QPointer<MainWindow> next;
    connect(&window, &MainWindow::replacedBy, this, [&next](MainWindow *w) { next = w; });
    auto restoreEnglish = qScopeGuard([&next] {
        Translator::install(u"en"_s);
        QSettings().remove(Translator::settingsKey());
        delete next.data();
    });
    // The menu names each language in itself, so the test finds it the way a user would.
    window.findChild<QAction *>(u"languageAction_ko"_s)->trigger();
    QVERIFY(next);
    QVERIFY(next != &window);
    QCOMPARE(QSettings().value(Translator::settingsKey()).toString(), u"ko"_s);

    // The new window speaks Korean at once, kept the view, and took the connection over.
    QTRY_VERIFY(!window.isVisible());
    QVERIFY(next->isVisible());
    QCOMPARE(next->currentView(), MainWindow::View::Schedules);
    auto navigation = next->findChild<QListWidget *>(u"navigation"_s);
    QCOMPARE(navigation->item(0)->text(), u"마이그레이션"_s);
    QTRY_VERIFY_WITH_TIMEOUT(next->isConnected(), kDbTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(statusLabel(*next, u"accessLabel"_s)->text(), u"읽기/쓰기"_s, kDbTimeout);
    QVERIFY(!window.isConnected());
    // The old window's worker let its session go: one worker session (the new window's) remains.
    QTRY_COMPARE_WITH_TIMEOUT(
        pg.psql(u"postgres"_s, u"SELECT count(*) FROM pg_stat_activity WHERE datname = 'shell_language' "
                               "AND application_name = 'migrationdesk'"_s),
        u"1"_s, kDbTimeout);

    // Choosing the current language again changes nothing.
    QPointer<MainWindow> again;
    connect(next.data(), &MainWindow::replacedBy, this, [&again](MainWindow *w) { again = w; });
    next->findChild<QAction *>(u"languageAction_ko"_s)->trigger();
    QVERIFY(!again);
}

void TstMainWindow::workersComeFromTheRoot()
{
    // Whatever earlier tests left (idle fetchers, retired threads still ending) goes first.
    m_services.fetchers().clear();
    QTRY_COMPARE(m_services.threads().count(), 0);
    {
        MainWindow window(m_services);
        // Until a view is shown, only the window's own worker runs: the first paint pays for no other.
        QCOMPARE(m_services.threads().names(), QStringList{u"DatabaseWorker"_s});
        QVERIFY(window.findChild<QWidget *>(u"tablesView"_s) == nullptr);
        QVERIFY(window.findChild<QWidget *>(u"schedulesView"_s) == nullptr);
        QVERIFY(window.findChild<QWidget *>(u"trashView"_s) == nullptr);
        window.setCurrentView(MainWindow::View::Trash);
        QVERIFY(window.findChild<TrashView *>(u"trashView"_s));
        QVERIFY(window.schedulesView());
        QVERIFY(window.tablesView());
        QStringList names = m_services.threads().names();
        names.sort();
        // Every worker thread the window and its views need is the root's, named for its job.
        QCOMPARE(names, (QStringList{u"DatabaseWorker"_s, u"SchedulesView directory"_s, u"SchedulesView editor"_s,
                                     u"SchemaCatalogLoader"_s, u"TrashWorker"_s}));
    }
    // The window's own worker is joined with it; the views' workers end without being waited for.
    QTRY_COMPARE(m_services.threads().count(), 0);
}

// sslmode=require encrypts without checking the certificate: the connection's place in the status bar says
// so, and its tooltip says why; verify-full does not.
void TstMainWindow::statusBarSaysTlsIsNotVerified()
{
    PgFixture &pg = PgFixture::shared();
    TestCertificates certs;
    QString error;
    QVERIFY2(certs.create(&error), qPrintable(error));
    QVERIFY2(pg.enableSsl(certs.serverCert(), certs.serverKey(), &error), qPrintable(error));
    QVERIFY(pg.createDatabase(u"shell_tls"_s));

    ConnectionSettings require = fixtureSettings(u"shell_tls"_s);
    require.sslmode = u"require"_s;
    MainWindow window(m_services);
    window.connectToDatabase(require);
    QLabel *connection = statusLabel(window, u"connectionLabel"_s);
    QTRY_VERIFY_WITH_TIMEOUT(connection->text().startsWith(expectedShortName(u"shell_tls"_s) + u" · "_s), kDbTimeout);
    QVERIFY2(connection->text().endsWith(u" · TLS not verified"_s), qPrintable(connection->text()));
    QVERIFY2(connection->toolTip().contains(u"does not verify the server's certificate"_s), qPrintable(connection->toolTip()));

    ConnectionSettings verified = fixtureSettings(u"shell_tls"_s);
    verified.host = u"localhost"_s;
    verified.sslmode = u"verify-full"_s;
    verified.sslrootcert = certs.caCert();
    MainWindow other(m_services);
    other.connectToDatabase(verified);
    QLabel *otherConnection = statusLabel(other, u"connectionLabel"_s);
    QTRY_VERIFY_WITH_TIMEOUT(otherConnection->text().contains(u"/shell_tls"_s), kDbTimeout);
    QVERIFY2(!otherConnection->text().contains(u"TLS"_s), qPrintable(otherConnection->text()));
    QVERIFY2(!otherConnection->toolTip().contains(u"verify"_s), qPrintable(otherConnection->toolTip()));
}

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"
