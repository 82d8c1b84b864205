#include "db/connectionsettings.h"
#include "db/pgconnection.h"
#include "db/querycanceller.h"
#include "db/sqlident.h"
#include "db/statementcanceller.h"
#include "envguard.h"
#include "pgfixture.h"

#include <QSqlQuery>
#include <QTest>
#include <QSemaphore>
#include <QThread>
#include <QThreadPool>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

namespace {

const QString testDb = u"md_conn_test"_s;

// A TCP port on 127.0.0.1 that is bound but not listening, so connecting is refused without races.
class RefusingPort
{
public:
    RefusingPort()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (m_fd >= 0 && ::bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
            && ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
            m_port = ntohs(address.sin_port);
    }
    ~RefusingPort()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    int port() const { return m_port; }

private:
    int m_fd = -1;
    int m_port = 0;
};


} // namespace

class TestPgConnection : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void openAndIdentify();
    void applicationNameVisible();
    void hostilePasswordRole();
    void wrongPassword();
    void noPasswordSupplied();
    void refusedPort();
    void unknownHost();
    void unknownDatabase();
    void sslNotSupported();
    void execSeveralStatements();
    void execErrorFields();
    void execStopsAtFirstError();
    void copyIsRefused();
    void queryBindsHostileValues();
    void queryErrors();
    void cancelFromAnotherThread();
    void scopedCancelStopsTheRunningScope();
    void scopedCancelSparesTheNextScope();
    void notices();
    void closeAndReopen();

private:
    ConnectionSettings settings(const QString &db = testDb) const;
    QString m_watcherError;
};

ConnectionSettings TestPgConnection::settings(const QString &db) const
{
    QString error;
    const auto s = ConnectionSettings::fromUrl(PgFixture::shared().url(db), &error);
    if (!s)
        qFatal("fixture URL does not parse: %s", qPrintable(error));
    return *s;
}

void TestPgConnection::initTestCase()
{
    PgFixture &pg = PgFixture::shared();
    QVERIFY2(pg.isRunning(), qPrintable(pg.errorString()));
    QString error;
    QVERIFY2(pg.createDatabase(testDb, &error), qPrintable(error));
}

void TestPgConnection::openAndIdentify()
{
    PgConnection conn;
    QVERIFY(!conn.isOpen());
    QVERIFY(!conn.pgconn());
    QString error;
    QVERIFY2(conn.open(settings(), &error), qPrintable(error));
    QVERIFY(conn.isOpen());
    QVERIFY(conn.pgconn());
    // Bare libpq unless asked for Qt SQL: no QSqlDatabase behind it.
    QVERIFY(!conn.database().isValid());

    const auto rows = conn.query(u"SELECT pg_backend_pid()::text, current_setting('server_version_num'), "
                                 "current_setting('server_version'), current_user, current_database(), "
                                 "current_setting('client_encoding'), current_setting('bytea_output')"_s);
    QVERIFY(rows);
    QCOMPARE(rows->size(), 1);
    const QStringList row = rows->first();
    QCOMPARE(conn.backendPid(), row.at(0).toInt());
    QCOMPARE(conn.serverVersionNumber(), row.at(1).toInt());
    QVERIFY(conn.serverVersionNumber() >= 150000);
    QCOMPARE(conn.serverVersionString(), row.at(2));
    QCOMPARE(conn.userName(), row.at(3));
    QCOMPARE(conn.userName(), PgFixture::shared().superuser());
    QCOMPARE(conn.databaseName(), testDb);
    QCOMPARE(row.at(4), testDb);
    QCOMPARE(row.at(5), u"UTF8"_s);
    QCOMPARE(row.at(6), u"hex"_s);
    // QPSQL used to ask for ISO dates; the bare connection keeps that.
    QVERIFY(conn.query(u"SHOW DateStyle"_s)->value(0).value(0).startsWith(u"ISO"_s));

    // Through QPSQL: the same identity, and the server's settings back.
    PgConnection viaQt;
    QVERIFY2(viaQt.open(settings(), &error, u"migrationdesk"_s, PgConnection::Access::QtSql), qPrintable(error));
    QVERIFY(viaQt.database().isOpen());
    const auto qtRows = viaQt.query(u"SELECT current_setting('client_encoding'), current_setting('bytea_output')"_s);
    QVERIFY(qtRows);
    QCOMPARE(qtRows->value(0).value(0), u"UTF8"_s);
    // QPSQL sets 'escape' for itself; migrations must see the server default.
    QCOMPARE(qtRows->value(0).value(1), u"hex"_s);

    // The Qt side of the same connection keeps working.
    QSqlQuery q(viaQt.database());
    QVERIFY(q.exec(u"SELECT pg_backend_pid()"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), viaQt.backendPid());
}

void TestPgConnection::applicationNameVisible()
{
    PgConnection named;
    PgConnection plain;
    PgConnection observer;
    QString error;
    QVERIFY2(named.open(settings(), &error, u"md-test-app"_s), qPrintable(error));
    QVERIFY2(plain.open(settings(), &error), qPrintable(error));
    QVERIFY2(observer.open(settings(), &error), qPrintable(error));

    const QString sql = u"SELECT application_name FROM pg_stat_activity WHERE pid = $1::int"_s;
    auto rows = observer.query(sql, {QString::number(named.backendPid())});
    QVERIFY(rows);
    QCOMPARE(*rows, QList<QStringList>{{u"md-test-app"_s}});
    rows = observer.query(sql, {QString::number(plain.backendPid())});
    QVERIFY(rows);
    QCOMPARE(*rows, QList<QStringList>{{u"migrationdesk"_s}});

    // An application_name given in the URL wins over the caller's default.
    ConnectionSettings fromUrl = settings();
    fromUrl.options.insert(u"application_name"_s, u"from url's query"_s);
    PgConnection configured;
    QVERIFY2(configured.open(fromUrl, &error, u"md-test-app"_s), qPrintable(error));
    rows = observer.query(sql, {QString::number(configured.backendPid())});
    QVERIFY(rows);
    QCOMPARE(*rows, QList<QStringList>{{u"from url's query"_s}});
}

void TestPgConnection::hostilePasswordRole()
{
    // Characters that break URLs, conninfo quoting and QPSQL's ';' handling.
    const QString password = u"p@ss:w/rd?#%; it's \"q\" \\x 비밀"_s;
    QString error;
    QVERIFY2(PgFixture::shared().createRole(u"md_conn_user"_s, password, false, &error), qPrintable(error));

    ConnectionSettings s = settings();
    s.user = u"md_conn_user"_s;
    s.password = password;
    const auto parsed = ConnectionSettings::fromUrl(s.toUrl(true), &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->password, password);

    PgConnection conn;
    QVERIFY2(conn.open(*parsed, &error), qPrintable(error));
    QCOMPARE(conn.userName(), u"md_conn_user"_s);
}

void TestPgConnection::wrongPassword()
{
    ConnectionSettings s = settings();
    s.password = u"Wr0ng-Pa55word"_s;
    PgConnection conn;
    QString error;
    QVERIFY(!conn.open(s, &error));
    QVERIFY(!conn.isOpen());
    QVERIFY2(error.startsWith(u"Wrong password"_s), qPrintable(error));
    QVERIFY2(error.contains(u"password authentication failed"_s), qPrintable(error));
    QVERIFY2(error.contains(PgFixture::shared().superuser()), qPrintable(error));
    QVERIFY2(!error.contains(s.password), qPrintable(error));
    QVERIFY2(!error.contains(PgFixture::shared().password()), qPrintable(error));
}

void TestPgConnection::noPasswordSupplied()
{
    // No password anywhere libpq looks: not in the settings, PGPASSWORD or a password file.
    const EnvGuard env({{"PGPASSWORD", QByteArray()}, {"PGSERVICE", QByteArray()},
                        {"PGPASSFILE", "/nonexistent/md-pgpass"}});
    ConnectionSettings s = settings();
    s.password.clear();
    PgConnection conn;
    QString error;
    QVERIFY(!conn.open(s, &error));
    QVERIFY2(error.contains(u"requires a password, but none was given"_s), qPrintable(error));
}

void TestPgConnection::refusedPort()
{
    RefusingPort refusing;
    QVERIFY(refusing.port() > 0);
    ConnectionSettings s = settings();
    s.port = refusing.port();
    PgConnection conn;
    QString error;
    QVERIFY(!conn.open(s, &error));
    QVERIFY2(error.startsWith(u"Connection refused"_s), qPrintable(error));
    QVERIFY2(error.contains(QString::number(refusing.port())), qPrintable(error));
    QVERIFY2(!error.contains(s.password), qPrintable(error));
}

void TestPgConnection::unknownHost()
{
    ConnectionSettings s = settings();
    s.host = u"nonexistent-host.invalid"_s;
    PgConnection conn;
    QString error;
    QVERIFY(!conn.open(s, &error));
    QVERIFY2(error.startsWith(u"Unknown host: the name \"nonexistent-host.invalid\""_s), qPrintable(error));
    QVERIFY2(!error.contains(s.password), qPrintable(error));
}

void TestPgConnection::unknownDatabase()
{
    PgConnection conn;
    QString error;
    QVERIFY(!conn.open(settings(u"md_no_such_db"_s), &error));
    QVERIFY2(error.startsWith(u"The database \"md_no_such_db\" does not exist"_s), qPrintable(error));
}

void TestPgConnection::sslNotSupported()
{
    // The fixture runs without SSL, so demanding it must fail with an explanation.
    ConnectionSettings s = settings();
    s.sslmode = u"require"_s;
    PgConnection conn;
    QString error;
    QVERIFY(!conn.open(s, &error));
    QVERIFY2(error.contains(u"does not support SSL, but sslmode=require"_s), qPrintable(error));

    // And a settings value QPSQL would mangle is refused before connecting.
    s.sslmode.clear();
    s.options.insert(u"application_name"_s, u"a;b"_s);
    QVERIFY(!conn.open(s, &error));
    QVERIFY2(error.contains(u"';'"_s), qPrintable(error));
}

void TestPgConnection::execSeveralStatements()
{
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(settings(), &error), qPrintable(error));
    SqlError sqlError;
    QVERIFY2(conn.exec(u"DROP TABLE IF EXISTS multi; CREATE TABLE multi (id int PRIMARY KEY, name text);\n"
                       "INSERT INTO multi VALUES (1, 'a'); INSERT INTO multi VALUES (2, 'b');"_s,
                       &sqlError),
             qPrintable(sqlError.toString()));
    QVERIFY(conn.exec(QString()));
    QVERIFY(conn.exec(u"-- only a comment"_s));
    const auto rows = conn.query(u"SELECT id::text, name FROM multi ORDER BY id"_s);
    QVERIFY(rows);
    QCOMPARE(*rows, (QList<QStringList>{{u"1"_s, u"a"_s}, {u"2"_s, u"b"_s}}));
    QVERIFY(!conn.inTransaction());
}

void TestPgConnection::execErrorFields()
{
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(settings(), &error), qPrintable(error));

    SqlError e;
    const QString sql = u"SELECT 1;\nSELECT * FROM md_no_such_table"_s;
    QVERIFY(!conn.exec(sql, &e));
    QCOMPARE(e.sqlState, u"42P01"_s);
    QCOMPARE(e.message, u"relation \"md_no_such_table\" does not exist"_s);
    QCOMPARE(e.position, 25);
    QCOMPARE(e.lineAndColumn(sql), std::make_pair(2, 15));
    QCOMPARE(e.toString(), u"relation \"md_no_such_table\" does not exist [42P01]"_s);

    QVERIFY(conn.exec(u"DROP TABLE IF EXISTS uniq; CREATE TABLE uniq (id int PRIMARY KEY); INSERT INTO uniq VALUES (1)"_s));
    QVERIFY(!conn.exec(u"INSERT INTO uniq VALUES (1)"_s, &e));
    QCOMPARE(e.sqlState, u"23505"_s);
    QCOMPARE(e.detail, u"Key (id)=(1) already exists."_s);
    QVERIFY(e.toString().contains(u"\nDETAIL: Key (id)=(1) already exists."_s));

    QVERIFY(!conn.exec(u"SELECT md_no_such_function(1)"_s, &e));
    QCOMPARE(e.sqlState, u"42883"_s);
    QVERIFY(!e.hint.isEmpty());
    QCOMPARE(e.position, 8);

    QVERIFY(!conn.exec(u"DO $$ BEGIN PERFORM 1/0; END $$"_s, &e));
    QCOMPARE(e.sqlState, u"22012"_s);
    QVERIFY2(e.context.contains(u"PL/pgSQL"_s), qPrintable(e.context));

    QVERIFY(!conn.exec(u"SELEC 1"_s, &e));
    QCOMPARE(e.sqlState, u"42601"_s);
    QCOMPARE(e.position, 1);
}

void TestPgConnection::execStopsAtFirstError()
{
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(settings(), &error), qPrintable(error));
    QVERIFY(conn.exec(u"DROP TABLE IF EXISTS steps; CREATE TABLE steps (n int)"_s));

    // Without BEGIN the statements form one implicit transaction: nothing survives the failure.
    SqlError e;
    QVERIFY(!conn.exec(u"INSERT INTO steps VALUES (1); SELECT 1/0; INSERT INTO steps VALUES (2)"_s, &e));
    QCOMPARE(e.sqlState, u"22012"_s);
    QCOMPARE(*conn.query(u"SELECT count(*)::text FROM steps"_s), QList<QStringList>{{u"0"_s}});

    QVERIFY(!conn.exec(u"BEGIN; INSERT INTO steps VALUES (1); SELECT 1/0"_s, &e));
    QVERIFY(conn.inTransaction());
    QVERIFY(conn.inFailedTransaction());
    QVERIFY(!conn.exec(u"SELECT 1"_s, &e));
    QCOMPARE(e.sqlState, u"25P02"_s);
    QVERIFY(conn.exec(u"ROLLBACK"_s));
    QVERIFY(!conn.inTransaction());
    QVERIFY(!conn.inFailedTransaction());
}

void TestPgConnection::copyIsRefused()
{
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(settings(), &error), qPrintable(error));
    QVERIFY(conn.exec(u"DROP TABLE IF EXISTS copied; CREATE TABLE copied (n int); INSERT INTO copied VALUES (7)"_s));

    SqlError e;
    QVERIFY(!conn.exec(u"COPY copied FROM STDIN"_s, &e));
    QVERIFY2(e.message.contains(u"COPY"_s), qPrintable(e.message));
    QVERIFY(!conn.exec(u"COPY copied TO STDOUT; SELECT 1"_s, &e));
    QVERIFY2(e.message.contains(u"COPY"_s), qPrintable(e.message));

    // The connection is back in a usable state and nothing was copied in.
    QVERIFY(!conn.inTransaction());
    const auto rows = conn.query(u"SELECT count(*)::text FROM copied"_s);
    QVERIFY(rows);
    QCOMPARE(*rows, QList<QStringList>{{u"1"_s}});
}

void TestPgConnection::queryBindsHostileValues()
{
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(settings(), &error), qPrintable(error));
    QVERIFY(conn.exec(u"DROP TABLE IF EXISTS victims; CREATE TABLE victims (name text)"_s));

    const QStringList hostile{u"'; DROP TABLE victims; --"_s,
                              u"Robert'); DROP TABLE victims;--"_s,
                              u"we\"ird"_s,
                              u"$1 $2 \\x00 \\'"_s,
                              u"비밀 😀"_s,
                              u""_s,
                              QString()};
    for (const QString &value : hostile) {
        SqlError e;
        QVERIFY2(conn.query(u"INSERT INTO victims (name) VALUES ($1)"_s, {value}, &e), qPrintable(e.toString()));
    }
    SqlError e;
    const auto counts = conn.query(u"SELECT count(*)::text, count(*) FILTER (WHERE name IS NULL)::text, "
                                   "count(*) FILTER (WHERE name = '')::text FROM victims"_s, {}, &e);
    QVERIFY2(counts, qPrintable(e.toString()));
    QCOMPARE(*counts, (QList<QStringList>{{QString::number(hostile.size()), u"1"_s, u"1"_s}}));
    for (qsizetype i = 0; i < hostile.size(); ++i) {
        const auto one = conn.query(u"SELECT $1::text, $1::text IS NULL, length($1::text)::text"_s, {hostile.at(i)}, &e);
        QVERIFY2(one, qPrintable(e.toString()));
        QCOMPARE(one->first().at(0), hostile.at(i));
        QCOMPARE(one->first().at(0).isNull(), hostile.at(i).isNull());
        QCOMPARE(one->first().at(1), hostile.at(i).isNull() ? u"t"_s : u"f"_s);
    }
    const auto count = conn.query(u"SELECT count(*)::text FROM victims WHERE name = ANY ($1::text[])"_s,
                                  {u"{\"we\\\"ird\",\"비밀 😀\"}"_s}, &e);
    QVERIFY2(count, qPrintable(e.toString()));
    QCOMPARE(*count, QList<QStringList>{{u"2"_s}});

    // A catalog look-up with a bound name that needs quoting in SQL.
    QVERIFY(conn.exec(u"CREATE TABLE IF NOT EXISTS %1 (id int)"_s.arg(quoteIdentifier(u"it's; DROP TABLE x"_s))));
    const auto found = conn.query(u"SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                  "WHERE n.nspname = $1 AND c.relname = $2"_s,
                                  {u"public"_s, u"it's; DROP TABLE x"_s}, &e);
    QVERIFY2(found, qPrintable(e.toString()));
    QCOMPARE(*found, QList<QStringList>{{u"it's; DROP TABLE x"_s}});
    QVERIFY(conn.query(u"SELECT 1 FROM victims LIMIT 1"_s));
}

void TestPgConnection::queryErrors()
{
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(settings(), &error), qPrintable(error));
    SqlError e;
    QVERIFY(!conn.query(u"SELECT $1::int"_s, {u"abc"_s}, &e));
    QCOMPARE(e.sqlState, u"22P02"_s);
    QVERIFY(!conn.query(u"SELECT $1::text"_s, {u"a\0b"_s}, &e));
    QVERIFY2(e.message.contains(u"NUL"_s), qPrintable(e.message));
    QVERIFY(e.sqlState.isEmpty());
    QVERIFY(!conn.query(u"SELECT 1; SELECT 2"_s, {}, &e));
    QCOMPARE(e.sqlState, u"42601"_s);
    const auto none = conn.query(u"SELECT 1 WHERE false"_s, {}, &e);
    QVERIFY(none);
    QVERIFY(none->isEmpty());
}

void TestPgConnection::cancelFromAnotherThread()
{
    const ConnectionSettings s = settings();
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(s, &error), qPrintable(error));
    std::unique_ptr<QueryCanceller> canceller = conn.canceller();
    QVERIFY(canceller);
    const int pid = conn.backendPid();

    // The watcher waits until the sleep is really running, so the cancel cannot arrive too early.
    std::atomic<bool> cancelled{false};
    m_watcherError.clear();
    std::unique_ptr<QThread> watcher(QThread::create([&] {
        PgConnection observer;
        if (!observer.open(s, &m_watcherError))
            return;
        for (int attempt = 0; attempt < 400; ++attempt) {
            const auto rows = observer.query(
                u"SELECT 1 FROM pg_stat_activity WHERE pid = $1::int AND state = 'active' AND query LIKE '%pg_sleep%'"_s,
                {QString::number(pid)});
            if (rows && !rows->isEmpty()) {
                cancelled = canceller->cancel(&m_watcherError);
                return;
            }
            QThread::msleep(50);
        }
        m_watcherError = u"the statement never showed up as active"_s;
    }));
    watcher->start();
    SqlError e;
    const bool finished = conn.exec(u"SELECT pg_sleep(30)"_s, &e);
    QVERIFY(watcher->wait());
    QVERIFY2(cancelled, qPrintable(m_watcherError));
    QVERIFY(!finished);
    QCOMPARE(e.sqlState, u"57014"_s);
    QVERIFY2(e.message.contains(u"user request"_s), qPrintable(e.message));

    // The connection survives the cancel.
    const auto rows = conn.query(u"SELECT 42"_s);
    QVERIFY(rows);
    QCOMPARE(*rows, QList<QStringList>{{u"42"_s}});
}

// Waits on its own connection until a statement containing `needle` runs on backend `pid`.
static bool waitUntilActive(const ConnectionSettings &s, int pid, const QString &needle, QString *error)
{
    PgConnection observer;
    if (!observer.open(s, error))
        return false;
    for (int attempt = 0; attempt < 400; ++attempt) {
        const auto rows = observer.query(u"SELECT 1 FROM pg_stat_activity WHERE pid = $1::int AND state = 'active' "
                                         "AND strpos(query, $2) > 0"_s,
                                         {QString::number(pid), needle}, nullptr);
        if (rows && !rows->isEmpty())
            return true;
        QThread::msleep(50);
    }
    *error = u"the statement never showed up as active"_s;
    return false;
}

void TestPgConnection::scopedCancelStopsTheRunningScope()
{
    const ConnectionSettings s = settings();
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(s, &error), qPrintable(error));
    StatementCanceller canceller;
    canceller.setCanceller(conn.canceller());
    const int pid = conn.backendPid();
    m_watcherError.clear();
    std::unique_ptr<QThread> watcher(QThread::create([&] {
        if (waitUntilActive(s, pid, u"pg_sleep(30)"_s, &m_watcherError))
            canceller.cancelCurrent();
    }));
    watcher->start();
    SqlError e;
    bool finished = false;
    {
        const StatementCanceller::Scope running(canceller);
        finished = conn.exec(u"SELECT pg_sleep(30)"_s, &e);
    }
    QVERIFY(watcher->wait());
    QVERIFY2(m_watcherError.isEmpty(), qPrintable(m_watcherError));
    QVERIFY(!finished);
    QCOMPARE(e.sqlState, u"57014"_s);
    // Idle: nothing is sent, so the next statement outside any scope runs.
    canceller.cancelCurrent();
    QThreadPool::globalInstance()->waitForDone();
    QVERIFY(conn.exec(u"SELECT pg_sleep(0.2)"_s));
}

void TestPgConnection::scopedCancelSparesTheNextScope()
{
    // A cancel asked for while scope A ran, delivered only once scope B runs (the pool was busy): it must
    // be dropped. Sending it anyway (what RowFetcher did) failed B, the count a grid was waiting for.
    const ConnectionSettings s = settings();
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(s, &error), qPrintable(error));
    StatementCanceller canceller;
    canceller.setCanceller(conn.canceller());
    QThreadPool *pool = QThreadPool::globalInstance();
    QSemaphore release;
    const int blockers = pool->maxThreadCount();
    for (int i = 0; i < blockers; ++i)
        pool->start([&release] { release.acquire(); });
    {
        const StatementCanceller::Scope a(canceller);
        QVERIFY(conn.exec(u"SELECT 1"_s));
        canceller.cancelCurrent(); // queued behind the blockers
    }
    const int pid = conn.backendPid();
    m_watcherError.clear();
    std::unique_ptr<QThread> watcher(QThread::create([&] {
        waitUntilActive(s, pid, u"pg_sleep(1.5)"_s, &m_watcherError);
        release.release(blockers); // now the stale cancel goes out, while B sleeps
    }));
    watcher->start();
    SqlError e;
    bool finished = false;
    {
        const StatementCanceller::Scope b(canceller);
        finished = conn.exec(u"SELECT pg_sleep(1.5)"_s, &e);
    }
    QVERIFY(watcher->wait());
    QVERIFY(pool->waitForDone(10000));
    QVERIFY2(m_watcherError.isEmpty(), qPrintable(m_watcherError));
    QVERIFY2(finished, qPrintable(e.message));
}

void TestPgConnection::notices()
{
    PgConnection conn;
    QString error;
    QVERIFY2(conn.open(settings(), &error), qPrintable(error));
    QVERIFY(conn.takeNotices().isEmpty());
    QVERIFY(conn.exec(u"DO $$ BEGIN RAISE NOTICE 'hello %', 42; "
                      "RAISE WARNING 'careful' USING DETAIL = 'some detail', HINT = 'a hint'; END $$"_s));
    QCOMPARE(conn.takeNotices(),
             (QStringList{u"NOTICE: hello 42"_s, u"WARNING: careful\nDETAIL: some detail\nHINT: a hint"_s}));
    QVERIFY(conn.takeNotices().isEmpty());
    QVERIFY(conn.exec(u"DROP TABLE IF EXISTS md_never_existed"_s));
    QCOMPARE(conn.takeNotices(), QStringList{u"NOTICE: table \"md_never_existed\" does not exist, skipping"_s});
    // Notices from statements run through QSqlQuery land in the same place.
    PgConnection viaQt;
    QVERIFY2(viaQt.open(settings(), &error, u"migrationdesk"_s, PgConnection::Access::QtSql), qPrintable(error));
    QSqlQuery q(viaQt.database());
    QVERIFY(q.exec(u"DO $$ BEGIN RAISE NOTICE 'via Qt'; END $$"_s));
    QCOMPARE(viaQt.takeNotices(), QStringList{u"NOTICE: via Qt"_s});
}

void TestPgConnection::closeAndReopen()
{
    QString name;
    {
        PgConnection conn;
        QString error;
        QVERIFY2(conn.open(settings(), &error, u"migrationdesk"_s, PgConnection::Access::QtSql), qPrintable(error));
        name = conn.database().connectionName();
        QVERIFY(QSqlDatabase::contains(name));
        conn.close();
        QVERIFY(!conn.isOpen());
        QVERIFY(!QSqlDatabase::contains(name));
        QVERIFY(!conn.canceller());
        QCOMPARE(conn.backendPid(), 0);
        SqlError e;
        QVERIFY(!conn.exec(u"SELECT 1"_s, &e));
        QVERIFY(!e.message.isEmpty());
        QVERIFY(!conn.query(u"SELECT 1"_s, {}, &e));

        QVERIFY2(conn.open(settings(), &error, u"migrationdesk"_s, PgConnection::Access::QtSql), qPrintable(error));
        QVERIFY(conn.exec(u"SELECT 1"_s));
        name = conn.database().connectionName();
        // A failed open leaves no half-registered connection behind.
        const QStringList before = QSqlDatabase::connectionNames();
        PgConnection failed;
        ConnectionSettings bad = settings();
        bad.password = u"nope-nope"_s;
        QVERIFY(!failed.open(bad, &error, u"migrationdesk"_s, PgConnection::Access::QtSql));
        QCOMPARE(QSqlDatabase::connectionNames(), before);
    }
    QVERIFY(!QSqlDatabase::contains(name));
}

QTEST_GUILESS_MAIN(TestPgConnection)
#include "tst_pgconnection.moc"
