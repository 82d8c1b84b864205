#pragma once

#include "db/connectionsettings.h"

#include <QMap>
#include <QString>
#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace MigrationDesk {

// The connection dialog's form: profile name, host, port, database, user, password with its show toggle,
// keychain switch and note, SSL mode, root certificate, client certificate and key, and a table of
// further libpq options checked as they are typed. A postgresql:// URL pasted into any of its fields
// fills them all. Reads and fills ConnectionSettings; knows nothing of profiles or connecting. GUI thread.
class ConnectionForm : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionForm(QWidget *parent = nullptr);

    // Everything but the profile name and the keychain switch.
    void fill(const ConnectionSettings &s);
    // The form as settings; false with *error when the options table or the fields are invalid.
    bool read(ConnectionSettings *out, QString *error) const;

    QString profileName() const;
    void setProfileName(const QString &name);
    // Puts the cursor in the name field with the name selected, ready to be typed over.
    void editProfileName();
    QString password() const;
    void setPassword(const QString &password);
    bool rememberPassword() const;
    void setRememberPassword(bool remember);
    // Turns the keychain switch off for good, saying why.
    void disableRemember(const QString &why);
    // A line under the keychain switch; hidden when empty.
    void showKeychainNote(const QString &text);
    // Hides the note, keeping its text.
    void hideKeychainNote();

Q_SIGNALS:
    // The user (not fill()) turned the keychain switch on or off.
    void rememberClicked(bool checked);
    // The user came to the password: focused or edited the field, the first time only.
    void passwordTouched();
    // A pasted URL filled the fields (its password too, if it had one).
    void urlApplied(bool withPassword);
    // A pasted URL could not be read; nothing changed.
    void urlRejected(const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void addOptionRow(const QString &key, const QString &value);
    // The options table as libpq options (and the service name); false with *error on the first bad row.
    bool optionsFromTable(QMap<QString, QString> *options, QString *service, QString *error) const;
    void validateOptions();
    void updateSslWidgets();
    void browseFile(QLineEdit *edit, const QString &title, const QString &filter);
    void showPassword(bool shown);

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
    QLineEdit *m_clientCertEdit = nullptr;
    QLineEdit *m_clientKeyEdit = nullptr;
    QAction *m_showPasswordAction = nullptr;
    QTableWidget *m_optionsTable = nullptr;
    QPushButton *m_addOptionButton = nullptr;
    QPushButton *m_removeOptionButton = nullptr;
    QLabel *m_optionsErrorLabel = nullptr;
};

} // namespace MigrationDesk
