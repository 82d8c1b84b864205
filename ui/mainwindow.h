#pragma once

#include "db/connectionsettings.h"
#include "session/databaseworker.h"
#include "session/guioptions.h"
#include "session/profilestore.h"

#include <QMainWindow>
#include <QProcessEnvironment>
#include <QSettings>

#include <memory>
#include <optional>

class QAction;
class QLabel;

namespace MigrationDesk {

class AlembicImportLauncher;
class AppServices;
class MigrationsView;
class SandboxControl;
class PasswordStore;
class SchedulesView;
class StatusFields;
class TableRequest;
class TablesView;
class TrashView;
class ViewStack;

// The desktop app's window: navigation between the four views, the toolbar, the status bar and the
// worker that owns the database connection. Persists its layout, last view and last profile in
// QSettings. GUI thread; its DatabaseWorker runs on a thread from the AppServices, which must outlive it.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    using View = AppView;

    // "migrations", "tables", "schedules", "trash" (the --view values).
    static std::optional<View> viewFromName(const QString &name) { return appViewFromName(name); }
    static QString viewName(View view) { return appViewName(view); }

    explicit MainWindow(AppServices &services, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Which scripts and version table the worker uses (bundled scripts when migrationsDir is empty).
    void setScripts(const QString &migrationsDir, const QString &versionTable);

    View currentView() const;
    void setCurrentView(View view);

    // Selects the Tables view for one table, named as the catalog stores it (not SQL-quoted). Once
    // connected, a table that does not exist gets a message there; the window stays as it is.
    void openTable(const QString &schema, const QString &name);

    // Connects the worker; failures show a message box (object name connectionErrorBox).
    // profileName, when given, becomes the last profile once the connection succeeds.
    void connectToDatabase(const ConnectionSettings &settings, const QString &profileName = QString());
    // A saved profile: connects with the keychain's password when the profile remembers one, else
    // lets libpq find it (~/.pgpass, service file). Without a usable password the dialog opens.
    void connectToProfile(const QString &name);
    // The CLI's sources: connects at once when DATABASE_URL or POSTGRES_* is set, otherwise opens
    // the connection dialog prefilled from libpq's PG* variables.
    void connectFromEnvironment(const QProcessEnvironment &environment);
    // Window-modal but not blocking (open(), not exec()); on accept the worker connects with the
    // dialog's settings. Preselects `profile`, else the last profile, unless `initial` is given.
    void openConnectionDialog(const std::optional<ConnectionSettings> &initial = std::nullopt,
                              const QString &profile = QString());
    void disconnectFromDatabase();
    // Starts (or creates) the local sandbox cluster with progress, then connects to it.
    void connectToSandbox();
    bool keepsSandboxRunning() const;

    // Switches the user-interface language now: installs the translations, then builds a fresh
    // window in that language which takes over this one's place, connection, view and sandbox
    // (replacedBy()), and closes this one. Refused while a migration runs.
    void changeLanguage(const QString &language);

    bool isConnected() const { return m_connected; }
    DatabaseWorker *worker() const { return m_worker; }
    MigrationsView *migrationsView() const { return m_migrationsView; }
    AlembicImportLauncher *alembicImport() const { return m_alembicImport; }
    QString migrationsDir() const { return m_migrationsDir; }
    // The other views are built the first time they are shown or asked for here.
    TablesView *tablesView();
    SchedulesView *schedulesView();
    TrashView *trashView();

Q_SIGNALS:
    void connectionChanged(bool connected);
    // This window handed over to `next` after a language switch and is closing.
    void replacedBy(MigrationDesk::MainWindow *next);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createLanguageMenu();
    void handOverTo(MainWindow *next);
    void createViews();
    void createStatusBar();
    void connectWorker();
    void restoreSettings();
    void saveSettings();

    void onConnected(const DatabaseStatus &status);
    void onStatus(const DatabaseStatus &status);
    void onConnectionFailed(const QString &message);
    void onScriptsLoaded(const ScriptSet &scripts);
    void onDriftChecked(bool drifted);
    void setBusy(bool busy);
    void showDisconnected();
    void updateActions();
    void checkRequestedTable();

    AppServices &m_services;
    QSettings m_settings;
    ProfileStore m_profiles;
    PasswordStore *m_passwords = nullptr;

    DatabaseWorker *m_worker = nullptr;

    ViewStack *m_views = nullptr;
    MigrationsView *m_migrationsView = nullptr;

    QAction *m_connectAction = nullptr;
    QAction *m_disconnectAction = nullptr;
    QAction *m_refreshAction = nullptr;
    SandboxControl *m_sandbox = nullptr;
    AlembicImportLauncher *m_alembicImport = nullptr;

    std::unique_ptr<StatusFields> m_statusFields;
    QLabel *m_activityLabel = nullptr;  // the status bar's activity field
    TableRequest *m_tableRequest = nullptr;

    bool m_connected = false;
    bool m_busy = false;
    bool m_handedOver = false;          // replaced after a language switch: closing stops nothing
    QString m_migrationsDir;
    QString m_versionTable;
    ConnectionSettings m_connecting;    // the attempt in progress (or the last one)
    QString m_connectingProfile;
    ConnectionSettings m_connectedWith; // what the worker's open connection was made with
    QString m_connectedProfile;         // and the profile it came from, if any
};

} // namespace MigrationDesk
