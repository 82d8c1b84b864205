#include "mainwindow.h"
#include "connect/sandboxcontrol.h"

#include "connect/connectiondialog.h"
#include "dialogsheet.h"
#include "migrations/alembicimportlauncher.h"
#include "migrations/migrationsview.h"
#include "connect/passwordstore.h"
#include "scheduling/schedulesview.h"
#include "data/tablesview.h"
#include "data/tablesviewstate.h"
#include "scheduling/trashview.h"
#include "icons.h"
#include "languagemenu.h"
#include "mainmenus.h"
#include "statusfields.h"
#include "tablerequest.h"
#include "viewstack.h"

#include "db/tlsnotice.h"
#include "i18n/translator.h"
#include "session/appservices.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>

#include <memory>
#include <utility>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

const QString kGeometryKey = u"mainWindow/geometry"_s;
const QString kStateKey = u"mainWindow/state"_s;
const QString kLastViewKey = u"mainWindow/lastView"_s;

} // namespace

MainWindow::MainWindow(AppServices &services, QWidget *parent)
    : QMainWindow(parent)
    , m_services(services)
    , m_profiles(&m_settings)
    , m_passwords(new PasswordStore(this))
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("MigrationDesk"));
    resize(1180, 760);

    // cancel() is the worker's one thread-safe call: a running migration rolls back within a second.
    auto worker = new DatabaseWorker;
    m_worker = m_services.threads().start(worker, u"DatabaseWorker"_s, [worker] { worker->cancel(); });

    // A late answer to the --table look-up (a disconnect or another connection came first) is not shown.
    m_tableRequest = new TableRequest(m_services.threads(), this);
    connect(m_tableRequest, &TableRequest::found, this, [this](const QString &schema, const QString &name) {
        m_views->tablesView()->openTable(schema, name);
    });
    connect(m_tableRequest, &TableRequest::failed, this, [this](const QString &message) { m_activityLabel->setText(message); });
    // On a server far away the window's own connection (handshake, then its status reads) is the longest
    // wait of a launch with --table: the table's grid opens on its own sessions as soon as the look-up has
    // found it. A failed connection takes the grid down again (onConnectionFailed).
    connect(m_tableRequest, &TableRequest::foundBeforeConnected, this,
            [this](const ConnectionSettings &settings, const RelationEntry &relation) {
                if (!m_connected && m_connecting == settings)
                    m_views->tablesView()->openBeforeConnected(settings, relation);
            });

    createViews();
    createActions();
    createStatusBar();
    connectWorker();
    restoreSettings();
    showDisconnected();
}

MainWindow::~MainWindow()
{
    // A running migration is cancelled (it rolls back within a second) rather than waited out; the
    // views and panels holding the worker go with this window, so it must be gone first.
    m_services.threads().stop(m_worker);
}

void MainWindow::createViews()
{
    m_views = new ViewStack(m_services, m_worker);
    m_migrationsView = m_views->migrationsView();
    connect(m_views, &ViewStack::currentViewChanged, this,
            [this](AppView view) { m_settings.setValue(kLastViewKey, viewName(view)); });
    setCentralWidget(m_views);
}

void MainWindow::createActions()
{
    m_connectAction = new QAction(Icons::get(Icons::Connect), tr("Connect…"), this);
    m_connectAction->setObjectName(u"connectAction"_s);
    m_connectAction->setShortcut(QKeySequence::Open);
    m_connectAction->setToolTip(tr("Connect to a database"));
    connect(m_connectAction, &QAction::triggered, this, [this] { openConnectionDialog(); });

    m_disconnectAction = new QAction(Icons::get(Icons::Disconnect), tr("Disconnect"), this);
    m_disconnectAction->setObjectName(u"disconnectAction"_s);
    connect(m_disconnectAction, &QAction::triggered, this, &MainWindow::disconnectFromDatabase);

    m_refreshAction = new QAction(Icons::get(Icons::Refresh), tr("Refresh"), this);
    m_refreshAction->setObjectName(u"refreshAction"_s);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Read the database's revision and history again"));
    connect(m_refreshAction, &QAction::triggered, this, [this] {
        QMetaObject::invokeMethod(m_worker, &DatabaseWorker::refreshStatus, Qt::QueuedConnection);
    });

    m_sandbox = new SandboxControl(m_services.threads(), m_settings, this);
    connect(m_sandbox, &SandboxControl::ready, this, [this](const ConnectionSettings &s) { connectToDatabase(s); });
    connect(m_sandbox, &SandboxControl::failed, this, &MainWindow::onConnectionFailed);
    connect(m_sandbox, &SandboxControl::reported, this, [this](const QString &text) { m_activityLabel->setText(text); });

    m_alembicImport = new AlembicImportLauncher(m_services.threads(), &m_profiles, this);
    connect(m_alembicImport, &AlembicImportLauncher::sourceChosen, this,
            [this](const QString &dir) { setScripts(dir, m_versionTable); });
    addMainMenus(this, {m_connectAction, m_disconnectAction, m_refreshAction, m_sandbox->startAction(),
                        m_sandbox->keepRunningAction(), m_sandbox->copyUrlAction(), m_alembicImport->action()},
                 m_migrationsView, m_views);
    createLanguageMenu();
}

void MainWindow::createLanguageMenu()
{
    auto menu = new LanguageMenu(Translator::savedLanguage(m_settings), this);
    addLanguageMenu(this, menu);
    connect(menu, &LanguageMenu::languageChosen, this, &MainWindow::changeLanguage);
}

void MainWindow::changeLanguage(const QString &language)
{
    if (language == Translator::savedLanguage(m_settings))
        return;
    if (m_busy) {
        // The run's progress and log live in this window; rebuilding it now would hide them.
        auto box = new QMessageBox(QMessageBox::Information, tr("Language"),
                                   tr("The language can be changed once the running migration has finished."),
                                   QMessageBox::Ok, this);
        box->setObjectName(u"languageBusyBox"_s);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return;
    }
    Translator::saveLanguage(m_settings, language);
    m_settings.sync();
    Translator::install(language);
    // The widgets set their texts once, when built; a fresh window in the new language is simpler
    // and more complete than re-translating every label of every view in place.
    auto next = new MainWindow(m_services);
    next->setAttribute(Qt::WA_DeleteOnClose);
    handOverTo(next);
}

void MainWindow::handOverTo(MainWindow *next)
{
    saveSettings();
    if (!m_migrationsDir.isEmpty() || !m_versionTable.isEmpty())
        next->setScripts(m_migrationsDir, m_versionTable);
    next->restoreGeometry(saveGeometry());
    // The open table, its filters, selection and scroll position come back once the new view has the rows.
    if (auto tables = m_views->isBuilt(View::Tables) ? TablesViewState::capture(tablesView(), next) : nullptr)
        tables->restoreTo(next->tablesView());
    else if (!m_tableRequest->isEmpty())
        next->openTable(m_tableRequest->schema(), m_tableRequest->name());
    if (m_views->isBuilt(View::Schedules))
        next->schedulesView()->takeStateFrom(*schedulesView());
    next->setCurrentView(currentView());
    m_sandbox->handOverTo(next->m_sandbox);
    const bool wasConnected = m_connected;
    const ConnectionSettings settings = m_connectedWith;
    const QString profile = m_connectedProfile;
    m_handedOver = true;
    disconnectFromDatabase();
    if (isVisible())
        next->show();
    if (wasConnected)
        next->connectToDatabase(settings, profile);
    Q_EMIT replacedBy(next);
    close();
}

void MainWindow::createStatusBar()
{
    m_statusFields = std::make_unique<StatusFields>(statusBar());
    m_activityLabel = m_statusFields->activity();
}

void MainWindow::connectWorker()
{
    connect(m_worker, &DatabaseWorker::connected, this, &MainWindow::onConnected);
    connect(m_worker, &DatabaseWorker::statusReady, this, &MainWindow::onStatus);
    connect(m_worker, &DatabaseWorker::connectionFailed, this, &MainWindow::onConnectionFailed);
    connect(m_worker, &DatabaseWorker::scriptsLoaded, this, &MainWindow::onScriptsLoaded);
    connect(m_worker, &DatabaseWorker::busyChanged, this, &MainWindow::setBusy);
    connect(m_worker, &DatabaseWorker::roundTripMeasured, this,
            [this](int milliseconds) { m_statusFields->showRoundTrip(milliseconds); });
    connect(m_migrationsView, &MigrationsView::driftChecked, this, &MainWindow::onDriftChecked);
}

void MainWindow::restoreSettings()
{
    restoreGeometry(m_settings.value(kGeometryKey).toByteArray());
    restoreState(m_settings.value(kStateKey).toByteArray());
    if (const auto view = viewFromName(m_settings.value(kLastViewKey).toString()))
        setCurrentView(*view);
}

void MainWindow::saveSettings()
{
    m_settings.setValue(kGeometryKey, saveGeometry());
    m_settings.setValue(kStateKey, saveState());
    m_settings.setValue(kLastViewKey, viewName(currentView()));
    m_settings.sync();
}

void MainWindow::connectToSandbox()
{
    m_sandbox->start();
}

bool MainWindow::keepsSandboxRunning() const
{
    return m_sandbox->keepsRunning();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // The sandbox is the app's own server: it goes when the app goes, unless the user keeps it.
    if (m_handedOver) {
        QMainWindow::closeEvent(event);
        return;
    }
    if (m_sandbox->stopsAtExit()) {
        disconnectFromDatabase();
        m_sandbox->stopNow();
    }
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::setScripts(const QString &migrationsDir, const QString &versionTable)
{
    m_migrationsDir = migrationsDir;
    m_versionTable = versionTable;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, migrationsDir, versionTable] { worker->setScripts(migrationsDir, versionTable); },
        Qt::QueuedConnection);
}

MainWindow::View MainWindow::currentView() const
{
    return m_views->currentView();
}

void MainWindow::setCurrentView(View view)
{
    m_views->setCurrentView(view);
}

TablesView *MainWindow::tablesView()
{
    return m_views->tablesView();
}

SchedulesView *MainWindow::schedulesView()
{
    return m_views->schedulesView();
}

TrashView *MainWindow::trashView()
{
    return m_views->trashView();
}

void MainWindow::openTable(const QString &schema, const QString &name)
{
    m_tableRequest->setTable(schema, name);
    setCurrentView(View::Tables);
    checkRequestedTable();
}

void MainWindow::connectToDatabase(const ConnectionSettings &settings, const QString &profileName)
{
    m_connecting = settings;
    m_connectingProfile = profileName;
    m_activityLabel->setText(tr("Connecting to %1…").arg(settings.displayName()));
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, settings] { worker->connectTo(settings); }, Qt::QueuedConnection);
    // The --table look-up, too, runs beside the main connection; its answer waits for it.
    if (!m_tableRequest->isEmpty())
        m_tableRequest->lookUp(settings);
    // The grids' sessions connect beside the main connection, not after it: on a server 20 ms away each
    // handshake and the main connection's status reads are round trips the first view would wait for.
    // Should the connection fail, they fail quietly and are dropped with it (onConnectionFailed).
    m_services.fetchers().prewarm(settings, 2, m_views->openingWindows(!m_tableRequest->isEmpty()));
}

void MainWindow::connectToProfile(const QString &name)
{
    const auto profile = m_profiles.profile(name);
    if (!profile) {
        auto box = new QMessageBox(QMessageBox::Warning, tr("Unknown profile"),
                                   tr("There is no saved connection profile named \"%1\".").arg(name),
                                   QMessageBox::Ok, this);
        box->setObjectName(u"profileErrorBox"_s);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QDialog::finished, this, [this] { openConnectionDialog(); });
        box->open();
        return;
    }
    if (!profile->rememberPassword) {
        connectToDatabase(profile->settings, name);
        return;
    }
    // The keychain answers asynchronously (or times out); without a password the dialog takes over
    // and says why.
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = connect(m_passwords, &PasswordStore::readFinished, this,
                    [this, once, p = *profile](const QString &key, PasswordStore::Status status,
                                               const QString &password, const QString &) {
                        if (key != p.keychainKey())
                            return;
                        disconnect(*once);
                        if (status == PasswordStore::Status::Ok) {
                            ConnectionSettings settings = p.settings;
                            settings.password = password;
                            connectToDatabase(settings, p.name);
                        } else {
                            openConnectionDialog(std::nullopt, p.name);
                        }
                    });
    m_activityLabel->setText(tr("Reading the password of %1 from the keychain…").arg(name));
    m_passwords->readPassword(profile->keychainKey());
}

void MainWindow::connectFromEnvironment(const QProcessEnvironment &environment)
{
    QString source;
    QString error;
    const auto settings = ConnectionSettings::fromEnvironment(environment, &source, &error);
    if (!settings) {
        onConnectionFailed(redactSecrets(error));
        return;
    }
    if (source == QLatin1String("DATABASE_URL") || source == QLatin1String("POSTGRES_*"))
        connectToDatabase(*settings);
    else
        openConnectionDialog(); // which reads the PG* defaults and the last profile itself
}

void MainWindow::openConnectionDialog(const std::optional<ConnectionSettings> &initial, const QString &profile)
{
    if (auto existing = findChild<ConnectionDialog *>(u"connectionDialog"_s)) {
        existing->raise();
        existing->activateWindow();
        return;
    }
    auto dialog = new ConnectionDialog(&m_profiles, m_passwords, m_services.threads(), this);
    dialog->setObjectName(u"connectionDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setSandboxUrlAction(m_sandbox->copyUrlAction());
    if (initial)
        dialog->setInitialSettings(*initial);
    const QString select = profile.isEmpty() && !initial ? m_profiles.lastProfile() : profile;
    if (m_connected && !initial && profile.isEmpty())
        dialog->showCurrentConnection(m_connectedWith, m_connectedProfile);
    else if (!select.isEmpty())
        dialog->selectProfile(select);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (dialog->sandboxRequested()) {
            connectToSandbox();
            return;
        }
        connectToDatabase(dialog->settings(), dialog->profileName());
    });
    DialogSheet::open(dialog, this);
}

void MainWindow::disconnectFromDatabase()
{
    QMetaObject::invokeMethod(m_worker, &DatabaseWorker::disconnectFromDatabase, Qt::QueuedConnection);
    const bool wasConnected = m_connected;
    m_connected = false;
    m_connectedWith = ConnectionSettings();
    showDisconnected();
    if (wasConnected)
        Q_EMIT connectionChanged(false);
}

void MainWindow::onConnected(const DatabaseStatus &status)
{
    const bool wasConnected = m_connected;
    m_connected = true;
    m_connectedWith = m_connecting;
    m_connectedProfile = m_connectingProfile;
    if (!m_connectingProfile.isEmpty())
        m_profiles.setLastProfile(m_connectingProfile);
    m_alembicImport->setProfile(m_connectingProfile, m_migrationsDir); // may switch to the profile's scripts
    m_activityLabel->clear();
    m_statusFields->setDriftVisible(false);
    m_statusFields->setProfileName(m_connectingProfile);
    m_migrationsView->setConnected(true);
    // Each data view opens its own connections (fetchers, exporters, writers) with these settings; the
    // grids take the sessions connectToDatabase() opened.
    m_views->setConnection(m_connectedWith);
    onStatus(status);
    m_tableRequest->setConnection(m_connectedWith);
    if (!wasConnected)
        Q_EMIT connectionChanged(true);
}

void MainWindow::onStatus(const DatabaseStatus &status)
{
    if (!m_connected)
        return;
    setWindowTitle(tr("%1 — MigrationDesk").arg(status.displayName));
    m_statusFields->showStatus(status, unverifiedTlsWarning(m_connectedWith));
    updateActions();
}

void MainWindow::onConnectionFailed(const QString &message)
{
    // The grid sessions opened beside the failed attempt; a live connection's views keep their own.
    m_services.fetchers().clear();
    // A grid opened before the connection was up (--table) goes with it.
    if (!m_connected)
        m_views->clearConnection();
    // A failed reconnect leaves the worker on its previous connection.
    m_activityLabel->setText(m_connected ? QString() : tr("Not connected"));
    // One box at a time: repeated failures (e.g. several retries) replace the text.
    auto box = findChild<QMessageBox *>(u"connectionErrorBox"_s);
    if (!box) {
        box = new QMessageBox(QMessageBox::Warning, tr("Could not connect"), QString(), QMessageBox::Ok, this);
        box->setObjectName(u"connectionErrorBox"_s);
        box->setAttribute(Qt::WA_DeleteOnClose);
    }
    const QString target = m_connecting.displayName();
    box->setText(target.isEmpty() ? tr("Could not connect.") : tr("Could not connect to %1.").arg(target));
    box->setInformativeText(redactSecrets(message));
    box->open();
}

void MainWindow::onScriptsLoaded(const ScriptSet &scripts)
{
    if (!scripts.isValid()) {
        m_activityLabel->setText(tr("The migration scripts in %1 have errors").arg(scripts.directory()));
        m_activityLabel->setToolTip(scripts.errorText());
    }
    m_statusFields->setScripts(scripts);
}

void MainWindow::onDriftChecked(bool drifted)
{
    m_statusFields->setDriftVisible(drifted && m_connected);
}

void MainWindow::setBusy(bool busy)
{
    m_busy = busy;
    // While the window is still connecting, "Connecting to …" stays: a grid opened early (--table) shows
    // rows meanwhile, and "Working…" would not say why the rest waits.
    if (busy && (m_connected || m_activityLabel->text().isEmpty()))
        m_activityLabel->setText(tr("Working…"));
    else if (m_activityLabel->text() == tr("Working…"))
        m_activityLabel->clear();
    updateActions();
}

void MainWindow::showDisconnected()
{
    setWindowTitle(tr("MigrationDesk"));
    m_statusFields->showDisconnected();
    m_migrationsView->setConnected(false);
    m_views->clearConnection();
    m_tableRequest->setConnection(std::nullopt);
    // The grids' sessions the pool keeps for a quick reopen belong to the connection just left.
    m_services.fetchers().clear();
    updateActions();
}

void MainWindow::updateActions()
{
    m_connectAction->setEnabled(!m_busy);
    m_disconnectAction->setEnabled(m_connected && !m_busy);
    m_refreshAction->setEnabled(m_connected && !m_busy);
}

void MainWindow::checkRequestedTable()
{
    if (m_connected)
        m_tableRequest->lookUp(m_connectedWith);
}

} // namespace MigrationDesk
