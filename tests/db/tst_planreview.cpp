// The core plan review against the fixture's PostgreSQL: plans, SQL and the drop findings with row
// estimates that the plan dialog and the CLI's --dry-run both show.
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include "db/pgconnection.h"
#include "migrations/planreview.h"
#include "migrations/scriptset.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;
using namespace Qt::StringLiterals;

namespace {

// The 1-based line of the first line of `file` that contains `text`; 0 if none does.
int lineOf(const QString &file, const QString &text)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QStringList lines = QString::fromUtf8(f.readAll()).split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        if (lines.at(i).contains(text))
            return i + 1;
    }
    return 0;
}

} // namespace

class TestPlanReview : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // Three revisions: w1 creates widgets, w2 adds a column to it, w3 creates a table with an odd name.
    void writeScripts()
    {
        writeScript(m_dir.path(), u"1.sql"_s, u"w1"_s, u"none"_s, u"CREATE TABLE widgets (id int, note text);"_s,
                    u"DROP TABLE widgets;"_s);
        writeScript(m_dir.path(), u"2.sql"_s, u"w2"_s, u"w1"_s, u"ALTER TABLE widgets ADD COLUMN colour text;"_s,
                    u"ALTER TABLE widgets DROP COLUMN colour;"_s);
        writeScript(m_dir.path(), u"3.sql"_s, u"w3"_s, u"w2"_s, u"CREATE TABLE \"Odd \"\"Name\"\"\" (id int);"_s,
                    u"DROP TABLE \"Odd \"\"Name\"\"\";"_s);
    }

    // A database at w3 with `rows` widgets and two odd rows.
    QString migratedDb(const QString &name, int rows)
    {
        const QString db = freshDb(name);
        const CliResult up = runCli({u"--url"_s, PgFixture::shared().url(db), u"--migrations"_s, m_dir.path(),
                                     u"upgrade"_s, u"head"_s},
                                    PgFixture::shared().environment(db));
        if (up.exitCode != 0)
            qWarning("%s", qPrintable(up.all()));
        q(db, u"INSERT INTO widgets (id, note, colour) SELECT g, 'n', 'red' FROM generate_series(1, %1) g"_s.arg(rows));
        q(db, u"INSERT INTO \"Odd \"\"Name\"\"\" VALUES (1), (2)"_s);
        return db;
    }

    PlanReview review(const QString &db, MigrationOp op, const QString &target)
    {
        PgConnection connection;
        QString error;
        if (!connection.open(settings(db), &error))
            qWarning("%s", qPrintable(error));
        const ScriptSet scripts = ScriptSet::load(m_dir.path());
        return PlanReviewer(connection, scripts, *VersionTable::fromName(u"alembic_version"_s, nullptr)).review(op, target);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(),
                 qPrintable(PgFixture::shared().errorString()));
        QVERIFY(m_dir.isValid());
        writeScripts();
    }

    void downgradeReportsDroppedRowsFromStatistics()
    {
        const QString db = migratedDb(u"t_review_drop"_s, 1234);
        q(db, u"ANALYZE"_s);
        const PlanReview plan = review(db, MigrationOp::Downgrade, u"base"_s);
        QVERIFY2(plan.ok, qPrintable(plan.error));
        QCOMPARE(plan.op, MigrationOp::Downgrade);
        QCOMPARE(plan.headsBefore, QStringList{u"w3"_s});
        QVERIFY(plan.headsAfter.isEmpty());
        QCOMPARE(plan.steps.size(), 3);
        QCOMPARE(plan.steps.at(0).step.revision, u"w3"_s);
        QCOMPARE(plan.steps.at(0).step.direction, MigrationOp::Downgrade);

        // w2 drops a column of the analyzed table: the estimate is the planner's row count.
        const PlanStepReview &column = plan.steps.at(1);
        QCOMPARE(column.step.revision, u"w2"_s);
        QCOMPARE(column.findings.size(), 1);
        const PlanFinding &c = column.findings.first();
        QCOMPARE(c.rule, u"drops-data"_s);
        QCOMPARE(c.severity, PlanFinding::Severity::Warning);
        QCOMPARE(c.table, u"widgets"_s);
        QCOMPARE(c.column, u"colour"_s);
        QCOMPARE(c.estimatedRows, qint64(1234));
        QVERIFY(!c.rowsAtLeast);
        QCOMPARE(c.line, lineOf(m_dir.filePath(u"2.sql"_s), u"DROP COLUMN colour"_s));
        QVERIFY2(c.message.contains(u"widgets.colour"_s), qPrintable(c.message));

        const PlanStepReview &table = plan.steps.at(2);
        QCOMPARE(table.step.revision, u"w1"_s);
        QCOMPARE(table.findings.size(), 1);
        const PlanFinding &t = table.findings.first();
        QCOMPARE(t.rule, u"drops-data"_s);
        QCOMPARE(t.table, u"widgets"_s);
        QVERIFY(t.column.isEmpty());
        QCOMPARE(t.estimatedRows, qint64(1234));
        QCOMPARE(t.line, lineOf(m_dir.filePath(u"1.sql"_s), u"DROP TABLE widgets"_s));
        QVERIFY(t.line > 0);
        QVERIFY(table.sql.contains(u"DROP TABLE widgets"_s));

        // Reviewing changed nothing.
        QCOMPARE(versions(db), u"w3"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM widgets"_s), u"1234"_s);
    }

    void neverAnalyzedTableIsCountedByQuotedName()
    {
        // No ANALYZE: there are no statistics, so the review counts (the odd name must be quoted by us).
        const QString db = migratedDb(u"t_review_count"_s, 7);
        QCOMPARE(q(db, u"SELECT reltuples < 0 FROM pg_class WHERE relname = 'Odd \"Name\"'"_s), u"t"_s);
        const PlanReview plan = review(db, MigrationOp::Downgrade, u"w2"_s);
        QVERIFY2(plan.ok, qPrintable(plan.error));
        QCOMPARE(plan.steps.size(), 1);
        QCOMPARE(plan.steps.first().findings.size(), 1);
        const PlanFinding &f = plan.steps.first().findings.first();
        QCOMPARE(f.rule, u"drops-data"_s);
        QCOMPARE(f.table, u"\"Odd \"\"Name\"\"\""_s);
        QCOMPARE(f.estimatedRows, qint64(2));
        QVERIFY(!f.rowsAtLeast);
        QCOMPARE(plan.headsAfter, QStringList{u"w2"_s});
    }

    void upgradeHasSqlAndNoFindings()
    {
        const QString db = freshDb(u"t_review_up"_s);
        const PlanReview plan = review(db, MigrationOp::Upgrade, u"head"_s);
        QVERIFY2(plan.ok, qPrintable(plan.error));
        QVERIFY(plan.headsBefore.isEmpty());
        QCOMPARE(plan.headsAfter, QStringList{u"w3"_s});
        QCOMPARE(plan.steps.size(), 3);
        for (const PlanStepReview &s : plan.steps) {
            QCOMPARE(s.step.direction, MigrationOp::Upgrade);
            QVERIFY(s.findings.isEmpty());
        }
        QVERIFY(plan.steps.first().sql.contains(u"CREATE TABLE widgets"_s));
        QVERIFY(!relationExists(db, u"widgets"_s));
    }

    void stampAndRefusalsComeBackAsReviews()
    {
        const QString db = freshDb(u"t_review_stamp"_s);
        const PlanReview stamp = review(db, MigrationOp::Stamp, u"w2"_s);
        QVERIFY2(stamp.ok, qPrintable(stamp.error));
        QVERIFY(stamp.steps.isEmpty());
        QCOMPARE(stamp.headsAfter, QStringList{u"w2"_s});
        QVERIFY(!relationExists(db, u"alembic_version"_s));

        const PlanReview refused = review(db, MigrationOp::Upgrade, u"zzzz"_s);
        QVERIFY(!refused.ok);
        QVERIFY2(refused.error.contains(u"zzzz"_s), qPrintable(refused.error));
    }
};

QTEST_GUILESS_MAIN(TestPlanReview)
#include "tst_planreview.moc"
