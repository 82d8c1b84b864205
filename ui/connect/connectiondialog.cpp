#include "connect/connectiondialog.h"

#include "connect/connectionform.h"
#include "connect/proberunner.h"
#include "connect/profilelist.h"
#include "session/profilestore.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProcessEnvironment>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace MigrationDesk {

using namespace Qt::StringLiterals;

ConnectionDialog::ConnectionDialog(ProfileStore *profiles, PasswordStore *passwords, WorkerThreads &threads,
                                   QWidget *parent)
    : QDialog(parent)
    , m_profiles(profiles)
    , m_passwords(passwords)
    , m_probe(new ProbeRunner(threads, this))
{
    buildUi();
    connect(m_probe, &ProbeRunner::finished, this, &ConnectionDialog::probeDone);

    connect(m_passwords, &PasswordStore::readFinished, this, &ConnectionDialog::keychainRead);
    connect(m_passwords, &PasswordStore::writeFinished, this, &ConnectionDialog::keychainWritten);
    connect(m_passwords, &PasswordStore::keychainUnavailable, this, &ConnectionDialog::showKeychainUnavailable);
    // The keychain (D-Bus, libsecret and its libraries: about 2.5 MB) is asked only once a password is
    // involved: the user comes to the password field or the keychain switch, or picks a profile that
    // remembers one (that read finds out too). A dialog used with ~/.pgpass never loads it.
    if (!m_passwords->keychainAvailable()) {
        showKeychainUnavailable(m_passwords->unavailableMessage());
    } else {
        auto askOnce = [this] {
            if (!m_keychainAsked && m_passwords->keychainAvailable())
                m_passwords->checkAvailability();
            m_keychainAsked = true;
        };
        connect(m_form, &ConnectionForm::passwordTouched, this, askOnce);
        connect(m_form, &ConnectionForm::rememberClicked, this, askOnce);
    }

    QString source;
    QString error;
    if (auto env = ConnectionSettings::fromEnvironment(QProcessEnvironment::systemEnvironment(), &source, &error))
        m_defaults = *env;
    m_form->fill(m_defaults);
    if (!error.isEmpty())
        showStatus(error, true);

    const QString last = m_profiles->lastProfile();
    reloadProfileList(m_profiles->profile(last) ? last : QString());
}

void ConnectionDialog::buildUi()
{
    setObjectName(u"connectionDialog"_s);
    setWindowTitle(tr("Connect to a Database"));

    m_profileList = new ProfileList;
    m_form = new ConnectionForm;

    // Result and buttons, bottom.
    m_statusLabel = new QLabel;
    m_statusLabel->setObjectName(u"statusLabel"_s);
    m_statusLabel->setWordWrap(true);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_busyIndicator = new QProgressBar;
    m_busyIndicator->setObjectName(u"busyIndicator"_s);
    m_busyIndicator->setRange(0, 0);
    m_busyIndicator->setTextVisible(false);
    m_busyIndicator->setMaximumHeight(8);
    m_busyIndicator->hide();
    m_saveButton = new QPushButton(tr("Save Profile"));
    m_saveButton->setObjectName(u"saveButton"_s);
    m_testButton = new QPushButton(tr("Test Connection"));
    m_testButton->setObjectName(u"testButton"_s);
    m_connectButton = new QPushButton(tr("Connect"));
    m_connectButton->setObjectName(u"connectButton"_s);
    m_connectButton->setDefault(true);
    m_cancelButton = new QPushButton(tr("Cancel"));
    m_cancelButton->setObjectName(u"cancelButton"_s);
    // For newcomers without a server: a private cluster with the bundled schema and demo data.
    m_sandboxButton = new QPushButton(tr("Local Sandbox"));
    m_sandboxButton->setObjectName(u"sandboxButton"_s);
    m_sandboxButton->setToolTip(tr("Start a private PostgreSQL with the bundled schema and demo data, and connect to it"));
    m_buttons = new QHBoxLayout;
    m_buttons->addWidget(m_sandboxButton);
    m_buttons->addWidget(m_saveButton);
    m_buttons->addStretch(1);
    m_buttons->addWidget(m_testButton);
    m_buttons->addWidget(m_connectButton);
    m_buttons->addWidget(m_cancelButton);

    // Profiles left, the form right.
    auto top = new QHBoxLayout;
    top->addWidget(m_profileList, 2);
    top->addWidget(m_form, 5);
    auto layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(m_statusLabel);
    layout->addWidget(m_busyIndicator);
    layout->addLayout(m_buttons);

    connect(m_profileList, &ProfileList::currentChanged, this, &ConnectionDialog::loadProfile);
    connect(m_profileList, &ProfileList::renameRequested, this, &ConnectionDialog::renameFromList);
    connect(m_profileList, &ProfileList::addRequested, this, &ConnectionDialog::addProfile);
    connect(m_profileList, &ProfileList::duplicateRequested, this, &ConnectionDialog::duplicateProfile);
    connect(m_profileList, &ProfileList::deleteRequested, this, &ConnectionDialog::deleteProfile);
    connect(m_form, &ConnectionForm::rememberClicked, this, &ConnectionDialog::rememberClicked);
    connect(m_form, &ConnectionForm::urlApplied, this, [this](bool withPassword) {
        showStatus(withPassword ? tr("Filled in from the pasted URL, its password included.")
                                : tr("Filled in from the pasted URL."),
                   false);
    });
    connect(m_form, &ConnectionForm::urlRejected, this,
            [this](const QString &message) { showStatus(tr("The pasted URL was not used: %1").arg(message), true); });
    connect(m_saveButton, &QPushButton::clicked, this, [this] {
        QString error;
        if (saveForm(&error))
            showStatus(tr("Profile \"%1\" saved.").arg(m_currentProfile), false);
        else
            showStatus(error, true);
    });
    connect(m_testButton, &QPushButton::clicked, this, [this] { startProbe(false); });
    connect(m_connectButton, &QPushButton::clicked, this, [this] { startProbe(true); });
    connect(m_sandboxButton, &QPushButton::clicked, this, [this] {
        m_sandboxRequested = true;
        accept();
    });
    connect(m_cancelButton, &QPushButton::clicked, this, &ConnectionDialog::cancelOrReject);
}

void ConnectionDialog::setInitialSettings(const ConnectionSettings &s)
{
    m_profileList->clearSelection();
    m_currentProfile.clear();
    m_form->setProfileName(QString());
    m_form->fill(s);
    m_form->setRememberPassword(false);
    m_profileList->setProfileActionsEnabled(false);
}

void ConnectionDialog::selectProfile(const QString &name)
{
    m_profileList->select(name);
}

void ConnectionDialog::showCurrentConnection(const ConnectionSettings &s, const QString &profile)
{
    if (profile.isEmpty() || !m_profiles->profile(profile)) {
        setInitialSettings(s);
        return;
    }
    selectProfile(profile);
    // A keychain answer still on its way does not overwrite a password that is already there.
    if (!s.password.isEmpty())
        m_form->setPassword(s.password);
}

void ConnectionDialog::setSandboxUrlAction(QAction *action)
{
    auto button = new QToolButton;
    button->setObjectName(u"copySandboxUrlButton"_s);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_buttons->insertWidget(m_buttons->indexOf(m_sandboxButton) + 1, button);
}

ConnectionSettings ConnectionDialog::settings() const
{
    ConnectionSettings s;
    QString ignored;
    m_form->read(&s, &ignored);
    return s;
}

QString ConnectionDialog::profileName() const
{
    return m_currentProfile;
}

void ConnectionDialog::reloadProfileList(const QString &select)
{
    populateProfileList(select);
    loadProfile(m_profileList->current().isEmpty() ? QString() : select);
}

void ConnectionDialog::populateProfileList(const QString &select)
{
    QStringList names;
    for (const ConnectionProfile &p : m_profiles->profiles())
        names.append(p.name);
    m_profileList->setNames(names, select);
}

void ConnectionDialog::loadProfile(const QString &name)
{
    const std::optional<ConnectionProfile> profile = name.isEmpty() ? std::nullopt : m_profiles->profile(name);
    m_profileList->setProfileActionsEnabled(profile.has_value());
    if (m_passwords->keychainAvailable())
        m_form->showKeychainNote(QString());
    else
        m_form->showKeychainNote(m_passwords->unavailableMessage());
    if (!profile) {
        // No profile: start again from the environment.
        m_currentProfile.clear();
        m_form->setProfileName(QString());
        m_form->fill(m_defaults);
        m_form->setRememberPassword(false);
        return;
    }
    m_currentProfile = profile->name;
    m_form->setProfileName(profile->name);
    m_form->fill(profile->settings);
    m_form->setRememberPassword(profile->rememberPassword);
    if (profile->rememberPassword && m_passwords->keychainAvailable()) {
        m_form->showKeychainNote(tr("Reading the password from the system keychain…"));
        m_passwords->readPassword(profile->keychainKey());
    }
}

QString ConnectionDialog::uniqueProfileName(const QString &base) const
{
    QString name = base;
    for (int n = 2; m_profiles->profile(name); ++n)
        name = u"%1 %2"_s.arg(base).arg(n);
    return name;
}

bool ConnectionDialog::saveForm(QString *error)
{
    const QString name = m_form->profileName();
    if (name.isEmpty()) {
        *error = tr("Give the profile a name to save it.");
        return false;
    }
    ConnectionSettings s;
    if (!m_form->read(&s, error))
        return false;
    if (!m_currentProfile.isEmpty() && m_currentProfile != name) {
        if (!renameProfile(m_currentProfile, name, error))
            return false;
    } else if (m_currentProfile.isEmpty() && m_profiles->profile(name)) {
        *error = tr("A profile named \"%1\" already exists.").arg(name);
        return false;
    }
    ConnectionProfile profile;
    profile.name = name;
    profile.settings = s;
    profile.settings.password.clear(); // the keychain's job, never the settings file's
    profile.rememberPassword = m_form->rememberPassword();
    m_profiles->save(profile);
    m_currentProfile = name;
    populateProfileList(name); // the form already shows this profile
    m_profileList->setProfileActionsEnabled(true);
    return true;
}

bool ConnectionDialog::renameProfile(const QString &from, const QString &to, QString *error)
{
    if (to.isEmpty()) {
        *error = tr("A profile needs a name.");
        return false;
    }
    if (m_profiles->profile(to)) {
        *error = tr("A profile named \"%1\" already exists.").arg(to);
        return false;
    }
    std::optional<ConnectionProfile> profile = m_profiles->profile(from);
    if (!profile) {
        *error = tr("The profile \"%1\" no longer exists.").arg(from);
        return false;
    }
    const bool wasLast = m_profiles->lastProfile() == from;
    const QString oldKey = profile->keychainKey();
    m_profiles->remove(from);
    profile->name = to;
    m_profiles->save(*profile);
    if (wasLast)
        m_profiles->setLastProfile(to);
    if (profile->rememberPassword && m_passwords->keychainAvailable()) {
        // The keychain entry moves with the profile: from the form if the password is there, otherwise
        // read back first (keychainRead finishes the move).
        if (from == m_currentProfile && !m_form->password().isEmpty()) {
            m_passwords->writePassword(profile->keychainKey(), m_form->password());
            m_passwords->deletePassword(oldKey);
        } else {
            m_moves.insert(oldKey, profile->keychainKey());
            m_passwords->readPassword(oldKey);
        }
    }
    if (from == m_currentProfile) {
        m_currentProfile = to;
        m_form->setProfileName(to);
    }
    return true;
}

void ConnectionDialog::addProfile()
{
    ConnectionProfile profile;
    profile.name = uniqueProfileName(tr("New connection"));
    profile.settings = m_defaults;
    profile.settings.password.clear();
    m_profiles->save(profile);
    reloadProfileList(profile.name);
    if (!m_defaults.password.isEmpty())
        m_form->setPassword(m_defaults.password);
    m_form->editProfileName();
}

void ConnectionDialog::duplicateProfile()
{
    ConnectionSettings s;
    QString error;
    if (!m_form->read(&s, &error)) {
        showStatus(error, true);
        return;
    }
    const QString base = m_currentProfile.isEmpty() ? tr("New connection") : tr("%1 (copy)").arg(m_currentProfile);
    ConnectionProfile profile;
    profile.name = uniqueProfileName(base);
    profile.settings = s;
    profile.settings.password.clear();
    m_profiles->save(profile);
    reloadProfileList(profile.name);
    // The copy starts without a keychain entry, but the typed password stays for this session.
    m_form->setPassword(s.password);
}

void ConnectionDialog::deleteProfile()
{
    const std::optional<ConnectionProfile> profile = m_profiles->profile(m_currentProfile);
    if (!profile)
        return;
    m_profiles->remove(profile->name);
    // Unconditionally: also clears an entry left behind by an earlier failed delete.
    if (m_passwords->keychainAvailable())
        m_passwords->deletePassword(profile->keychainKey());
    m_currentProfile.clear();
    // Loaded by hand: the list moves its selection silently.
    loadProfile(m_profileList->removeCurrent());
    showStatus(tr("Profile \"%1\" deleted.").arg(profile->name), false);
}

void ConnectionDialog::renameFromList(const QString &from, const QString &to)
{
    QString error;
    const bool renamed = renameProfile(from, to, &error);
    m_profileList->finishRename(from, to, renamed);
    if (renamed)
        showStatus(tr("Profile renamed to \"%1\".").arg(to), false);
    else
        showStatus(error, true);
}

void ConnectionDialog::rememberClicked(bool checked)
{
    std::optional<ConnectionProfile> profile = m_profiles->profile(m_currentProfile);
    if (checked || !profile)
        return; // the password is stored after the next successful Connect
    if (profile->rememberPassword) {
        profile->rememberPassword = false;
        m_profiles->save(*profile);
    }
    m_passwords->deletePassword(profile->keychainKey());
}

void ConnectionDialog::startProbe(bool connectAfterwards)
{
    if (m_busy)
        return;
    ConnectionSettings s;
    QString error;
    if (!m_form->read(&s, &error)) {
        showStatus(error, true);
        return;
    }
    m_connectAfterProbe = connectAfterwards;
    setBusy(true);
    showStatus(connectAfterwards ? tr("Connecting to %1…").arg(s.displayName())
                                 : tr("Testing the connection to %1…").arg(s.displayName()),
               false);
    m_probe->start(s);
}

void ConnectionDialog::cancelOrReject()
{
    if (m_busy)
        cancelProbe();
    else
        reject();
}

void ConnectionDialog::cancelProbe()
{
    m_probe->cancel();
    setBusy(false);
    showStatus(tr("Cancelled."), false);
}

void ConnectionDialog::probeDone(bool ok, const QString &message)
{
    setBusy(false);
    showStatus(message, !ok);
    Q_EMIT probeFinished(ok, message);
    if (!ok || !m_connectAfterProbe)
        return;

    if (!m_form->profileName().isEmpty()) {
        QString error;
        if (!saveForm(&error)) {
            showStatus(error, true);
            return;
        }
        m_profiles->setLastProfile(m_currentProfile);
        const std::optional<ConnectionProfile> profile = m_profiles->profile(m_currentProfile);
        if (profile && profile->rememberPassword && m_passwords->keychainAvailable()
            && !m_form->password().isEmpty())
            m_passwords->writePassword(profile->keychainKey(), m_form->password());
    }
    accept();
}

void ConnectionDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_busyIndicator->setVisible(busy);
    m_form->setEnabled(!busy);
    m_profileList->setBusy(busy, !m_currentProfile.isEmpty());
    m_saveButton->setEnabled(!busy);
    m_testButton->setEnabled(!busy);
    m_connectButton->setEnabled(!busy);
    m_sandboxButton->setEnabled(!busy);
}

void ConnectionDialog::showStatus(const QString &text, bool error)
{
    m_statusLabel->setText(text);
    m_statusLabel->setProperty("error", error);
    m_statusLabel->setStyleSheet(error ? u"color: #b00020;"_s : QString());
}

void ConnectionDialog::keychainRead(const QString &key, PasswordStore::Status status, const QString &password,
                                    const QString &message)
{
    if (m_moves.contains(key)) {
        const QString newKey = m_moves.take(key);
        if (status == PasswordStore::Status::Ok) {
            m_passwords->writePassword(newKey, password);
            m_passwords->deletePassword(key);
        }
        return;
    }
    const std::optional<ConnectionProfile> profile = m_profiles->profile(m_currentProfile);
    if (!profile || profile->keychainKey() != key)
        return; // the user moved on to another profile
    switch (status) {
    case PasswordStore::Status::Ok:
        if (m_form->password().isEmpty())
            m_form->setPassword(password);
        m_form->hideKeychainNote();
        break;
    case PasswordStore::Status::NotFound:
        m_form->showKeychainNote(tr("The system keychain has no password for this profile; enter it to connect."));
        break;
    case PasswordStore::Status::NoKeychain:
        break; // showKeychainUnavailable() said it
    case PasswordStore::Status::TimedOut:
    case PasswordStore::Status::Failed:
        m_form->showKeychainNote(message);
        break;
    }
}

void ConnectionDialog::keychainWritten(const QString &key, PasswordStore::Status status, const QString &message)
{
    Q_UNUSED(key);
    if (status != PasswordStore::Status::Ok && status != PasswordStore::Status::NoKeychain)
        m_form->showKeychainNote(tr("The password could not be stored: %1").arg(message));
}

void ConnectionDialog::showKeychainUnavailable(const QString &message)
{
    m_form->showKeychainNote(message);
    m_form->disableRemember(message);
}

} // namespace MigrationDesk
