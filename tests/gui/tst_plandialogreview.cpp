// The confirmation dialog with the pre-flight review's findings: a plan reviewed by the real PlanReviewer on
// the fixture's PostgreSQL (thresholds lowered so a small table counts as large) with a danger and an
// error finding. Each finding sits under its step with a severity icon, size and lock; a click selects the
// statement in the SQL pane; danger needs "I understand"; an error disables Run and says why.
#include "bundledrevisions.h"
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include "db/pgconnection.h"
#include "migrations/plandialog.h"
#include "migrations/planreview.h"
#include "migrations/scriptset.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;
using namespace Qt::StringLiterals;

namespace {
const QString kHead = Test::bundledHead();
}

class TestPlanDialogReview : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;

    PlanReview review(const QString &target)
    {
        PgConnection connection;
        QString error;
        if (!connection.open(settings(m_db), &error))
            qWarning("%s", qPrintable(error));
        const ScriptSet scripts = ScriptSet::load(m_dir.path());
        PlanReviewer reviewer(connection, scripts, *VersionTable::fromName(u"alembic_version"_s, nullptr));
        ReviewThresholds low;
        low.dangerRows = 10; // the 50-row table counts as large
        reviewer.setThresholds(low);
        return reviewer.review(MigrationOp::Upgrade, target);
    }

    static void clickRow(QListWidget *list, int row)
    {
        list->scrollToItem(list->item(row));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(row)).center());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QDir bundled(QStringLiteral(MD_SOURCE_DIR) + u"/migrations"_s);
        for (const QString &file : bundled.entryList({u"*.sql"_s}, QDir::Files))
            QVERIFY(QFile::copy(bundled.filePath(file), m_dir.filePath(file)));
        const QString error = freshDbAtHead(u"t_plan_findings"_s);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_db = u"t_plan_findings"_s;
        q(m_db, u"CREATE TABLE widgets (id int, note text);"
                "INSERT INTO widgets SELECT g, 'n' FROM generate_series(1, 50) g; ANALYZE widgets"_s);
        writeScript(m_dir.path(), u"g1.sql"_s, u"g1"_s, kHead,
                    u"CREATE INDEX ix_note\n    ON widgets (note);\nVACUUM widgets;"_s, u"SELECT 1;"_s);
        writeScript(m_dir.path(), u"g2.sql"_s, u"g2"_s, kHead, u"CREATE INDEX ix_id ON widgets (id);"_s, u"SELECT 1;"_s);
        writeScript(m_dir.path(), u"g3.sql"_s, u"g3"_s, kHead,
                    u"-- review: allow index-without-concurrently the table is only read at night\n"
                    "CREATE INDEX ix_both ON widgets (id, note);"_s,
                    u"SELECT 1;"_s);
    }

    void dangerAndErrorFindings()
    {
        const PlanReview plan = review(u"g1"_s);
        QVERIFY2(plan.ok, qPrintable(plan.error));
        QCOMPARE(plan.steps.size(), 1);
        QCOMPARE(plan.steps.first().findings.size(), 2);
        PlanDialog dialog(plan);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));

        // Under the step: one row per finding, with its icon, table, size and lock; the message as tooltip.
        QListWidget *list = dialog.stepList();
        QCOMPARE(list->count(), 3);
        const int dangerRow = dialog.findingRow(0, 0);
        const int errorRow = dialog.findingRow(0, 1);
        QCOMPARE(dangerRow, 1);
        QCOMPARE(errorRow, 2);
        QListWidgetItem *danger = list->item(dangerRow);
        QVERIFY(!danger->icon().isNull());
        QVERIFY2(danger->text().contains(u"index-without-concurrently"_s) && danger->text().contains(u"widgets"_s)
                     && danger->text().contains(u"50 rows"_s) && danger->text().contains(u"SHARE lock"_s),
                 qPrintable(danger->text()));
        QVERIFY2(danger->toolTip().startsWith(u"danger: Builds an index on widgets"_s), qPrintable(danger->toolTip()));
        QVERIFY(list->item(errorRow)->toolTip().startsWith(u"error: VACUUM cannot run inside a transaction"_s));
        QVERIFY(!list->item(errorRow)->icon().isNull());

        // The error disables Run and says why, next to the button and on it.
        QVERIFY(!dialog.runButton()->isEnabled());
        auto *blocked = dialog.findChild<QLabel *>(u"planBlocked"_s);
        QVERIFY(blocked && blocked->isVisible());
        QVERIFY2(blocked->text().contains(u"concurrently-in-transaction"_s), qPrintable(blocked->text()));
        QCOMPARE(dialog.runButton()->toolTip(), blocked->text());

        // A click on a finding selects its statement (both lines) in the SQL pane.
        auto *sql = dialog.findChild<QPlainTextEdit *>(u"planSqlEdit"_s);
        QVERIFY(sql);
        clickRow(list, dangerRow);
        QCOMPARE(list->currentRow(), dangerRow);
        QCOMPARE(sql->textCursor().selectedText(), u"CREATE INDEX ix_note\u2029    ON widgets (note)"_s);
        clickRow(list, errorRow);
        QCOMPARE(sql->textCursor().selectedText(), u"VACUUM widgets"_s);

        // "I understand" covers the danger, never the error.
        QCheckBox *understand = dialog.understandCheck();
        QVERIFY(understand && understand->isVisible());
        QTest::mouseClick(understand, Qt::LeftButton, {}, QPoint(8, understand->height() / 2));
        QVERIFY(understand->isChecked());
        QVERIFY(!dialog.runButton()->isEnabled());
    }

    void dangerNeedsIUnderstand()
    {
        PlanDialog dialog(review(u"g2"_s));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(!dialog.findChild<QLabel *>(u"planBlocked"_s));
        QCheckBox *understand = dialog.understandCheck();
        QVERIFY(understand);
        QVERIFY(!dialog.runButton()->isEnabled());
        QVERIFY2(dialog.runButton()->toolTip().contains(u"I understand"_s), qPrintable(dialog.runButton()->toolTip()));
        QTest::mouseClick(understand, Qt::LeftButton, {}, QPoint(8, understand->height() / 2));
        QVERIFY(dialog.runButton()->isEnabled());
        QTest::mouseClick(understand, Qt::LeftButton, {}, QPoint(8, understand->height() / 2));
        QVERIFY(!dialog.runButton()->isEnabled());
    }

    void allowedDangerShowsItsReason()
    {
        PlanDialog dialog(review(u"g3"_s));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(!dialog.understandCheck());
        QVERIFY(dialog.runButton()->isEnabled());
        const QString text = dialog.stepList()->item(dialog.findingRow(0, 0))->text();
        QVERIFY2(text.contains(u"allowed: the table is only read at night"_s), qPrintable(text));
    }
};

QTEST_MAIN(TestPlanDialogReview)
#include "tst_plandialogreview.moc"
