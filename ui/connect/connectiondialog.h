#pragma once

#include "db/connectionsettings.h"
#include "connect/passwordstore.h"

#include <QDialog>
#include <QHash>
#include <QMap>
#include <QString>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QWidget;

namespace MigrationDesk {

class ProbeRunner;
class ProfileStore;
class WorkerThreads;
struct ConnectionProfile;

// Lets the user pick or edit a saved connection profile, tests it on a worker thread and accepts once
// a connection works. Passwords go to the system keychain (PasswordStore) only, never to QSettings.
// Lives on the GUI thread; the connection attempts run on a worker from WorkerThreads (ProbeRunner).
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

    // The settings in the form (empty while the form is invalid); after accept() the ones that just
    // connected. The password is filled in when the user typed it or the keychain had it, otherwise
    // empty so libpq uses PGPASSWORD, ~/.pgpass or the service file.
    ConnectionSettings settings() const;
    // The profile the accepted settings were saved as; empty for an unnamed connection.
    QString profileName() const;

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
    void fillForm(const ConnectionSettings &s);
    void addOptionRow(const QString &key, const QString &value);
    // The form as settings; false with *error when the options table or the fields are invalid.
    bool formSettings(ConnectionSettings *out, QString *error) const;
    // The options table as libpq options (and the service name); false with *error on the first bad row.
    bool optionsFromTable(QMap<QString, QString> *options, QString *service, QString *error) const;
    void validateOptions();
    QString uniqueProfileName(const QString &base) const;
    // Saves the form under the name in the name field, renaming the selected profile if it differs.
    bool saveForm(QString *error);
    bool renameProfile(const QString &from, const QString &to, QString *error);

    void addProfile();
    void duplicateProfile();
    void deleteProfile();
    void profileItemChanged(QListWidgetItem *item);
    void rememberClicked(bool checked);
    void updateSslWidgets();
    void browseRootCert();

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
    void showKeychainNote(const QString &text);

    ProfileStore *m_profiles;
    PasswordStore *m_passwords;
    ConnectionSettings m_defaults;
    QString m_currentProfile;          // selected saved profile; empty for an unnamed connection
    QHash<QString, QString> m_moves;   // keychain key -> new key, for renamed profiles read back first

    ProbeRunner *m_probe;
    bool m_connectAfterProbe = false;
    bool m_busy = false;
    bool m_populating = false;

    QListWidget *m_profileList = nullptr;
    QPushButton *m_addButton = nullptr;
    QPushButton *m_duplicateButton = nullptr;
    QPushButton *m_renameButton = nullptr;
    QPushButton *m_deleteButton = nullptr;
    QWidget *m_formPanel = nullptr;
    QLineEdit *m_nameEdit = nullptr;
    QLineEdit *m_hostEdit = nullptr;
    QLineEdit *m_portEdit = nullptr;
    QLineEdit *m_databaseEdit = nullptr;
    QLineEdit *m_userEdit = nullptr;
    QLineEdit *m_passwordEdit = nullptr;
    QCheckBox *m_rememberCheck = nullptr;
    QLabel *m_keychainLabel = nullptr;
    QComboBox *m_sslModeCombo = nullptr;
    QLineEdit *m_rootCertEdit = nullptr;
    QPushButton *m_rootCertButton = nullptr;
    QTableWidget *m_optionsTable = nullptr;
    QPushButton *m_addOptionButton = nullptr;
    QPushButton *m_removeOptionButton = nullptr;
    QLabel *m_optionsErrorLabel = nullptr;
    QLabel *m_statusLabel = nullptr;
    QProgressBar *m_busyIndicator = nullptr;
    QPushButton *m_saveButton = nullptr;
    QPushButton *m_testButton = nullptr;
    QPushButton *m_connectButton = nullptr;
    QPushButton *m_sandboxButton = nullptr;
    bool m_sandboxRequested = false;
    QPushButton *m_cancelButton = nullptr;
};

} // namespace MigrationDesk
