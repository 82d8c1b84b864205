// SandboxAccess against the fixture's real server, which has the sandbox's rules: trust on the private
// Unix socket, scram-sha-256 on 127.0.0.1. A role without a password is opened to TCP through the socket,
// the returned settings get in over TCP with the password (read back from a URL, as psql would get it),
// and a wrong password still does not.
#include "pgfixture.h"

#include "db/connectionsettings.h"
#include "db/connectionurl.h"
#include "db/pgconnection.h"
#include "sandbox/sandboxaccess.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

namespace {
const QString kRole = u"md_sandbox_owner"_s;
const QString kDb = u"md_sandboxaccess"_s;
} // namespace

class TestSandboxAccess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(),
                 qPrintable(PgFixture::shared().errorString()));
        QVERIFY(PgFixture::shared().createDatabase(kDb));
        // Like the sandbox's own role: no password at all until SandboxAccess gives it one.
        bool ok = false;
        PgFixture::shared().psql(u"postgres"_s, u"DROP ROLE IF EXISTS %1; CREATE ROLE %1 LOGIN"_s.arg(kRole), &ok);
        QVERIFY(ok);
    }

    void newPasswordsAreLongAndDifferent()
    {
        const QString a = SandboxAccess::newPassword();
        const QString b = SandboxAccess::newPassword();
        QCOMPARE(a.size(), 24);
        QVERIFY(a != b);
        for (const QChar c : a)
            QVERIFY2(c.isLetterOrNumber() && c.unicode() < 128, qPrintable(a));
    }

    void grantOpensTcpWithThePassword()
    {
        const PgFixture &pg = PgFixture::shared();
        ConnectionSettings socket;
        socket.host = pg.socketDir();
        socket.port = pg.port();
        socket.user = kRole;
        socket.database = kDb;

        ConnectionSettings tcp = socket;
        tcp.host = u"127.0.0.1"_s;
        tcp.password = u"anything"_s;
        QString error;
        {
            PgConnection before;
            QVERIFY2(!before.open(tcp, &error), "a role without a password must not get in over TCP");
        }

        const QString password = SandboxAccess::newPassword();
        error.clear();
        const auto granted = SandboxAccess::grantTcpAccess(socket, password, &error);
        QVERIFY2(granted, qPrintable(error));
        QCOMPARE(granted->host, u"127.0.0.1"_s);
        QCOMPARE(granted->port, pg.port());
        QCOMPARE(granted->user, kRole);
        QCOMPARE(granted->database, kDb);
        QCOMPARE(granted->password, password);
        // Only the SCRAM verifier reached the server.
        QVERIFY(pg.psql(u"postgres"_s, u"SELECT rolpassword FROM pg_authid WHERE rolname = '%1'"_s.arg(kRole))
                        .startsWith(u"SCRAM-SHA-256$"_s));

        // The URL a user copies reads back to the same settings and gets in.
        const QString url = ConnectionUrl::format(*granted, true);
        QVERIFY(url.contains(password));
        const auto parsed = ConnectionUrl::parse(url, &error);
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(*parsed, *granted);
        {
            PgConnection after;
            QVERIFY2(after.open(*parsed, &error), qPrintable(error));
        }
        tcp.password = password + u"x"_s;
        {
            PgConnection wrong;
            QVERIFY(!wrong.open(tcp, &error));
        }
    }

    void emptyPasswordIsRefused()
    {
        ConnectionSettings socket;
        socket.host = PgFixture::shared().socketDir();
        socket.port = PgFixture::shared().port();
        socket.user = kRole;
        QString error;
        QVERIFY(!SandboxAccess::grantTcpAccess(socket, QString(), &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSandboxAccess)
#include "tst_sandboxaccess.moc"
