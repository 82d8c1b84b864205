// The connection form's conveniences, on the offscreen platform: a postgresql:// URL pasted into any
// field fills the form (a bad one changes nothing), the show-password toggle, the client certificate and
// key fields, and the dialog opening on the window's current connection (against the fixture's server).
// D-Bus points nowhere, so the keychain is never asked.
#include "pgfixture.h"

#include "connect/connectiondialog.h"
#include "connect/passwordstore.h"
#include "mainwindow.h"

#include "base/workerthreads.h"
#include "i18n/translator.h"
#include "db/connectionurl.h"
#include "session/appservices.h"
#include "session/profilestore.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QDir>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

namespace {

bool prepareEnvironment()
{
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/md-no-bus");
    for (const char *name : {"DATABASE_URL", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "POSTGRES_HOST",
                             "POSTGRES_PORT", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSSLMODE"})
        qunsetenv(name);
    return true;
}
const bool g_environmentReady = prepareEnvironment();

template<typename T>
T *child(QObject *parent, const QString &name)
{
    T *found = parent->findChild<T *>(name);
    if (!found)
        qWarning("no child %s", qPrintable(name));
    return found;
}

void paste(QLineEdit *edit, const QString &text)
{
    QGuiApplication::clipboard()->setText(text);
    edit->setFocus();
    QTest::keySequence(edit, QKeySequence::Paste);
}

} // namespace

class TestConnectionForm : public QObject
{
    Q_OBJECT

private:
    WorkerThreads m_threads;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<PasswordStore> m_passwords;

    std::unique_ptr<ConnectionDialog> makeDialog()
    {
        auto dialog = std::make_unique<ConnectionDialog>(m_profiles.get(), m_passwords.get(), m_threads);
        dialog->show();
        return dialog;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(g_environmentReady);
        QStandardPaths::setTestModeEnabled(true);
    }

    void init()
    {
        QSettings().clear();
        m_settings = std::make_unique<QSettings>();
        m_profiles = std::make_unique<ProfileStore>(m_settings.get());
        m_passwords = std::make_unique<PasswordStore>();
    }

    void cleanup()
    {
        m_passwords.reset();
        m_profiles.reset();
        m_settings.reset();
    }

    void pastingAUrlIntoHostFillsTheForm()
    {
        auto dialog = makeDialog();
        auto host = child<QLineEdit>(dialog.get(), u"hostEdit"_s);
        host->setText(u"old-host"_s);
        paste(host, u"postgresql://app%40corp:s%3Acret@db.example.com:6543/sales?sslmode=verify-full"_s);
        QCOMPARE(host->text(), u"db.example.com"_s);
        QCOMPARE(child<QLineEdit>(dialog.get(), u"portEdit"_s)->text(), u"6543"_s);
        QCOMPARE(child<QLineEdit>(dialog.get(), u"databaseEdit"_s)->text(), u"sales"_s);
        QCOMPARE(child<QLineEdit>(dialog.get(), u"userEdit"_s)->text(), u"app@corp"_s);
        QCOMPARE(child<QLineEdit>(dialog.get(), u"passwordEdit"_s)->text(), u"s:cret"_s);
        QCOMPARE(child<QComboBox>(dialog.get(), u"sslModeCombo"_s)->currentData().toString(), u"verify-full"_s);
        const ConnectionSettings s = dialog->settings();
        QCOMPARE(s.host, u"db.example.com"_s);
        QCOMPARE(s.port, 6543);
        QCOMPARE(s.password, u"s:cret"_s);
        // The URL's password is for this connection: a saved profile never carries it.
        child<QLineEdit>(dialog.get(), u"nameEdit"_s)->setText(u"pasted"_s);
        QTest::mouseClick(child<QPushButton>(dialog.get(), u"saveButton"_s), Qt::LeftButton);
        QVERIFY(m_profiles->profile(u"pasted"_s));
        QCOMPARE(m_profiles->profile(u"pasted"_s)->settings.host, u"db.example.com"_s);
        QVERIFY(m_profiles->profile(u"pasted"_s)->settings.password.isEmpty());
        m_settings->sync();
        QFile ini(m_settings->fileName());
        QVERIFY(ini.open(QIODevice::ReadOnly));
        QVERIFY(!ini.readAll().contains("s:cret"));
    }

    void pastingIntoPortPassesTheValidator()
    {
        auto dialog = makeDialog();
        auto port = child<QLineEdit>(dialog.get(), u"portEdit"_s);
        paste(port, u"  postgres://me@10.1.2.3:5544/app\n"_s);
        QCOMPARE(port->text(), u"5544"_s);
        QCOMPARE(child<QLineEdit>(dialog.get(), u"hostEdit"_s)->text(), u"10.1.2.3"_s);
        QCOMPARE(child<QLineEdit>(dialog.get(), u"userEdit"_s)->text(), u"me"_s);
    }

    void urlTypedOtherwiseIsTakenOutOfTheField()
    {
        // A paste from the context menu or a middle click arrives as an edit, not as Ctrl+V.
        auto dialog = makeDialog();
        auto database = child<QLineEdit>(dialog.get(), u"databaseEdit"_s);
        database->setText(u"keep"_s);
        QGuiApplication::clipboard()->setText(u"postgresql://u:pw@h:5433/d"_s);
        database->selectAll();
        database->paste();
        QCOMPARE(database->text(), u"d"_s);
        QCOMPARE(child<QLineEdit>(dialog.get(), u"hostEdit"_s)->text(), u"h"_s);
        QCOMPARE(child<QLineEdit>(dialog.get(), u"passwordEdit"_s)->text(), u"pw"_s);
    }

    void badUrlChangesNothing()
    {
        auto dialog = makeDialog();
        auto host = child<QLineEdit>(dialog.get(), u"hostEdit"_s);
        auto user = child<QLineEdit>(dialog.get(), u"userEdit"_s);
        host->setText(u"db1"_s);
        user->setText(u"alice"_s);
        paste(host, u"postgresql://bob:secret@h:99999/x"_s);
        QCOMPARE(host->text(), u"db1"_s);
        QCOMPARE(user->text(), u"alice"_s);
        auto status = child<QLabel>(dialog.get(), u"statusLabel"_s);
        QVERIFY2(!status->text().isEmpty(), "a rejected URL says so");
        QVERIFY2(!status->text().contains(u"secret"_s), qPrintable(status->text()));
    }

    void showPasswordToggleSwitchesEchoMode()
    {
        auto dialog = makeDialog();
        auto password = child<QLineEdit>(dialog.get(), u"passwordEdit"_s);
        auto toggle = child<QAction>(dialog.get(), u"showPasswordAction"_s);
        QVERIFY(toggle);
        QVERIFY(password->actions().contains(toggle));
        QVERIFY(!toggle->icon().isNull());
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        toggle->trigger();
        QCOMPARE(password->echoMode(), QLineEdit::Normal);
        toggle->trigger();
        QCOMPARE(password->echoMode(), QLineEdit::Password);
    }

    void clientCertificateAndKeyReachTheSettingsAndProfile()
    {
        auto dialog = makeDialog();
        child<QLineEdit>(dialog.get(), u"hostEdit"_s)->setText(u"db.example.com"_s);
        auto cert = child<QLineEdit>(dialog.get(), u"clientCertEdit"_s);
        auto key = child<QLineEdit>(dialog.get(), u"clientKeyEdit"_s);
        QVERIFY(child<QPushButton>(dialog.get(), u"clientCertButton"_s));
        QVERIFY(child<QPushButton>(dialog.get(), u"clientKeyButton"_s));
        cert->setText(u"/certs/client.crt"_s);
        key->setText(u"/certs/client.key"_s);
        const ConnectionSettings s = dialog->settings();
        QCOMPARE(s.options.value(u"sslcert"_s), u"/certs/client.crt"_s);
        QCOMPARE(s.options.value(u"sslkey"_s), u"/certs/client.key"_s);
        // Passed to libpq with the other keywords.
        QVERIFY2(s.connectOptions().contains(u"sslcert="_s), qPrintable(s.connectOptions()));
        QVERIFY2(s.connectOptions().contains(u"sslkey="_s), qPrintable(s.connectOptions()));

        child<QLineEdit>(dialog.get(), u"nameEdit"_s)->setText(u"with cert"_s);
        QTest::mouseClick(child<QPushButton>(dialog.get(), u"saveButton"_s), Qt::LeftButton);
        const auto saved = m_profiles->profile(u"with cert"_s);
        QVERIFY(saved);
        QCOMPARE(saved->settings.options.value(u"sslcert"_s), u"/certs/client.crt"_s);
        QCOMPARE(saved->settings.options.value(u"sslkey"_s), u"/certs/client.key"_s);

        // Loaded back into their own fields, not into the options table.
        auto again = makeDialog();
        again->selectProfile(u"with cert"_s);
        QCOMPARE(child<QLineEdit>(again.get(), u"clientCertEdit"_s)->text(), u"/certs/client.crt"_s);
        QCOMPARE(child<QLineEdit>(again.get(), u"clientKeyEdit"_s)->text(), u"/certs/client.key"_s);
        QCOMPARE(child<QTableWidget>(again.get(), u"optionsTable"_s)->rowCount(), 0);
    }

    void fitsInNineHundredPixelsInBothLanguages()
    {
        // Grabbed for a human to look at, in English and Korean, full size and at 900 px.
        const QString dir = u"/work/notes/screens"_s;
        QDir().mkpath(dir);
        for (const QString &language : {u"en"_s, u"ko"_s}) {
            Translator::install(language);
            auto dialog = makeDialog();
            child<QLineEdit>(dialog.get(), u"clientCertEdit"_s)->setText(u"/home/me/.postgresql/postgresql.crt"_s);
            QVERIFY2(dialog->minimumSizeHint().width() <= 900,
                     qPrintable(u"%1: %2 px"_s.arg(language).arg(dialog->minimumSizeHint().width())));
            for (const int width : {dialog->sizeHint().width(), 900}) {
                dialog->resize(width, dialog->sizeHint().height());
                QTest::qWait(20);
                dialog->grab().save(u"%1/connection-dialog-%2-%3.png"_s.arg(dir, language).arg(width));
            }
        }
        Translator::install(u"en"_s);
    }

    void dialogOpensOnTheCurrentConnection()
    {
        QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(),
                 qPrintable(PgFixture::shared().errorString()));
        QString error;
        const auto fixture = ConnectionSettings::fromUrl(PgFixture::shared().url(), &error);
        QVERIFY2(fixture, qPrintable(error));
        AppServices services;
        {
            // Two profiles, the other one last used: the dialog must still pick the one connected.
            QSettings settings;
            ProfileStore profiles(&settings);
            ConnectionProfile current;
            current.name = u"fixture"_s;
            current.settings = *fixture;
            profiles.save(current);
            ConnectionProfile other;
            other.name = u"elsewhere"_s;
            other.settings.host = u"elsewhere.example.com"_s;
            profiles.save(other);
            profiles.setLastProfile(u"elsewhere"_s);
        }
        MainWindow window(services);
        window.show();
        window.connectToDatabase(*fixture, u"fixture"_s);
        QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), 60000);
        QSettings().setValue(u"lastProfile"_s, u"elsewhere"_s);
        window.findChild<QAction *>(u"connectAction"_s)->trigger();
        ConnectionDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<ConnectionDialog *>(u"connectionDialog"_s)) != nullptr);
        QCOMPARE(dialog->profileName(), u"fixture"_s);
        QCOMPARE(child<QListWidget>(dialog, u"profileList"_s)->currentItem()->text(), u"fixture"_s);
        QCOMPARE(child<QLineEdit>(dialog, u"hostEdit"_s)->text(), fixture->host);
        QCOMPARE(child<QLineEdit>(dialog, u"passwordEdit"_s)->text(), fixture->password);
        // Opened from the window, it offers Copy Sandbox URL beside Local Sandbox (no sandbox runs: disabled).
        auto copyUrl = child<QToolButton>(dialog, u"copySandboxUrlButton"_s);
        QVERIFY(copyUrl);
        QVERIFY(!copyUrl->isEnabled());
        dialog->grab().save(u"/work/notes/screens/connection-dialog-current-en.png"_s);
        dialog->reject();

        // Connected without a profile: the same settings, no profile selected.
        ConnectionSettings unnamed = *fixture;
        unnamed.database = u"template1"_s;
        window.connectToDatabase(unnamed);
        // The title names the database while it connects; the dialog offers the current connection once
        // it is connected.
        QTRY_COMPARE_WITH_TIMEOUT(window.windowTitle().contains(u"template1"_s), true, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), 60000);
        QTRY_VERIFY(!window.findChild<ConnectionDialog *>(u"connectionDialog"_s));
        window.findChild<QAction *>(u"connectAction"_s)->trigger();
        QTRY_VERIFY((dialog = window.findChild<ConnectionDialog *>(u"connectionDialog"_s)) != nullptr);
        QVERIFY(dialog->profileName().isEmpty());
        QCOMPARE(child<QLineEdit>(dialog, u"databaseEdit"_s)->text(), u"template1"_s);
        QCOMPARE(dialog->settings(), unnamed);
        dialog->reject();
        window.close();
    }
};

QTEST_MAIN(TestConnectionForm)
#include "tst_connectionform.moc"
