// The connection dialog against the fixture's real server: the form, Test connection and Connect on
// the worker thread, the plain-language failures, profiles in QSettings without passwords, option
// validation, and the keychain. Without MD_KEYCHAIN_MODE=real the test points D-Bus nowhere, so it runs
// the no-keychain path and never touches the caller's keychain; tests/gui/keychain.cmake also runs it
// against a throwaway gnome-keyring (tst_connectiondialog_keychain).
#include "connect/connectiondialog.h"
#include "connect/passwordstore.h"
#include "pgfixture.h"
#include "session/profilestore.h"
#include "base/workerthreads.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

bool realKeychain()
{
    return qEnvironmentVariable("MD_KEYCHAIN_MODE") == u"real"_s;
}

// Before QTEST_MAIN creates the application: GLib reads the bus address once per process.
bool prepareEnvironment()
{
    if (!realKeychain()) {
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/md-no-bus");
        qunsetenv("DISPLAY");
    }
    return true;
}
const bool g_environmentReady = prepareEnvironment();

// A TCP port on 127.0.0.1; bound but not listening refuses connections, listening without ever
// accepting lets libpq connect and then wait for an answer that never comes.
class LocalPort
{
public:
    explicit LocalPort(bool listening)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (m_fd >= 0 && ::bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
            && (!listening || ::listen(m_fd, 16) == 0)
            && ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
            m_port = ntohs(address.sin_port);
    }
    ~LocalPort()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    int port() const { return m_port; }

private:
    int m_fd = -1;
    int m_port = 0;
};

// The dialog's widgets, found by object name as a user of the UI would.
struct Form
{
    explicit Form(ConnectionDialog *d)
        : profileList(d->findChild<QListWidget *>(u"profileList"_s))
        , name(d->findChild<QLineEdit *>(u"nameEdit"_s))
        , host(d->findChild<QLineEdit *>(u"hostEdit"_s))
        , port(d->findChild<QLineEdit *>(u"portEdit"_s))
        , database(d->findChild<QLineEdit *>(u"databaseEdit"_s))
        , user(d->findChild<QLineEdit *>(u"userEdit"_s))
        , password(d->findChild<QLineEdit *>(u"passwordEdit"_s))
        , remember(d->findChild<QCheckBox *>(u"rememberPasswordCheck"_s))
        , keychainLabel(d->findChild<QLabel *>(u"keychainLabel"_s))
        , sslMode(d->findChild<QComboBox *>(u"sslModeCombo"_s))
        , rootCert(d->findChild<QLineEdit *>(u"rootCertEdit"_s))
        , options(d->findChild<QTableWidget *>(u"optionsTable"_s))
        , addOption(d->findChild<QPushButton *>(u"addOptionButton"_s))
        , optionsError(d->findChild<QLabel *>(u"optionsErrorLabel"_s))
        , status(d->findChild<QLabel *>(u"statusLabel"_s))
        , busy(d->findChild<QProgressBar *>(u"busyIndicator"_s))
        , add(d->findChild<QPushButton *>(u"addProfileButton"_s))
        , duplicate(d->findChild<QPushButton *>(u"duplicateProfileButton"_s))
        , remove(d->findChild<QPushButton *>(u"deleteProfileButton"_s))
        , save(d->findChild<QPushButton *>(u"saveButton"_s))
        , test(d->findChild<QPushButton *>(u"testButton"_s))
        , connect(d->findChild<QPushButton *>(u"connectButton"_s))
        , cancel(d->findChild<QPushButton *>(u"cancelButton"_s))
    {
    }
    bool complete() const
    {
        for (const QObject *o : std::initializer_list<const QObject *>{
                 profileList, name, host, port, database, user, password, remember, keychainLabel, sslMode,
                 rootCert, options, addOption, optionsError, status, busy, add, duplicate, remove, save, test,
                 connect, cancel}) {
            if (!o)
                return false;
        }
        return true;
    }

    QListWidget *profileList;
    QLineEdit *name, *host, *port, *database, *user, *password;
    QCheckBox *remember;
    QLabel *keychainLabel;
    QComboBox *sslMode;
    QLineEdit *rootCert;
    QTableWidget *options;
    QPushButton *addOption;
    QLabel *optionsError, *status;
    QProgressBar *busy;
    QPushButton *add, *duplicate, *remove, *save, *test, *connect, *cancel;
};

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->clear();
    QTest::keyClicks(edit, text);
}

void setOption(QTableWidget *table, int row, const QString &key, const QString &value)
{
    table->item(row, 0)->setText(key);
    table->item(row, 1)->setText(value);
}

} // namespace

class TestConnectionDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void everyWidgetHasItsName();
    void defaultsFromEnvironment();
    void testConnectionShowsServerVersion();
    void wrongPassword();
    void refusedPort();
    void unknownHost();
    void sslFailure();
    void connectAcceptsWithSettings();
    void profilesSavedWithoutPassword();
    void invalidOptionsRejected();
    void rootCertificateOnlyForVerifyModes();
    void profileAddDuplicateRenameDelete();
    void cancelFreesTheDialog();
    void noKeychainSaidOnce();
    void realKeychainRemembersPassword();

private:
    std::unique_ptr<ConnectionDialog> makeDialog();
    void fillFixture(Form &form, const QString &password);
    QString iniText() const;

    WorkerThreads m_threads; // the probes' threads, as AppServices hands them to the dialog
    PgFixture *m_fixture = nullptr;
    QString m_serverVersion;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<PasswordStore> m_passwords;
};

void TestConnectionDialog::initTestCase()
{
    QVERIFY(g_environmentReady);
    QStandardPaths::setTestModeEnabled(true);
    // The dialog's defaults come from the environment; start from none at all.
    for (const char *name : {"DATABASE_URL", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "POSTGRES_HOST",
                             "POSTGRES_PORT", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE",
                             "PGSSLMODE", "PGSERVICE"})
        qunsetenv(name);
    m_fixture = &PgFixture::shared();
    QVERIFY2(m_fixture->isRunning() || m_fixture->start(), qPrintable(m_fixture->errorString()));
    bool ok = false;
    m_serverVersion = m_fixture->psql(u"postgres"_s, u"SHOW server_version"_s, &ok);
    QVERIFY(ok);
    QVERIFY(!m_serverVersion.isEmpty());
}

void TestConnectionDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<QSettings>(m_dir->filePath(u"settings.ini"_s), QSettings::IniFormat);
    m_profiles = std::make_unique<ProfileStore>(m_settings.get());
    m_passwords = std::make_unique<PasswordStore>();
}

void TestConnectionDialog::cleanup()
{
    m_passwords.reset();
    m_profiles.reset();
    m_settings.reset();
    m_dir.reset();
}

std::unique_ptr<ConnectionDialog> TestConnectionDialog::makeDialog()
{
    auto dialog = std::make_unique<ConnectionDialog>(m_profiles.get(), m_passwords.get(), m_threads);
    dialog->show();
    return dialog;
}

void TestConnectionDialog::fillFixture(Form &form, const QString &password)
{
    typeInto(form.host, m_fixture->host());
    typeInto(form.port, QString::number(m_fixture->port()));
    typeInto(form.database, u"postgres"_s);
    typeInto(form.user, m_fixture->superuser());
    typeInto(form.password, password);
}

QString TestConnectionDialog::iniText() const
{
    m_settings->sync();
    QFile file(m_settings->fileName());
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

void TestConnectionDialog::everyWidgetHasItsName()
{
    auto dialog = makeDialog();
    Form form(dialog.get());
    QVERIFY(form.complete());
    QCOMPARE(form.password->echoMode(), QLineEdit::Password);
    QStringList modes;
    for (int i = 0; i < form.sslMode->count(); ++i)
        modes << form.sslMode->itemData(i).toString();
    QCOMPARE(modes, (QStringList{QString(), u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s, u"verify-ca"_s,
                                 u"verify-full"_s}));
}

void TestConnectionDialog::defaultsFromEnvironment()
{
    qputenv("DATABASE_URL", "postgresql://envuser:envsecret@envhost.example:6543/envdb?connect_timeout=7");
    auto dialog = makeDialog();
    qunsetenv("DATABASE_URL");
    Form form(dialog.get());
    QCOMPARE(form.host->text(), u"envhost.example"_s);
    QCOMPARE(form.port->text(), u"6543"_s);
    QCOMPARE(form.database->text(), u"envdb"_s);
    QCOMPARE(form.user->text(), u"envuser"_s);
    QCOMPARE(form.password->text(), u"envsecret"_s);
    QCOMPARE(dialog->settings().options.value(u"connect_timeout"_s), u"7"_s);
    QVERIFY(form.name->text().isEmpty());
}

void TestConnectionDialog::testConnectionShowsServerVersion()
{
    auto dialog = makeDialog();
    Form form(dialog.get());
    fillFixture(form, m_fixture->password());
    QSignalSpy finished(dialog.get(), &ConnectionDialog::probeFinished);
    QTest::mouseClick(form.test, Qt::LeftButton);
    // The attempt runs on the worker thread: the dialog shows it is busy and keeps Cancel usable.
    QVERIFY(dialog->isBusy());
    QVERIFY(form.busy->isVisible());
    QVERIFY(!form.test->isEnabled());
    QVERIFY(!form.connect->isEnabled());
    QVERIFY(form.cancel->isEnabled());
    QVERIFY(finished.wait(30000));
    QVERIFY(finished.at(0).at(0).toBool());
    QVERIFY(!dialog->isBusy());
    QVERIFY(!form.busy->isVisible());
    QVERIFY(form.test->isEnabled());
    QVERIFY2(form.status->text().contains(u"PostgreSQL "_s + m_serverVersion), qPrintable(form.status->text()));
    QVERIFY(!form.status->text().contains(m_fixture->password()));
    QVERIFY(dialog->isVisible()); // testing does not accept the dialog
}

void TestConnectionDialog::wrongPassword()
{
    auto dialog = makeDialog();
    Form form(dialog.get());
    const QString wrong = u"not-the-password-7731"_s;
    fillFixture(form, wrong);
    QSignalSpy finished(dialog.get(), &ConnectionDialog::probeFinished);
    QTest::mouseClick(form.test, Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QVERIFY(!finished.at(0).at(0).toBool());
    const QString text = form.status->text();
    QVERIFY2(text.startsWith(u"Wrong password"_s), qPrintable(text));
    QVERIFY2(!text.contains(wrong), qPrintable(text));
    QVERIFY(!text.contains(m_fixture->password()));
}

void TestConnectionDialog::refusedPort()
{
    LocalPort refusing(false);
    QVERIFY(refusing.port() > 0);
    auto dialog = makeDialog();
    Form form(dialog.get());
    fillFixture(form, m_fixture->password());
    typeInto(form.port, QString::number(refusing.port()));
    QSignalSpy finished(dialog.get(), &ConnectionDialog::probeFinished);
    QTest::mouseClick(form.test, Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QVERIFY2(form.status->text().startsWith(u"Connection refused"_s), qPrintable(form.status->text()));
    QVERIFY(form.status->text().contains(QString::number(refusing.port())));
}

void TestConnectionDialog::unknownHost()
{
    auto dialog = makeDialog();
    Form form(dialog.get());
    fillFixture(form, m_fixture->password());
    typeInto(form.host, u"nonexistent-host.invalid"_s);
    QSignalSpy finished(dialog.get(), &ConnectionDialog::probeFinished);
    QTest::mouseClick(form.test, Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QVERIFY2(form.status->text().startsWith(u"Unknown host: the name \"nonexistent-host.invalid\""_s),
             qPrintable(form.status->text()));
}

void TestConnectionDialog::sslFailure()
{
    // The fixture's server runs without SSL, so sslmode=require cannot be met.
    auto dialog = makeDialog();
    Form form(dialog.get());
    fillFixture(form, m_fixture->password());
    form.sslMode->setCurrentIndex(form.sslMode->findData(u"require"_s));
    QSignalSpy finished(dialog.get(), &ConnectionDialog::probeFinished);
    QTest::mouseClick(form.test, Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QVERIFY(!finished.at(0).at(0).toBool());
    QVERIFY2(form.status->text().contains(u"does not support SSL"_s), qPrintable(form.status->text()));
}

void TestConnectionDialog::connectAcceptsWithSettings()
{
    auto dialog = makeDialog();
    Form form(dialog.get());
    typeInto(form.name, u"Fixture server"_s);
    fillFixture(form, m_fixture->password());
    form.addOption->click();
    setOption(form.options, 0, u"application_name"_s, u"md-dialog-test"_s);
    QSignalSpy accepted(dialog.get(), &QDialog::accepted);
    QTest::mouseClick(form.connect, Qt::LeftButton);
    QVERIFY(dialog->isBusy());
    QVERIFY(accepted.wait(30000));
    QCOMPARE(dialog->result(), int(QDialog::Accepted));

    const ConnectionSettings s = dialog->settings();
    QCOMPARE(s.host, m_fixture->host());
    QCOMPARE(s.port, m_fixture->port());
    QCOMPARE(s.database, u"postgres"_s);
    QCOMPARE(s.user, m_fixture->superuser());
    QCOMPARE(s.password, m_fixture->password());
    QCOMPARE(s.options.value(u"application_name"_s), u"md-dialog-test"_s);
    QCOMPARE(dialog->profileName(), u"Fixture server"_s);

    // Connect saved the profile, without its password, and made it the last one used.
    const std::optional<ConnectionProfile> saved = m_profiles->profile(u"Fixture server"_s);
    QVERIFY(saved);
    QCOMPARE(saved->settings.host, m_fixture->host());
    QCOMPARE(saved->settings.port, m_fixture->port());
    QVERIFY(saved->settings.password.isEmpty());
    QCOMPARE(m_profiles->lastProfile(), u"Fixture server"_s);
    QVERIFY(!iniText().contains(m_fixture->password()));

    // The next dialog opens on that profile.
    auto next = makeDialog();
    Form nextForm(next.get());
    QCOMPARE(nextForm.name->text(), u"Fixture server"_s);
    QCOMPARE(nextForm.port->text(), QString::number(m_fixture->port()));
    QVERIFY(nextForm.password->text().isEmpty() || realKeychain());
}

void TestConnectionDialog::profilesSavedWithoutPassword()
{
    auto dialog = makeDialog();
    Form form(dialog.get());
    const QString secret = u"Pr0file-Secret-5519"_s;
    typeInto(form.name, u"Saved one"_s);
    fillFixture(form, secret);
    if (form.remember->isEnabled())
        form.remember->setChecked(true);
    QTest::mouseClick(form.save, Qt::LeftButton);
    QVERIFY2(m_profiles->profile(u"Saved one"_s), qPrintable(form.status->text()));
    QCOMPARE(form.profileList->count(), 1);
    const QString ini = iniText();
    QVERIFY(ini.contains(QString::number(m_fixture->port()))); // the file really holds the profile
    QVERIFY2(!ini.contains(secret), qPrintable(ini));
    QVERIFY(!ini.contains(QString::fromLatin1(secret.toUtf8().toBase64())));
    // The typed password stays in the form for this session.
    QCOMPARE(form.password->text(), secret);
}

void TestConnectionDialog::invalidOptionsRejected()
{
    auto dialog = makeDialog();
    Form form(dialog.get());
    fillFixture(form, m_fixture->password());
    QVERIFY(!form.optionsError->isVisible());
    form.addOption->click();
    setOption(form.options, 0, u"sslkeylogfile_bogus"_s, u"x"_s);
    QVERIFY(form.optionsError->isVisible());
    QVERIFY2(form.optionsError->text().contains(u"sslkeylogfile_bogus"_s), qPrintable(form.optionsError->text()));

    QSignalSpy finished(dialog.get(), &ConnectionDialog::probeFinished);
    QTest::mouseClick(form.test, Qt::LeftButton);
    QVERIFY(!dialog->isBusy()); // refused before any connection attempt
    QVERIFY2(form.status->text().contains(u"sslkeylogfile_bogus"_s), qPrintable(form.status->text()));
    QTest::mouseClick(form.connect, Qt::LeftButton);
    QVERIFY(!dialog->isBusy());
    QVERIFY(dialog->isVisible());

    // A value that would smuggle in another keyword through QPSQL's ';'-separated options.
    setOption(form.options, 0, u"application_name"_s, u"x;host=elsewhere"_s);
    QVERIFY(form.optionsError->isVisible());
    QVERIFY2(form.optionsError->text().contains(u"';'"_s), qPrintable(form.optionsError->text()));
    QTest::mouseClick(form.test, Qt::LeftButton);
    QVERIFY(!dialog->isBusy());

    // The password never travels as an option, and fields are not duplicated as options.
    setOption(form.options, 0, u"password"_s, u"whatever"_s);
    QVERIFY(form.optionsError->text().contains(u"password field"_s));
    setOption(form.options, 0, u"host"_s, u"elsewhere"_s);
    QVERIFY(form.optionsError->isVisible());

    // A valid option clears the message and goes into the settings as a separate value.
    setOption(form.options, 0, u"connect_timeout"_s, u"5"_s);
    QVERIFY(!form.optionsError->isVisible());
    QCOMPARE(dialog->settings().options.value(u"connect_timeout"_s), u"5"_s);
    QTest::qWait(50);
    QCOMPARE(finished.count(), 0);
}

void TestConnectionDialog::rootCertificateOnlyForVerifyModes()
{
    auto dialog = makeDialog();
    Form form(dialog.get());
    fillFixture(form, m_fixture->password());
    QVERIFY(!form.rootCert->isEnabled());
    form.sslMode->setCurrentIndex(form.sslMode->findData(u"verify-full"_s));
    QVERIFY(form.rootCert->isEnabled());
    const QString missing = m_dir->filePath(u"no-such-root.crt"_s);
    typeInto(form.rootCert, missing);
    QCOMPARE(dialog->settings().sslmode, u"verify-full"_s);
    QCOMPARE(dialog->settings().sslrootcert, missing);
    QSignalSpy finished(dialog.get(), &ConnectionDialog::probeFinished);
    QTest::mouseClick(form.test, Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QVERIFY(!finished.at(0).at(0).toBool());
    QVERIFY2(form.status->text().startsWith(u"sslmode=verify-full"_s) || form.status->text().contains(u"SSL"_s),
             qPrintable(form.status->text()));
    form.sslMode->setCurrentIndex(form.sslMode->findData(u"disable"_s));
    QVERIFY(!form.rootCert->isEnabled());
    QVERIFY(dialog->settings().sslrootcert.isEmpty());
}

void TestConnectionDialog::profileAddDuplicateRenameDelete()
{
    auto dialog = makeDialog();
    Form form(dialog.get());
    QVERIFY(!form.duplicate->isEnabled());
    QVERIFY(!form.remove->isEnabled());

    QTest::mouseClick(form.add, Qt::LeftButton);
    QCOMPARE(form.profileList->count(), 1);
    QCOMPARE(form.name->text(), u"New connection"_s);
    QVERIFY(m_profiles->profile(u"New connection"_s));

    // Rename through the name field and Save.
    typeInto(form.name, u"Staging"_s);
    fillFixture(form, m_fixture->password());
    QTest::mouseClick(form.save, Qt::LeftButton);
    QVERIFY(!m_profiles->profile(u"New connection"_s));
    QVERIFY(m_profiles->profile(u"Staging"_s));
    QCOMPARE(m_profiles->profile(u"Staging"_s)->settings.port, m_fixture->port());
    QCOMPARE(form.profileList->count(), 1);
    QCOMPARE(form.profileList->currentItem()->text(), u"Staging"_s);

    // Rename through the list, as F2 or a double click would.
    form.profileList->currentItem()->setText(u"Stage 2"_s);
    QVERIFY(!m_profiles->profile(u"Staging"_s));
    QVERIFY(m_profiles->profile(u"Stage 2"_s));
    QCOMPARE(form.name->text(), u"Stage 2"_s);

    QTest::mouseClick(form.duplicate, Qt::LeftButton);
    QCOMPARE(form.profileList->count(), 2);
    QVERIFY(m_profiles->profile(u"Stage 2 (copy)"_s));
    QCOMPARE(m_profiles->profile(u"Stage 2 (copy)"_s)->settings.host, m_fixture->host());
    QCOMPARE(form.name->text(), u"Stage 2 (copy)"_s);

    // A rename onto an existing name is refused and changes nothing.
    typeInto(form.name, u"Stage 2"_s);
    QTest::mouseClick(form.save, Qt::LeftButton);
    QVERIFY(m_profiles->profile(u"Stage 2 (copy)"_s));
    QVERIFY2(form.status->text().contains(u"already exists"_s), qPrintable(form.status->text()));

    // Selecting a profile loads it.
    dialog->selectProfile(u"Stage 2"_s);
    QCOMPARE(form.name->text(), u"Stage 2"_s);

    QTest::mouseClick(form.remove, Qt::LeftButton);
    QVERIFY(!m_profiles->profile(u"Stage 2"_s));
    QCOMPARE(form.profileList->count(), 1);
    QCOMPARE(form.name->text(), u"Stage 2 (copy)"_s);
    QTest::mouseClick(form.remove, Qt::LeftButton);
    QCOMPARE(form.profileList->count(), 0);
    QVERIFY(m_profiles->profiles().isEmpty());
    QVERIFY(form.name->text().isEmpty());
    QVERIFY(!iniText().contains(m_fixture->password()));
}

void TestConnectionDialog::cancelFreesTheDialog()
{
    LocalPort silent(true); // libpq connects, then waits for a server that never speaks
    QVERIFY(silent.port() > 0);
    auto dialog = makeDialog();
    Form form(dialog.get());
    fillFixture(form, m_fixture->password());
    typeInto(form.port, QString::number(silent.port()));
    form.addOption->click();
    setOption(form.options, 0, u"connect_timeout"_s, u"3"_s);
    QSignalSpy finished(dialog.get(), &ConnectionDialog::probeFinished);
    QSignalSpy rejected(dialog.get(), &QDialog::rejected);

    QTest::mouseClick(form.test, Qt::LeftButton);
    QVERIFY(dialog->isBusy());
    QTest::qWait(200); // the attempt is under way on the worker thread; the GUI keeps running
    QVERIFY(dialog->isBusy());
    QTest::mouseClick(form.cancel, Qt::LeftButton);
    QVERIFY(!dialog->isBusy());
    QCOMPARE(rejected.count(), 0); // Cancel stopped the attempt, not the dialog
    QVERIFY(dialog->isVisible());
    QCOMPARE(form.status->text(), u"Cancelled."_s);
    QVERIFY(form.test->isEnabled());

    // A new attempt does not wait for the abandoned one.
    typeInto(form.port, QString::number(m_fixture->port()));
    setOption(form.options, 0, QString(), QString());
    QTest::mouseClick(form.test, Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QVERIFY(finished.at(0).at(0).toBool());
    const QString success = form.status->text();
    QVERIFY(success.contains(m_serverVersion));

    // The abandoned attempt times out later; its result is dropped.
    QTest::qWait(4000);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(form.status->text(), success);

    // Cancel with nothing running closes the dialog.
    QTest::mouseClick(form.cancel, Qt::LeftButton);
    QCOMPARE(rejected.count(), 1);
}

void TestConnectionDialog::noKeychainSaidOnce()
{
    if (realKeychain())
        QFAIL("needs a session without a keychain: run through ctest entry tst_connectiondialog");
    QSignalSpy unavailable(m_passwords.get(), &PasswordStore::keychainUnavailable);
    auto dialog = makeDialog();
    Form form(dialog.get());
    // Nobody asked the keychain yet: the dialog does so once a password is involved.
    QVERIFY(!m_passwords->isBusy());
    QVERIFY(form.remember->isEnabled());
    QCOMPARE(unavailable.count(), 0);
    form.password->setFocus();
    QTest::keyClick(form.password, Qt::Key_X);
    QVERIFY(m_passwords->isBusy() || unavailable.count() == 1);
    QVERIFY(unavailable.count() == 1 || unavailable.wait(15000));
    QVERIFY(form.keychainLabel->isVisible());
    QVERIFY2(form.keychainLabel->text().contains(u"No system keychain"_s), qPrintable(form.keychainLabel->text()));
    QVERIFY(!form.remember->isEnabled());
    QVERIFY(dialog->findChildren<QDialog *>().isEmpty()); // a label, not a message box

    // Connecting asks for the password in the form and stores it nowhere.
    typeInto(form.name, u"No keychain"_s);
    fillFixture(form, m_fixture->password());
    QSignalSpy accepted(dialog.get(), &QDialog::accepted);
    QTest::mouseClick(form.connect, Qt::LeftButton);
    QVERIFY(accepted.wait(30000));
    QCOMPARE(dialog->settings().password, m_fixture->password());
    QVERIFY(!m_profiles->profile(u"No keychain"_s)->rememberPassword);
    QVERIFY(!iniText().contains(m_fixture->password()));

    // The next dialog says so again in its label, but the store does not announce it twice, and the
    // password has to be typed again.
    auto next = makeDialog();
    Form nextForm(next.get());
    QVERIFY(nextForm.keychainLabel->isVisible());
    QVERIFY(!nextForm.remember->isEnabled());
    QCOMPARE(nextForm.name->text(), u"No keychain"_s);
    QVERIFY(nextForm.password->text().isEmpty());
    QTest::qWait(100);
    QCOMPARE(unavailable.count(), 1);
}

void TestConnectionDialog::realKeychainRemembersPassword()
{
    if (!realKeychain())
        QFAIL("needs the gnome-keyring: run through ctest entry tst_connectiondialog_keychain");
    const QString key = ConnectionProfile{u"Remembered"_s, {}, true}.keychainKey();
    QSignalSpy written(m_passwords.get(), &PasswordStore::writeFinished);
    QSignalSpy deleted(m_passwords.get(), &PasswordStore::deleteFinished);
    QSignalSpy read(m_passwords.get(), &PasswordStore::readFinished);
    {
        auto dialog = makeDialog();
        Form form(dialog.get());
        QVERIFY(form.remember->isEnabled());
        typeInto(form.name, u"Remembered"_s);
        fillFixture(form, m_fixture->password());
        QTest::mouseClick(form.remember, Qt::LeftButton);
        QVERIFY(form.remember->isChecked());
        QSignalSpy accepted(dialog.get(), &QDialog::accepted);
        QTest::mouseClick(form.connect, Qt::LeftButton);
        QVERIFY(accepted.wait(30000));
    }
    QTRY_COMPARE_WITH_TIMEOUT(written.count(), 1, 15000);
    QCOMPARE(written.at(0).at(0).toString(), key);
    QCOMPARE(written.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::Ok);
    QVERIFY(m_profiles->profile(u"Remembered"_s)->rememberPassword);
    QVERIFY(!iniText().contains(m_fixture->password()));

    // Loading the profile fills the password from the keychain, and it connects.
    auto dialog = makeDialog();
    Form form(dialog.get());
    dialog->selectProfile(u"Remembered"_s);
    QTRY_COMPARE_WITH_TIMEOUT(form.password->text(), m_fixture->password(), 15000);
    QVERIFY(form.remember->isChecked());

    // Unchecking deletes it from the keychain.
    read.clear();
    QTest::mouseClick(form.remember, Qt::LeftButton);
    QVERIFY(!form.remember->isChecked());
    QTRY_COMPARE_WITH_TIMEOUT(deleted.count(), 1, 15000);
    QCOMPARE(deleted.at(0).at(0).toString(), key);
    QCOMPARE(deleted.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::Ok);
    QVERIFY(!m_profiles->profile(u"Remembered"_s)->rememberPassword);
    m_passwords->readPassword(key);
    QVERIFY(read.wait(15000));
    QCOMPARE(read.last().at(1).value<PasswordStore::Status>(), PasswordStore::Status::NotFound);

    // Remember again; deleting the profile deletes the keychain entry too.
    QTest::mouseClick(form.remember, Qt::LeftButton);
    QSignalSpy accepted(dialog.get(), &QDialog::accepted);
    QTest::mouseClick(form.connect, Qt::LeftButton);
    QVERIFY(accepted.wait(30000));
    QTRY_COMPARE_WITH_TIMEOUT(written.count(), 2, 15000);
    QCOMPARE(written.at(1).at(1).value<PasswordStore::Status>(), PasswordStore::Status::Ok);
    auto third = makeDialog();
    Form thirdForm(third.get());
    third->selectProfile(u"Remembered"_s);
    QTRY_COMPARE_WITH_TIMEOUT(thirdForm.password->text(), m_fixture->password(), 15000);

    // Renaming moves the entry to the new profile's key.
    const QString renamedKey = ConnectionProfile{u"Remembered too"_s, {}, true}.keychainKey();
    thirdForm.profileList->currentItem()->setText(u"Remembered too"_s);
    QVERIFY(m_profiles->profile(u"Remembered too"_s));
    QTRY_COMPARE_WITH_TIMEOUT(written.count(), 3, 15000);
    QCOMPARE(written.at(2).at(0).toString(), renamedKey);
    QTRY_COMPARE_WITH_TIMEOUT(deleted.count(), 2, 15000);
    QCOMPARE(deleted.at(1).at(0).toString(), key);
    read.clear();
    m_passwords->readPassword(renamedKey);
    QVERIFY(read.wait(15000));
    QCOMPARE(read.last().at(1).value<PasswordStore::Status>(), PasswordStore::Status::Ok);
    QCOMPARE(read.last().at(2).toString(), m_fixture->password());

    QTest::mouseClick(thirdForm.remove, Qt::LeftButton);
    QVERIFY(!m_profiles->profile(u"Remembered too"_s));
    QTRY_COMPARE_WITH_TIMEOUT(deleted.count(), 3, 15000);
    QCOMPARE(deleted.at(2).at(0).toString(), renamedKey);
    QCOMPARE(deleted.at(2).at(1).value<PasswordStore::Status>(), PasswordStore::Status::Ok);
    read.clear();
    m_passwords->readPassword(renamedKey);
    m_passwords->readPassword(key);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 2, 15000);
    QCOMPARE(read.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::NotFound);
    QCOMPARE(read.at(1).at(1).value<PasswordStore::Status>(), PasswordStore::Status::NotFound);
    QVERIFY(!iniText().contains(m_fixture->password()));
}

QTEST_MAIN(TestConnectionDialog)
#include "tst_connectiondialog.moc"
