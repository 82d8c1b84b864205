// PasswordStore against a real keychain and without one. MD_KEYCHAIN_MODE picks the environment the
// process runs in (tests/gui/keychain.cmake registers one CTest entry per mode):
//   real - a gnome-keyring Secret Service on a private dbus-run-session bus, unlocked
//   none - (also the default) a session bus address that leads nowhere: no keychain at all
//   hang - a bus socket that accepts connections and never answers: a keychain that hangs
#include "connect/passwordstore.h"

#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

QString keychainMode()
{
    const QString mode = qEnvironmentVariable("MD_KEYCHAIN_MODE");
    return mode == u"real"_s || mode == u"hang"_s ? mode : u"none"_s;
}

// A private home, so "nothing written to disk" can be checked by reading every file in it.
QTemporaryDir &home()
{
    static QTemporaryDir dir;
    return dir;
}

// Runs before QTEST_MAIN creates the application: GLib (under QtKeychain's libsecret backend) reads the
// bus address once per process, so it has to be right before anything touches D-Bus.
bool prepareEnvironment()
{
    const QByteArray dir = home().path().toLocal8Bit();
    qputenv("HOME", dir);
    qputenv("XDG_CONFIG_HOME", dir + "/config");
    qputenv("XDG_DATA_HOME", dir + "/data");
    qputenv("XDG_CACHE_HOME", dir + "/cache");
    const QString mode = keychainMode();
    if (mode == u"none"_s) {
        // Whatever bus the caller has (maybe a desktop session with a real keychain) stays untouched.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + dir + "/no-bus-here");
        qunsetenv("DISPLAY"); // no X11 autolaunch of a bus either
    } else if (mode == u"hang"_s) {
        // Listening but never accepting: connect() succeeds, then the D-Bus handshake waits forever.
        const QByteArray path = dir + "/silent-bus";
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.constData(), sizeof(address.sun_path) - 1);
        if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) != 0
            || ::listen(fd, 64) != 0)
            qFatal("cannot create the silent bus socket %s", path.constData());
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + path);
    }
    return true;
}
const bool g_environmentReady = prepareEnvironment();

QString uniqueKey()
{
    return u"test:"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// Files under the private home whose bytes contain `needle` (as UTF-8 or base64 of it).
QStringList filesContaining(const QString &needle)
{
    QStringList hits;
    const QByteArray utf8 = needle.toUtf8();
    const QByteArray base64 = utf8.toBase64();
    QDirIterator it(home().path(), QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly)) {
            const QByteArray content = file.readAll();
            if (content.contains(utf8) || content.contains(base64))
                hits << file.fileName();
        }
    }
    return hits;
}

} // namespace

class TestPasswordStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void timeoutIsSettable();
    void realStoreReadDelete();
    void realReadMissingKey();
    void realAvailabilityCheckStaysQuiet();
    void noKeychainReportedOnce();
    void noKeychainFromFirstWrite();
    void noKeychainWritesNothingToDisk();
    void hangingKeychainTimesOut();
    void hangingKeychainDefaultMessage();
    void destroyedWhileJobPending();

private:
    bool inMode(const char *mode) const { return keychainMode() == QLatin1String(mode); }
};

void TestPasswordStore::initTestCase()
{
    QVERIFY(g_environmentReady);
    QVERIFY(home().isValid());
    QStandardPaths::setTestModeEnabled(true);
    qInfo("keychain mode: %s", qPrintable(keychainMode()));
}

void TestPasswordStore::timeoutIsSettable()
{
    PasswordStore store;
    QCOMPARE(store.timeout(), 5000);
    store.setTimeout(250);
    QCOMPARE(store.timeout(), 250);
    QCOMPARE(PasswordStore::serviceName(), u"MigrationDesk"_s);
    QVERIFY(store.keychainAvailable()); // nothing has been asked yet
}

void TestPasswordStore::realStoreReadDelete()
{
    if (!inMode("real"))
        QFAIL("needs the unlocked gnome-keyring: run through ctest entry tst_passwordstore_real");
    PasswordStore store;
    QSignalSpy unavailable(&store, &PasswordStore::keychainUnavailable);
    QSignalSpy written(&store, &PasswordStore::writeFinished);
    QSignalSpy read(&store, &PasswordStore::readFinished);
    QSignalSpy deleted(&store, &PasswordStore::deleteFinished);
    const QString key = uniqueKey();
    const QString otherKey = uniqueKey();
    const QString password = u"pä$$ wörd;'\" \\ 🔑"_s;

    store.writePassword(key, password);
    store.writePassword(otherKey, u"another secret"_s);
    QTRY_COMPARE_WITH_TIMEOUT(written.count(), 2, 15000);
    QCOMPARE(written.at(0).at(0).toString(), key);
    QCOMPARE(written.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::Ok);
    QCOMPARE(written.at(1).at(0).toString(), otherKey);
    QCOMPARE(written.at(1).at(1).value<PasswordStore::Status>(), PasswordStore::Status::Ok);

    store.readPassword(key);
    QVERIFY(read.wait(15000));
    QCOMPARE(read.at(0).at(0).toString(), key);
    QCOMPARE(read.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::Ok);
    QCOMPARE(read.at(0).at(2).toString(), password);
    QVERIFY(read.at(0).at(3).toString().isEmpty());

    store.deletePassword(key);
    QVERIFY(deleted.wait(15000));
    QCOMPARE(deleted.at(0).at(0).toString(), key);
    QCOMPARE(deleted.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::Ok);

    // Gone, while the other entry is untouched.
    store.readPassword(key);
    store.readPassword(otherKey);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 3, 15000);
    QCOMPARE(read.at(1).at(0).toString(), key);
    QCOMPARE(read.at(1).at(1).value<PasswordStore::Status>(), PasswordStore::Status::NotFound);
    QVERIFY(read.at(1).at(2).toString().isEmpty());
    QCOMPARE(read.at(2).at(0).toString(), otherKey);
    QCOMPARE(read.at(2).at(2).toString(), u"another secret"_s);

    store.deletePassword(otherKey);
    QVERIFY(deleted.wait(15000));
    QCOMPARE(deleted.at(1).at(1).value<PasswordStore::Status>(), PasswordStore::Status::Ok);
    QVERIFY(store.keychainAvailable());
    QCOMPARE(unavailable.count(), 0);
}

void TestPasswordStore::realReadMissingKey()
{
    if (!inMode("real"))
        QFAIL("needs the unlocked gnome-keyring: run through ctest entry tst_passwordstore_real");
    PasswordStore store;
    QSignalSpy read(&store, &PasswordStore::readFinished);
    QSignalSpy deleted(&store, &PasswordStore::deleteFinished);
    const QString key = uniqueKey();
    store.readPassword(key);
    QVERIFY(read.wait(15000));
    QCOMPARE(read.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::NotFound);
    QVERIFY(!read.at(0).at(3).toString().isEmpty());
    // Deleting what is not there is no error: the keychain already is as the caller wants it.
    store.deletePassword(key);
    QVERIFY(deleted.wait(15000));
    QCOMPARE(deleted.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::Ok);
}

void TestPasswordStore::realAvailabilityCheckStaysQuiet()
{
    if (!inMode("real"))
        QFAIL("needs the unlocked gnome-keyring: run through ctest entry tst_passwordstore_real");
    PasswordStore store;
    QSignalSpy unavailable(&store, &PasswordStore::keychainUnavailable);
    QSignalSpy read(&store, &PasswordStore::readFinished);
    store.checkAvailability();
    // QtKeychain runs jobs one after another, so once this read is answered the check is done too.
    store.readPassword(uniqueKey());
    QVERIFY(read.wait(15000));
    QCOMPARE(read.count(), 1); // the check itself reports nothing
    QCOMPARE(unavailable.count(), 0);
    QVERIFY(store.keychainAvailable());
}

void TestPasswordStore::noKeychainReportedOnce()
{
    if (!inMode("none"))
        QFAIL("needs a session without a keychain: run through ctest entry tst_passwordstore");
    PasswordStore store;
    QSignalSpy unavailable(&store, &PasswordStore::keychainUnavailable);
    QSignalSpy written(&store, &PasswordStore::writeFinished);
    QSignalSpy read(&store, &PasswordStore::readFinished);
    QSignalSpy deleted(&store, &PasswordStore::deleteFinished);

    store.checkAvailability();
    QVERIFY(unavailable.wait(15000));
    QVERIFY(!store.keychainAvailable());
    const QString message = unavailable.at(0).at(0).toString();
    QVERIFY2(message.contains(u"No system keychain"_s), qPrintable(message));
    QCOMPARE(store.unavailableMessage(), message);

    // Every later request fails with the same message and without asking again.
    const QString key = uniqueKey();
    store.writePassword(key, u"s3cret-value"_s);
    store.readPassword(key);
    store.deletePassword(key);
    QTRY_COMPARE_WITH_TIMEOUT(deleted.count(), 1, 15000);
    QCOMPARE(written.count(), 1);
    QCOMPARE(read.count(), 1);
    QCOMPARE(written.at(0).at(0).toString(), key);
    QCOMPARE(written.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::NoKeychain);
    QCOMPARE(written.at(0).at(2).toString(), message);
    QCOMPARE(read.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::NoKeychain);
    QVERIFY(read.at(0).at(2).toString().isEmpty());
    QCOMPARE(deleted.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::NoKeychain);
    QCOMPARE(unavailable.count(), 1);
}

void TestPasswordStore::noKeychainFromFirstWrite()
{
    if (!inMode("none"))
        QFAIL("needs a session without a keychain: run through ctest entry tst_passwordstore");
    // No availability check first: the first real request finds out, and says so once.
    PasswordStore store;
    QSignalSpy unavailable(&store, &PasswordStore::keychainUnavailable);
    QSignalSpy written(&store, &PasswordStore::writeFinished);
    const QString secret = u"first-write-secret-8842"_s;
    store.writePassword(uniqueKey(), secret);
    QVERIFY(written.wait(15000));
    QCOMPARE(written.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::NoKeychain);
    QCOMPARE(unavailable.count(), 1);
    QVERIFY(!written.at(0).at(2).toString().contains(secret));
    store.writePassword(uniqueKey(), secret);
    QVERIFY(written.wait(15000));
    QCOMPARE(unavailable.count(), 1);
}

void TestPasswordStore::noKeychainWritesNothingToDisk()
{
    if (!inMode("none"))
        QFAIL("needs a session without a keychain: run through ctest entry tst_passwordstore");
    PasswordStore store;
    QSignalSpy written(&store, &PasswordStore::writeFinished);
    const QString secret = u"never-on-disk-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    store.writePassword(u"disk-check"_s, secret);
    QVERIFY(written.wait(15000));
    QCOMPARE(written.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::NoKeychain);
    // The files a plain-text fallback would use (QSettings of the service, in the home we own).
    QVERIFY(!QFile::exists(home().filePath(u"config/MigrationDesk.conf"_s)));
    const QStringList hits = filesContaining(secret);
    QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u", "_s)));
    // The check itself can find what is there: a file we write with the secret is found.
    QFile probe(home().filePath(u"probe.txt"_s));
    QVERIFY(probe.open(QIODevice::WriteOnly));
    probe.write(secret.toUtf8());
    probe.close();
    QCOMPARE(filesContaining(secret).size(), 1);
    QVERIFY(probe.remove());
}

void TestPasswordStore::hangingKeychainTimesOut()
{
    if (!inMode("hang"))
        QFAIL("needs the silent bus: run through ctest entry tst_passwordstore_hang");
    PasswordStore store;
    store.setTimeout(300);
    QSignalSpy unavailable(&store, &PasswordStore::keychainUnavailable);
    QSignalSpy written(&store, &PasswordStore::writeFinished);
    QSignalSpy read(&store, &PasswordStore::readFinished);
    QSignalSpy deleted(&store, &PasswordStore::deleteFinished);
    const QString key = uniqueKey();
    store.readPassword(key);
    store.writePassword(key, u"hang-secret-991"_s);
    store.deletePassword(key);
    QTRY_COMPARE_WITH_TIMEOUT(deleted.count(), 1, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(read.count(), 1, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(written.count(), 1, 15000);
    QCOMPARE(read.at(0).at(0).toString(), key);
    QCOMPARE(read.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::TimedOut);
    QCOMPARE(read.at(0).at(3).toString(), u"The system keychain did not answer within 0.3 seconds."_s);
    QCOMPARE(written.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::TimedOut);
    QCOMPARE(written.at(0).at(2).toString(), u"The system keychain did not answer within 0.3 seconds."_s);
    QCOMPARE(deleted.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::TimedOut);
    // Slow is not absent: the keychain may answer next time.
    QVERIFY(store.keychainAvailable());
    QCOMPARE(unavailable.count(), 0);
    // Each request is answered exactly once.
    QTest::qWait(200);
    QCOMPARE(read.count() + written.count() + deleted.count(), 3);
}

void TestPasswordStore::hangingKeychainDefaultMessage()
{
    if (!inMode("hang"))
        QFAIL("needs the silent bus: run through ctest entry tst_passwordstore_hang");
    PasswordStore store;
    QSignalSpy read(&store, &PasswordStore::readFinished);
    store.readPassword(uniqueKey());
    QVERIFY(read.wait(20000));
    QCOMPARE(read.at(0).at(1).value<PasswordStore::Status>(), PasswordStore::Status::TimedOut);
    QCOMPARE(read.at(0).at(3).toString(), u"The system keychain did not answer within 5 seconds."_s);
}

void TestPasswordStore::destroyedWhileJobPending()
{
    // The job outlives the store (QtKeychain's backend holds it); neither may crash or report late.
    auto store = std::make_unique<PasswordStore>();
    store->setTimeout(60000);
    store->readPassword(uniqueKey());
    store.reset();
    QTest::qWait(300);
    PasswordStore next;
    QSignalSpy read(&next, &PasswordStore::readFinished);
    next.setTimeout(300);
    next.readPassword(uniqueKey());
    QVERIFY(read.wait(20000));
    QCOMPARE(read.count(), 1);
}

QTEST_MAIN(TestPasswordStore)
#include "tst_passwordstore.moc"
