// "Check for drift" on a database whose revision was applied outside MigrationDesk (as Alembic leaves
// it), through the Migrations view and its DatabaseWorker on their own thread, as in the app: the
// dialog says there is no snapshot for the revision and why, "Record baseline" records one, and the
// next check compares with it and finds real drift.
#include "dbtest.h"
#include "pgfixture.h"

#include "db/connectionsettings.h"
#include "migrations/driftdialog.h"
#include "migrations/migrationsview.h"
#include "session/databaseworker.h"

#include <QDialog>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

constexpr int kDbTimeout = 60000;

QString psql(const QString &db, const QString &sql, const char *file = __builtin_FILE(), int line = __builtin_LINE())
{
    return PgFixture::shared().psql(db, sql, nullptr, nullptr, file, line);
}

DriftDialog *visibleDriftDialog(const QWidget &view)
{
    for (auto *d : view.findChildren<DriftDialog *>(u"driftDialog"_s))
        if (d->isVisible())
            return d;
    return nullptr;
}

} // namespace

class TestDriftBaseline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(),
                                   qPrintable(PgFixture::shared().errorString())); }
    void recordBaselineButton();
};

void TestDriftBaseline::recordBaselineButton()
{
    QTemporaryDir scripts;
    QVERIFY(scripts.isValid());
    QFile script(scripts.filePath(u"r1.sql"_s));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("-- revision: 1a2b3c4d5e6f\n-- down_revision: none\n-- message: employees\n\n"
                 "-- +upgrade\nCREATE TABLE employees (id serial PRIMARY KEY, name text NOT NULL);\n\n"
                 "-- +downgrade\nDROP TABLE employees;\n");
    script.close();
    const QString db = DbTest::freshDb(u"t_gui_baseline"_s);
    QString error;
    // What `alembic upgrade head` leaves: the schema and the version row, no MigrationDesk bookkeeping.
    psql(db, u"CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc "
             "PRIMARY KEY (version_num)); CREATE TABLE employees (id serial PRIMARY KEY, name text NOT NULL); "
             "INSERT INTO alembic_version VALUES ('1a2b3c4d5e6f')"_s);

    QThread thread;
    auto *worker = new DatabaseWorker;
    worker->moveToThread(&thread);
    connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
    thread.start();
    MigrationsView view;
    view.setWorker(worker);
    QSignalSpy connected(worker, &DatabaseWorker::connected);
    const QString dir = scripts.path();
    QMetaObject::invokeMethod(worker, [worker, dir] { worker->setScripts(dir, QString()); }, Qt::QueuedConnection);
    const auto settings = ConnectionSettings::fromUrl(PgFixture::shared().url(db), &error);
    QVERIFY2(settings, qPrintable(error));
    const ConnectionSettings s = *settings;
    QMetaObject::invokeMethod(worker, [worker, s] { worker->connectTo(s); }, Qt::QueuedConnection);
    view.resize(1100, 600);
    view.show();
    QTRY_VERIFY_WITH_TIMEOUT(connected.size() == 1 && view.checkDriftAction()->isEnabled(), kDbTimeout);

    view.checkDriftAction()->trigger();
    DriftDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = visibleDriftDialog(view)), kDbTimeout);
    auto *text = dialog->findChild<QPlainTextEdit *>(u"driftText"_s);
    QVERIFY(text);
    QVERIFY2(text->toPlainText().contains(u"No schema snapshot is recorded for revision 1a2b3c4d5e6f: it was applied "
                                          "outside MigrationDesk (e.g. by Alembic)"_s),
             qPrintable(text->toPlainText()));
    QVERIFY(!text->toPlainText().contains(u"No drift"_s));
    QCOMPARE(dialog->findChild<QLabel *>(u"driftHeadline"_s)->text(), u"ⓘ No schema snapshot to compare with."_s);
    auto *button = dialog->findChild<QPushButton *>(u"recordBaselineButton"_s);
    QVERIFY(button);
    QVERIFY(button->isVisible() && button->isEnabled());
    QCOMPARE(button->text(), u"Record baseline"_s);
    const QString shots = u"/work/notes/screens"_s;
    QDir().mkpath(shots);
    dialog->grab().save(shots + u"/drift-baseline-offer.png"_s);

    QCOMPARE(psql(db, u"SELECT to_regclass('migrationdesk.snapshot') IS NULL"_s), u"t"_s);
    button->click();
    QTRY_VERIFY_WITH_TIMEOUT(text->toPlainText().startsWith(u"Recorded the current schema as the snapshot for "
                                                            "1a2b3c4d5e6f"_s),
                             kDbTimeout);
    QVERIFY2(text->toPlainText().contains(u"No drift"_s), qPrintable(text->toPlainText()));
    QVERIFY(!button->isVisible());
    QCOMPARE(dialog->findChild<QLabel *>(u"driftHeadline"_s)->text(), u"✓ No drift found."_s);
    QCOMPARE(psql(db, u"SELECT array_to_string(heads, ',') FROM migrationdesk.snapshot"_s), u"1a2b3c4d5e6f"_s);
    QCOMPARE(psql(db, u"SELECT version_num FROM alembic_version"_s), u"1a2b3c4d5e6f"_s);
    dialog->grab().save(shots + u"/drift-baseline-recorded.png"_s);
    dialog->close();
    QTRY_VERIFY(!visibleDriftDialog(view));

    // A change behind the tool's back is now drift against the baseline, and no baseline is offered.
    psql(db, u"ALTER TABLE employees ADD COLUMN department varchar"_s);
    QSignalSpy drift(&view, &MigrationsView::driftChecked);
    QTRY_VERIFY_WITH_TIMEOUT(view.checkDriftAction()->isEnabled(), kDbTimeout);
    view.checkDriftAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(drift.size(), 1, kDbTimeout);
    QCOMPARE(drift.at(0).at(0).toBool(), true);
    QTRY_VERIFY_WITH_TIMEOUT((dialog = visibleDriftDialog(view)), kDbTimeout);
    QVERIFY(dialog->findChild<QPlainTextEdit *>(u"driftText"_s)->toPlainText().contains(u"department"_s));
    QVERIFY(!dialog->findChild<QPushButton *>(u"recordBaselineButton"_s));
    dialog->close();

    thread.quit();
    thread.wait();
}

QTEST_MAIN(TestDriftBaseline)
#include "tst_driftbaseline.moc"
