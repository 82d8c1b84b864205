// Edges of migrationdesk-cli against the fixture's real PostgreSQL (issue 13): history ranges that end
// before base, and a --url password kept out of /proc/PID/cmdline while the tool runs.
#include "bundledrevisions.h"
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

class TestCliEdges : public QObject
{
    Q_OBJECT

private:
    PgFixture &pg() { return PgFixture::shared(); }
    CliResult cli(const QString &db, const QStringList &args)
    {
        return runCli(QStringList{u"--url"_s, pg().url(db)} + args, pg().environment(db));
    }
    static bool waitUntil(const std::function<bool()> &condition, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (condition())
                return true;
            QTest::qWait(100);
        }
        return condition();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(pg().isRunning() || pg().start(), qPrintable(pg().errorString()));
    }

    // Bug 9: Alembic reads "current" at base as "heads", so `history -r -1:current` listed the head and
    // its parent on an empty database. A range ending at base lists nothing.
    void historyRangeEndingAtBaseListsNothing()
    {
        const QString db = freshDb(u"t_hist_base"_s);
        for (const QString &range : {u"-1:current"_s, u"-2:current"_s, u"base:current"_s, u":current"_s}) {
            const CliResult text = cli(db, {u"history"_s, u"-r"_s, range});
            QVERIFY2(text.exitCode == 0, qPrintable(range + u": "_s + text.all()));
            QVERIFY2(text.out.isEmpty(), qPrintable(range + u": "_s + text.out));
            const CliResult json = cli(db, {u"--json"_s, u"history"_s, u"-r"_s, range});
            QCOMPARE(json.exitCode, 0);
            const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
            QCOMPARE(o.value(u"ok"_s), QJsonValue(true));
            QVERIFY2(o.value(u"history"_s).isArray() && o.value(u"history"_s).toArray().isEmpty(), qPrintable(json.out));
        }
        // From the database's revision upwards is still everything.
        const CliResult up = cli(db, {u"history"_s, u"-r"_s, u"current:"_s});
        QCOMPARE(up.exitCode, 0);
        QCOMPARE(up.out.count(u'\n'), Test::bundledRevisions().size());

        // Once a revision is applied, the same ranges list what they always did.
        const CliResult up2 = cli(db, {u"upgrade"_s, u"ce3d30390578"_s});
        QVERIFY2(up2.exitCode == 0, qPrintable(up2.all()));
        const CliResult applied = cli(db, {u"history"_s, u"-r"_s, u"base:current"_s});
        QVERIFY2(applied.exitCode == 0, qPrintable(applied.all()));
        QCOMPARE(applied.out.count(u'\n'), 2);
    }

    // Bug 10: a password given in --url must not stay readable in /proc/PID/cmdline (what ps shows other
    // users) while the tool runs; it is overwritten in place, and the tool says where passwords belong.
    void urlPasswordIsHiddenFromProcCmdline()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeScript(dir.path(), u"1.sql"_s, u"slow1"_s, u"none"_s, u"SELECT pg_sleep(120);"_s, u"SELECT 1;"_s);
        const QString db = freshDb(u"t_cmdline"_s);
        const QString url = pg().url(db);
        QVERIFY2(url.contains(u':' + QString::fromUtf8(QUrl::toPercentEncoding(pg().password())) + u'@'),
                 "the fixture's URL carries the password, or this test would prove nothing");

        QProcess p;
        QProcessEnvironment env = pg().environment(db);
        env.remove(u"PGPASSWORD"_s); // the URL's password is the one that must work
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(MD_CLI_PATH), {u"--url"_s, url, u"--migrations"_s, dir.path(), u"upgrade"_s, u"head"_s});
        QVERIFY(p.waitForStarted(10000));
        // Connected with that password and running the statement: the tool is well past parsing.
        const bool running = waitUntil(
            [&] {
                return q(u"postgres"_s, u"SELECT count(*) FROM pg_stat_activity WHERE datname = '%1' "
                                        "AND query LIKE '%pg_sleep(120)%' AND state = 'active'"_s.arg(db)) == u"1"_s;
            },
            30000);
        QFile cmdline(u"/proc/%1/cmdline"_s.arg(p.processId()));
        QVERIFY(cmdline.open(QIODevice::ReadOnly));
        const QByteArray seen = cmdline.readAll();
        p.kill();
        p.waitForFinished(10000);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(running, qPrintable(err));

        const QList<QByteArray> args = seen.split('\0');
        QVERIFY2(args.contains("--url") && args.contains("upgrade"), seen.constData());
        QVERIFY2(!seen.contains(pg().password().toUtf8()), seen.constData());
        QVERIFY2(!seen.contains(QUrl::toPercentEncoding(pg().password())), seen.constData());
        // The rest of the URL is still there for ps to show, the password replaced by as many '*'.
        const QByteArray shown = args.value(args.indexOf("--url") + 1);
        QCOMPARE(shown.size(), url.toUtf8().size());
        QVERIFY2(shown.contains(u"@%1:%2/%3"_s.arg(pg().host()).arg(pg().port()).arg(db).toUtf8()), shown.constData());
        QVERIFY2(shown.contains(":***"), shown.constData());

        QCOMPARE(err.count(u"warning:"_s), 1);
        QVERIFY2(err.contains(u"PGPASSWORD"_s) && err.contains(u"~/.pgpass"_s), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestCliEdges)
#include "tst_cliedges.moc"
