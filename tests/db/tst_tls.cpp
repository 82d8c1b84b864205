// TLS against the fixture's server with a CA and certificate made by the test (issue 13, "TLS"):
// sslmode=verify-full connects with the right CA and host name and refuses a wrong CA or a wrong host
// name with a message that says which; sslmode=require connects without verifying, and the CLI says so.
#include "clirunner.h"
#include "dbtest.h"
#include "envguard.h"
#include "pgfixture.h"
#include "testcertificates.h"

#include "db/pgconnection.h"
#include "db/tlsnotice.h"

#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;
using namespace Qt::StringLiterals;

class TestTls : public QObject
{
    Q_OBJECT

private:
    PgFixture &pg() { return PgFixture::shared(); }
    TestCertificates m_certs;
    QTemporaryDir m_home; // a HOME without ~/.postgresql, so libpq finds no root.crt of its own

    ConnectionSettings tls(const QString &db, const QString &host, const QString &mode, const QString &rootCert)
    {
        ConnectionSettings s = settings(db);
        s.host = host;
        s.sslmode = mode;
        s.sslrootcert = rootCert;
        return s;
    }

    QString url(const QString &db, const QString &host, const QString &query)
    {
        return u"postgresql://%1:%2@%3:%4/%5?%6"_s.arg(pg().superuser(),
                                                      QString::fromLatin1(QUrl::toPercentEncoding(pg().password())),
                                                      host, QString::number(pg().port()), db, query);
    }

    QProcessEnvironment cliEnvironment(const QString &db)
    {
        QProcessEnvironment env = pg().environment(db);
        env.insert(u"HOME"_s, m_home.path());
        return env;
    }

    // "t" when the connection is encrypted, as the server sees it.
    static QString sslInUse(PgConnection &connection)
    {
        const auto rows = connection.query(u"SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"_s);
        return rows && !rows->isEmpty() ? rows->first().value(0) : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(pg().isRunning() || pg().start(), qPrintable(pg().errorString()));
        QVERIFY(m_home.isValid());
        QString error;
        QVERIFY2(m_certs.create(&error), qPrintable(error));
        QVERIFY2(pg().enableSsl(m_certs.serverCert(), m_certs.serverKey(), &error), qPrintable(error));
        qputenv("HOME", m_home.path().toLocal8Bit());
        qunsetenv("PGSSLMODE");
        qunsetenv("PGSSLROOTCERT");
    }

    void verifyFullWithTheRightCaAndHost()
    {
        const QString db = freshDb(u"t_tls"_s);
        PgConnection connection;
        QString error;
        QVERIFY2(connection.open(tls(db, u"localhost"_s, u"verify-full"_s, m_certs.caCert()), &error), qPrintable(error));
        QCOMPARE(sslInUse(connection), u"t"_s);
    }

    void verifyFullRefusesAnotherCa()
    {
        const QString db = freshDb(u"t_tls"_s);
        PgConnection connection;
        QString error;
        QVERIFY(!connection.open(tls(db, u"localhost"_s, u"verify-full"_s, m_certs.otherCaCert()), &error));
        QVERIFY2(error.contains(u"could not be verified with the root certificate (sslrootcert)"_s), qPrintable(error));
        QVERIFY2(!error.contains(u"host name"_s, Qt::CaseInsensitive), qPrintable(error));
        QVERIFY2(!error.contains(pg().password()), qPrintable(error));
    }

    void verifyFullRefusesAnotherHostName()
    {
        // The certificate names localhost only; 127.0.0.1 is the same server under another name.
        const QString db = freshDb(u"t_tls"_s);
        PgConnection connection;
        QString error;
        QVERIFY(!connection.open(tls(db, u"127.0.0.1"_s, u"verify-full"_s, m_certs.caCert()), &error));
        QVERIFY2(error.startsWith(u"Wrong host name: the server's SSL certificate is for \"localhost\", not for the "
                                  "host name you connected to (127.0.0.1:"_s),
                 qPrintable(error));
        QVERIFY2(!error.contains(u"root certificate"_s), qPrintable(error));
        // verify-ca checks the CA only, so the same name passes there.
        QVERIFY2(connection.open(tls(db, u"127.0.0.1"_s, u"verify-ca"_s, m_certs.caCert()), &error), qPrintable(error));
    }

    void requireConnectsWithoutVerifying()
    {
        // No root certificate at all, and the server's is from an unknown CA: encrypted all the same.
        const QString db = freshDb(u"t_tls"_s);
        PgConnection connection;
        QString error;
        QVERIFY2(connection.open(tls(db, u"127.0.0.1"_s, u"require"_s, QString()), &error), qPrintable(error));
        QCOMPARE(sslInUse(connection), u"t"_s);
        QVERIFY(!unverifiedTlsWarning(tls(db, u"127.0.0.1"_s, u"require"_s, QString())).isEmpty());
        QVERIFY(unverifiedTlsWarning(tls(db, u"localhost"_s, u"verify-full"_s, m_certs.caCert())).isEmpty());
        QVERIFY(unverifiedTlsWarning(tls(db, u"localhost"_s, u"prefer"_s, QString())).isEmpty());
        // Left to libpq, the mode comes from PGSSLMODE.
        const EnvGuard guard({{"PGSSLMODE", "require"}});
        QVERIFY(!unverifiedTlsWarning(tls(db, u"127.0.0.1"_s, QString(), QString())).isEmpty());
    }

    void cliWarnsOnRequireOnly()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"t1"_s, u"none"_s, u"CREATE TABLE over_tls (id int);"_s,
                    u"DROP TABLE over_tls;"_s);
        const QString db = freshDb(u"t_tls_cli"_s);
        const QString warning = u"warning: sslmode=require encrypts the connection but does not verify the server's "
                                "certificate"_s;

        // Both of the runner's connections (the lock session too) verify the server.
        const QString verified = url(db, u"localhost"_s, u"sslmode=verify-full&sslrootcert="_s
                                                             + QString::fromLatin1(QUrl::toPercentEncoding(m_certs.caCert())));
        CliResult r = runCli({u"--url"_s, verified, u"--migrations"_s, dir.path(), u"upgrade"_s, u"head"_s}, cliEnvironment(db));
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY2(!r.err.contains(warning), qPrintable(r.all()));
        QCOMPARE(versions(db), u"t1"_s);

        r = runCli({u"--url"_s, url(db, u"127.0.0.1"_s, u"sslmode=require"_s), u"--migrations"_s, dir.path(), u"current"_s},
                   cliEnvironment(db));
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(r.err.count(warning), 1);
        // Before any other output; only the warning about the password in this --url may precede it.
        const QString afterPasswordWarning = r.err.startsWith(u"warning: a password given in --url"_s)
            ? r.err.section(u'\n', 1)
            : r.err;
        QVERIFY2(afterPasswordWarning.startsWith(warning), qPrintable(r.err));

        // PGSSLMODE=require without --url warns the same way.
        QProcessEnvironment env = cliEnvironment(db);
        env.insert(u"PGSSLMODE"_s, u"require"_s);
        r = runCli({u"--migrations"_s, dir.path(), u"current"_s}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(r.err.count(warning), 1);

        // A wrong CA is a connection failure (exit 3) that says so, and changes nothing.
        const QString wrongCa = url(db, u"localhost"_s, u"sslmode=verify-full&sslrootcert="_s
                                                            + QString::fromLatin1(QUrl::toPercentEncoding(m_certs.otherCaCert())));
        r = runCli({u"--url"_s, wrongCa, u"--migrations"_s, dir.path(), u"downgrade"_s, u"base"_s}, cliEnvironment(db));
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(u"could not be verified with the root certificate"_s), qPrintable(r.all()));
        QCOMPARE(versions(db), u"t1"_s);
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
