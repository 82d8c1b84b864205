// The run panel names the session that blocks a running migration, live, on the offscreen platform against
// the fixture's real server: a DatabaseWorker on its own thread runs a revision that waits for a lock a
// second session holds; the panel shows who holds it, and hides it once the lock is released.
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include "migrations/migrationrunner.h"
#include "migrations/runpanel.h"
#include "session/databaseworker.h"

#include <QLabel>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;
using namespace Qt::StringLiterals;

class TestRunPanelBlockers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(),
                 qPrintable(PgFixture::shared().errorString()));
    }

    void showsTheBlockerWhileTheStatementWaits()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"g1.sql"_s, u"g1"_s, u"none"_s, u"CREATE TABLE guarded (id int);"_s, u"DROP TABLE guarded;"_s);
        writeScript(dir.path(), u"g2.sql"_s, u"g2"_s, u"g1"_s, u"ALTER TABLE guarded ADD COLUMN note text;"_s, u"SELECT 1;"_s);
        const QString db = freshDb(u"t_gui_run_blockers"_s);
        {
            MigrationRunner first(ScriptSet::load(dir.path()), settings(db), RunOptions());
            const RunResult r = first.upgrade(u"g1"_s);
            QVERIFY2(r.ok(), qPrintable(r.error));
        }

        QSqlDatabase blocker = PgFixture::shared().openDatabase(db, u"gui_blocker"_s);
        QSqlQuery bq(blocker);
        QVERIFY(bq.exec(u"SET application_name = 'md_gui_blocker'"_s));
        QVERIFY(blocker.transaction());
        QVERIFY2(bq.exec(u"LOCK TABLE guarded IN ACCESS EXCLUSIVE MODE"_s), qPrintable(bq.lastError().text()));
        QVERIFY(bq.exec(u"SELECT pg_backend_pid()"_s) && bq.next());
        const QString blockerPid = bq.value(0).toString();

        QThread thread;
        auto *worker = new DatabaseWorker;
        worker->moveToThread(&thread);
        connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start();
        const QString migrations = dir.path();
        const ConnectionSettings s = settings(db);
        QMetaObject::invokeMethod(worker, [worker, migrations] { worker->setScripts(migrations, QString()); },
                                  Qt::QueuedConnection);
        QMetaObject::invokeMethod(worker, [worker, s] { worker->connectTo(s); }, Qt::QueuedConnection);

        PlanReview plan;
        plan.ok = true;
        plan.target = u"head"_s;
        RunPanel panel(worker, plan);
        panel.show();
        QMetaObject::invokeMethod(worker, [worker] { worker->runMigration(MigrationOp::Upgrade, u"head"_s, QString()); },
                                  Qt::QueuedConnection);

        // The default lock_timeout (10 s) leaves the watcher its moment to name the blocker.
        QTRY_VERIFY_WITH_TIMEOUT(!panel.blockersText().isEmpty(), 8000);
        auto *label = panel.findChild<QLabel *>(u"runBlockers"_s);
        QVERIFY(label && label->isVisible());
        QVERIFY2(panel.blockersText().contains(u"pid %1"_s.arg(blockerPid)), qPrintable(panel.blockersText()));
        QVERIFY2(panel.blockersText().contains(u"md_gui_blocker"_s), qPrintable(panel.blockersText()));
        QVERIFY2(panel.blockersText().contains(u"idle in transaction"_s), qPrintable(panel.blockersText()));
        QVERIFY(panel.isRunning());

        QVERIFY(blocker.commit());
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isRunning(), 20000);
        QVERIFY2(panel.summaryText().contains(u"Succeeded"_s), qPrintable(panel.summaryText()));
        QVERIFY(panel.blockersText().isEmpty());
        QVERIFY(!label->isVisible());
        QVERIFY2(panel.logText().contains(u"Waiting for a lock held by:"_s), qPrintable(panel.logText()));
        QCOMPARE(versions(db), u"g2"_s);

        thread.quit();
        thread.wait();
        blocker.close();
    }
};

QTEST_MAIN(TestRunPanelBlockers)
#include "tst_runpanelblockers.moc"
