// sandbox.json, what the sandbox remembers between starts (SandboxState), read and written on its own.
#include "sandbox/sandboxstate.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using MigrationDesk::SandboxState;

class TestSandboxState : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void missingFileGivesDefaults();
    void writeThenReadKeepsPortAndDemoFlag();
    void fileNamesSocketDatabaseAndUser();
    void garbageGivesDefaults();
    void unwritableFileFailsWithMessage();
};

void TestSandboxState::missingFileGivesDefaults()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const SandboxState state = SandboxState::read(dir.filePath(u"sandbox.json"_s));
    QCOMPARE(state.port, 0);
    QCOMPARE(state.demoFilled, false);
}

void TestSandboxState::writeThenReadKeepsPortAndDemoFlag()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(u"sandbox.json"_s);
    SandboxState state;
    state.port = 54329;
    state.demoFilled = true;
    QString error;
    QVERIFY2(state.write(file, u"/tmp/sock"_s, u"migrationdesk"_s, u"alice"_s, &error), qPrintable(error));
    const SandboxState back = SandboxState::read(file);
    QCOMPARE(back.port, 54329);
    QCOMPARE(back.demoFilled, true);

    // Written again, the file is replaced, not appended to.
    state.demoFilled = false;
    QVERIFY(state.write(file, u"/tmp/sock"_s, u"migrationdesk"_s, u"alice"_s, &error));
    QCOMPARE(SandboxState::read(file).demoFilled, false);
}

void TestSandboxState::fileNamesSocketDatabaseAndUser()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(u"sandbox.json"_s);
    SandboxState state;
    state.port = 5999;
    QString error;
    QVERIFY(state.write(file, u"/tmp/mdsb-abc"_s, u"db"_s, u"bob"_s, &error));
    QFile in(file);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(in.readAll()).object();
    QCOMPARE(json.value(u"port"_s).toInt(), 5999);
    QCOMPARE(json.value(u"socketDirectory"_s).toString(), u"/tmp/mdsb-abc"_s);
    QCOMPARE(json.value(u"database"_s).toString(), u"db"_s);
    QCOMPARE(json.value(u"user"_s).toString(), u"bob"_s);
    QCOMPARE(json.value(u"demoFilled"_s).toBool(), false);
}

void TestSandboxState::garbageGivesDefaults()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(u"sandbox.json"_s);
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("not json {");
    out.close();
    const SandboxState state = SandboxState::read(file);
    QCOMPARE(state.port, 0);
    QCOMPARE(state.demoFilled, false);
}

void TestSandboxState::unwritableFileFailsWithMessage()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(u"no-such-folder/sandbox.json"_s);
    SandboxState state;
    QString error;
    QVERIFY(!state.write(file, u"/tmp/s"_s, u"d"_s, u"u"_s, &error));
    QVERIFY2(error.contains(u"no-such-folder/sandbox.json"_s), qPrintable(error));
    QVERIFY(!QFile::exists(file));
}

QTEST_GUILESS_MAIN(TestSandboxState)
#include "tst_sandboxstate.moc"
