#include "connect/connectionform.h"

#include "connect/urlpastewatcher.h"
#include "icons.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QCoreApplication>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIntValidator>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace MigrationDesk {

using namespace Qt::StringLiterals;

namespace {

// The form was part of the dialog when its texts were translated; they keep that context.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::ConnectionDialog)
};

const QStringList kSslModes = {u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s, u"verify-ca"_s, u"verify-full"_s};
const QString kSslCert = u"sslcert"_s;
const QString kSslKey = u"sslkey"_s;

// libpq keywords that have a field of their own in the form (service is the exception: it rides in the
// options table because few people use it).
bool hasOwnField(const QString &key)
{
    static const QSet<QString> keys = {u"host"_s, u"port"_s, u"dbname"_s, u"user"_s,
                                       u"password"_s, u"sslmode"_s, u"sslrootcert"_s,
                                       kSslCert, kSslKey};
    return keys.contains(key);
}

} // namespace

ConnectionForm::ConnectionForm(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"formPanel"_s);
    auto form = new QFormLayout(this);
    const auto lineEdit = [](const QString &name, const QString &placeholder) {
        auto edit = new QLineEdit;
        edit->setObjectName(name);
        edit->setPlaceholderText(placeholder);
        return edit;
    };
    m_nameEdit = lineEdit(u"nameEdit"_s, Text::tr("unsaved connection"));
    m_hostEdit = lineEdit(u"hostEdit"_s, Text::tr("libpq default (PGHOST or local socket)"));
    m_portEdit = lineEdit(u"portEdit"_s, Text::tr("5432"));
    m_portEdit->setValidator(new QIntValidator(1, 65535, m_portEdit));
    m_databaseEdit = lineEdit(u"databaseEdit"_s, Text::tr("same as the user name"));
    m_userEdit = lineEdit(u"userEdit"_s, Text::tr("libpq default (PGUSER or your login)"));
    m_passwordEdit = lineEdit(u"passwordEdit"_s, Text::tr("from the keychain, PGPASSWORD or ~/.pgpass"));
    m_passwordEdit->setEchoMode(QLineEdit::Password);
    m_showPasswordAction = m_passwordEdit->addAction(Icons::get(Icons::ShowPassword), QLineEdit::TrailingPosition);
    m_showPasswordAction->setObjectName(u"showPasswordAction"_s);
    m_showPasswordAction->setCheckable(true);
    showPassword(false);
    m_rememberCheck = new QCheckBox(Text::tr("Remember password in the system keychain"));
    m_rememberCheck->setObjectName(u"rememberPasswordCheck"_s);
    m_keychainLabel = new QLabel;
    m_keychainLabel->setObjectName(u"keychainLabel"_s);
    m_keychainLabel->setWordWrap(true);
    m_keychainLabel->hide();

    m_sslModeCombo = new QComboBox;
    m_sslModeCombo->setObjectName(u"sslModeCombo"_s);
    m_sslModeCombo->addItem(Text::tr("libpq default (prefer)"), QString());
    for (const QString &mode : kSslModes)
        m_sslModeCombo->addItem(mode, mode);
    m_rootCertEdit = lineEdit(u"rootCertEdit"_s, Text::tr("CA certificate file for verify-ca / verify-full"));
    m_rootCertButton = new QPushButton(Text::tr("Browse…"));
    m_rootCertButton->setObjectName(u"rootCertButton"_s);
    const auto fileRow = [](QLineEdit *edit, QPushButton *button) {
        auto row = new QHBoxLayout;
        row->addWidget(edit, 1);
        row->addWidget(button);
        return row;
    };
    // Paths only: libpq reads the files at each connection; the key never passes through us.
    m_clientCertEdit = lineEdit(u"clientCertEdit"_s, Text::tr("for servers that ask for a client certificate"));
    auto clientCertButton = new QPushButton(Text::tr("Browse…"));
    clientCertButton->setObjectName(u"clientCertButton"_s);
    m_clientKeyEdit = lineEdit(u"clientKeyEdit"_s, Text::tr("the client certificate's private key"));
    auto clientKeyButton = new QPushButton(Text::tr("Browse…"));
    clientKeyButton->setObjectName(u"clientKeyButton"_s);

    m_optionsTable = new QTableWidget(0, 2);
    m_optionsTable->setObjectName(u"optionsTable"_s);
    m_optionsTable->setHorizontalHeaderLabels({Text::tr("Option"), Text::tr("Value")});
    m_optionsTable->horizontalHeader()->setStretchLastSection(true);
    m_optionsTable->verticalHeader()->hide();
    m_optionsTable->setToolTip(Text::tr("Further libpq options, e.g. connect_timeout or application_name. Supported: %1")
                                   .arg(ConnectionSettings::supportedOptionKeys().join(u", "_s)));
    m_addOptionButton = new QPushButton(Text::tr("Add option"));
    m_addOptionButton->setObjectName(u"addOptionButton"_s);
    m_removeOptionButton = new QPushButton(Text::tr("Remove option"));
    m_removeOptionButton->setObjectName(u"removeOptionButton"_s);
    m_optionsErrorLabel = new QLabel;
    m_optionsErrorLabel->setObjectName(u"optionsErrorLabel"_s);
    m_optionsErrorLabel->setWordWrap(true);
    // A colour, not a style sheet: the form is on screen at start-up, and one style sheet loads Qt's
    // style sheet engine for the whole session.
    QPalette errorPalette = m_optionsErrorLabel->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xb0, 0x00, 0x20));
    m_optionsErrorLabel->setPalette(errorPalette);
    m_optionsErrorLabel->hide();
    auto optionButtons = new QHBoxLayout;
    optionButtons->addWidget(m_addOptionButton);
    optionButtons->addWidget(m_removeOptionButton);
    optionButtons->addStretch(1);
    auto options = new QVBoxLayout;
    options->addWidget(m_optionsTable);
    options->addLayout(optionButtons);
    options->addWidget(m_optionsErrorLabel);

    form->addRow(Text::tr("Profile name:"), m_nameEdit);
    form->addRow(Text::tr("Host:"), m_hostEdit);
    form->addRow(Text::tr("Port:"), m_portEdit);
    form->addRow(Text::tr("Database:"), m_databaseEdit);
    form->addRow(Text::tr("User:"), m_userEdit);
    form->addRow(Text::tr("Password:"), m_passwordEdit);
    form->addRow(QString(), m_rememberCheck);
    form->addRow(QString(), m_keychainLabel);
    form->addRow(Text::tr("SSL mode:"), m_sslModeCombo);
    form->addRow(Text::tr("Root certificate:"), fileRow(m_rootCertEdit, m_rootCertButton));
    form->addRow(Text::tr("Client certificate:"), fileRow(m_clientCertEdit, clientCertButton));
    form->addRow(Text::tr("Client key:"), fileRow(m_clientKeyEdit, clientKeyButton));
    form->addRow(Text::tr("Options:"), options);

    connect(m_rememberCheck, &QCheckBox::clicked, this, &ConnectionForm::rememberClicked);
    m_passwordEdit->installEventFilter(this);
    connect(m_passwordEdit, &QLineEdit::textEdited, this, [this] {
        m_passwordEdit->removeEventFilter(this);
        Q_EMIT passwordTouched();
    });
    connect(m_sslModeCombo, &QComboBox::currentIndexChanged, this, &ConnectionForm::updateSslWidgets);
    const QString certificates = Text::tr("Certificates (*.crt *.pem *.cer);;All files (*)");
    connect(m_rootCertButton, &QPushButton::clicked, this,
            [this, certificates] { browseFile(m_rootCertEdit, Text::tr("Root Certificate"), certificates); });
    connect(clientCertButton, &QPushButton::clicked, this,
            [this, certificates] { browseFile(m_clientCertEdit, Text::tr("Client Certificate"), certificates); });
    connect(clientKeyButton, &QPushButton::clicked, this, [this] {
        browseFile(m_clientKeyEdit, Text::tr("Client Key"), Text::tr("Keys (*.key *.pem);;All files (*)"));
    });
    connect(m_showPasswordAction, &QAction::toggled, this, &ConnectionForm::showPassword);

    // Every text field but the password (a password may look like anything) takes a pasted URL.
    auto urls = new UrlPasteWatcher(this);
    for (QLineEdit *edit : {m_nameEdit, m_hostEdit, m_portEdit, m_databaseEdit, m_userEdit, m_rootCertEdit,
                            m_clientCertEdit, m_clientKeyEdit})
        urls->watch(edit);
    connect(urls, &UrlPasteWatcher::urlPasted, this, [this](const ConnectionSettings &s) {
        fill(s);
        Q_EMIT urlApplied(!s.password.isEmpty());
    });
    connect(urls, &UrlPasteWatcher::urlRejected, this, &ConnectionForm::urlRejected);
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
    connect(m_optionsTable, &QTableWidget::itemChanged, this, &ConnectionForm::validateOptions);
    updateSslWidgets();
}

QString ConnectionForm::profileName() const
{
    return m_nameEdit->text().trimmed();
}

void ConnectionForm::setProfileName(const QString &name)
{
    m_nameEdit->setText(name);
}

void ConnectionForm::editProfileName()
{
    m_nameEdit->setFocus();
    m_nameEdit->selectAll();
}

QString ConnectionForm::password() const
{
    return m_passwordEdit->text();
}

void ConnectionForm::setPassword(const QString &password)
{
    m_passwordEdit->setText(password);
}

bool ConnectionForm::rememberPassword() const
{
    return m_rememberCheck->isChecked();
}

void ConnectionForm::setRememberPassword(bool remember)
{
    m_rememberCheck->setChecked(remember);
}

void ConnectionForm::disableRemember(const QString &why)
{
    m_rememberCheck->setEnabled(false);
    m_rememberCheck->setToolTip(why);
}

void ConnectionForm::showKeychainNote(const QString &text)
{
    m_keychainLabel->setText(text);
    m_keychainLabel->setVisible(!text.isEmpty());
}

void ConnectionForm::hideKeychainNote()
{
    m_keychainLabel->hide();
}

void ConnectionForm::fill(const ConnectionSettings &s)
{
    m_hostEdit->setText(s.host);
    m_portEdit->setText(s.port > 0 ? QString::number(s.port) : QString());
    m_databaseEdit->setText(s.database);
    m_userEdit->setText(s.user);
    m_passwordEdit->setText(s.password);
    const int ssl = m_sslModeCombo->findData(s.sslmode);
    m_sslModeCombo->setCurrentIndex(ssl < 0 ? 0 : ssl);
    m_rootCertEdit->setText(s.sslrootcert);
    m_clientCertEdit->setText(s.options.value(kSslCert));
    m_clientKeyEdit->setText(s.options.value(kSslKey));
    m_optionsTable->blockSignals(true);
    m_optionsTable->setRowCount(0);
    if (!s.service.isEmpty())
        addOptionRow(u"service"_s, s.service);
    for (auto it = s.options.cbegin(); it != s.options.cend(); ++it) {
        if (!hasOwnField(it.key()))
            addOptionRow(it.key(), it.value());
    }
    m_optionsTable->blockSignals(false);
    validateOptions();
    updateSslWidgets();
}

void ConnectionForm::addOptionRow(const QString &key, const QString &value)
{
    const int row = m_optionsTable->rowCount();
    m_optionsTable->insertRow(row);
    m_optionsTable->setItem(row, 0, new QTableWidgetItem(key));
    m_optionsTable->setItem(row, 1, new QTableWidgetItem(value));
}

bool ConnectionForm::read(ConnectionSettings *out, QString *error) const
{
    ConnectionSettings s;
    s.host = m_hostEdit->text().trimmed();
    const QString port = m_portEdit->text().trimmed();
    if (!port.isEmpty()) {
        bool ok = false;
        s.port = port.toInt(&ok);
        if (!ok || s.port < 1 || s.port > 65535) {
            *error = Text::tr("The port must be a number between 1 and 65535.");
            return false;
        }
    }
    s.database = m_databaseEdit->text().trimmed();
    s.user = m_userEdit->text().trimmed();
    s.password = m_passwordEdit->text();
    s.sslmode = m_sslModeCombo->currentData().toString();
    if (m_rootCertEdit->isEnabled())
        s.sslrootcert = m_rootCertEdit->text().trimmed();

    if (!optionsFromTable(&s.options, &s.service, error))
        return false;
    // libpq's own keywords: ConnectionSettings carries them as options, to libpq and into the profile.
    if (const QString cert = m_clientCertEdit->text().trimmed(); !cert.isEmpty())
        s.options.insert(kSslCert, cert);
    if (const QString key = m_clientKeyEdit->text().trimmed(); !key.isEmpty())
        s.options.insert(kSslKey, key);
    if (!s.validate(error))
        return false;
    *out = s;
    return true;
}

bool ConnectionForm::optionsFromTable(QMap<QString, QString> *options, QString *service, QString *error) const
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
            problem = Text::tr("Option row %1 has a value but no option name.").arg(row + 1);
        else if (!supported.contains(key))
            problem = Text::tr("\"%1\" is not a libpq option MigrationDesk accepts. Supported options: %2.")
                          .arg(key, supported.join(u", "_s));
        else if (key == u"password"_s)
            problem = Text::tr("Passwords do not belong in the options: use the password field.");
        else if (hasOwnField(key))
            problem = Text::tr("Set %1 with its own field above, not as an option.").arg(key);
        else if (value.contains(QLatin1Char(';')))
            problem = Text::tr("The value of %1 cannot contain ';'.").arg(key);
        else if (options->contains(key) || (key == u"service"_s && !service->isEmpty()))
            problem = Text::tr("The option %1 is given twice.").arg(key);
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

void ConnectionForm::validateOptions()
{
    QMap<QString, QString> options;
    QString service;
    QString error;
    // Only the table's own problems show here; the fields are checked when testing.
    optionsFromTable(&options, &service, &error);
    m_optionsErrorLabel->setText(error);
    m_optionsErrorLabel->setVisible(!error.isEmpty());
}

void ConnectionForm::updateSslWidgets()
{
    const QString mode = m_sslModeCombo->currentData().toString();
    const bool verify = mode == u"verify-ca"_s || mode == u"verify-full"_s;
    m_rootCertEdit->setEnabled(verify);
    m_rootCertButton->setEnabled(verify);
}

void ConnectionForm::browseFile(QLineEdit *edit, const QString &title, const QString &filter)
{
    const QString file = QFileDialog::getOpenFileName(this, title, edit->text(), filter);
    if (!file.isEmpty())
        edit->setText(file);
}

void ConnectionForm::showPassword(bool shown)
{
    m_passwordEdit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
    m_showPasswordAction->setToolTip(shown ? Text::tr("Hide the password") : Text::tr("Show the password"));
}

bool ConnectionForm::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_passwordEdit && event->type() == QEvent::FocusIn) {
        m_passwordEdit->removeEventFilter(this);
        Q_EMIT passwordTouched();
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace MigrationDesk
