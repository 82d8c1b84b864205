// The pre-flight review (issue 12) against the fixture's PostgreSQL: every rule on a positive case and a
// near miss, severity scaled by the live table size (120,000 demo schedules against a small table),
// tables new in the same revision, suppression comments, and the CLI: review's JSON shape, exit codes,
// --offline, --dry-run and the gate before a real upgrade.
#include "bundledrevisions.h"
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include "db/pgconnection.h"
#include "migrations/planreview.h"
#include "migrations/scriptset.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;
using namespace Qt::StringLiterals;

namespace {

const QString kHead = Test::bundledHead(); // the bundled head every test revision branches from
constexpr qint64 kBigSchedules = 120000;

} // namespace

class TestReview : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db; // at the bundled head, 120,000 schedules, a small `widgets` table and a `mood` enum

    PgFixture &pg() { return PgFixture::shared(); }

    CliResult cli(const QString &db, const QStringList &args)
    {
        return runCli(QStringList{u"--url"_s, pg().url(db), u"--migrations"_s, m_dir.path()} + args,
                      pg().environment(db), 300000);
    }

    // A revision on top of the bundled head, with `sql` as its upgrade.
    void addRevision(const QString &id, const QString &sql, bool transactional = true)
    {
        writeScript(m_dir.path(), id + u".sql"_s, id, kHead, sql, u"SELECT 1;"_s, transactional);
    }

    // The file line of the first line of revision `id` that contains `text`.
    int lineOf(const QString &id, const QString &text)
    {
        QFile f(m_dir.filePath(id + u".sql"_s));
        if (!f.open(QIODevice::ReadOnly))
            return 0;
        const QStringList lines = QString::fromUtf8(f.readAll()).split(u'\n');
        for (int i = 0; i < lines.size(); ++i) {
            if (lines.at(i).contains(text))
                return i + 1;
        }
        return 0;
    }

    // The findings of upgrading m_db to `id` (one step), reviewed as the desktop app's worker does.
    QList<PlanFinding> review(const QString &id, const ReviewThresholds &thresholds = ReviewThresholds())
    {
        PgConnection connection;
        QString error;
        if (!connection.open(settings(m_db), &error))
            qWarning("%s", qPrintable(error));
        const ScriptSet scripts = ScriptSet::load(m_dir.path());
        PlanReviewer reviewer(connection, scripts, *VersionTable::fromName(u"alembic_version"_s, nullptr));
        reviewer.setThresholds(thresholds);
        const PlanReview plan = reviewer.review(MigrationOp::Upgrade, id);
        if (!plan.ok || plan.steps.size() != 1) {
            qWarning("review of %s: %s (%d steps)", qPrintable(id), qPrintable(plan.error), int(plan.steps.size()));
            return {};
        }
        return plan.steps.first().findings;
    }

    static QStringList rules(const QList<PlanFinding> &findings)
    {
        QStringList out;
        for (const PlanFinding &f : findings)
            out << f.rule;
        return out;
    }

    static QString describe(const QList<PlanFinding> &findings)
    {
        QStringList out;
        for (const PlanFinding &f : findings)
            out << u"%1/%2/%3: %4"_s.arg(f.rule, PlanFinding::severityName(f.severity), f.table, f.message);
        return out.join(u'\n');
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QDir bundled(QStringLiteral(MD_SOURCE_DIR) + u"/migrations"_s);
        for (const QString &file : bundled.entryList({u"*.sql"_s}, QDir::Files))
            QVERIFY(QFile::copy(bundled.filePath(file), m_dir.filePath(file)));
        const QString error = freshDbAtHead(u"t_review_rules"_s);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_db = u"t_review_rules"_s;
        const CliResult demo = cli(m_db, {u"demo-data"_s, u"--employees"_s, u"200"_s, u"--schedules"_s,
                                          QString::number(kBigSchedules), u"--seed"_s, u"7"_s});
        QVERIFY2(demo.exitCode == 0, qPrintable(demo.all()));
        q(m_db, u"CREATE TYPE mood AS ENUM ('calm', 'busy');"
                "CREATE TABLE widgets (id int, code varchar(10), price numeric(10,2), qty int, note text, m mood, "
                "  maker int);"
                "INSERT INTO widgets SELECT g, 'c' || g, g, g, 'n', 'calm', 1 FROM generate_series(1, 50) g;"
                "CREATE UNIQUE INDEX widgets_id_key ON widgets (id);"
                "CREATE TABLE makers (id int PRIMARY KEY); INSERT INTO makers VALUES (1);"
                "ANALYZE"_s);
        QCOMPARE(q(m_db, u"SELECT count(*) FROM schedules"_s), QString::number(kBigSchedules));
    }

    void indexWithoutConcurrentlyScalesWithTheTable()
    {
        addRevision(u"r_index"_s, u"CREATE INDEX ix_sched_title ON schedules (title);\n"
                                  "CREATE INDEX ix_widgets_note ON widgets (note);"_s);
        const QList<PlanFinding> f = review(u"r_index"_s);
        QCOMPARE(rules(f), (QStringList{u"index-without-concurrently"_s, u"index-without-concurrently"_s}));
        // 120,000 schedules cross the 100,000-row threshold; 50 widgets do not.
        QCOMPARE(f.at(0).table, u"schedules"_s);
        QCOMPARE(f.at(0).severity, PlanFinding::Severity::Danger);
        QVERIFY2(f.at(0).estimatedRows >= 100000, qPrintable(QString::number(f.at(0).estimatedRows)));
        QVERIFY(f.at(0).tableBytes > 0);
        QCOMPARE(f.at(0).lock, u"SHARE"_s);
        QCOMPARE(f.at(0).line, lineOf(u"r_index"_s, u"ix_sched_title"_s));
        QCOMPARE(f.at(1).table, u"widgets"_s);
        QCOMPARE(f.at(1).severity, PlanFinding::Severity::Warning);
        QCOMPARE(f.at(1).estimatedRows, qint64(50));

        // The thresholds are settings: at 10 rows the small table is large enough too.
        ReviewThresholds low;
        low.dangerRows = 10;
        QCOMPARE(review(u"r_index"_s, low).at(1).severity, PlanFinding::Severity::Danger);
        // ... and by bytes alone.
        ReviewThresholds bytes;
        bytes.dangerRows = 1000000000;
        bytes.dangerBytes = 1;
        QCOMPARE(review(u"r_index"_s, bytes).at(1).severity, PlanFinding::Severity::Danger);

        // Near miss: CONCURRENTLY in a non-transactional revision is the safe form.
        addRevision(u"r_index_ok"_s, u"CREATE INDEX CONCURRENTLY ix_sched_title ON schedules (title);\n"
                                     "DROP INDEX CONCURRENTLY widgets_id_key;"_s,
                    false);
        QVERIFY2(review(u"r_index_ok"_s).isEmpty(), qPrintable(describe(review(u"r_index_ok"_s))));

        // DROP INDEX locks the index's table: the finding names that table.
        addRevision(u"r_dropindex"_s, u"DROP INDEX widgets_id_key;"_s);
        const QList<PlanFinding> d = review(u"r_dropindex"_s);
        QCOMPARE(rules(d), QStringList{u"index-without-concurrently"_s});
        QCOMPARE(d.first().table, u"widgets"_s);
        QCOMPARE(d.first().lock, u"ACCESS EXCLUSIVE"_s);
    }

    void concurrentlyInTransactionIsAnError()
    {
        addRevision(u"r_conc"_s, u"CREATE INDEX CONCURRENTLY ix_w ON widgets (qty);\nVACUUM widgets;\n"
                                 "REINDEX INDEX CONCURRENTLY widgets_id_key;"_s);
        const QList<PlanFinding> f = review(u"r_conc"_s);
        QCOMPARE(rules(f), (QStringList{u"concurrently-in-transaction"_s, u"concurrently-in-transaction"_s,
                                        u"concurrently-in-transaction"_s}));
        for (const PlanFinding &e : f)
            QCOMPARE(e.severity, PlanFinding::Severity::Error);
        QCOMPARE(f.at(1).line, lineOf(u"r_conc"_s, u"VACUUM"_s));
    }

    void tableRewrite()
    {
        addRevision(u"r_rewrite"_s, u"ALTER TABLE widgets ALTER COLUMN qty TYPE bigint;\n"
                                    "ALTER TABLE widgets ADD COLUMN uid uuid DEFAULT gen_random_uuid();\n"
                                    "ALTER TABLE widgets ADD COLUMN r float8 DEFAULT random() NOT NULL;\n"
                                    "ALTER TABLE widgets ALTER COLUMN code TYPE varchar(5);"_s);
        const QList<PlanFinding> f = review(u"r_rewrite"_s);
        QCOMPARE(rules(f), QStringList(4, u"table-rewrite"_s));
        QCOMPARE(f.at(0).severity, PlanFinding::Severity::Warning);
        QCOMPARE(f.at(0).lock, u"ACCESS EXCLUSIVE"_s);
        QCOMPARE(f.at(1).line, lineOf(u"r_rewrite"_s, u"gen_random_uuid"_s));

        // Near misses: PostgreSQL changes these without a rewrite, and a constant or stable default is instant.
        addRevision(u"r_rewrite_ok"_s, u"ALTER TABLE widgets ALTER COLUMN code TYPE text;\n"
                                       "ALTER TABLE widgets ALTER COLUMN note TYPE varchar;\n"
                                       "ALTER TABLE widgets ALTER COLUMN price TYPE numeric(12,2);\n"
                                       "ALTER TABLE widgets ADD COLUMN flag boolean NOT NULL DEFAULT false;\n"
                                       "ALTER TABLE widgets ADD COLUMN at timestamptz DEFAULT now();\n"
                                       "ALTER TABLE widgets ADD COLUMN label text DEFAULT upper('x');"_s);
        QVERIFY2(review(u"r_rewrite_ok"_s).isEmpty(), qPrintable(describe(review(u"r_rewrite_ok"_s))));
        addRevision(u"r_rewrite_wider"_s, u"ALTER TABLE widgets ALTER COLUMN code TYPE varchar(40);"_s);
        QVERIFY(review(u"r_rewrite_wider"_s).isEmpty());
        // A scale change does rewrite.
        addRevision(u"r_rewrite_scale"_s, u"ALTER TABLE widgets ALTER COLUMN price TYPE numeric(12,3);"_s);
        QCOMPARE(rules(review(u"r_rewrite_scale"_s)), QStringList{u"table-rewrite"_s});
    }

    void notNullScan()
    {
        addRevision(u"r_notnull"_s, u"ALTER TABLE widgets ALTER COLUMN note SET NOT NULL;"_s);
        const QList<PlanFinding> f = review(u"r_notnull"_s);
        QCOMPARE(rules(f), QStringList{u"not-null-scan"_s});
        QCOMPARE(f.first().column, QString());
        QCOMPARE(f.first().table, u"widgets"_s);

        // Near miss: the validated CHECK lets SET NOT NULL skip its scan, whether it is added in the same
        // revision (NOT VALID, then VALIDATE) or already in the database.
        addRevision(u"r_notnull_ok"_s, u"ALTER TABLE widgets ADD CONSTRAINT note_nn CHECK (note IS NOT NULL) NOT VALID;\n"
                                       "ALTER TABLE widgets VALIDATE CONSTRAINT note_nn;\n"
                                       "ALTER TABLE widgets ALTER COLUMN note SET NOT NULL;"_s);
        QVERIFY2(review(u"r_notnull_ok"_s).isEmpty(), qPrintable(describe(review(u"r_notnull_ok"_s))));
        q(m_db, u"ALTER TABLE widgets ADD CONSTRAINT qty_nn CHECK (qty IS NOT NULL)"_s);
        addRevision(u"r_notnull_db"_s, u"ALTER TABLE widgets ALTER COLUMN qty SET NOT NULL;"_s);
        QVERIFY(review(u"r_notnull_db"_s).isEmpty());
        // Not validated in the database is not proof.
        q(m_db, u"ALTER TABLE widgets ADD CONSTRAINT price_nn CHECK (price IS NOT NULL) NOT VALID"_s);
        addRevision(u"r_notnull_nv"_s, u"ALTER TABLE widgets ALTER COLUMN price SET NOT NULL;"_s);
        QCOMPARE(rules(review(u"r_notnull_nv"_s)), QStringList{u"not-null-scan"_s});
    }

    void constraintScan()
    {
        addRevision(u"r_check"_s, u"ALTER TABLE widgets ADD CONSTRAINT qty_pos CHECK (qty > 0);\n"
                                  "ALTER TABLE widgets ADD CONSTRAINT w_maker FOREIGN KEY (maker) REFERENCES makers (id);"_s);
        const QList<PlanFinding> f = review(u"r_check"_s);
        QCOMPARE(rules(f), (QStringList{u"constraint-scan"_s, u"constraint-scan"_s}));
        QCOMPARE(f.at(0).lock, u"ACCESS EXCLUSIVE"_s);
        QCOMPARE(f.at(1).lock, u"SHARE ROW EXCLUSIVE"_s);

        // Near miss: NOT VALID, then VALIDATE CONSTRAINT.
        addRevision(u"r_check_ok"_s, u"ALTER TABLE widgets ADD CONSTRAINT qty_pos CHECK (qty > 0) NOT VALID;\n"
                                     "ALTER TABLE widgets VALIDATE CONSTRAINT qty_pos;\n"
                                     "ALTER TABLE widgets ADD CONSTRAINT w_maker FOREIGN KEY (maker) REFERENCES makers (id) NOT VALID;\n"
                                     "ALTER TABLE widgets VALIDATE CONSTRAINT w_maker;"_s);
        QVERIFY2(review(u"r_check_ok"_s).isEmpty(), qPrintable(describe(review(u"r_check_ok"_s))));
    }

    void uniqueBuildsIndex()
    {
        addRevision(u"r_unique"_s, u"ALTER TABLE widgets ADD CONSTRAINT w_code UNIQUE (code);"_s);
        QCOMPARE(rules(review(u"r_unique"_s)), QStringList{u"unique-builds-index"_s});
        addRevision(u"r_pkey"_s, u"ALTER TABLE widgets ADD PRIMARY KEY (id);"_s);
        QCOMPARE(rules(review(u"r_pkey"_s)), QStringList{u"unique-builds-index"_s});
        // Near miss: the index was built (concurrently) before; the constraint only adopts it.
        addRevision(u"r_unique_ok"_s, u"ALTER TABLE widgets ADD CONSTRAINT w_id UNIQUE USING INDEX widgets_id_key;"_s);
        QVERIFY2(review(u"r_unique_ok"_s).isEmpty(), qPrintable(describe(review(u"r_unique_ok"_s))));
    }

    void dropsData()
    {
        addRevision(u"r_drops"_s, u"DELETE FROM widgets;\nUPDATE widgets SET note = 'x';\nTRUNCATE widgets;\n"
                                  "ALTER TABLE widgets DROP COLUMN note;\nDROP TABLE widgets;"_s);
        const QList<PlanFinding> f = review(u"r_drops"_s);
        QCOMPARE(rules(f), QStringList(5, u"drops-data"_s));
        QCOMPARE(f.at(0).estimatedRows, qint64(50));
        QCOMPARE(f.at(0).lock, u"ROW EXCLUSIVE"_s);
        QCOMPARE(f.at(3).column, u"note"_s);
        QVERIFY2(f.at(4).message.contains(u"50 rows"_s), qPrintable(f.at(4).message));
        // Near miss: a WHERE, and a table that does not exist.
        addRevision(u"r_drops_ok"_s, u"DELETE FROM widgets WHERE id = 1;\nUPDATE widgets SET note = 'x' WHERE id = 2;\n"
                                     "DROP TABLE IF EXISTS no_such_table;"_s);
        QVERIFY2(review(u"r_drops_ok"_s).isEmpty(), qPrintable(describe(review(u"r_drops_ok"_s))));
    }

    void rename()
    {
        addRevision(u"r_rename"_s, u"ALTER TABLE widgets RENAME COLUMN note TO body;\nALTER TABLE makers RENAME TO brands;"_s);
        const QList<PlanFinding> f = review(u"r_rename"_s);
        QCOMPARE(rules(f), (QStringList{u"rename"_s, u"rename"_s}));
        QCOMPARE(f.at(0).column, u"note"_s);
        QCOMPARE(f.at(1).table, u"makers"_s);
        // Near miss: a column that does not exist yet (added in this revision) and a constraint rename.
        addRevision(u"r_rename_ok"_s, u"ALTER TABLE widgets ADD COLUMN draft text;\n"
                                      "ALTER TABLE widgets RENAME COLUMN draft TO final;\n"
                                      "ALTER TABLE makers RENAME CONSTRAINT makers_pkey TO makers_pk;"_s);
        QVERIFY2(review(u"r_rename_ok"_s).isEmpty(), qPrintable(describe(review(u"r_rename_ok"_s))));
    }

    void enumValueInTransaction()
    {
        addRevision(u"r_enum"_s, u"ALTER TYPE mood ADD VALUE 'angry';\nUPDATE widgets SET m = 'angry' WHERE id = 1;"_s);
        const QList<PlanFinding> f = review(u"r_enum"_s);
        QCOMPARE(rules(f), QStringList{u"enum-value-in-transaction"_s});
        QCOMPARE(f.first().severity, PlanFinding::Severity::Error);
        QCOMPARE(f.first().line, lineOf(u"r_enum"_s, u"UPDATE widgets"_s));
        // Near misses: the value alone, and a non-transactional revision (each statement commits).
        addRevision(u"r_enum_ok"_s, u"ALTER TYPE mood ADD VALUE 'sleepy';\nUPDATE widgets SET m = 'busy' WHERE id = 1;"_s);
        QVERIFY2(review(u"r_enum_ok"_s).isEmpty(), qPrintable(describe(review(u"r_enum_ok"_s))));
        addRevision(u"r_enum_nt"_s, u"ALTER TYPE mood ADD VALUE 'angry';\nUPDATE widgets SET m = 'angry' WHERE id = 1;"_s, false);
        QVERIFY(review(u"r_enum_nt"_s).isEmpty());
    }

    void tableNewInTheSameRevisionHasNoFinding()
    {
        // schedules exists, so the same statements on it are findings; on `fresh` they are not.
        addRevision(u"r_new"_s, u"CREATE TABLE fresh (id int, code varchar(5), note text);\n"
                                "CREATE INDEX ix_fresh ON fresh (code);\n"
                                "ALTER TABLE fresh ALTER COLUMN id TYPE bigint;\n"
                                "ALTER TABLE fresh ADD COLUMN uid uuid DEFAULT gen_random_uuid();\n"
                                "ALTER TABLE fresh ALTER COLUMN note SET NOT NULL;\n"
                                "ALTER TABLE fresh ADD CONSTRAINT fresh_pos CHECK (id > 0);\n"
                                "ALTER TABLE fresh ADD PRIMARY KEY (id);\n"
                                "ALTER TABLE fresh RENAME COLUMN note TO body;\n"
                                "DELETE FROM fresh;"_s);
        QVERIFY2(review(u"r_new"_s).isEmpty(), qPrintable(describe(review(u"r_new"_s))));
    }

    void suppressionNeedsAReason()
    {
        addRevision(u"r_allow"_s, u"-- review: allow index-without-concurrently built at night, schedules is read-only then\n"
                                  "CREATE INDEX ix_a ON schedules (title);\n"
                                  "-- review: allow index-without-concurrently\n"
                                  "CREATE INDEX ix_b ON widgets (note);"_s);
        const QList<PlanFinding> f = review(u"r_allow"_s);
        QCOMPARE(rules(f), (QStringList{u"index-without-concurrently"_s, u"index-without-concurrently"_s,
                                        u"suppression-without-reason"_s}));
        QCOMPARE(f.at(0).allowed, u"built at night, schedules is read-only then"_s);
        QVERIFY(f.at(0).isAllowed());
        QVERIFY(!f.at(1).isAllowed()); // no reason: it allows nothing...
        QCOMPARE(f.at(2).line, lineOf(u"r_allow"_s, u"ix_b"_s) - 1); // the comment's own line
        QCOMPARE(f.at(2).severity, PlanFinding::Severity::Warning); // ... and is reported itself
    }

    void cliJsonShapeAndExitCodes()
    {
        // review r_index: a danger and a warning. Default --fail-on error: exit 0.
        const CliResult json = cli(m_db, {u"--json"_s, u"review"_s, u"r_index"_s});
        QVERIFY2(json.exitCode == 0, qPrintable(json.all()));
        const QJsonObject doc = QJsonDocument::fromJson(json.out.toUtf8()).object();
        const QJsonArray steps = doc.value(u"steps"_s).toArray();
        QCOMPARE(steps.size(), 1);
        const QJsonObject step = steps.first().toObject();
        QCOMPARE(step.value(u"revision"_s).toString(), u"r_index"_s);
        QCOMPARE(step.value(u"direction"_s).toString(), u"upgrade"_s);
        const QJsonArray findings = step.value(u"findings"_s).toArray();
        QCOMPARE(findings.size(), 2);
        const QJsonObject big = findings.first().toObject();
        for (const QString &key : {u"rule"_s, u"severity"_s, u"message"_s, u"line"_s, u"table"_s, u"estimated_rows"_s,
                                   u"table_bytes"_s, u"lock"_s})
            QVERIFY2(big.contains(key), qPrintable(key));
        QCOMPARE(big.value(u"rule"_s).toString(), u"index-without-concurrently"_s);
        QCOMPARE(big.value(u"severity"_s).toString(), u"danger"_s);
        QCOMPARE(big.value(u"line"_s).toInt(), lineOf(u"r_index"_s, u"ix_sched_title"_s));
        QCOMPARE(big.value(u"table"_s).toString(), u"schedules"_s);
        QVERIFY(big.value(u"estimated_rows"_s).toInteger() >= 100000);
        QVERIFY(big.value(u"table_bytes"_s).toInteger() > 0);
        QCOMPARE(big.value(u"lock"_s).toString(), u"SHARE"_s);

        // --fail-on danger: the danger finding fails it (5); --fail-on warning too; an error revision fails
        // the default.
        QCOMPARE(cli(m_db, {u"review"_s, u"r_index"_s, u"--fail-on"_s, u"danger"_s}).exitCode, 5);
        QCOMPARE(cli(m_db, {u"review"_s, u"r_rename"_s, u"--fail-on"_s, u"danger"_s}).exitCode, 0);
        QCOMPARE(cli(m_db, {u"review"_s, u"r_rename"_s, u"--fail-on"_s, u"warning"_s}).exitCode, 5);
        const CliResult error = cli(m_db, {u"review"_s, u"r_conc"_s});
        QCOMPARE(error.exitCode, 5);
        QVERIFY2(error.out.contains(u"error concurrently-in-transaction"_s), qPrintable(error.all()));
        // A suppressed finding does not fail, and says why it is allowed.
        const CliResult allowed = cli(m_db, {u"review"_s, u"r_allow"_s, u"--fail-on"_s, u"danger"_s});
        QVERIFY2(allowed.exitCode == 0, qPrintable(allowed.all()));
        QVERIFY2(allowed.out.contains(u"allowed: built at night"_s), qPrintable(allowed.out));
        // Bad options are usage errors (2).
        QCOMPARE(cli(m_db, {u"review"_s, u"--fail-on"_s, u"bad"_s}).exitCode, 2);
        QCOMPARE(cli(m_db, {u"review"_s, u"--downgrade"_s}).exitCode, 2);
        QCOMPARE(cli(m_db, {u"review"_s, u"r_index"_s, u"--danger-rows"_s, u"many"_s}).exitCode, 2);
        // The thresholds from the command line.
        const CliResult low = cli(m_db, {u"--json"_s, u"review"_s, u"r_index"_s, u"--danger-rows"_s, u"10"_s});
        const QJsonArray lowFindings = QJsonDocument::fromJson(low.out.toUtf8()).object().value(u"steps"_s).toArray()
                                           .first().toObject().value(u"findings"_s).toArray();
        QCOMPARE(lowFindings.at(1).toObject().value(u"severity"_s).toString(), u"danger"_s);
        // A downgrade review: the bundled head's downgrade drops nothing big, and reviewing changed nothing.
        const CliResult down = cli(m_db, {u"--json"_s, u"review"_s, u"--downgrade"_s, u"ce3d30390578"_s});
        QVERIFY2(down.exitCode == 0, qPrintable(down.all()));
        const QJsonArray downSteps = QJsonDocument::fromJson(down.out.toUtf8()).object().value(u"steps"_s).toArray();
        QCOMPARE(downSteps.size(), Test::bundledRevisions().size() - 2); // down to the second revision
        QCOMPARE(downSteps.first().toObject().value(u"direction"_s).toString(), u"downgrade"_s);
        QCOMPARE(versions(m_db), kHead);
    }

    void offlineNeedsNoDatabase()
    {
        // No --url and an environment pointing nowhere: --offline reads the scripts alone.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"PGHOST"_s, u"/nonexistent"_s);
        env.remove(u"DATABASE_URL"_s);
        const CliResult r = runCli({u"--json"_s, u"--migrations"_s, m_dir.path(), u"review"_s, u"--offline"_s,
                                    u"--from"_s, kHead, u"r_index"_s},
                                   env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        const QJsonArray findings = QJsonDocument::fromJson(r.out.toUtf8()).object().value(u"steps"_s).toArray()
                                        .first().toObject().value(u"findings"_s).toArray();
        QCOMPARE(findings.size(), 2);
        // Sizes unknown: severity from the rule alone (warning), never danger.
        const QJsonObject big = findings.first().toObject();
        QCOMPARE(big.value(u"severity"_s).toString(), u"warning"_s);
        QVERIFY(big.value(u"estimated_rows"_s).isNull());
        QVERIFY(big.value(u"table_bytes"_s).isNull());
        // An error rule needs no database: exit 5 offline too.
        QCOMPARE(runCli({u"--migrations"_s, m_dir.path(), u"review"_s, u"--offline"_s, u"--from"_s, kHead, u"r_conc"_s},
                        env).exitCode,
                 5);
        // From base, the tables the bundled scripts create are new: their later changes are no finding.
        const CliResult fromBase = runCli({u"--json"_s, u"--migrations"_s, QStringLiteral(MD_SOURCE_DIR) + u"/migrations"_s,
                                           u"review"_s, u"--offline"_s}, env);
        QVERIFY2(fromBase.exitCode == 0, qPrintable(fromBase.all()));
        const QJsonArray baseSteps = QJsonDocument::fromJson(fromBase.out.toUtf8()).object().value(u"steps"_s).toArray();
        QCOMPARE(baseSteps.size(), Test::bundledRevisions().size());
        for (const QJsonValue &s : baseSteps)
            QVERIFY2(s.toObject().value(u"findings"_s).toArray().isEmpty(), qPrintable(fromBase.out));
        // --from without --offline is a usage error.
        QCOMPARE(cli(m_db, {u"review"_s, u"--from"_s, kHead}).exitCode, 2);
    }

    void dryRunShowsTheReview()
    {
        const CliResult text = cli(m_db, {u"upgrade"_s, u"r_index"_s, u"--dry-run"_s});
        QVERIFY2(text.exitCode == 0, qPrintable(text.all()));
        QVERIFY2(text.out.contains(u"danger: Builds an index on schedules"_s), qPrintable(text.out));
        const CliResult json = cli(m_db, {u"--json"_s, u"upgrade"_s, u"r_conc"_s, u"--dry-run"_s});
        QVERIFY2(json.exitCode == 0, qPrintable(json.all()));
        const QJsonArray findings = QJsonDocument::fromJson(json.out.toUtf8()).object().value(u"plan"_s).toArray()
                                        .first().toObject().value(u"findings"_s).toArray();
        QCOMPARE(findings.size(), 3);
        QCOMPARE(findings.first().toObject().value(u"severity"_s).toString(), u"error"_s);
        QCOMPARE(versions(m_db), kHead);
    }

    void errorFindingStopsTheRunBeforeAnythingChanges()
    {
        const QString index = q(m_db, u"SELECT count(*) FROM pg_indexes WHERE tablename = 'widgets'"_s);
        const CliResult stopped = cli(m_db, {u"upgrade"_s, u"r_conc"_s});
        QCOMPARE(stopped.exitCode, 5);
        QVERIFY2(stopped.err.contains(u"error concurrently-in-transaction"_s), qPrintable(stopped.all()));
        QVERIFY2(stopped.err.contains(u"--accept"_s), qPrintable(stopped.all()));
        QCOMPARE(versions(m_db), kHead);
        QCOMPARE(q(m_db, u"SELECT count(*) FROM pg_indexes WHERE tablename = 'widgets'"_s), index);
        QCOMPARE(q(m_db, u"SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'widgets' AND last_vacuum IS NOT NULL"_s),
                 u"0"_s);

        // --accept lets the run go on: then PostgreSQL itself refuses CREATE INDEX CONCURRENTLY in the
        // revision's transaction, which rolls back (exit 1), still with nothing changed.
        const CliResult accepted = cli(m_db, {u"upgrade"_s, u"r_conc"_s, u"--accept"_s, u"concurrently-in-transaction"_s});
        QVERIFY2(accepted.exitCode == 1, qPrintable(accepted.all()));
        QVERIFY2(accepted.all().contains(u"CONCURRENTLY"_s), qPrintable(accepted.all()));
        QCOMPARE(versions(m_db), kHead);
        // --accept names rules: accepting another one does not open the gate.
        QCOMPARE(cli(m_db, {u"upgrade"_s, u"r_enum"_s, u"--accept"_s, u"concurrently-in-transaction"_s}).exitCode, 5);
        QCOMPARE(versions(m_db), kHead);

        // A danger finding is printed before the run, which goes ahead.
        const CliResult danger = cli(m_db, {u"upgrade"_s, u"r_index"_s});
        QVERIFY2(danger.exitCode == 0, qPrintable(danger.all()));
        QVERIFY2(danger.err.contains(u"danger index-without-concurrently"_s), qPrintable(danger.err));
        // Warnings (the small table's index) are for review and --dry-run, not for the run.
        QVERIFY2(!danger.err.contains(u"warning index-without-concurrently"_s), qPrintable(danger.err));
        QCOMPARE(versions(m_db), u"r_index"_s);
    }
};

QTEST_GUILESS_MAIN(TestReview)
#include "tst_review.moc"
