// The status bar's round-trip time (issue 15): the main window connected through the latency bench's
// delaying proxy (tests/common/delayproxy) shows "RTT n ms" with n at least the proxy's own round trip,
// explains it in a tooltip, and hides it on disconnecting. Offscreen platform, the fixture's real server.
#include "delayproxy.h"
#include "pgfixture.h"

#include "i18n/translator.h"
#include "mainwindow.h"
#include "session/appservices.h"

#include <QDir>

#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

// When MD_SCREENSHOT_DIR is set, keeps PNGs of the window at full size and 900 px wide, in English and
// Korean, for a look at the status bar; never part of an assertion.
void screenshots(const ConnectionSettings &settings, AppServices &services)
{
    const QString dir = qEnvironmentVariable("MD_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    for (const QString &language : {u"en"_s, u"ko"_s}) {
        Translator::install(language);
        MainWindow window(services);
        window.resize(1180, 760);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            return;
        window.connectToDatabase(settings);
        auto label = window.findChild<QLabel *>(u"roundTripLabel"_s);
        if (!QTest::qWaitFor([label] { return label->isVisible(); }, 60000))
            return;
        window.grab().save(dir + u"/rtt-%1-1180.png"_s.arg(language));
        window.resize(900, 700);
        QTest::qWait(100);
        window.grab().save(dir + u"/rtt-%1-900.png"_s.arg(language));
    }
    Translator::install(u"en"_s);
}

} // namespace

class TstRoundTripTime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void statusBarShowsTheMeasuredRoundTrip();

private:
    AppServices m_services;
};

void TstRoundTripTime::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"MigrationDesk"_s);
    QCoreApplication::setApplicationName(u"tst_roundtriptime"_s);
    QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(),
             qPrintable(PgFixture::shared().errorString()));
    QSettings().clear();
}

void TstRoundTripTime::statusBarShowsTheMeasuredRoundTrip()
{
    PgFixture &pg = PgFixture::shared();
    QVERIFY(pg.createDatabase(u"shell_rtt"_s));
    constexpr int kOneWayMs = 15;
    DelayProxy proxy(pg.host(), pg.port(), kOneWayMs);
    QString error;
    QVERIFY2(proxy.start(&error), qPrintable(error));
    auto settings = ConnectionSettings::fromUrl(pg.url(u"shell_rtt"_s), &error);
    QVERIFY2(settings, qPrintable(error));
    settings->host = u"127.0.0.1"_s;
    settings->port = proxy.port();

    MainWindow window(m_services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto label = window.findChild<QLabel *>(u"roundTripLabel"_s);
    QVERIFY(label);
    QVERIFY(!label->isVisible());
    window.connectToDatabase(*settings);
    QTRY_VERIFY_WITH_TIMEOUT(label->isVisible(), 60000);

    const QRegularExpressionMatch m = QRegularExpression(u"^RTT (\\d+) ms$"_s).match(label->text());
    QVERIFY2(m.hasMatch(), qPrintable(label->text()));
    // Every byte waits kOneWayMs each way in the proxy: no measurement can come in under that.
    QVERIFY2(m.captured(1).toInt() >= 2 * kOneWayMs, qPrintable(label->text()));
    QVERIFY2(label->toolTip().contains(u"Round-trip time"_s), qPrintable(label->toolTip()));

    window.disconnectFromDatabase();
    QTRY_VERIFY(!label->isVisible());
    screenshots(*settings, m_services);
}

QTEST_MAIN(TstRoundTripTime)
#include "tst_roundtriptime.moc"
