#pragma once

#include "db/connectionsettings.h"
#include "connect/passwordstore.h"

#include <QDialog>
#include <QHash>
#include <QString>

class QAction;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;

namespace MigrationDesk {

class ConnectionForm;
class ProbeRunner;
class ProfileList;
class ProfileStore;
class WorkerThreads;
struct ConnectionProfile;

// Lets the user pick or edit a saved connection profile, tests it on a worker thread and accepts once
// a connection works. Passwords go to the system keychain (PasswordStore) only, never to QSettings.
// Puts together its three pieces and keeps the profiles: the list (ProfileList), the form
// (ConnectionForm) and the attempts (ProbeRunner, on a worker from WorkerThreads). GUI thread.
class ConnectionDialog : public QDialog
{
    Q_OBJECT

public:
    ConnectionDialog(ProfileStore *profiles, PasswordStore *passwords, WorkerThreads &threads,
                     QWidget *parent = nullptr);

    // Fills the form from a URL or the environment and leaves no profile selected.
    void setInitialSettings(const ConnectionSettings &s);
    // Selects a saved profile and loads it (its password comes from the keychain, asynchronously).
    void selectProfile(const QString &name);
    // The connection the app is on: its profile selected when it has one that still exists (with the
    // password it connected with), otherwise the settings themselves with no profile selected.
    void showCurrentConnection(const ConnectionSettings &s, const QString &profile);

    // The settings in the form (empty while the form is invalid); after accept() the ones that just
    // connected. The password is filled in when the user typed it or the keychain had it, otherwise
    // empty so libpq uses PGPASSWORD, ~/.pgpass or the service file.
    ConnectionSettings settings() const;
    // The profile the accepted settings were saved as; empty for an unnamed connection.
    QString profileName() const;

    // Offers action (Copy Sandbox URL) beside the Local Sandbox button; it is enabled while the sandbox runs.
    void setSandboxUrlAction(QAction *action);

    // The user chose "Local Sandbox": the caller starts the private cluster instead of using settings().
    bool sandboxRequested() const { return m_sandboxRequested; }

    // True while a Test connection or Connect attempt is running.
    bool isBusy() const { return m_busy; }

Q_SIGNALS:
    // Emitted when a Test connection or Connect attempt finishes (not when it was cancelled).
    void probeFinished(bool ok, const QString &message);

private:
    void buildUi();
    void reloadProfileList(const QString &select);
    void populateProfileList(const QString &select);
    void loadProfile(const QString &name);
    QString uniqueProfileName(const QString &base) const;
    // Saves the form under the name in the name field, renaming the selected profile if it differs.
    bool saveForm(QString *error);
    bool renameProfile(const QString &from, const QString &to, QString *error);

    void addProfile();
    void duplicateProfile();
    void deleteProfile();
    void renameFromList(const QString &from, const QString &to);
    void rememberClicked(bool checked);

    void startProbe(bool connectAfterwards);
    void cancelOrReject();
    void cancelProbe();
    void probeDone(bool ok, const QString &message);
    void setBusy(bool busy);
    void showStatus(const QString &text, bool error);

    void keychainRead(const QString &key, PasswordStore::Status status, const QString &password,
                      const QString &message);
    void keychainWritten(const QString &key, PasswordStore::Status status, const QString &message);
    void showKeychainUnavailable(const QString &message);

    ProfileStore *m_profiles;
    PasswordStore *m_passwords;
    ProbeRunner *m_probe;
    ConnectionSettings m_defaults;
    QString m_currentProfile;          // selected saved profile; empty for an unnamed connection
    QHash<QString, QString> m_moves;   // keychain key -> new key, for renamed profiles read back first
    bool m_connectAfterProbe = false;
    bool m_busy = false;
    bool m_sandboxRequested = false;
    bool m_keychainAsked = false;  // the availability probe went out (see the constructor)

    ProfileList *m_profileList = nullptr;
    ConnectionForm *m_form = nullptr;
    QLabel *m_statusLabel = nullptr;
    QProgressBar *m_busyIndicator = nullptr;
    QPushButton *m_saveButton = nullptr;
    QPushButton *m_testButton = nullptr;
    QPushButton *m_connectButton = nullptr;
    QPushButton *m_sandboxButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QHBoxLayout *m_buttons = nullptr;
};

} // namespace MigrationDesk
