#include "pgfixture.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using MigrationDesk::PgFixture;

namespace {

// Plain POSIX connect, independent of libpq: "is anything listening on this port?".
bool portAcceptsConnections(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(quint16(port));
    const bool connected = ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0;
    ::close(fd);
    return connected;
}

} // namespace

// Checks the throwaway cluster every database test relies on.
class TestFixture : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void serverIsPostgres15WithScram();
    void rightPasswordConnects();
    void wrongPasswordIsRefused();
    void createDatabaseTwiceStartsEmpty();
    void createDatabaseWhileConnected();
    void psqlHelperReturnsTrimmedOutputAndErrors();
    void psqlScriptAndFile();
    void createRoleCanLogIn();
    void environmentDrivesChildProcesses();
    void urlCarriesAllParts();
    void schemaDumpIsStable();
    void sharedInstanceIsRunning();
    void stopReallyStops();
    void unstartedFixtureReportsState();

private:
    PgFixture m_pg;
};

void TestFixture::initTestCase()
{
    QString error;
    QVERIFY2(m_pg.start(&error), qPrintable(error));
    QVERIFY(m_pg.isRunning());
    QVERIFY(m_pg.port() > 0);
    QVERIFY(portAcceptsConnections(m_pg.port()));
    QVERIFY(QFileInfo(m_pg.binDir() + u"/initdb"_s).isExecutable());
    QVERIFY2(m_pg.socketDir().size() < 90, qPrintable(m_pg.socketDir()));
}

void TestFixture::serverIsPostgres15WithScram()
{
    bool ok = false;
    QString err;
    const int version = m_pg.psql(u"postgres"_s, u"SHOW server_version_num"_s, &ok, &err).toInt();
    QVERIFY2(ok, qPrintable(err));
    QVERIFY2(version >= 150000 && version < 160000, qPrintable(QString::number(version)));
    QCOMPARE(m_pg.psql(u"postgres"_s, u"SHOW server_encoding"_s), u"UTF8"_s);
    QCOMPARE(m_pg.psql(u"postgres"_s, u"SHOW fsync"_s), u"off"_s);
    QCOMPARE(m_pg.psql(u"postgres"_s, u"SHOW listen_addresses"_s), u"127.0.0.1"_s);
    QCOMPARE(m_pg.psql(u"postgres"_s,
                       u"SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules "
                       "WHERE type = 'host'"_s),
             u"scram-sha-256"_s);
    QVERIFY(m_pg.psql(u"postgres"_s,
                      u"SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'"_s)
                    .startsWith(u"SCRAM-SHA-256$"_s));
}

void TestFixture::rightPasswordConnects()
{
    {
        QSqlDatabase db = m_pg.openDatabase(u"postgres"_s, u"right"_s);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY2(q.exec(u"SELECT current_user, inet_server_port()"_s), qPrintable(q.lastError().text()));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), m_pg.superuser());
        // inet_server_port() is NULL over a Unix socket: this really is TCP.
        QCOMPARE(q.value(1).toInt(), m_pg.port());
    }
    QSqlDatabase::removeDatabase(u"right"_s);
}

void TestFixture::wrongPasswordIsRefused()
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, u"wrong"_s);
        db.setHostName(m_pg.host());
        db.setPort(m_pg.port());
        db.setUserName(m_pg.superuser());
        db.setPassword(m_pg.password() + u"x"_s);
        db.setDatabaseName(u"postgres"_s);
        QVERIFY(!db.open());
        QVERIFY2(db.lastError().text().contains(u"password authentication failed"_s),
                 qPrintable(db.lastError().text()));
    }
    QSqlDatabase::removeDatabase(u"wrong"_s);

    // No password at all must not be accepted over TCP either.
    QProcess psql;
    QProcessEnvironment env = m_pg.environment(u"postgres"_s);
    env.remove(u"PGPASSWORD"_s);
    env.insert(u"PGPASSFILE"_s, u"/dev/null"_s);
    psql.setProcessEnvironment(env);
    psql.start(m_pg.binDir() + u"/psql"_s, { u"-X"_s, u"-w"_s, u"-c"_s, u"SELECT 1"_s });
    QVERIFY(psql.waitForFinished(30000));
    QVERIFY(psql.exitCode() != 0);
    QVERIFY2(psql.readAllStandardError().contains("password"), "psql without password should fail on auth");
}

void TestFixture::createDatabaseTwiceStartsEmpty()
{
    QString error;
    QVERIFY2(m_pg.createDatabase(u"twice"_s, &error), qPrintable(error));
    bool ok = false;
    m_pg.psql(u"twice"_s, u"CREATE TABLE leftover (id int)"_s, &ok, &error);
    QVERIFY2(ok, qPrintable(error));
    QCOMPARE(m_pg.psql(u"twice"_s, u"SELECT count(*) FROM pg_tables WHERE tablename = 'leftover'"_s), u"1"_s);

    QVERIFY2(m_pg.createDatabase(u"twice"_s, &error), qPrintable(error));
    QCOMPARE(m_pg.psql(u"twice"_s, u"SELECT count(*) FROM pg_tables WHERE tablename = 'leftover'"_s), u"0"_s);

    // Names that need quoting work too.
    QVERIFY2(m_pg.createDatabase(u"we\"ird db"_s, &error), qPrintable(error));
    QCOMPARE(m_pg.psql(u"postgres"_s, u"SELECT count(*) FROM pg_database WHERE datname = 'we\"ird db'"_s),
             u"1"_s);
    QVERIFY2(m_pg.dropDatabase(u"we\"ird db"_s, &error), qPrintable(error));
    QCOMPARE(m_pg.psql(u"postgres"_s, u"SELECT count(*) FROM pg_database WHERE datname = 'we\"ird db'"_s),
             u"0"_s);
}

void TestFixture::createDatabaseWhileConnected()
{
    QString error;
    QVERIFY2(m_pg.createDatabase(u"busy"_s, &error), qPrintable(error));
    {
        QSqlDatabase db = m_pg.openDatabase(u"busy"_s, u"busy"_s);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
        // A test that forgot to close its connection must not break the next createDatabase.
        QVERIFY2(m_pg.createDatabase(u"busy"_s, &error), qPrintable(error));
        db.close();
    }
    QSqlDatabase::removeDatabase(u"busy"_s);
}

void TestFixture::psqlHelperReturnsTrimmedOutputAndErrors()
{
    bool ok = false;
    QString err;
    QCOMPARE(m_pg.psql(u"postgres"_s, u"SELECT 'a' UNION ALL SELECT 'b'"_s, &ok, &err), u"a\nb"_s);
    QVERIFY(ok);
    QVERIFY(err.isEmpty());
    QCOMPARE(m_pg.psql(u"postgres"_s, u"SELECT 1, 'x'"_s), u"1|x"_s);

    const QString out = m_pg.psql(u"postgres"_s, u"SELECT * FROM no_such_table"_s, &ok, &err);
    QVERIFY(!ok);
    QVERIFY(out.isEmpty());
    QVERIFY2(err.contains(u"no_such_table"_s), qPrintable(err));

    m_pg.psql(u"no_such_database"_s, u"SELECT 1"_s, &ok, &err);
    QVERIFY(!ok);
    QVERIFY2(err.contains(u"no_such_database"_s), qPrintable(err));
}

void TestFixture::psqlScriptAndFile()
{
    QString error;
    QVERIFY2(m_pg.createDatabase(u"scripts"_s, &error), qPrintable(error));
    QString output;

    // Single transaction: a failure in the middle leaves nothing behind.
    QVERIFY(!m_pg.psqlScript(u"scripts"_s, u"CREATE TABLE a (id int);\nSELECT 1/0;\n"_s, &output, true));
    QVERIFY2(output.contains(u"division by zero"_s), qPrintable(output));
    QCOMPARE(m_pg.psql(u"scripts"_s, u"SELECT count(*) FROM pg_tables WHERE tablename = 'a'"_s), u"0"_s);

    // Without it, statements autocommit, which CREATE INDEX CONCURRENTLY needs.
    QVERIFY2(m_pg.psqlScript(u"scripts"_s,
                             u"CREATE TABLE a (id int);\nCREATE INDEX CONCURRENTLY ix_a ON a (id);\n"_s,
                             &output),
             qPrintable(output));
    QCOMPARE(m_pg.psql(u"scripts"_s, u"SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_a'"_s), u"1"_s);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(u"script.sql"_s);
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("CREATE TABLE b (id int);\nINSERT INTO b VALUES (1), (2);\n");
    f.close();
    QVERIFY2(m_pg.psqlFile(u"scripts"_s, file, &output, true), qPrintable(output));
    QCOMPARE(m_pg.psql(u"scripts"_s, u"SELECT sum(id) FROM b"_s), u"3"_s);
    // Running it again fails (the table exists) and says so.
    QVERIFY(!m_pg.psqlFile(u"scripts"_s, file, &output, true));
    QVERIFY2(output.contains(u"already exists"_s), qPrintable(output));
}

void TestFixture::createRoleCanLogIn()
{
    QString error;
    const QString password = u"it's a \"secret\""_s;
    QVERIFY2(m_pg.createRole(u"app_user"_s, password, false, &error), qPrintable(error));
    // Creating it again replaces the password instead of failing.
    QVERIFY2(m_pg.createRole(u"app_user"_s, password, false, &error), qPrintable(error));
    QCOMPARE(m_pg.psql(u"postgres"_s,
                       u"SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = 'app_user'"_s),
             u"t|f"_s);
    QVERIFY2(m_pg.createRole(u"app_admin"_s, u"pw2"_s, true, &error), qPrintable(error));
    QCOMPARE(m_pg.psql(u"postgres"_s, u"SELECT rolsuper FROM pg_roles WHERE rolname = 'app_admin'"_s),
             u"t"_s);

    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, u"role"_s);
        db.setHostName(m_pg.host());
        db.setPort(m_pg.port());
        db.setUserName(u"app_user"_s);
        db.setPassword(password);
        db.setDatabaseName(u"postgres"_s);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY(q.exec(u"SELECT current_user"_s));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), u"app_user"_s);
    }
    QSqlDatabase::removeDatabase(u"role"_s);
}

void TestFixture::environmentDrivesChildProcesses()
{
    QString error;
    QVERIFY2(m_pg.createDatabase(u"envdb"_s, &error), qPrintable(error));
    const QProcessEnvironment env = m_pg.environment(u"envdb"_s);
    QCOMPARE(env.value(u"PGHOST"_s), m_pg.host());
    QCOMPARE(env.value(u"PGPORT"_s), QString::number(m_pg.port()));
    QCOMPARE(env.value(u"PGUSER"_s), m_pg.superuser());
    QCOMPARE(env.value(u"PGPASSWORD"_s), m_pg.password());
    QCOMPARE(env.value(u"PGDATABASE"_s), u"envdb"_s);

    QProcess psql;
    psql.setProcessEnvironment(env);
    psql.start(m_pg.binDir() + u"/psql"_s,
               { u"-X"_s, u"-w"_s, u"-At"_s, u"-c"_s,
                 u"SELECT current_database() || ':' || inet_server_port()"_s });
    QVERIFY(psql.waitForFinished(30000));
    QVERIFY2(psql.exitCode() == 0, psql.readAllStandardError().constData());
    QCOMPARE(QString::fromUtf8(psql.readAllStandardOutput()).trimmed(),
             u"envdb:%1"_s.arg(m_pg.port()));
}

void TestFixture::urlCarriesAllParts()
{
    const QUrl url(m_pg.url(u"somedb"_s));
    QVERIFY(url.isValid());
    QCOMPARE(url.scheme(), u"postgresql"_s);
    QCOMPARE(url.host(), u"127.0.0.1"_s);
    QCOMPARE(url.port(), m_pg.port());
    QCOMPARE(url.userName(), u"postgres"_s);
    QCOMPARE(url.password(), m_pg.password());
    QCOMPARE(url.path(), u"/somedb"_s);
    QCOMPARE(QUrl(m_pg.url()).path(), u"/postgres"_s);
    QVERIFY(m_pg.password().size() >= 16);
}

void TestFixture::schemaDumpIsStable()
{
    QString error;
    QVERIFY2(m_pg.createDatabase(u"dumpdb"_s, &error), qPrintable(error));
    QString output;
    QVERIFY2(m_pg.psqlScript(u"dumpdb"_s,
                             u"CREATE TABLE t (id serial PRIMARY KEY, name varchar NOT NULL);\n"
                             "CREATE SCHEMA other;\nCREATE TABLE other.hidden (x int);\n"_s,
                             &output),
             qPrintable(output));
    const QString first = m_pg.schemaDump(u"dumpdb"_s);
    const QString second = m_pg.schemaDump(u"dumpdb"_s);
    QVERIFY(first.contains(u"CREATE TABLE public.t"_s));
    QVERIFY(first.contains(u"CREATE TABLE other.hidden"_s));
    QVERIFY(!first.contains(u"Dumped from"_s));
    QVERIFY(!first.contains(u"\\restrict"_s));
    QVERIFY(!first.contains(u"OWNER TO"_s));
    QCOMPARE(first, second);

    const QString filtered = m_pg.schemaDump(u"dumpdb"_s, { u"other"_s });
    QVERIFY(filtered.contains(u"CREATE TABLE public.t"_s));
    QVERIFY(!filtered.contains(u"hidden"_s));

    // A schema change shows up.
    m_pg.psql(u"dumpdb"_s, u"ALTER TABLE t ADD COLUMN extra int"_s);
    QVERIFY(m_pg.schemaDump(u"dumpdb"_s) != first);
    QVERIFY(m_pg.schemaDump(u"no_such_database"_s).isEmpty());
}

void TestFixture::sharedInstanceIsRunning()
{
    PgFixture &shared = PgFixture::shared();
    QVERIFY2(shared.isRunning(), qPrintable(shared.errorString()));
    QCOMPARE(&PgFixture::shared(), &shared);
    QVERIFY(shared.port() != m_pg.port());
    QCOMPARE(shared.psql(u"postgres"_s, u"SELECT 1"_s), u"1"_s);
}

void TestFixture::stopReallyStops()
{
    PgFixture pg;
    QString error;
    QVERIFY2(pg.start(&error), qPrintable(error));
    const int port = pg.port();
    const QString dir = pg.socketDir();
    QVERIFY(portAcceptsConnections(port));
    QVERIFY(QFileInfo::exists(dir));

    pg.stop();
    QVERIFY(!pg.isRunning());
    QVERIFY(!portAcceptsConnections(port));
    QVERIFY2(!QFileInfo::exists(dir), qPrintable(dir));
    bool ok = true;
    pg.psql(u"postgres"_s, u"SELECT 1"_s, &ok);
    QVERIFY(!ok);
    pg.stop(); // harmless twice

    // The object can start a fresh cluster again.
    QVERIFY2(pg.start(&error), qPrintable(error));
    QCOMPARE(pg.psql(u"postgres"_s, u"SELECT 2"_s), u"2"_s);
}

void TestFixture::unstartedFixtureReportsState()
{
    // Helpers on a never-started fixture fail with a reason instead of hanging or crashing.
    PgFixture pg;
    QVERIFY(!pg.isRunning());
    QCOMPARE(pg.port(), 0);
    QVERIFY(pg.schemaDump(u"postgres"_s).isEmpty());
    bool ok = true;
    QString err;
    pg.psql(u"postgres"_s, u"SELECT 1"_s, &ok, &err);
    QVERIFY(!ok);
    QVERIFY2(err.contains(u"not running"_s), qPrintable(err));
}

QTEST_GUILESS_MAIN(TestFixture)
#include "tst_fixture.moc"
