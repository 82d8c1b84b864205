#include "db/connectionsettings.h"
#include "db/pgconnection.h"
#include "db/sqlident.h"
#include "envguard.h"

#include <QProcessEnvironment>
#include <QTest>
#include <QUrl>

#include <libpq-fe.h>

#include <memory>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;


namespace {

ConnectionSettings make(const QString &user, const QString &password, const QString &host, int port,
                        const QString &database)
{
    ConnectionSettings s;
    s.user = user;
    s.password = password;
    s.host = host;
    s.port = port;
    s.database = database;
    return s;
}

// What libpq itself makes of QPSQL's conninfo: QPSQL swaps ';' for ' ' and appends the options.
QMap<QString, QString> parseAsLibpq(const QString &connectOptions, QString *error)
{
    QString conninfo = connectOptions;
    conninfo.replace(QLatin1Char(';'), QLatin1Char(' '));
    char *message = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(conninfo.toUtf8().constData(), &message), &PQconninfoFree);
    QMap<QString, QString> values;
    if (!options) {
        *error = QString::fromUtf8(message);
        PQfreemem(message);
        return values;
    }
    for (PQconninfoOption *o = options.get(); o->keyword; ++o) {
        if (o->val)
            values.insert(QString::fromUtf8(o->keyword), QString::fromUtf8(o->val));
    }
    return values;
}


} // namespace

class TestConnectionSettings : public QObject
{
    Q_OBJECT

private slots:
    void fromUrl_data();
    void fromUrl();
    void fromUrlOptions();
    void badUrl_data();
    void badUrl();
    void toUrlRoundTrip_data();
    void toUrlRoundTrip();
    void toUrlText();
    void environmentPrecedence();
    void environmentErrors();
    void connectOptionsDefaults();
    void connectOptionsEscaping();
    void validateRefuses();
    void applyTo();
    void displayName();
    void displayNameFromLibpqDefaults();
    void redactSecrets_data();
    void redactSecrets();
    void quoting();
    void versionTableNames_data();
    void versionTableNames();
    void describeConnectionError_data();
    void describeConnectionError();
    void noPasswordNamesThePasswordFieldFirst();
    void sqlErrorText();
};

void TestConnectionSettings::fromUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<ConnectionSettings>("expected");

    const ConnectionSettings seed = make(u"myuser"_s, u"mypassword"_s, u"postgres"_s, 5432, u"mydatabase"_s);
    QTest::newRow("seed alembic.ini") << u"postgresql://myuser:mypassword@postgres:5432/mydatabase"_s << seed;
    QTest::newRow("psycopg2 driver") << u"postgresql+psycopg2://myuser:mypassword@postgres:5432/mydatabase"_s << seed;
    QTest::newRow("psycopg driver") << u"postgresql+psycopg://myuser:mypassword@postgres:5432/mydatabase"_s << seed;
    QTest::newRow("postgres scheme") << u"postgres://myuser:mypassword@postgres:5432/mydatabase"_s << seed;
    QTest::newRow("upper-case scheme, spaces around")
        << u"  POSTGRESQL://myuser:mypassword@postgres:5432/mydatabase\n"_s << seed;
    QTest::newRow("no password, no port") << u"postgresql://app@db.example.com/app"_s
                                          << make(u"app"_s, QString(), u"db.example.com"_s, 0, u"app"_s);
    QTest::newRow("percent-encoded @ : / in password")
        << u"postgresql://app:p%40ss%3Aw%2Frd%25@db.example.com:6432/app"_s
        << make(u"app"_s, u"p@ss:w/rd%"_s, u"db.example.com"_s, 6432, u"app"_s);
    QTest::newRow("raw @ in password") << u"postgresql://app:p@ss@db/app"_s
                                       << make(u"app"_s, u"p@ss"_s, u"db"_s, 0, u"app"_s);
    QTest::newRow("raw : in password") << u"postgresql://app:a:b@db:5433/app"_s
                                       << make(u"app"_s, u"a:b"_s, u"db"_s, 5433, u"app"_s);
    QTest::newRow("empty password") << u"postgresql://app:@db/app"_s
                                    << make(u"app"_s, QString(), u"db"_s, 0, u"app"_s);
    QTest::newRow("IPv6 with port") << u"postgresql://u:pw@[::1]:6543/db"_s
                                    << make(u"u"_s, u"pw"_s, u"::1"_s, 6543, u"db"_s);
    QTest::newRow("IPv6 zone, no port") << u"postgresql://u@[fe80::1%25eth0]/db"_s
                                        << make(u"u"_s, QString(), u"fe80::1%eth0"_s, 0, u"db"_s);
    QTest::newRow("socket dir as host") << u"postgresql://u@%2Fvar%2Frun%2Fpostgresql/db"_s
                                        << make(u"u"_s, QString(), u"/var/run/postgresql"_s, 0, u"db"_s);
    QTest::newRow("host and port parameters") << u"postgresql:///db?host=/tmp&port=5433"_s
                                              << make(QString(), QString(), u"/tmp"_s, 5433, u"db"_s);
    QTest::newRow("parameters override") << u"postgresql://a:b@h:1/d?host=h2&port=2&dbname=d2&user=a2&password=b2"_s
                                         << make(u"a2"_s, u"b2"_s, u"h2"_s, 2, u"d2"_s);
    QTest::newRow("everything empty") << u"postgresql://"_s << ConnectionSettings();
    QTest::newRow("Korean names")
        << u"postgresql://%EC%82%AC%EC%9A%A9%EC%9E%90:%EB%B9%84%EB%B0%80@localhost/%EB%94%94%EB%B9%84"_s
        << make(u"사용자"_s, u"비밀"_s, u"localhost"_s, 0, u"디비"_s);
    QTest::newRow("encoded database name") << u"postgresql://u@h/my%20db%2Fx"_s
                                           << make(u"u"_s, QString(), u"h"_s, 0, u"my db/x"_s);
    QTest::newRow("utf8 client_encoding is accepted") << u"postgresql://u@h/db?client_encoding=utf8&"_s
                                                      << make(u"u"_s, QString(), u"h"_s, 0, u"db"_s);
}

void TestConnectionSettings::fromUrl()
{
    QFETCH(QString, url);
    QFETCH(ConnectionSettings, expected);
    QString error;
    const auto parsed = ConnectionSettings::fromUrl(url, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->user, expected.user);
    QCOMPARE(parsed->password, expected.password);
    QCOMPARE(parsed->host, expected.host);
    QCOMPARE(parsed->port, expected.port);
    QCOMPARE(parsed->database, expected.database);
    QCOMPARE(parsed->options, expected.options);
    QVERIFY(*parsed == expected);
}

void TestConnectionSettings::fromUrlOptions()
{
    QString error;
    const auto s = ConnectionSettings::fromUrl(
        u"postgresql+psycopg2://u:pw@h/db?sslmode=verify-full&sslrootcert=%2Fetc%2Fssl%2Fca.pem"
        "&connect_timeout=5&application_name=my%20app&options=-c%20search_path%3Dapp&service=prod"
        "&keepalives_idle=30&target_session_attrs=read-write"_s,
        &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->sslmode, u"verify-full"_s);
    QCOMPARE(s->sslrootcert, u"/etc/ssl/ca.pem"_s);
    QCOMPARE(s->service, u"prod"_s);
    const QMap<QString, QString> expected{{u"connect_timeout"_s, u"5"_s},
                                          {u"application_name"_s, u"my app"_s},
                                          {u"options"_s, u"-c search_path=app"_s},
                                          {u"keepalives_idle"_s, u"30"_s},
                                          {u"target_session_attrs"_s, u"read-write"_s}};
    QCOMPARE(s->options, expected);
    QVERIFY(ConnectionSettings::supportedOptionKeys().contains(u"sslmode"_s));
    QVERIFY(!ConnectionSettings::supportedOptionKeys().contains(u"replication"_s));
}

void TestConnectionSettings::badUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expectedError");

    QTest::newRow("other scheme") << u"mysql://u:s3cretPW@h/db"_s << u"Unsupported URL scheme"_s;
    QTest::newRow("empty driver") << u"postgresql+://u:s3cretPW@h/db"_s << u"Unsupported URL scheme"_s;
    QTest::newRow("bad driver") << u"postgresql+psy-cop://u:s3cretPW@h/db"_s << u"Unsupported URL scheme"_s;
    QTest::newRow("not a URL") << u"host=h password=s3cretPW"_s << u"Not a database URL"_s;
    QTest::newRow("one slash") << u"postgresql:/u:s3cretPW@h/db"_s << u"Not a database URL"_s;
    QTest::newRow("empty") << QString() << u"Not a database URL"_s;
    QTest::newRow("raw slash in password") << u"postgresql://u:s3cret/PW@h/db"_s << u"percent-encode"_s;
    QTest::newRow("non-numeric port") << u"postgresql://u:s3cretPW@h:port/db"_s << u"not a number"_s;
    QTest::newRow("port out of range") << u"postgresql://u:s3cretPW@h:70000/db"_s << u"not a number"_s;
    QTest::newRow("port zero") << u"postgresql://u:s3cretPW@h:0/db"_s << u"not a number"_s;
    QTest::newRow("port parameter") << u"postgresql://u:s3cretPW@h/db?port=x"_s << u"port parameter"_s;
    QTest::newRow("unknown parameter") << u"postgresql://u:s3cretPW@h/db?foo=bar"_s
                                       << u"Unknown connection parameter \"foo\""_s;
    QTest::newRow("asyncpg ssl parameter") << u"postgresql+asyncpg://u:s3cretPW@h/db?ssl=require"_s
                                           << u"Unknown connection parameter \"ssl\""_s;
    QTest::newRow("replication") << u"postgresql://u:s3cretPW@h/db?replication=database"_s << u"replication"_s;
    QTest::newRow("sslpassword") << u"postgresql://u:s3cretPW@h/db?sslpassword=x"_s << u"sslpassword"_s;
    QTest::newRow("bad sslmode") << u"postgresql://u:s3cretPW@h/db?sslmode=maybe"_s << u"sslmode \"maybe\""_s;
    QTest::newRow("semicolon in value") << u"postgresql://u:s3cretPW@h/db?application_name=a%3Bb"_s << u"';'"_s;
    QTest::newRow("latin1 encoding") << u"postgresql://u:s3cretPW@h/db?client_encoding=LATIN1"_s
                                     << u"client_encoding=LATIN1"_s;
    QTest::newRow("bad timeout") << u"postgresql://u:s3cretPW@h/db?connect_timeout=soon"_s << u"connect_timeout"_s;
    QTest::newRow("parameter without =") << u"postgresql://u:s3cretPW@h/db?sslmode"_s << u"key=value"_s;
    QTest::newRow("two hosts") << u"postgresql://u:s3cretPW@h1,h2/db"_s << u"Several hosts"_s;
    QTest::newRow("two hosts parameter") << u"postgresql:///db?host=h1,h2"_s << u"Several hosts"_s;
    QTest::newRow("two hosts, comma percent-encoded") << u"postgresql://u@h1%2Ch2/db"_s << u"Several hosts"_s;
    QTest::newRow("IPv6 without brackets") << u"postgresql://u:s3cretPW@::1/db"_s << u"brackets"_s;
    QTest::newRow("unclosed IPv6") << u"postgresql://u:s3cretPW@[::1/db"_s << u"IPv6"_s;
    QTest::newRow("junk after IPv6") << u"postgresql://u:s3cretPW@[::1]x/db"_s << u"IPv6"_s;
    QTest::newRow("bad escape in password") << u"postgresql://u:s3cretPW%zz@h/db"_s << u"%-escape"_s;
    QTest::newRow("truncated escape") << u"postgresql://u:s3cretPW%4@h/db"_s << u"%-escape"_s;
    QTest::newRow("invalid UTF-8") << u"postgresql://u:s3cretPW%C3%28@h/db"_s << u"%-escape"_s;
    QTest::newRow("fragment") << u"postgresql://u:s3cret#PW@h/db"_s << u"'#'"_s;
    QTest::newRow("space") << u"postgresql://u:s3cret PW@h/db"_s << u"spaces"_s;
    QTest::newRow("@ in database") << u"postgresql://u:s3cretPW@h/d@b"_s << u"contains '@'"_s;
}

void TestConnectionSettings::badUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, expectedError);
    QString error;
    QVERIFY(!ConnectionSettings::fromUrl(url, &error));
    QVERIFY2(error.contains(expectedError), qPrintable(error));
    QVERIFY2(!error.contains(u"s3cret"_s), qPrintable(error));
}

void TestConnectionSettings::toUrlRoundTrip_data()
{
    QTest::addColumn<ConnectionSettings>("settings");

    QTest::newRow("seed") << make(u"myuser"_s, u"mypassword"_s, u"postgres"_s, 5432, u"mydatabase"_s);
    QTest::newRow("hostile password") << make(u"we ird@user"_s, u"p@ss:/?#&=%; '\"\\비"_s, u"h"_s, 1, u"d b"_s);
    QTest::newRow("IPv6") << make(u"u"_s, u"p"_s, u"::1"_s, 5432, u"db"_s);
    QTest::newRow("socket dir") << make(u"u"_s, QString(), u"/var/run/postgresql"_s, 5433, u"db"_s);
    QTest::newRow("empty") << ConnectionSettings();
    ConnectionSettings full = make(u"u"_s, u"p"_s, u"h"_s, 0, u"db"_s);
    full.sslmode = u"verify-ca"_s;
    full.sslrootcert = u"/etc/ssl/my ca.pem"_s;
    full.service = u"svc"_s;
    full.options.insert(u"application_name"_s, u"a&b=c"_s);
    full.options.insert(u"options"_s, u"-c search_path=app,public"_s);
    QTest::newRow("ssl and options") << full;
}

void TestConnectionSettings::toUrlRoundTrip()
{
    QFETCH(ConnectionSettings, settings);
    QString error;
    const auto back = ConnectionSettings::fromUrl(settings.toUrl(true), &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY2(*back == settings, qPrintable(settings.toUrl(true)));

    const QString withoutPassword = settings.toUrl();
    if (!settings.password.isEmpty())
        QVERIFY(!withoutPassword.contains(u":"_s + QString::fromLatin1(QUrl::toPercentEncoding(settings.password)) + u"@"_s));
    const auto back2 = ConnectionSettings::fromUrl(withoutPassword, &error);
    QVERIFY2(back2, qPrintable(error));
    QVERIFY(back2->password.isEmpty());
    QCOMPARE(back2->user, settings.user);
}

void TestConnectionSettings::toUrlText()
{
    const ConnectionSettings seed = make(u"myuser"_s, u"mypassword"_s, u"postgres"_s, 5432, u"mydatabase"_s);
    QCOMPARE(seed.toUrl(true), u"postgresql://myuser:mypassword@postgres:5432/mydatabase"_s);
    QCOMPARE(seed.toUrl(), u"postgresql://myuser@postgres:5432/mydatabase"_s);
    QCOMPARE(make(u"u"_s, u"p@:"_s, u"::1"_s, 5432, u"db"_s).toUrl(true), u"postgresql://u:p%40%3A@[::1]:5432/db"_s);
    QCOMPARE(make(QString(), QString(), u"/tmp"_s, 0, u"db"_s).toUrl(), u"postgresql:///db?host=%2Ftmp"_s);
}

void TestConnectionSettings::environmentPrecedence()
{
    QProcessEnvironment env;
    env.insert(u"POSTGRES_USER"_s, u"myuser"_s);
    env.insert(u"POSTGRES_PASSWORD"_s, u"mypassword"_s);
    env.insert(u"POSTGRES_DB"_s, u"mydatabase"_s);
    env.insert(u"POSTGRES_HOST"_s, u"localhost"_s);
    env.insert(u"POSTGRES_PORT"_s, u"5432"_s);
    env.insert(u"PGHOST"_s, u"pghost"_s);
    env.insert(u"DATABASE_URL"_s, u"postgresql://urluser:urlpw@urlhost:6000/urldb"_s);

    QString source;
    QString error;
    auto s = ConnectionSettings::fromEnvironment(env, &source, &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(source, u"DATABASE_URL"_s);
    QVERIFY(*s == make(u"urluser"_s, u"urlpw"_s, u"urlhost"_s, 6000, u"urldb"_s));

    // An empty DATABASE_URL counts as unset.
    env.insert(u"DATABASE_URL"_s, QString());
    s = ConnectionSettings::fromEnvironment(env, &source, &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(source, u"POSTGRES_*"_s);
    QVERIFY(*s == make(u"myuser"_s, u"mypassword"_s, u"localhost"_s, 5432, u"mydatabase"_s));

    QProcessEnvironment onlyPassword;
    onlyPassword.insert(u"POSTGRES_PASSWORD"_s, u"pw"_s);
    s = ConnectionSettings::fromEnvironment(onlyPassword, &source, &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(source, u"POSTGRES_*"_s);
    QVERIFY(*s == make(QString(), u"pw"_s, QString(), 0, QString()));

    QProcessEnvironment libpqOnly;
    libpqOnly.insert(u"PGHOST"_s, u"pghost"_s);
    libpqOnly.insert(u"PGPASSWORD"_s, u"pgpw"_s);
    libpqOnly.insert(u"POSTGRES_USER"_s, QString());
    s = ConnectionSettings::fromEnvironment(libpqOnly, &source, &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(source, u"libpq environment"_s);
    QVERIFY(*s == ConnectionSettings());
}

void TestConnectionSettings::environmentErrors()
{
    QString source;
    QString error;
    QProcessEnvironment env;
    env.insert(u"DATABASE_URL"_s, u"mysql://u:topsecret@h/db"_s);
    env.insert(u"POSTGRES_USER"_s, u"fallback"_s);
    QVERIFY(!ConnectionSettings::fromEnvironment(env, &source, &error));
    QCOMPARE(source, u"DATABASE_URL"_s);
    QVERIFY2(error.startsWith(u"DATABASE_URL: "_s), qPrintable(error));
    QVERIFY(!error.contains(u"topsecret"_s));

    QProcessEnvironment badPort;
    badPort.insert(u"POSTGRES_PORT"_s, u"54x32"_s);
    QVERIFY(!ConnectionSettings::fromEnvironment(badPort, &source, &error));
    QVERIFY2(error.contains(u"POSTGRES_PORT"_s), qPrintable(error));
}

void TestConnectionSettings::connectOptionsDefaults()
{
    ConnectionSettings s = make(u"u"_s, u"hunter2"_s, u"h"_s, 5432, u"db"_s);
    QCOMPARE(s.connectOptions(),
             u"client_encoding='UTF8';application_name='migrationdesk';connect_timeout='10'"_s);
    QCOMPARE(s.connectOptions(u"md-gui"_s),
             u"client_encoding='UTF8';application_name='md-gui';connect_timeout='10'"_s);

    s.sslmode = u"require"_s;
    s.options.insert(u"connect_timeout"_s, u"3"_s);
    s.options.insert(u"application_name"_s, u"from-url"_s);
    s.options.insert(u"keepalives"_s, u"1"_s);
    const QString options = s.connectOptions(u"ignored"_s);
    QCOMPARE(options, u"client_encoding='UTF8';application_name='from-url';connect_timeout='3';sslmode='require';"
                      "keepalives='1'"_s);
    QVERIFY(!options.contains(u"hunter2"_s));
    QVERIFY(!options.contains(u"password"_s));
}

void TestConnectionSettings::connectOptionsEscaping()
{
    ConnectionSettings s;
    s.sslrootcert = u"/certs/it's a \\dir\\ca.pem"_s;
    s.service = u"svc name"_s;
    s.options.insert(u"options"_s, u"-c search_path='a b' -c x=\\y"_s);
    const QString appName = u"it's; DROP TABLE x"_s.remove(QLatin1Char(';')); // ';' cannot pass QPSQL
    const QString options = s.connectOptions(appName);
    QVERIFY(options.contains(u"sslrootcert='/certs/it\\'s a \\\\dir\\\\ca.pem'"_s));

    // libpq's own parser must read back exactly what was meant.
    QString error;
    const QMap<QString, QString> parsed = parseAsLibpq(options, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(parsed.value(u"sslrootcert"_s), s.sslrootcert);
    QCOMPARE(parsed.value(u"service"_s), s.service);
    QCOMPARE(parsed.value(u"options"_s), s.options.value(u"options"_s));
    QCOMPARE(parsed.value(u"application_name"_s), appName);
    QCOMPARE(parsed.value(u"client_encoding"_s), u"UTF8"_s);
    QCOMPARE(parsed.value(u"connect_timeout"_s), u"10"_s);
    QVERIFY(!parsed.contains(u"password"_s));
}

void TestConnectionSettings::validateRefuses()
{
    QString error;
    ConnectionSettings s;
    QVERIFY(s.validate(&error));

    s.options.insert(u"application_name"_s, u"a;b"_s);
    QVERIFY(!s.validate(&error));
    QVERIFY2(error.contains(u"';'"_s), qPrintable(error));

    s = ConnectionSettings();
    s.sslrootcert = u"/a;b.pem"_s;
    QVERIFY(!s.validate(&error));

    s = ConnectionSettings();
    s.options.insert(u"password"_s, u"x"_s); // has a field of its own
    QVERIFY(!s.validate(&error));
    QVERIFY2(error.contains(u"\"password\""_s), qPrintable(error));

    s = ConnectionSettings();
    s.options.insert(u"bogus"_s, u"x"_s);
    QVERIFY(!s.validate(&error));

    s = ConnectionSettings();
    s.port = 70000;
    QVERIFY(!s.validate(&error));

    // A ';' is fine where QPSQL quotes the value itself (host, user, database, password).
    s = make(u"u;x"_s, u"p;w"_s, u"h"_s, 5432, u"d;b"_s);
    QVERIFY2(s.validate(&error), qPrintable(error));
}

void TestConnectionSettings::applyTo()
{
    ConnectionSettings s = make(u"u"_s, u"se cret"_s, u"h"_s, 5433, u"db"_s);
    s.sslmode = u"verify-full"_s;
    s.sslrootcert = u"/ca.pem"_s;
    s.options.insert(u"sslcert"_s, u"/client.pem"_s);
    s.options.insert(u"options"_s, u"-c search_path=app"_s);
    s.options.insert(u"keepalives"_s, u"1"_s);

    QProcessEnvironment inherited;
    inherited.insert(u"PATH"_s, u"/usr/bin"_s);
    inherited.insert(u"PGHOST"_s, u"old"_s);
    const QProcessEnvironment env = s.applyTo(inherited, u"migrationdesk"_s);
    QCOMPARE(env.value(u"PATH"_s), u"/usr/bin"_s);
    QCOMPARE(env.value(u"PGHOST"_s), u"h"_s);
    QCOMPARE(env.value(u"PGPORT"_s), u"5433"_s);
    QCOMPARE(env.value(u"PGDATABASE"_s), u"db"_s);
    QCOMPARE(env.value(u"PGUSER"_s), u"u"_s);
    QCOMPARE(env.value(u"PGPASSWORD"_s), u"se cret"_s);
    QCOMPARE(env.value(u"PGSSLMODE"_s), u"verify-full"_s);
    QCOMPARE(env.value(u"PGSSLROOTCERT"_s), u"/ca.pem"_s);
    QCOMPARE(env.value(u"PGSSLCERT"_s), u"/client.pem"_s);
    QCOMPARE(env.value(u"PGOPTIONS"_s), u"-c search_path=app"_s);
    QCOMPARE(env.value(u"PGAPPNAME"_s), u"migrationdesk"_s);
    QCOMPARE(env.value(u"PGCONNECT_TIMEOUT"_s), u"10"_s);
    QVERIFY(!env.contains(u"PGSERVICE"_s));

    // Empty fields leave what the user already exported to libpq.
    QProcessEnvironment user;
    user.insert(u"PGHOST"_s, u"theirs"_s);
    user.insert(u"PGPASSWORD"_s, u"theirpw"_s);
    user.insert(u"PGCONNECT_TIMEOUT"_s, u"2"_s);
    const QProcessEnvironment kept = ConnectionSettings().applyTo(user);
    QCOMPARE(kept.value(u"PGHOST"_s), u"theirs"_s);
    QCOMPARE(kept.value(u"PGPASSWORD"_s), u"theirpw"_s);
    QCOMPARE(kept.value(u"PGCONNECT_TIMEOUT"_s), u"2"_s);
    QVERIFY(!kept.contains(u"PGAPPNAME"_s));
}

void TestConnectionSettings::displayName()
{
    QCOMPARE(make(u"myuser"_s, u"mypassword"_s, u"postgres"_s, 5432, u"mydatabase"_s).displayName(),
             u"myuser@postgres:5432/mydatabase"_s);
    QCOMPARE(make(u"u"_s, QString(), u"::1"_s, 5432, u"db"_s).displayName(), u"u@[::1]:5432/db"_s);
    QCOMPARE(make(u"u"_s, QString(), u"/tmp"_s, 5432, u"db"_s).displayName(), u"u@[local:/tmp]:5432/db"_s);
    QCOMPARE(make(u"u"_s, QString(), u"h"_s, 5432, u"db"_s).serverName(), u"h:5432"_s);
    QVERIFY(!make(u"u"_s, u"hunter2"_s, u"h"_s, 5432, u"db"_s).displayName().contains(u"hunter2"_s));
}

void TestConnectionSettings::displayNameFromLibpqDefaults()
{
    {
        const EnvGuard env({{"PGUSER", "envuser"}, {"PGHOST", "envhost"}, {"PGPORT", "6001"},
                            {"PGDATABASE", QByteArray()}, {"PGSERVICE", QByteArray()}});
        QCOMPARE(ConnectionSettings().displayName(), u"envuser@envhost:6001/envuser"_s);
        QCOMPARE(make(u"me"_s, QString(), QString(), 0, u"db"_s).displayName(), u"me@envhost:6001/db"_s);
    }
    {
        const EnvGuard env({{"PGUSER", "envuser"}, {"PGHOST", QByteArray()}, {"PGPORT", QByteArray()},
                            {"PGDATABASE", QByteArray()}, {"PGSERVICE", QByteArray()}});
        QCOMPARE(ConnectionSettings().displayName(), u"envuser@[local]:5432/envuser"_s);
    }
}

void TestConnectionSettings::redactSecrets_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("URL in a sentence")
        << u"cannot reach postgresql://myuser:mypassword@postgres:5432/mydatabase, retrying"_s
        << u"cannot reach postgresql://myuser:***@postgres:5432/mydatabase, retrying"_s;
    QTest::newRow("alembic.ini line")
        << u"sqlalchemy.url = postgresql+psycopg2://myuser:mypassword@postgres:5432/mydatabase"_s
        << u"sqlalchemy.url = postgresql+psycopg2://myuser:***@postgres:5432/mydatabase"_s;
    QTest::newRow("two URLs") << u"from postgres://a:one@h1/d to postgresql://b:two@h2/d"_s
                              << u"from postgres://a:***@h1/d to postgresql://b:***@h2/d"_s;
    QTest::newRow("raw @ in password") << u"url postgresql://u:p@ss@h/db end"_s << u"url postgresql://u:***@h/db end"_s;
    QTest::newRow("quoted URL") << u"\"postgresql://u:pw@h/db\""_s << u"\"postgresql://u:***@h/db\""_s;
    QTest::newRow("URL without password") << u"postgresql://myuser@postgres/db"_s
                                          << u"postgresql://myuser@postgres/db"_s;
    QTest::newRow("URL with port, no user") << u"postgresql://postgres:5432/db"_s << u"postgresql://postgres:5432/db"_s;
    QTest::newRow("query password") << u"postgresql://u@h/db?sslmode=require&password=secret&x=1"_s
                                    << u"postgresql://u@h/db?sslmode=require&password=***&x=1"_s;
    QTest::newRow("conninfo") << u"host=h password=secret user=u"_s << u"host=h password=*** user=u"_s;
    QTest::newRow("conninfo quoted") << u"password='se cret\\' x' dbname=d"_s << u"password=*** dbname=d"_s;
    QTest::newRow("conninfo spaces") << u"password = secret dbname=d"_s << u"password = *** dbname=d"_s;
    QTest::newRow("PGPASSWORD") << u"PGPASSWORD=secret psql -h h"_s << u"PGPASSWORD=*** psql -h h"_s;
    QTest::newRow("seed export") << u"export POSTGRES_PASSWORD=mypassword"_s << u"export POSTGRES_PASSWORD=***"_s;
    QTest::newRow("double-quoted") << u"POSTGRES_PASSWORD=\"my pass\" next"_s << u"POSTGRES_PASSWORD=*** next"_s;
    QTest::newRow("upper-case key") << u"PASSWORD=abc"_s << u"PASSWORD=***"_s;
    QTest::newRow("libpq message untouched")
        << u"FATAL:  password authentication failed for user \"myuser\""_s
        << u"FATAL:  password authentication failed for user \"myuser\""_s;
    QTest::newRow("nothing") << u"plain text"_s << u"plain text"_s;
}

void TestConnectionSettings::redactSecrets()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(MigrationDesk::redactSecrets(text), expected);
}

void TestConnectionSettings::quoting()
{
    QCOMPARE(quoteIdentifier(u"we\"ird"_s), u"\"we\"\"ird\""_s);
    QCOMPARE(quoteIdentifier(u"it's; DROP TABLE x"_s), u"\"it's; DROP TABLE x\""_s);
    QCOMPARE(quoteIdentifier(u"\"already\""_s), u"\"\"\"already\"\"\""_s);
    QCOMPARE(quoteIdentifier(QString()), u"\"\""_s);
    QCOMPARE(quoteQualified(u"my schema"_s, u"t\""_s), u"\"my schema\".\"t\"\"\""_s);
    QCOMPARE(quoteQualified(QString(), u"alembic_version"_s), u"\"alembic_version\""_s);
    QCOMPARE(quoteLiteral(u"it's; DROP TABLE x"_s), u"'it''s; DROP TABLE x'"_s);
    QCOMPARE(quoteLiteral(u"a\\b"_s), u"'a\\b'"_s);
    QCOMPARE(quoteLiteral(QString()), u"''"_s);
}

void TestConnectionSettings::versionTableNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("default") << u"alembic_version"_s << true;
    QTest::newRow("qualified") << u"public.alembic_version"_s << true;
    QTest::newRow("underscore start") << u"_v1"_s << true;
    QTest::newRow("mixed case") << u"My_Versions"_s << true;
    QTest::newRow("63 chars") << QString(63, QLatin1Char('a')) << true;
    QTest::newRow("63 + 63") << QString(63, QLatin1Char('s')) + u"."_s + QString(63, QLatin1Char('t')) << true;
    QTest::newRow("64 chars") << QString(64, QLatin1Char('a')) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("digit start") << u"1abc"_s << false;
    QTest::newRow("three parts") << u"a.b.c"_s << false;
    QTest::newRow("empty table") << u"schema."_s << false;
    QTest::newRow("empty schema") << u".t"_s << false;
    QTest::newRow("dash") << u"a-b"_s << false;
    QTest::newRow("space") << u"a b"_s << false;
    QTest::newRow("quote") << u"we\"ird"_s << false;
    QTest::newRow("injection") << u"v; DROP TABLE x"_s << false;
    QTest::newRow("non-ASCII") << u"버전"_s << false;
}

void TestConnectionSettings::versionTableNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(isValidVersionTableName(name), valid);
}

void TestConnectionSettings::describeConnectionError_data()
{
    QTest::addColumn<QString>("libpq");
    QTest::addColumn<QString>("expectedStart");
    QTest::addColumn<QString>("alsoContains");

    QTest::newRow("wrong password")
        << u"connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication failed for "
           "user \"myuser\""_s
        << u"Wrong password"_s << u"\"myuser\""_s;
    QTest::newRow("no password") << u"connection to server at \"h\", port 5432 failed: fe_sendauth: no password supplied"_s
                                 << u"The server at h:5432 requires a password"_s << u"~/.pgpass"_s;
    QTest::newRow("unknown host")
        << u"could not translate host name \"postgres\" to address: Name or service not known"_s << u"Unknown host"_s
        << u"localhost"_s;
    QTest::newRow("refused")
        << u"connection to server at \"h\" (127.0.0.1), port 5432 failed: Connection refused\n\tIs the server running on "
           "that host and accepting TCP/IP connections?"_s
        << u"Connection refused"_s << u"h:5432"_s;
    QTest::newRow("socket")
        << u"connection to server on socket \"/tmp/.s.PGSQL.5432\" failed: No such file or directory\n\tIs the server "
           "running locally and accepting connections on that socket?"_s
        << u"No PostgreSQL server is running on the local socket"_s << u"/tmp/.s.PGSQL.5432"_s;
    QTest::newRow("timeout") << u"connection to server at \"10.255.255.1\", port 5432 failed: timeout expired"_s
                             << u"Timeout"_s << u"10 seconds"_s;
    QTest::newRow("no SSL") << u"connection to server at \"h\", port 5432 failed: server does not support SSL, but SSL "
                               "was required"_s
                            << u"The server at h:5432 does not support SSL, but sslmode=require"_s << u"sslmode=prefer"_s;
    QTest::newRow("root cert missing")
        << u"connection to server at \"h\", port 5432 failed: root certificate file \"/nonexistent/ca.pem\" does not "
           "exist\nEither provide the file or change sslmode to disable server certificate verification."_s
        << u"sslmode=verify-full must verify"_s << u"\"/nonexistent/ca.pem\""_s;
    QTest::newRow("verify failed")
        << u"connection to server at \"h\", port 5432 failed: SSL error: certificate verify failed"_s
        << u"The SSL certificate of the server at h:5432 could not be verified"_s << u"sslrootcert"_s;
    QTest::newRow("no database")
        << u"connection to server at \"h\", port 5432 failed: FATAL:  database \"nope\" does not exist"_s
        << u"The database \"nope\" does not exist on h:5432"_s << u"createdb"_s;
    QTest::newRow("no role")
        << u"connection to server at \"h\", port 5432 failed: FATAL:  role \"ghost\" does not exist"_s
        << u"The user (role) \"ghost\" does not exist"_s << u"create the"_s;
    QTest::newRow("unknown") << u"something odd"_s << u"Could not connect to h:5432."_s << u"something odd"_s;
}

void TestConnectionSettings::noPasswordNamesThePasswordFieldFirst()
{
    const QString message = MigrationDesk::describeConnectionError(
            u"connection to server at \"h\", port 5432 failed: fe_sendauth: no password supplied"_s,
            make(u"myuser"_s, QString(), u"h"_s, 5432, u"db"_s));
    const qsizetype field = message.indexOf(u"Password field"_s);
    QVERIFY2(field > 0, qPrintable(message));
    // Before every other place a password can come from.
    for (const QString &other : {u"URL"_s, u"PGPASSWORD"_s, u"~/.pgpass"_s}) {
        QVERIFY2(message.contains(other), qPrintable(message));
        QVERIFY2(field < message.indexOf(other), qPrintable(message));
    }
}

void TestConnectionSettings::describeConnectionError()
{
    QFETCH(QString, libpq);
    QFETCH(QString, expectedStart);
    QFETCH(QString, alsoContains);
    ConnectionSettings s = make(u"myuser"_s, u"hunter2"_s, u"h"_s, 5432, u"db"_s);
    if (QByteArray(QTest::currentDataTag()).startsWith("root cert"))
        s.sslmode = u"verify-full"_s;
    // Even if a password leaked into libpq's text, it must not come out.
    const QString message = MigrationDesk::describeConnectionError(libpq + u" (hunter2)"_s, s);
    QVERIFY2(message.startsWith(expectedStart), qPrintable(message));
    QVERIFY2(message.contains(alsoContains), qPrintable(message));
    QVERIFY2(message.contains(libpq.section(QLatin1Char('\n'), 0, 0)), qPrintable(message));
    QVERIFY2(!message.contains(u"hunter2"_s), qPrintable(message));
}

void TestConnectionSettings::sqlErrorText()
{
    SqlError e;
    e.message = u"relation \"nope\" does not exist"_s;
    e.sqlState = u"42P01"_s;
    e.hint = u"Check the name."_s;
    e.position = 15;
    QCOMPARE(e.toString(), u"relation \"nope\" does not exist [42P01]\nHINT: Check the name."_s);
    // Position 15 of "SELECT 1;\nSELECT * FROM nope": the server counts characters from 1.
    const QString sql = u"SELECT 1;\nSELECT * FROM nope"_s;
    QCOMPARE(e.lineAndColumn(sql), std::make_pair(2, 5));
    e.position = 0;
    QCOMPARE(e.lineAndColumn(sql), std::make_pair(0, 0));
    // A character outside the BMP is one position for the server but two QChars.
    e.position = 4;
    QCOMPARE(e.lineAndColumn(u"'😀' x"_s), std::make_pair(1, 4));
}

QTEST_GUILESS_MAIN(TestConnectionSettings)
#include "tst_connectionsettings.moc"
