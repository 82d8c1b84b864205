#include "connect/connectiondialog.h"

#include "connect/proberunner.h"
#include "session/profilestore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIntValidator>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcessEnvironment>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace MigrationDesk {

using namespace Qt::StringLiterals;

namespace {

const QStringList kSslModes = {u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s, u"verify-ca"_s, u"verify-full"_s};

// libpq keywords that have a field of their own in the form (service is the exception: it rides in the
// options table because few people use it).
bool hasOwnField(const QString &key)
{
    static const QSet<QString> keys = {u"host"_s, u"port"_s, u"dbname"_s, u"user"_s,
                                       u"password"_s, u"sslmode"_s, u"sslrootcert"_s};
    return keys.contains(key);
}

} // namespace

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
    if (!m_passwords->keychainAvailable())
        showKeychainUnavailable(m_passwords->unavailableMessage());
    else
        m_passwords->checkAvailability();

    QString source;
    QString error;
    if (auto env = ConnectionSettings::fromEnvironment(QProcessEnvironment::systemEnvironment(), &source, &error))
        m_defaults = *env;
    fillForm(m_defaults);
    if (!error.isEmpty())
        showStatus(error, true);

    const QString last = m_profiles->lastProfile();
    reloadProfileList(m_profiles->profile(last) ? last : QString());
}

void ConnectionDialog::buildUi()
{
    setObjectName(u"connectionDialog"_s);
    setWindowTitle(tr("Connect to a Database"));

    // Profiles, left.
    m_profileList = new QListWidget;
    m_profileList->setObjectName(u"profileList"_s);
    m_profileList->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_addButton = new QPushButton(tr("Add"));
    m_addButton->setObjectName(u"addProfileButton"_s);
    m_duplicateButton = new QPushButton(tr("Duplicate"));
    m_duplicateButton->setObjectName(u"duplicateProfileButton"_s);
    m_renameButton = new QPushButton(tr("Rename"));
    m_renameButton->setObjectName(u"renameProfileButton"_s);
    m_deleteButton = new QPushButton(tr("Delete"));
    m_deleteButton->setObjectName(u"deleteProfileButton"_s);
    auto profileButtons = new QHBoxLayout;
    for (QPushButton *b : {m_addButton, m_duplicateButton, m_renameButton, m_deleteButton})
        profileButtons->addWidget(b);
    auto left = new QVBoxLayout;
    left->addWidget(new QLabel(tr("Saved connections")));
    left->addWidget(m_profileList, 1);
    left->addLayout(profileButtons);

    // The form, right.
    m_formPanel = new QWidget;
    m_formPanel->setObjectName(u"formPanel"_s);
    auto form = new QFormLayout(m_formPanel);
    const auto lineEdit = [](const QString &name, const QString &placeholder) {
        auto edit = new QLineEdit;
        edit->setObjectName(name);
        edit->setPlaceholderText(placeholder);
        return edit;
    };
    m_nameEdit = lineEdit(u"nameEdit"_s, tr("unsaved connection"));
    m_hostEdit = lineEdit(u"hostEdit"_s, tr("libpq default (PGHOST or local socket)"));
    m_portEdit = lineEdit(u"portEdit"_s, tr("5432"));
    m_portEdit->setValidator(new QIntValidator(1, 65535, m_portEdit));
    m_databaseEdit = lineEdit(u"databaseEdit"_s, tr("same as the user name"));
    m_userEdit = lineEdit(u"userEdit"_s, tr("libpq default (PGUSER or your login)"));
    m_passwordEdit = lineEdit(u"passwordEdit"_s, tr("from the keychain, PGPASSWORD or ~/.pgpass"));
    m_passwordEdit->setEchoMode(QLineEdit::Password);
    m_rememberCheck = new QCheckBox(tr("Remember password in the system keychain"));
    m_rememberCheck->setObjectName(u"rememberPasswordCheck"_s);
    m_keychainLabel = new QLabel;
    m_keychainLabel->setObjectName(u"keychainLabel"_s);
    m_keychainLabel->setWordWrap(true);
    m_keychainLabel->hide();

    m_sslModeCombo = new QComboBox;
    m_sslModeCombo->setObjectName(u"sslModeCombo"_s);
    m_sslModeCombo->addItem(tr("libpq default (prefer)"), QString());
    for (const QString &mode : kSslModes)
        m_sslModeCombo->addItem(mode, mode);
    m_rootCertEdit = lineEdit(u"rootCertEdit"_s, tr("CA certificate file for verify-ca / verify-full"));
    m_rootCertButton = new QPushButton(tr("Browse…"));
    m_rootCertButton->setObjectName(u"rootCertButton"_s);
    auto rootCertRow = new QHBoxLayout;
    rootCertRow->addWidget(m_rootCertEdit, 1);
    rootCertRow->addWidget(m_rootCertButton);

    m_optionsTable = new QTableWidget(0, 2);
    m_optionsTable->setObjectName(u"optionsTable"_s);
    m_optionsTable->setHorizontalHeaderLabels({tr("Option"), tr("Value")});
    m_optionsTable->horizontalHeader()->setStretchLastSection(true);
    m_optionsTable->verticalHeader()->hide();
    m_optionsTable->setToolTip(tr("Further libpq options, e.g. connect_timeout or application_name. Supported: %1")
                                   .arg(ConnectionSettings::supportedOptionKeys().join(u", "_s)));
    m_addOptionButton = new QPushButton(tr("Add option"));
    m_addOptionButton->setObjectName(u"addOptionButton"_s);
    m_removeOptionButton = new QPushButton(tr("Remove option"));
    m_removeOptionButton->setObjectName(u"removeOptionButton"_s);
    m_optionsErrorLabel = new QLabel;
    m_optionsErrorLabel->setObjectName(u"optionsErrorLabel"_s);
    m_optionsErrorLabel->setWordWrap(true);
    m_optionsErrorLabel->setStyleSheet(u"color: #b00020;"_s);
    m_optionsErrorLabel->hide();
    auto optionButtons = new QHBoxLayout;
    optionButtons->addWidget(m_addOptionButton);
    optionButtons->addWidget(m_removeOptionButton);
    optionButtons->addStretch(1);
    auto options = new QVBoxLayout;
    options->addWidget(m_optionsTable);
    options->addLayout(optionButtons);
    options->addWidget(m_optionsErrorLabel);

    form->addRow(tr("Profile name:"), m_nameEdit);
    form->addRow(tr("Host:"), m_hostEdit);
    form->addRow(tr("Port:"), m_portEdit);
    form->addRow(tr("Database:"), m_databaseEdit);
    form->addRow(tr("User:"), m_userEdit);
    form->addRow(tr("Password:"), m_passwordEdit);
    form->addRow(QString(), m_rememberCheck);
    form->addRow(QString(), m_keychainLabel);
    form->addRow(tr("SSL mode:"), m_sslModeCombo);
    form->addRow(tr("Root certificate:"), rootCertRow);
    form->addRow(tr("Options:"), options);

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
    auto buttons = new QHBoxLayout;
    buttons->addWidget(m_sandboxButton);
    buttons->addWidget(m_saveButton);
    buttons->addStretch(1);
    buttons->addWidget(m_testButton);
    buttons->addWidget(m_connectButton);
    buttons->addWidget(m_cancelButton);

    auto top = new QHBoxLayout;
    top->addLayout(left, 2);
    top->addWidget(m_formPanel, 5);
    auto layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(m_statusLabel);
    layout->addWidget(m_busyIndicator);
    layout->addLayout(buttons);

    connect(m_profileList, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *current) {
        if (!m_populating)
            loadProfile(current ? current->data(Qt::UserRole).toString() : QString());
    });
    connect(m_profileList, &QListWidget::itemChanged, this, &ConnectionDialog::profileItemChanged);
    connect(m_addButton, &QPushButton::clicked, this, &ConnectionDialog::addProfile);
    connect(m_duplicateButton, &QPushButton::clicked, this, &ConnectionDialog::duplicateProfile);
    connect(m_renameButton, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem *item = m_profileList->currentItem())
            m_profileList->editItem(item);
    });
    connect(m_deleteButton, &QPushButton::clicked, this, &ConnectionDialog::deleteProfile);
    connect(m_rememberCheck, &QCheckBox::clicked, this, &ConnectionDialog::rememberClicked);
    connect(m_sslModeCombo, &QComboBox::currentIndexChanged, this, &ConnectionDialog::updateSslWidgets);
    connect(m_rootCertButton, &QPushButton::clicked, this, &ConnectionDialog::browseRootCert);
    connect(m_addOptionButton, &QPushButton::clicked, this, [this] {
        addOptionRow(QString(), QString());
        m_optionsTable->setCurrentCell(m_optionsTable->rowCount() - 1, 0);
        m_optionsTable->editItem(m_optionsTable->item(m_optionsTable->rowCount() - 1, 0));
    });
    connect(m_removeOptionButton, &QPushButton::clicked, this, [this] {
        if (m_optionsTable->currentRow() >= 0)
            m_optionsTable->removeRow(m_optionsTable->currentRow());
        validateOptions();
    });
    connect(m_optionsTable, &QTableWidget::itemChanged, this, &ConnectionDialog::validateOptions);
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
    updateSslWidgets();
}

void ConnectionDialog::setInitialSettings(const ConnectionSettings &s)
{
    m_populating = true;
    m_profileList->setCurrentItem(nullptr);
    m_populating = false;
    m_currentProfile.clear();
    m_nameEdit->clear();
    fillForm(s);
    m_rememberCheck->setChecked(false);
    for (QPushButton *b : {m_duplicateButton, m_renameButton, m_deleteButton})
        b->setEnabled(false);
}

void ConnectionDialog::selectProfile(const QString &name)
{
    for (int row = 0; row < m_profileList->count(); ++row) {
        QListWidgetItem *item = m_profileList->item(row);
        if (item->data(Qt::UserRole).toString() == name) {
            m_profileList->setCurrentItem(item);
            return;
        }
    }
}

ConnectionSettings ConnectionDialog::settings() const
{
    ConnectionSettings s;
    QString ignored;
    formSettings(&s, &ignored);
    return s;
}

QString ConnectionDialog::profileName() const
{
    return m_currentProfile;
}

void ConnectionDialog::reloadProfileList(const QString &select)
{
    populateProfileList(select);
    loadProfile(m_profileList->currentItem() ? select : QString());
}

void ConnectionDialog::populateProfileList(const QString &select)
{
    m_populating = true;
    m_profileList->clear();
    QListWidgetItem *selected = nullptr;
    for (const ConnectionProfile &p : m_profiles->profiles()) {
        auto item = new QListWidgetItem(p.name, m_profileList);
        item->setData(Qt::UserRole, p.name);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
        if (p.name == select)
            selected = item;
    }
    m_profileList->setCurrentItem(selected);
    m_populating = false;
}

void ConnectionDialog::loadProfile(const QString &name)
{
    const std::optional<ConnectionProfile> profile = name.isEmpty() ? std::nullopt : m_profiles->profile(name);
    m_duplicateButton->setEnabled(profile.has_value());
    m_renameButton->setEnabled(profile.has_value());
    m_deleteButton->setEnabled(profile.has_value());
    if (m_passwords->keychainAvailable())
        showKeychainNote(QString());
    else
        showKeychainNote(m_passwords->unavailableMessage());
    if (!profile) {
        // No profile: start again from the environment.
        m_currentProfile.clear();
        m_nameEdit->clear();
        fillForm(m_defaults);
        m_rememberCheck->setChecked(false);
        return;
    }
    m_currentProfile = profile->name;
    m_nameEdit->setText(profile->name);
    fillForm(profile->settings);
    m_rememberCheck->setChecked(profile->rememberPassword);
    if (profile->rememberPassword && m_passwords->keychainAvailable()) {
        showKeychainNote(tr("Reading the password from the system keychain…"));
        m_passwords->readPassword(profile->keychainKey());
    }
}

void ConnectionDialog::fillForm(const ConnectionSettings &s)
{
    m_hostEdit->setText(s.host);
    m_portEdit->setText(s.port > 0 ? QString::number(s.port) : QString());
    m_databaseEdit->setText(s.database);
    m_userEdit->setText(s.user);
    m_passwordEdit->setText(s.password);
    const int ssl = m_sslModeCombo->findData(s.sslmode);
    m_sslModeCombo->setCurrentIndex(ssl < 0 ? 0 : ssl);
    m_rootCertEdit->setText(s.sslrootcert);
    m_optionsTable->blockSignals(true);
    m_optionsTable->setRowCount(0);
    if (!s.service.isEmpty())
        addOptionRow(u"service"_s, s.service);
    for (auto it = s.options.cbegin(); it != s.options.cend(); ++it)
        addOptionRow(it.key(), it.value());
    m_optionsTable->blockSignals(false);
    validateOptions();
    updateSslWidgets();
}

void ConnectionDialog::addOptionRow(const QString &key, const QString &value)
{
    const int row = m_optionsTable->rowCount();
    m_optionsTable->insertRow(row);
    m_optionsTable->setItem(row, 0, new QTableWidgetItem(key));
    m_optionsTable->setItem(row, 1, new QTableWidgetItem(value));
}

bool ConnectionDialog::formSettings(ConnectionSettings *out, QString *error) const
{
    ConnectionSettings s;
    s.host = m_hostEdit->text().trimmed();
    const QString port = m_portEdit->text().trimmed();
    if (!port.isEmpty()) {
        bool ok = false;
        s.port = port.toInt(&ok);
        if (!ok || s.port < 1 || s.port > 65535) {
            *error = tr("The port must be a number between 1 and 65535.");
            return false;
        }
    }
    s.database = m_databaseEdit->text().trimmed();
    s.user = m_userEdit->text().trimmed();
    s.password = m_passwordEdit->text();
    s.sslmode = m_sslModeCombo->currentData().toString();
    if (m_rootCertEdit->isEnabled())
        s.sslrootcert = m_rootCertEdit->text().trimmed();

    if (!optionsFromTable(&s.options, &s.service, error) || !s.validate(error))
        return false;
    *out = s;
    return true;
}

bool ConnectionDialog::optionsFromTable(QMap<QString, QString> *options, QString *service, QString *error) const
{
    const QStringList supported = ConnectionSettings::supportedOptionKeys();
    QString problem;
    for (int row = 0; row < m_optionsTable->rowCount(); ++row) {
        const QTableWidgetItem *keyItem = m_optionsTable->item(row, 0);
        const QTableWidgetItem *valueItem = m_optionsTable->item(row, 1);
        const QString key = keyItem ? keyItem->text().trimmed() : QString();
        const QString value = valueItem ? valueItem->text().trimmed() : QString();
        if (key.isEmpty() && value.isEmpty())
            continue;
        if (key.isEmpty())
            problem = tr("Option row %1 has a value but no option name.").arg(row + 1);
        else if (!supported.contains(key))
            problem = tr("\"%1\" is not a libpq option MigrationDesk accepts. Supported options: %2.")
                         .arg(key, supported.join(u", "_s));
        else if (key == u"password"_s)
            problem = tr("Passwords do not belong in the options: use the password field.");
        else if (hasOwnField(key))
            problem = tr("Set %1 with its own field above, not as an option.").arg(key);
        else if (value.contains(QLatin1Char(';')))
            problem = tr("The value of %1 cannot contain ';'.").arg(key);
        else if (options->contains(key) || (key == u"service"_s && !service->isEmpty()))
            problem = tr("The option %1 is given twice.").arg(key);
        else if (key == u"service"_s)
            *service = value;
        else
            options->insert(key, value);
        if (!problem.isEmpty()) {
            *error = problem;
            return false;
        }
    }
    return true;
}

void ConnectionDialog::validateOptions()
{
    QMap<QString, QString> options;
    QString service;
    QString error;
    // Only the table's own problems show here; the fields are checked when testing.
    optionsFromTable(&options, &service, &error);
    m_optionsErrorLabel->setText(error);
    m_optionsErrorLabel->setVisible(!error.isEmpty());
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
    const QString name = m_nameEdit->text().trimmed();
    if (name.isEmpty()) {
        *error = tr("Give the profile a name to save it.");
        return false;
    }
    ConnectionSettings s;
    if (!formSettings(&s, error))
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
    profile.rememberPassword = m_rememberCheck->isChecked();
    m_profiles->save(profile);
    m_currentProfile = name;
    populateProfileList(name); // the form already shows this profile
    m_duplicateButton->setEnabled(true);
    m_renameButton->setEnabled(true);
    m_deleteButton->setEnabled(true);
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
        if (from == m_currentProfile && !m_passwordEdit->text().isEmpty()) {
            m_passwords->writePassword(profile->keychainKey(), m_passwordEdit->text());
            m_passwords->deletePassword(oldKey);
        } else {
            m_moves.insert(oldKey, profile->keychainKey());
            m_passwords->readPassword(oldKey);
        }
    }
    if (from == m_currentProfile) {
        m_currentProfile = to;
        m_nameEdit->setText(to);
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
        m_passwordEdit->setText(m_defaults.password);
    m_nameEdit->setFocus();
    m_nameEdit->selectAll();
}

void ConnectionDialog::duplicateProfile()
{
    ConnectionSettings s;
    QString error;
    if (!formSettings(&s, &error)) {
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
    m_passwordEdit->setText(s.password);
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
    const int row = m_profileList->currentRow();
    m_currentProfile.clear();
    m_populating = true;
    delete m_profileList->takeItem(row);
    QListWidgetItem *next = m_profileList->item(qMin(row, m_profileList->count() - 1));
    // Set and loaded by hand: taking the current item already moved the selection, silently.
    m_profileList->setCurrentItem(next);
    m_populating = false;
    loadProfile(next ? next->data(Qt::UserRole).toString() : QString());
    showStatus(tr("Profile \"%1\" deleted.").arg(profile->name), false);
}

void ConnectionDialog::profileItemChanged(QListWidgetItem *item)
{
    if (m_populating)
        return;
    const QString from = item->data(Qt::UserRole).toString();
    const QString to = item->text().trimmed();
    if (from == to)
        return;
    QString error;
    if (renameProfile(from, to, &error)) {
        m_populating = true;
        item->setData(Qt::UserRole, to);
        item->setText(to);
        m_populating = false;
        showStatus(tr("Profile renamed to \"%1\".").arg(to), false);
    } else {
        m_populating = true;
        item->setText(from);
        m_populating = false;
        showStatus(error, true);
    }
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

void ConnectionDialog::updateSslWidgets()
{
    const QString mode = m_sslModeCombo->currentData().toString();
    const bool verify = mode == u"verify-ca"_s || mode == u"verify-full"_s;
    m_rootCertEdit->setEnabled(verify);
    m_rootCertButton->setEnabled(verify);
}

void ConnectionDialog::browseRootCert()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Root Certificate"), m_rootCertEdit->text(),
                                                      tr("Certificates (*.crt *.pem *.cer);;All files (*)"));
    if (!file.isEmpty())
        m_rootCertEdit->setText(file);
}

void ConnectionDialog::startProbe(bool connectAfterwards)
{
    if (m_busy)
        return;
    ConnectionSettings s;
    QString error;
    if (!formSettings(&s, &error)) {
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

    if (!m_nameEdit->text().trimmed().isEmpty()) {
        QString error;
        if (!saveForm(&error)) {
            showStatus(error, true);
            return;
        }
        m_profiles->setLastProfile(m_currentProfile);
        const std::optional<ConnectionProfile> profile = m_profiles->profile(m_currentProfile);
        if (profile && profile->rememberPassword && m_passwords->keychainAvailable()
            && !m_passwordEdit->text().isEmpty())
            m_passwords->writePassword(profile->keychainKey(), m_passwordEdit->text());
    }
    accept();
}

void ConnectionDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_busyIndicator->setVisible(busy);
    m_formPanel->setEnabled(!busy);
    m_profileList->setEnabled(!busy);
    for (QPushButton *b : {m_addButton, m_duplicateButton, m_renameButton, m_deleteButton})
        b->setEnabled(!busy && (b == m_addButton || !m_currentProfile.isEmpty()));
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
        if (m_passwordEdit->text().isEmpty())
            m_passwordEdit->setText(password);
        m_keychainLabel->hide();
        break;
    case PasswordStore::Status::NotFound:
        showKeychainNote(tr("The system keychain has no password for this profile; enter it to connect."));
        break;
    case PasswordStore::Status::NoKeychain:
        break; // showKeychainUnavailable() said it
    case PasswordStore::Status::TimedOut:
    case PasswordStore::Status::Failed:
        showKeychainNote(message);
        break;
    }
}

void ConnectionDialog::keychainWritten(const QString &key, PasswordStore::Status status, const QString &message)
{
    Q_UNUSED(key);
    if (status != PasswordStore::Status::Ok && status != PasswordStore::Status::NoKeychain)
        showKeychainNote(tr("The password could not be stored: %1").arg(message));
}

void ConnectionDialog::showKeychainUnavailable(const QString &message)
{
    showKeychainNote(message);
    m_rememberCheck->setEnabled(false);
    m_rememberCheck->setToolTip(message);
}

void ConnectionDialog::showKeychainNote(const QString &text)
{
    m_keychainLabel->setText(text);
    m_keychainLabel->setVisible(!text.isEmpty());
}

} // namespace MigrationDesk
