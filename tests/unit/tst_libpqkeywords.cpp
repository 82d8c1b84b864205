// The libpq keyword tables and value checks that the URL parser and the settings share (LibpqKeywords).
#include "db/libpqkeywords.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using MigrationDesk::LibpqKeywords;

class TestLibpqKeywords : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsePort_data();
    void parsePort();
    void utf8Names_data();
    void utf8Names();
    void optionTableLeavesOutFieldKeywords();
    void sslModesAreLibpqs();
};

void TestLibpqKeywords::parsePort_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("port"); // 0 = refused
    QTest::newRow("5432") << u"5432"_s << 5432;
    QTest::newRow("1") << u"1"_s << 1;
    QTest::newRow("65535") << u"65535"_s << 65535;
    QTest::newRow("0") << u"0"_s << 0;
    QTest::newRow("65536") << u"65536"_s << 0;
    QTest::newRow("negative") << u"-5"_s << 0;
    QTest::newRow("plus") << u"+5432"_s << 0;
    QTest::newRow("word") << u"pass"_s << 0;
    QTest::newRow("empty") << QString() << 0;
}

void TestLibpqKeywords::parsePort()
{
    QFETCH(QString, text);
    QFETCH(int, port);
    const std::optional<int> parsed = LibpqKeywords::parsePort(text);
    QCOMPARE(parsed.has_value(), port != 0);
    if (port != 0)
        QCOMPARE(*parsed, port);
}

void TestLibpqKeywords::utf8Names_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("utf8");
    QTest::newRow("utf8") << u"utf8"_s << true;
    QTest::newRow("UTF-8") << u"UTF-8"_s << true;
    QTest::newRow("Unicode") << u"Unicode"_s << true;
    QTest::newRow("latin1") << u"LATIN1"_s << false;
    QTest::newRow("utf16") << u"utf16"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void TestLibpqKeywords::utf8Names()
{
    QFETCH(QString, name);
    QFETCH(bool, utf8);
    QCOMPARE(LibpqKeywords::isUtf8Name(name), utf8);
}

void TestLibpqKeywords::optionTableLeavesOutFieldKeywords()
{
    const auto &table = LibpqKeywords::optionEnvironment();
    QCOMPARE(table.value(u"connect_timeout"_s), u"PGCONNECT_TIMEOUT"_s);
    QCOMPARE(table.value(u"application_name"_s), u"PGAPPNAME"_s);
    QVERIFY(table.contains(u"keepalives"_s));
    QVERIFY(table.value(u"keepalives"_s).isEmpty()); // no environment variable for it
    // These have fields of their own, and the password never rides in options.
    for (const QString &field : {u"host"_s, u"port"_s, u"dbname"_s, u"user"_s, u"password"_s, u"sslmode"_s,
                                 u"sslrootcert"_s, u"service"_s, u"sslpassword"_s, u"replication"_s})
        QVERIFY2(!table.contains(field), qPrintable(field));
}

void TestLibpqKeywords::sslModesAreLibpqs()
{
    QCOMPARE(LibpqKeywords::sslModes(), (QStringList{u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s,
                                                     u"verify-ca"_s, u"verify-full"_s}));
}

QTEST_GUILESS_MAIN(TestLibpqKeywords)
#include "tst_libpqkeywords.moc"
