// Tests of the latency benchmark's delaying proxy (tests/common/delayproxy): bytes arrive intact and
// in order, every exchange is counted as one round trip, and a real psql session works through it.
#include "delayproxy.h"
#include "pgfixture.h"

#include <QDir>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

namespace {

// Echoes every byte back; lives on the test's thread, so QTRY_ loops drive it.
class EchoServer : public QTcpServer
{
public:
    EchoServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection())
                connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
        });
    }
};

} // namespace

class TestDelayProxy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countsEachExchangeAndDelaysIt()
    {
        EchoServer echo;
        QVERIFY(echo.listen(QHostAddress::LocalHost, 0));
        constexpr int kDelayMs = 5;
        DelayProxy proxy(u"127.0.0.1"_s, echo.serverPort(), kDelayMs);
        QString error;
        QVERIFY2(proxy.start(&error), qPrintable(error));

        QElapsedTimer timer;
        timer.start();
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, quint16(proxy.port()));
        QVERIFY(client.waitForConnected(5000));
        constexpr int kExchanges = 4;
        for (int i = 0; i < kExchanges; ++i) {
            const QByteArray ping = "ping " + QByteArray::number(i);
            client.write(ping);
            QTRY_COMPARE_WITH_TIMEOUT(client.bytesAvailable(), qint64(ping.size()), 5000);
            QCOMPARE(client.readAll(), ping);
        }
        const qint64 elapsedMs = timer.elapsed();

        const DelayProxy::Stats stats = proxy.stats();
        QCOMPARE(stats.connections, 1);
        // The handshake, then one per exchange.
        QCOMPARE(stats.roundTrips, 1 + kExchanges);
        QCOMPARE(stats.maxConnectionTrips, 1 + kExchanges);
        // A delay is a floor: the handshake and every exchange cost at least two one-way delays.
        QVERIFY2(elapsedMs >= (1 + kExchanges) * 2 * kDelayMs, qPrintable(QString::number(elapsedMs)));

        proxy.resetStats();
        QCOMPARE(proxy.stats().roundTrips, 0);
        QCOMPARE(proxy.stats().connections, 0);
    }

    void keepsLargeTransfersIntactAndInOrder()
    {
        EchoServer echo;
        QVERIFY(echo.listen(QHostAddress::LocalHost, 0));
        DelayProxy proxy(u"127.0.0.1"_s, echo.serverPort(), 1);
        QString error;
        QVERIFY2(proxy.start(&error), qPrintable(error));

        QByteArray payload(1 << 20, Qt::Uninitialized);
        QRandomGenerator gen(42);
        for (char &c : payload)
            c = char(gen.bounded(256));
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, quint16(proxy.port()));
        QVERIFY(client.waitForConnected(5000));
        for (qsizetype at = 0; at < payload.size(); at += 7001)
            client.write(payload.mid(at, 7001));
        QByteArray received;
        QTRY_VERIFY_WITH_TIMEOUT((received += client.readAll()).size() >= payload.size(), 20000);
        QCOMPARE(received.size(), payload.size());
        QVERIFY(received == payload);
        QCOMPARE(proxy.stats().bytesUp, qint64(payload.size()));
        QCOMPARE(proxy.stats().bytesDown, qint64(payload.size()));
    }

    void carriesARealPsqlSession()
    {
        PgFixture &pg = PgFixture::shared();
        QVERIFY2(pg.isRunning() || pg.start(), qPrintable(pg.errorString()));
        DelayProxy proxy(pg.host(), pg.port(), 2);
        QString error;
        QVERIFY2(proxy.start(&error), qPrintable(error));

        QProcessEnvironment env = pg.environment();
        env.insert(u"PGHOST"_s, u"127.0.0.1"_s);
        env.insert(u"PGPORT"_s, QString::number(proxy.port()));
        QProcess psql;
        psql.setProcessEnvironment(env);
        psql.start(QDir(pg.binDir()).filePath(u"psql"_s),
                   {u"-X"_s, u"-At"_s, u"-v"_s, u"ON_ERROR_STOP=1"_s, u"-c"_s, u"SELECT inet_server_port()"_s});
        QVERIFY(psql.waitForFinished(30000));
        QCOMPARE(psql.exitCode(), 0);
        // The server saw the session on its own port: the bytes went through the proxy to it.
        QCOMPARE(QString::fromUtf8(psql.readAllStandardOutput()).trimmed(), QString::number(pg.port()));
        const DelayProxy::Stats stats = proxy.stats();
        QCOMPARE(stats.connections, 1);
        // At least the handshake, the start-up and authentication exchanges, and the query.
        QVERIFY2(stats.roundTrips >= 3, qPrintable(QString::number(stats.roundTrips)));
    }
};

QTEST_GUILESS_MAIN(TestDelayProxy)
#include "tst_delayproxy.moc"
