// End-to-end tests of the real migrationdesk-cli executable against the fixture's PostgreSQL.
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {
const QString kHead = QStringLiteral("dd46251f4bbc");
const QString kRev1 = QStringLiteral("317093d76fd2");
const QString kRev2 = QStringLiteral("ce3d30390578");
const QString kRev3 = QStringLiteral("a6341ce60c38");
} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    PgFixture &pg() { return PgFixture::shared(); }
    CliResult cli(const QString &db, const QStringList &args, int timeoutMs = 120000)
    {
        return runCli(QStringList{QStringLiteral("--url"), pg().url(db)} + args, pg().environment(db), timeoutMs);
    }
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(pg().isRunning() || pg().start(), qPrintable(pg().errorString()));
    }

    void versionAndHelpWorkWithoutDatabase()
    {
        const CliResult v = runCli({QStringLiteral("--version")}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith(QLatin1String("migrationdesk-cli ")));
        const CliResult h = runCli({QStringLiteral("--help")}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(h.exitCode, 0);
        QVERIFY(h.out.contains(QLatin1String("downgrade TARGET")));
        const CliResult bad = runCli({QStringLiteral("frobnicate")}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(bad.exitCode, 2);
        const CliResult lateGlobal = runCli({QStringLiteral("current"), QStringLiteral("--json")}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(lateGlobal.exitCode, 2);
    }

    void upgradeHeadThenCurrentAndHistory()
    {
        const QString db = freshDb(QStringLiteral("t_basic"));
        const CliResult up = cli(db, {QStringLiteral("upgrade"), QStringLiteral("head")});
        QVERIFY2(up.exitCode == 0, qPrintable(up.all()));
        QVERIFY(up.err.contains(QLatin1String("Running upgrade  -> 317093d76fd2")));
        QCOMPARE(versions(db), kHead);
        QVERIFY(relationExists(db, QStringLiteral("employees")));
        const CliResult cur = cli(db, {QStringLiteral("current")});
        QCOMPARE(cur.exitCode, 0);
        QCOMPARE(cur.out.trimmed(), kHead + QStringLiteral(" (head)"));
        // Every revision recorded once, with who/where/checksum.
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM migrationdesk.history WHERE success AND direction = 'upgrade'")), QStringLiteral("4"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM migrationdesk.history WHERE length(script_sha256) = 64 AND db_user = 'postgres' "
                                      "AND client_host <> '' AND app_version <> '' AND duration_ms >= 0")),
                 QStringLiteral("4"));
        // The version table is exactly Alembic's.
        QCOMPARE(q(db, QStringLiteral("SELECT conname FROM pg_constraint WHERE conrelid = 'alembic_version'::regclass")),
                 QStringLiteral("alembic_version_pkc"));
        QCOMPARE(q(db, QStringLiteral("SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute "
                                      "WHERE attrelid = 'alembic_version'::regclass AND attname = 'version_num'")),
                 QStringLiteral("character varying(32) true"));
        // Our bookkeeping never shows in the user's schema.
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE '%history%'")), QStringLiteral("0"));

        const CliResult hist = cli(db, {QStringLiteral("history")});
        QCOMPARE(hist.exitCode, 0);
        const QStringList lines = hist.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 4);
        QVERIFY(lines.first().startsWith(kRev3 + QStringLiteral(" -> ") + kHead + QStringLiteral(" (head), ")));
        QCOMPARE(lines.last(), QStringLiteral("<base> -> 317093d76fd2, Initial migration"));
        const CliResult again = cli(db, {QStringLiteral("upgrade"), QStringLiteral("head")});
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM migrationdesk.history")), QStringLiteral("4"));
        // Upgrading to an ancestor of the current revision does nothing and succeeds.
        const CliResult ancestor = cli(db, {QStringLiteral("upgrade"), kRev1});
        QCOMPARE(ancestor.exitCode, 0);
        QCOMPARE(versions(db), kHead);
    }

    void everyTargetForm()
    {
        const QString db = freshDb(QStringLiteral("t_targets"));
        struct Move { QStringList args; int exit; QString versionAfter; };
        const QList<Move> moves = {
            {{QStringLiteral("upgrade"), QStringLiteral("+1")}, 0, kRev1},
            {{QStringLiteral("upgrade"), QStringLiteral("+2")}, 0, kRev3},
            {{QStringLiteral("downgrade"), QStringLiteral("-1")}, 0, kRev2},
            {{QStringLiteral("upgrade"), QStringLiteral("dd46")}, 0, kHead},          // unique prefix
            {{QStringLiteral("downgrade"), kRev2}, 0, kRev2},                        // full id
            {{QStringLiteral("upgrade"), kRev1 + QStringLiteral("+2")}, 0, kRev3},  // REV+N
            {{QStringLiteral("downgrade"), kRev3 + QStringLiteral("-2")}, 0, kRev1}, // REV-N
            {{QStringLiteral("upgrade"), QStringLiteral("heads")}, 0, kHead},
            {{QStringLiteral("downgrade"), QStringLiteral("base")}, 0, QString()},
            {{QStringLiteral("upgrade"), QStringLiteral("zzzz")}, 2, QString()},     // unknown
            {{QStringLiteral("downgrade"), QStringLiteral("-1")}, 2, QString()},     // below base
            {{QStringLiteral("upgrade"), QStringLiteral("+9")}, 2, QString()},       // past head
            {{QStringLiteral("upgrade"), QStringLiteral("head")}, 0, kHead},
        };
        for (const Move &m : moves) {
            const CliResult r = cli(db, m.args);
            QVERIFY2(r.exitCode == m.exit, qPrintable(m.args.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.all()));
            QCOMPARE(versions(db), m.versionAfter);
        }
    }

    void ambiguousPrefixIsRefused()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), QStringLiteral("a.sql"), QStringLiteral("abc1"), QStringLiteral("none"), QStringLiteral("SELECT 1;"), QStringLiteral("SELECT 1;"));
        writeScript(dir.path(), QStringLiteral("b.sql"), QStringLiteral("abc2"), QStringLiteral("abc1"), QStringLiteral("SELECT 1;"), QStringLiteral("SELECT 1;"));
        const QString db = freshDb(QStringLiteral("t_prefix"));
        const CliResult r = cli(db, {QStringLiteral("--migrations"), dir.path(), QStringLiteral("upgrade"), QStringLiteral("abc")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("abc1")) && r.err.contains(QLatin1String("abc2")), qPrintable(r.err));
        QVERIFY(!relationExists(db, QStringLiteral("alembic_version")));
        // An exact id wins over being a prefix of another id.
        writeScript(dir.path(), QStringLiteral("c.sql"), QStringLiteral("abc"), QStringLiteral("abc2"), QStringLiteral("SELECT 1;"), QStringLiteral("SELECT 1;"));
        const CliResult exact = cli(db, {QStringLiteral("--migrations"), dir.path(), QStringLiteral("upgrade"), QStringLiteral("abc")});
        QVERIFY2(exact.exitCode == 0, qPrintable(exact.all()));
        QCOMPARE(versions(db), QStringLiteral("abc"));
    }

    void branchedAndMergedGraph()
    {
        // a -> b -> (c1 -> d1, c2) -> m : one version row per head while branched, one after the merge.
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, QStringLiteral("a.sql"), QStringLiteral("aaaa"), QStringLiteral("none"), QStringLiteral("CREATE TABLE t_a (id int);"), QStringLiteral("DROP TABLE t_a;"));
        writeScript(d, QStringLiteral("b.sql"), QStringLiteral("bbbb"), QStringLiteral("aaaa"), QStringLiteral("CREATE TABLE t_b (id int);"), QStringLiteral("DROP TABLE t_b;"));
        writeScript(d, QStringLiteral("c1.sql"), QStringLiteral("c111"), QStringLiteral("bbbb"), QStringLiteral("CREATE TABLE t_c1 (id int);"), QStringLiteral("DROP TABLE t_c1;"));
        writeScript(d, QStringLiteral("d1.sql"), QStringLiteral("d111"), QStringLiteral("c111"), QStringLiteral("CREATE TABLE t_d1 (id int);"), QStringLiteral("DROP TABLE t_d1;"));
        writeScript(d, QStringLiteral("c2.sql"), QStringLiteral("c222"), QStringLiteral("bbbb"), QStringLiteral("CREATE TABLE t_c2 (id int);"), QStringLiteral("DROP TABLE t_c2;"));
        const QString db = freshDb(QStringLiteral("t_branches"));
        const QStringList base = {QStringLiteral("--migrations"), d};
        QCOMPARE(cli(db, base + QStringList{QStringLiteral("upgrade"), QStringLiteral("head")}).exitCode, 2); // two heads: refused
        CliResult r = cli(db, base + QStringList{QStringLiteral("upgrade"), QStringLiteral("heads")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), QStringLiteral("c222,d111"));
        // Downgrading to a revision on one branch removes only what depends on it.
        r = cli(db, base + QStringList{QStringLiteral("downgrade"), QStringLiteral("c111")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), QStringLiteral("c111,c222"));
        QVERIFY(!relationExists(db, QStringLiteral("t_d1")));
        QVERIFY(relationExists(db, QStringLiteral("t_c1")));
        QVERIFY(relationExists(db, QStringLiteral("t_c2")));
        // Downgrading the whole c2 branch below the branch point deletes its row.
        r = cli(db, base + QStringList{QStringLiteral("downgrade"), QStringLiteral("c222-1")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), QStringLiteral("bbbb"));
        r = cli(db, base + QStringList{QStringLiteral("upgrade"), QStringLiteral("heads")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), QStringLiteral("c222,d111"));
        // merge writes a script joining both heads; upgrading to it leaves a single row.
        r = runCli({QStringLiteral("--migrations"), d, QStringLiteral("merge"), QStringLiteral("heads"), QStringLiteral("-m"), QStringLiteral("join branches"), QStringLiteral("--rev-id"), QStringLiteral("mmmm")},
                   pg().environment(db));
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        r = cli(db, base + QStringList{QStringLiteral("upgrade"), QStringLiteral("head")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), QStringLiteral("mmmm"));
        // -1 from a merge point is ambiguous.
        r = cli(db, base + QStringList{QStringLiteral("downgrade"), QStringLiteral("-1")});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(versions(db), QStringLiteral("mmmm"));
        r = cli(db, base + QStringList{QStringLiteral("downgrade"), QStringLiteral("bbbb")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), QStringLiteral("bbbb"));
        QVERIFY(!relationExists(db, QStringLiteral("t_c1")) && !relationExists(db, QStringLiteral("t_c2")) && !relationExists(db, QStringLiteral("t_d1")));
        const CliResult branches = runCli(base + QStringList{QStringLiteral("branches")}, pg().environment(db));
        QVERIFY(branches.out.contains(QLatin1String("bbbb (branchpoint)")));
        const CliResult heads = runCli(base + QStringList{QStringLiteral("heads")}, pg().environment(db));
        QCOMPARE(heads.out.trimmed(), QStringLiteral("mmmm (head)"));
    }

    void failingRevisionRollsBackOnlyItself()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, QStringLiteral("1.sql"), QStringLiteral("r1"), QStringLiteral("none"), QStringLiteral("CREATE TABLE ok_table (id int);"), QStringLiteral("DROP TABLE ok_table;"));
        writeScript(d, QStringLiteral("2.sql"), QStringLiteral("r2"), QStringLiteral("r1"),
                    QStringLiteral("CREATE TABLE half_table (id int);\nINSERT INTO half_table VALUES (1);\n\nSELECT 1 / 0;"),
                    QStringLiteral("DROP TABLE half_table;"));
        const QString db = freshDb(QStringLiteral("t_fail"));
        const CliResult r = cli(db, {QStringLiteral("--migrations"), d, QStringLiteral("upgrade"), QStringLiteral("head")});
        QCOMPARE(r.exitCode, 1);
        // Revision, file, statement line, server message and SQLSTATE.
        QVERIFY2(r.err.contains(QLatin1String("r2")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QDir(d).filePath(QStringLiteral("2.sql")) + QStringLiteral(":10")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("division by zero")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("22012")), qPrintable(r.err));
        QCOMPARE(versions(db), QStringLiteral("r1"));
        QVERIFY(relationExists(db, QStringLiteral("ok_table")));
        QVERIFY(!relationExists(db, QStringLiteral("half_table")));
        QCOMPARE(q(db, QStringLiteral("SELECT success || ':' || revision FROM migrationdesk.history ORDER BY id")),
                 QStringLiteral("true:r1\nfalse:r2"));
        QVERIFY(q(db, QStringLiteral("SELECT error FROM migrationdesk.history WHERE NOT success")).contains(QLatin1String("division by zero")));

        // --single-transaction: all or nothing.
        const QString db2 = freshDb(QStringLiteral("t_fail_single"));
        const CliResult s = cli(db2, {QStringLiteral("--migrations"), d, QStringLiteral("upgrade"), QStringLiteral("head"), QStringLiteral("--single-transaction")});
        QCOMPARE(s.exitCode, 1);
        QVERIFY(!relationExists(db2, QStringLiteral("ok_table")));
        QVERIFY(!relationExists(db2, QStringLiteral("alembic_version")));
    }

    void singleTransactionRefusesNonTransactional()
    {
        const QString db = freshDb(QStringLiteral("t_single_nt"));
        const CliResult r = cli(db, {QStringLiteral("--single-transaction"), QStringLiteral("upgrade"), QStringLiteral("head")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(kHead), qPrintable(r.err));
        QVERIFY(!relationExists(db, QStringLiteral("employees")));
    }

    void dryRunChangesNothing()
    {
        const QString db = freshDb(QStringLiteral("t_dry"));
        const CliResult r = cli(db, {QStringLiteral("upgrade"), QStringLiteral("head"), QStringLiteral("--dry-run")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY(r.out.contains(kRev1) && r.out.contains(kHead));
        QVERIFY(r.out.contains(QLatin1String("non-transactional")));
        QVERIFY(!relationExists(db, QStringLiteral("employees")));
        QVERIFY(!relationExists(db, QStringLiteral("alembic_version")));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM pg_namespace WHERE nspname = 'migrationdesk'")), QStringLiteral("0"));
    }

    void dryRunDowngradeShowsDropWarnings()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), QStringLiteral("1.sql"), QStringLiteral("w1"), QStringLiteral("none"),
                    QStringLiteral("CREATE TABLE widgets (id int);"), QStringLiteral("DROP TABLE widgets;"));
        writeScript(dir.path(), QStringLiteral("2.sql"), QStringLiteral("w2"), QStringLiteral("w1"),
                    QStringLiteral("ALTER TABLE widgets ADD COLUMN colour text;"),
                    QStringLiteral("ALTER TABLE widgets DROP COLUMN colour;"));
        const QString db = freshDb(QStringLiteral("t_dry_drop"));
        const QStringList base{QStringLiteral("--migrations"), dir.path()};
        QCOMPARE(cli(db, base + QStringList{QStringLiteral("upgrade"), QStringLiteral("head")}).exitCode, 0);
        q(db, QStringLiteral("INSERT INTO widgets SELECT g, 'red' FROM generate_series(1, 1234) g"));
        q(db, QStringLiteral("ANALYZE widgets"));

        // Text: each step's warnings right under it, with the row estimate.
        const CliResult text = cli(db, base + QStringList{QStringLiteral("downgrade"), QStringLiteral("base"), QStringLiteral("--dry-run")});
        QVERIFY2(text.exitCode == 0, qPrintable(text.all()));
        const QStringList lines = text.out.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 6); // header, step, warning, step, warning, ""
        QVERIFY2(lines.at(1).contains(QLatin1String("downgrade w2")), qPrintable(text.out));
        QVERIFY2(lines.at(2).startsWith(QLatin1String("       warning: Drops column widgets.colour and its values (")), qPrintable(text.out));
        QVERIFY2(lines.at(3).contains(QLatin1String("downgrade w1")), qPrintable(text.out));
        QVERIFY2(lines.at(4).startsWith(QLatin1String("       warning: Drops table widgets and all its data (")), qPrintable(text.out));
        QVERIFY2(lines.at(4).contains(QRegularExpression(QStringLiteral("1.?234 rows"))), qPrintable(text.out));

        // JSON: the same warnings as findings of each step, with the estimate as a number.
        const CliResult json = cli(db, base + QStringList{QStringLiteral("--json"), QStringLiteral("downgrade"), QStringLiteral("base"), QStringLiteral("--dry-run")});
        QVERIFY2(json.exitCode == 0, qPrintable(json.all()));
        const QJsonArray plan = QJsonDocument::fromJson(json.out.toUtf8()).object().value(QStringLiteral("plan")).toArray();
        QCOMPARE(plan.size(), 2);
        const QJsonArray columnFindings = plan.at(0).toObject().value(QStringLiteral("findings")).toArray();
        QCOMPARE(columnFindings.size(), 1);
        const QJsonObject column = columnFindings.first().toObject();
        QCOMPARE(column.value(QStringLiteral("rule")).toString(), QStringLiteral("drop-column"));
        QCOMPARE(column.value(QStringLiteral("severity")).toString(), QStringLiteral("warning"));
        QCOMPARE(column.value(QStringLiteral("table")).toString(), QStringLiteral("widgets"));
        QCOMPARE(column.value(QStringLiteral("column")).toString(), QStringLiteral("colour"));
        QCOMPARE(column.value(QStringLiteral("estimated_rows")).toInteger(), 1234);
        QCOMPARE(column.value(QStringLiteral("message")).toString(), lines.at(2).section(QStringLiteral("warning: "), 1));
        const QJsonArray tableFindings = plan.at(1).toObject().value(QStringLiteral("findings")).toArray();
        QCOMPARE(tableFindings.size(), 1);
        const QJsonObject table = tableFindings.first().toObject();
        QCOMPARE(table.value(QStringLiteral("rule")).toString(), QStringLiteral("drop-table"));
        QCOMPARE(table.value(QStringLiteral("estimated_rows")).toInteger(), 1234);
        QCOMPARE(table.value(QStringLiteral("estimated_rows_at_least")).toBool(), false);
        QCOMPARE(table.value(QStringLiteral("line")).toInt(), 10); // the DROP's line in 1.sql
        QVERIFY(!table.contains(QStringLiteral("column")));

        // The dry runs changed nothing.
        QCOMPARE(versions(db), QStringLiteral("w2"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(colour) FROM widgets")), QStringLiteral("1234"));
        // A real run's plan has no findings (its JSON is unchanged); an upgrade's dry run has empty ones.
        const CliResult real = cli(db, base + QStringList{QStringLiteral("--json"), QStringLiteral("downgrade"), QStringLiteral("w1")});
        QCOMPARE(real.exitCode, 0);
        const QJsonArray realPlan = QJsonDocument::fromJson(real.out.toUtf8()).object().value(QStringLiteral("plan")).toArray();
        QCOMPARE(realPlan.size(), 1);
        QVERIFY(!realPlan.first().toObject().contains(QStringLiteral("findings")));
        const CliResult up = cli(db, base + QStringList{QStringLiteral("--json"), QStringLiteral("upgrade"), QStringLiteral("head"), QStringLiteral("--dry-run")});
        QCOMPARE(up.exitCode, 0);
        const QJsonArray upPlan = QJsonDocument::fromJson(up.out.toUtf8()).object().value(QStringLiteral("plan")).toArray();
        QCOMPARE(upPlan.size(), 1);
        QVERIFY(upPlan.first().toObject().value(QStringLiteral("findings")).isArray());
        QVERIFY(upPlan.first().toObject().value(QStringLiteral("findings")).toArray().isEmpty());
    }

    void jsonOutput()
    {
        const QString db = freshDb(QStringLiteral("t_json"));
        const CliResult up = cli(db, {QStringLiteral("--json"), QStringLiteral("upgrade"), QStringLiteral("+2")});
        QCOMPARE(up.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(up.out.toUtf8()).object();
        QCOMPARE(o.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("plan")).toArray().size(), 2);
        QCOMPARE(o.value(QStringLiteral("heads_after")).toArray().first().toString(), kRev2);
        const CliResult cur = cli(db, {QStringLiteral("--json"), QStringLiteral("current")});
        const QJsonObject c = QJsonDocument::fromJson(cur.out.toUtf8()).object();
        QCOMPARE(c.value(QStringLiteral("current")).toArray().first().toObject().value(QStringLiteral("revision")).toString(), kRev2);
    }

    void offlineSqlBuildsTheSameSchema()
    {
        const QString online = freshDb(QStringLiteral("t_online"));
        const QString offline = freshDb(QStringLiteral("t_offline"));
        const CliResult sql = runCli({QStringLiteral("upgrade"), QStringLiteral("head"), QStringLiteral("--sql")}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(sql.exitCode, 0);
        QVERIFY(sql.out.contains(QLatin1String("CREATE TABLE alembic_version")));
        QVERIFY(sql.out.contains(QLatin1String("BEGIN;")));
        QVERIFY(!sql.out.contains(QLatin1String("Running upgrade  -> 317093d76fd2, ")));
        QString output;
        QVERIFY2(pg().psqlScript(offline, sql.out, &output), qPrintable(output));
        const CliResult up = cli(online, {QStringLiteral("upgrade"), QStringLiteral("head")});
        QCOMPARE(up.exitCode, 0);
        const QString a = pg().schemaDump(online, {QStringLiteral("migrationdesk")});
        const QString b = pg().schemaDump(offline, {QStringLiteral("migrationdesk")});
        QVERIFY(a.contains(QLatin1String("CREATE TABLE public.schedules")));
        QCOMPARE(a, b);
        QCOMPARE(versions(offline), kHead);

        // A range, and the downgrade direction, also match.
        const CliResult down = runCli({QStringLiteral("downgrade"), QStringLiteral("head:") + kRev2, QStringLiteral("--sql")}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(down.exitCode, 0);
        QVERIFY(!down.out.contains(QLatin1String("CREATE TABLE alembic_version")));
        QVERIFY2(pg().psqlScript(offline, down.out, &output), qPrintable(output));
        QCOMPARE(cli(online, {QStringLiteral("downgrade"), kRev2}).exitCode, 0);
        QCOMPARE(pg().schemaDump(online, {QStringLiteral("migrationdesk")}), pg().schemaDump(offline, {QStringLiteral("migrationdesk")}));
        QCOMPARE(versions(offline), kRev2);
        const CliResult noRange = runCli({QStringLiteral("downgrade"), QStringLiteral("-1"), QStringLiteral("--sql")}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(noRange.exitCode, 2);
    }

    void roundTripIsIdentical()
    {
        const QString db = freshDb(QStringLiteral("t_roundtrip"));
        QCOMPARE(cli(db, {QStringLiteral("upgrade"), QStringLiteral("head")}).exitCode, 0);
        const QString first = pg().schemaDump(db, {QStringLiteral("migrationdesk")});
        const CliResult down = cli(db, {QStringLiteral("downgrade"), QStringLiteral("base")});
        QVERIFY2(down.exitCode == 0, qPrintable(down.all()));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                      "WHERE n.nspname = 'public' AND c.relname <> 'alembic_version' AND c.relname <> 'alembic_version_pkc'")),
                 QStringLiteral("0"));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'")),
                 QStringLiteral("0"));
        QCOMPARE(cli(db, {QStringLiteral("upgrade"), QStringLiteral("head")}).exitCode, 0);
        QCOMPARE(pg().schemaDump(db, {QStringLiteral("migrationdesk")}), first);
    }

    void checkCatchesDriftAndEditedScripts()
    {
        const QString db = freshDb(QStringLiteral("t_check"));
        QTemporaryDir dir;
        const QStringList files = QDir(QStringLiteral(MD_SOURCE_DIR "/migrations")).entryList({QStringLiteral("*.sql")});
        QCOMPARE(files.size(), 4);
        for (const QString &f : files)
            QVERIFY(QFile::copy(QStringLiteral(MD_SOURCE_DIR "/migrations/") + f, dir.filePath(f)));
        const QStringList base = {QStringLiteral("--migrations"), dir.path()};
        QCOMPARE(cli(db, base + QStringList{QStringLiteral("upgrade"), QStringLiteral("head")}).exitCode, 0);
        CliResult r = cli(db, base + QStringList{QStringLiteral("check")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));

        q(db, QStringLiteral("ALTER TABLE employees ADD COLUMN nickname text"));
        r = cli(db, base + QStringList{QStringLiteral("check")});
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.out.contains(QLatin1String("nickname")), qPrintable(r.out));
        q(db, QStringLiteral("ALTER TABLE employees DROP COLUMN nickname"));
        r = cli(db, base + QStringList{QStringLiteral("check")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));

        // Edit an applied script: even a comment counts.
        const QString file = dir.filePath(QDir(dir.path()).entryList({QStringLiteral("0002_*.sql")}).first());
        QFile f(file);
        QVERIFY(f.open(QIODevice::Append));
        f.write("-- edited after it was applied\n");
        f.close();
        r = cli(db, base + QStringList{QStringLiteral("check")});
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.out.contains(kRev2) && r.out.contains(QLatin1String("edited")), qPrintable(r.out));
        // Our own schema never counts as drift.
        r = cli(db, {QStringLiteral("check")});
        QCOMPARE(r.exitCode, 0);
    }

    void malformedScriptSetsAreRefusedBeforeTouchingTheDatabase_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("duplicate id") << "duplicate" << "b.sql:1: duplicate revision id 'r1'";
        QTest::newRow("missing parent") << "missing-parent" << "b.sql:2:";
        QTest::newRow("cycle") << "cycle" << "b.sql:2: Cycle is detected in revisions (r2, r3)";
        QTest::newRow("missing section") << "missing-section" << "missing section '-- +downgrade'";
        QTest::newRow("unknown header") << "unknown-key" << "b.sql:3: unknown header key 'author'";
        QTest::newRow("not utf-8") << "latin1" << "b.sql:8: the file is not valid UTF-8";
        QTest::newRow("bad id") << "bad-id" << "b.sql:1: revision id 'R-2'";
    }

    void malformedScriptSetsAreRefusedBeforeTouchingTheDatabase()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, QStringLiteral("a.sql"), QStringLiteral("r1"), QStringLiteral("none"), QStringLiteral("CREATE TABLE a (id int);"), QStringLiteral("DROP TABLE a;"));
        QFile b(QDir(d).filePath(QStringLiteral("b.sql")));
        QVERIFY(b.open(QIODevice::WriteOnly));
        if (kind == QLatin1String("duplicate"))
            b.write("-- revision: r1\n-- down_revision: none\n\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n");
        else if (kind == QLatin1String("missing-parent"))
            b.write("-- revision: r2\n-- down_revision: nothere\n\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n");
        else if (kind == QLatin1String("cycle")) {
            b.write("-- revision: r2\n-- down_revision: r3\n\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n");
            writeScript(d, QStringLiteral("c.sql"), QStringLiteral("r3"), QStringLiteral("r2"), QStringLiteral("SELECT 1;"), QStringLiteral("SELECT 1;"));
        } else if (kind == QLatin1String("missing-section"))
            b.write("-- revision: r2\n-- down_revision: r1\n\n-- +upgrade\nCREATE TABLE b (id int);\n");
        else if (kind == QLatin1String("unknown-key"))
            b.write("-- revision: r2\n-- down_revision: r1\n-- author: somebody\n\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n");
        else if (kind == QLatin1String("latin1"))
            b.write("-- revision: r2\n-- down_revision: r1\n\n-- +upgrade\nCREATE TABLE b (id int);\n-- +downgrade\nDROP TABLE b;\n-- caf\xe9\n");
        else if (kind == QLatin1String("bad-id"))
            b.write("-- revision: R-2\n-- down_revision: r1\n\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n");
        b.close();
        const QString db = freshDb(QStringLiteral("t_malformed"));
        const CliResult r = cli(db, {QStringLiteral("--migrations"), d, QStringLiteral("upgrade"), QStringLiteral("heads")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        QVERIFY(!relationExists(db, QStringLiteral("a")));
        QVERIFY(!relationExists(db, QStringLiteral("alembic_version")));
        QCOMPARE(q(db, QStringLiteral("SELECT count(*) FROM pg_namespace WHERE nspname = 'migrationdesk'")), QStringLiteral("0"));
    }

    void stampWritesVersionOnly()
    {
        const QString db = freshDb(QStringLiteral("t_stamp"));
        CliResult r = cli(db, {QStringLiteral("stamp"), QStringLiteral("head")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), kHead);
        QVERIFY(!relationExists(db, QStringLiteral("employees")));
        QCOMPARE(q(db, QStringLiteral("SELECT direction || ':' || revision FROM migrationdesk.history")), QStringLiteral("stamp:") + kHead);
        r = cli(db, {QStringLiteral("stamp"), QStringLiteral("base")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(versions(db), QString());
    }

    void backupBeforeMigrating()
    {
        const QString db = freshDb(QStringLiteral("t_backup"));
        QTemporaryDir dir;
        // postgres must be able to write nothing here: pg_dump runs as us and writes the file itself.
        const QString file = dir.filePath(QStringLiteral("before.dump"));
        CliResult r = cli(db, {QStringLiteral("upgrade"), QStringLiteral("head"), QStringLiteral("--backup"), file});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.read(5), QByteArray("PGDMP"));
        QVERIFY(!r.all().contains(pg().password()));
        // A backup that cannot be written stops the migration before anything changes.
        r = cli(db, {QStringLiteral("downgrade"), QStringLiteral("base"), QStringLiteral("--backup"), QStringLiteral("/nonexistent/dir/x.dump")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("backup")), qPrintable(r.err));
        QCOMPARE(versions(db), kHead);
    }

    void connectionErrorsAreClearAndRedacted()
    {
        const QString secret = QStringLiteral("Sup3r-S3cret-pw");
        QString url = pg().url(QStringLiteral("postgres"));
        url.replace(QRegularExpression(QStringLiteral("://([^:]+):[^@]*@")), QStringLiteral("://\\1:") + secret + QLatin1Char('@'));
        const CliResult r = runCli({QStringLiteral("--url"), url, QStringLiteral("current")}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(QLatin1String("password"), Qt::CaseInsensitive), qPrintable(r.err));
        QVERIFY2(!r.all().contains(secret), qPrintable(r.all()));
        const CliResult refused = runCli({QStringLiteral("--url"), QStringLiteral("postgresql://u:%1@127.0.0.1:1/db").arg(secret), QStringLiteral("upgrade"), QStringLiteral("head")},
                                         QProcessEnvironment::systemEnvironment());
        QCOMPARE(refused.exitCode, 3);
        QVERIFY(!refused.all().contains(secret));
    }

    void connectionFromEnvironment()
    {
        const QString db = freshDb(QStringLiteral("t_env"));
        QProcessEnvironment env = pg().environment(db);
        env.remove(QStringLiteral("PGDATABASE"));
        env.insert(QStringLiteral("DATABASE_URL"), pg().url(db));
        CliResult r = runCli({QStringLiteral("upgrade"), QStringLiteral("+1")}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), kRev1);
        // The seed's POSTGRES_* variables.
        QProcessEnvironment seed = QProcessEnvironment::systemEnvironment();
        for (const QString &k : seed.keys())
            if (k.startsWith(QLatin1String("PG")) || k == QLatin1String("DATABASE_URL"))
                seed.remove(k);
        seed.insert(QStringLiteral("POSTGRES_USER"), pg().superuser());
        seed.insert(QStringLiteral("POSTGRES_PASSWORD"), pg().password());
        seed.insert(QStringLiteral("POSTGRES_DB"), db);
        seed.insert(QStringLiteral("POSTGRES_HOST"), pg().host());
        seed.insert(QStringLiteral("POSTGRES_PORT"), QString::number(pg().port()));
        r = runCli({QStringLiteral("current")}, seed);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(r.out.trimmed(), kRev1);
        // libpq's own PG* variables (the fixture's environment) when nothing else is set.
        r = runCli({QStringLiteral("current")}, pg().environment(db));
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(r.out.trimmed(), kRev1);
    }

    void sandboxIsCreatedMigratedAndReused()
    {
        // A short path: the sandbox's Unix socket lives in it. As root the server runs as postgres.
        QTemporaryDir dir(QStringLiteral("/tmp/mdcli-XXXXXX"));
        QVERIFY(dir.isValid());
        // As root the server runs as postgres, which must be able to pass through this directory.
        QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                              | QFileDevice::ReadOther | QFileDevice::ExeOther
                                              | QFileDevice::ReadGroup | QFileDevice::ExeGroup);
        const QString sandboxDir = dir.filePath(QStringLiteral("sb"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MIGRATIONDESK_SANDBOX_DIR"), sandboxDir);
        auto stopSandbox = qScopeGuard([&] {
            QProcess::execute(QStringLiteral("sh"), {QStringLiteral("-c"),
                QStringLiteral("pg_ctl_dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); "
                               "if [ \"$(id -u)\" = 0 ]; then runuser -u postgres -- \"$pg_ctl_dir/pg_ctl\" -D '%1/data' stop -m immediate; "
                               "else \"$pg_ctl_dir/pg_ctl\" -D '%1/data' stop -m immediate; fi >/dev/null 2>&1").arg(sandboxDir)});
        });
        CliResult r = runCli({QStringLiteral("--sandbox"), QStringLiteral("current")}, env, 300000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(r.out.trimmed(), kHead + QStringLiteral(" (head)"));
        QVERIFY2(r.err.contains(QLatin1String("Sandbox:")), qPrintable(r.err));
        // Reused: the second call finds it running, already at head, and changes nothing.
        r = runCli({QStringLiteral("--sandbox"), QStringLiteral("--json"), QStringLiteral("upgrade"), QStringLiteral("head")}, env, 300000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("plan")).toArray().size(), 0);
        r = runCli({QStringLiteral("--sandbox"), QStringLiteral("history"), QStringLiteral("-i")}, env, 300000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY(r.out.contains(QLatin1String("(head) (current)")));
        QCOMPARE(runCli({QStringLiteral("--sandbox"), QStringLiteral("--url"), pg().url(QStringLiteral("postgres")), QStringLiteral("current")}, env).exitCode, 2);
    }

    void revisionWritesANewScript()
    {
        QTemporaryDir dir;
        CliResult r = runCli({QStringLiteral("--migrations"), dir.path(), QStringLiteral("revision"), QStringLiteral("-m"), QStringLiteral("Create things")},
                             QProcessEnvironment::systemEnvironment());
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        r = runCli({QStringLiteral("--migrations"), dir.path(), QStringLiteral("revision"), QStringLiteral("-m"), QStringLiteral("More things")},
                   QProcessEnvironment::systemEnvironment());
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        const QStringList files = QDir(dir.path()).entryList({QStringLiteral("*.sql")});
        QCOMPARE(files.size(), 2);
        r = runCli({QStringLiteral("--migrations"), dir.path(), QStringLiteral("history")}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines.at(0).contains(QLatin1String("(head), More things")));
        QVERIFY(QRegularExpression(QStringLiteral("^<base> -> [0-9a-f]{12}, Create things$")).match(lines.at(1)).hasMatch());
        // Without --migrations the bundled scripts are read-only.
        r = runCli({QStringLiteral("revision"), QStringLiteral("-m"), QStringLiteral("x")}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(r.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
