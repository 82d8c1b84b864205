// End-to-end tests of the real migrationdesk-cli executable against the fixture's PostgreSQL.
#include "bundledrevisions.h"
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

using namespace Qt::StringLiterals;

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {
const QString kHead = Test::bundledHead();
const QString kRev1 = u"317093d76fd2"_s;
const QString kRev2 = u"ce3d30390578"_s;
const QString kRev3 = u"a6341ce60c38"_s;
} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    PgFixture &pg() { return PgFixture::shared(); }
    CliResult cli(const QString &db, const QStringList &args, int timeoutMs = 120000)
    {
        return runCli(QStringList{u"--url"_s, pg().url(db)} + args, pg().environment(db), timeoutMs);
    }
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(pg().isRunning() || pg().start(), qPrintable(pg().errorString()));
    }

    void versionAndHelpWorkWithoutDatabase()
    {
        const CliResult v = runCli({u"--version"_s}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith(QLatin1String("migrationdesk-cli ")));
        const CliResult h = runCli({u"--help"_s}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(h.exitCode, 0);
        QVERIFY(h.out.contains(QLatin1String("downgrade TARGET")));
        const CliResult bad = runCli({u"frobnicate"_s}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(bad.exitCode, 2);
        const CliResult lateGlobal = runCli({u"current"_s, u"--json"_s}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(lateGlobal.exitCode, 2);
    }

    void upgradeHeadThenCurrentAndHistory()
    {
        const QString db = freshDb(u"t_basic"_s);
        const CliResult up = cli(db, {u"upgrade"_s, u"head"_s});
        QVERIFY2(up.exitCode == 0, qPrintable(up.all()));
        QVERIFY(up.err.contains(QLatin1String("Running upgrade  -> 317093d76fd2")));
        QCOMPARE(versions(db), kHead);
        QVERIFY(relationExists(db, u"employees"_s));
        const CliResult cur = cli(db, {u"current"_s});
        QCOMPARE(cur.exitCode, 0);
        QCOMPARE(cur.out.trimmed(), kHead + u" (head)"_s);
        // Every revision recorded once, with who/where/checksum.
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE success AND direction = 'upgrade'"_s),
                 QString::number(Test::bundledRevisions().size()));
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE length(script_sha256) = 64 AND db_user = 'postgres' "
                                      "AND client_host <> '' AND app_version <> '' AND duration_ms >= 0"_s),
                 QString::number(Test::bundledRevisions().size()));
        // The version table is exactly Alembic's.
        QCOMPARE(q(db, u"SELECT conname FROM pg_constraint WHERE conrelid = 'alembic_version'::regclass"_s),
                 u"alembic_version_pkc"_s);
        QCOMPARE(q(db, u"SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute "
                                      "WHERE attrelid = 'alembic_version'::regclass AND attname = 'version_num'"_s),
                 u"character varying(32) true"_s);
        // Our bookkeeping never shows in the user's schema.
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE '%history%'"_s), u"0"_s);

        const CliResult hist = cli(db, {u"history"_s});
        QCOMPARE(hist.exitCode, 0);
        const QStringList lines = hist.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), Test::bundledRevisions().size());
        QVERIFY(lines.first().startsWith(Test::bundledBeforeHead() + u" -> "_s + kHead + u" (head), "_s));
        QCOMPARE(lines.last(), u"<base> -> 317093d76fd2, Initial migration"_s);
        const CliResult again = cli(db, {u"upgrade"_s, u"head"_s});
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history"_s), QString::number(Test::bundledRevisions().size()));
        // Upgrading to an ancestor of the current revision does nothing and succeeds.
        const CliResult ancestor = cli(db, {u"upgrade"_s, kRev1});
        QCOMPARE(ancestor.exitCode, 0);
        QCOMPARE(versions(db), kHead);
    }

    void everyTargetForm()
    {
        const QString db = freshDb(u"t_targets"_s);
        struct Move { QStringList args; int exit; QString versionAfter; };
        const QList<Move> moves = {
            {{u"upgrade"_s, u"+1"_s}, 0, kRev1},
            {{u"upgrade"_s, u"+2"_s}, 0, kRev3},
            {{u"downgrade"_s, u"-1"_s}, 0, kRev2},
            {{u"upgrade"_s, u"dd46"_s}, 0, Test::bundledRevisions().at(3)}, // unique prefix
            {{u"downgrade"_s, kRev2}, 0, kRev2},                        // full id
            {{u"upgrade"_s, kRev1 + u"+2"_s}, 0, kRev3},  // REV+N
            {{u"downgrade"_s, kRev3 + u"-2"_s}, 0, kRev1}, // REV-N
            {{u"upgrade"_s, u"heads"_s}, 0, kHead},
            {{u"downgrade"_s, u"base"_s}, 0, QString()},
            {{u"upgrade"_s, u"zzzz"_s}, 2, QString()},     // unknown
            {{u"downgrade"_s, u"-1"_s}, 2, QString()},     // below base
            {{u"upgrade"_s, u"+9"_s}, 2, QString()},       // past head
            {{u"upgrade"_s, u"head"_s}, 0, kHead},
        };
        for (const Move &m : moves) {
            const CliResult r = cli(db, m.args);
            QVERIFY2(r.exitCode == m.exit, qPrintable(m.args.join(QLatin1Char(' ')) + u": "_s + r.all()));
            QCOMPARE(versions(db), m.versionAfter);
        }
    }

    void ambiguousPrefixIsRefused()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"a.sql"_s, u"abc1"_s, u"none"_s, u"SELECT 1;"_s, u"SELECT 1;"_s);
        writeScript(dir.path(), u"b.sql"_s, u"abc2"_s, u"abc1"_s, u"SELECT 1;"_s, u"SELECT 1;"_s);
        const QString db = freshDb(u"t_prefix"_s);
        const CliResult r = cli(db, {u"--migrations"_s, dir.path(), u"upgrade"_s, u"abc"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("abc1")) && r.err.contains(QLatin1String("abc2")), qPrintable(r.err));
        QVERIFY(!relationExists(db, u"alembic_version"_s));
        // An exact id wins over being a prefix of another id.
        writeScript(dir.path(), u"c.sql"_s, u"abc"_s, u"abc2"_s, u"SELECT 1;"_s, u"SELECT 1;"_s);
        const CliResult exact = cli(db, {u"--migrations"_s, dir.path(), u"upgrade"_s, u"abc"_s});
        QVERIFY2(exact.exitCode == 0, qPrintable(exact.all()));
        QCOMPARE(versions(db), u"abc"_s);
    }

    void branchedAndMergedGraph()
    {
        // a -> b -> (c1 -> d1, c2) -> m : one version row per head while branched, one after the merge.
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, u"a.sql"_s, u"aaaa"_s, u"none"_s, u"CREATE TABLE t_a (id int);"_s, u"DROP TABLE t_a;"_s);
        writeScript(d, u"b.sql"_s, u"bbbb"_s, u"aaaa"_s, u"CREATE TABLE t_b (id int);"_s, u"DROP TABLE t_b;"_s);
        writeScript(d, u"c1.sql"_s, u"c111"_s, u"bbbb"_s, u"CREATE TABLE t_c1 (id int);"_s, u"DROP TABLE t_c1;"_s);
        writeScript(d, u"d1.sql"_s, u"d111"_s, u"c111"_s, u"CREATE TABLE t_d1 (id int);"_s, u"DROP TABLE t_d1;"_s);
        writeScript(d, u"c2.sql"_s, u"c222"_s, u"bbbb"_s, u"CREATE TABLE t_c2 (id int);"_s, u"DROP TABLE t_c2;"_s);
        const QString db = freshDb(u"t_branches"_s);
        const QStringList base = {u"--migrations"_s, d};
        QCOMPARE(cli(db, base + QStringList{u"upgrade"_s, u"head"_s}).exitCode, 2); // two heads: refused
        CliResult r = cli(db, base + QStringList{u"upgrade"_s, u"heads"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), u"c222,d111"_s);
        // Downgrading to a revision on one branch removes only what depends on it.
        r = cli(db, base + QStringList{u"downgrade"_s, u"c111"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), u"c111,c222"_s);
        QVERIFY(!relationExists(db, u"t_d1"_s));
        QVERIFY(relationExists(db, u"t_c1"_s));
        QVERIFY(relationExists(db, u"t_c2"_s));
        // Downgrading the whole c2 branch below the branch point deletes its row.
        r = cli(db, base + QStringList{u"downgrade"_s, u"c222-1"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), u"bbbb"_s);
        r = cli(db, base + QStringList{u"upgrade"_s, u"heads"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), u"c222,d111"_s);
        // merge writes a script joining both heads; upgrading to it leaves a single row.
        r = runCli({u"--migrations"_s, d, u"merge"_s, u"heads"_s, u"-m"_s, u"join branches"_s, u"--rev-id"_s, u"mmmm"_s},
                   pg().environment(db));
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        r = cli(db, base + QStringList{u"upgrade"_s, u"head"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), u"mmmm"_s);
        // -1 from a merge point is ambiguous.
        r = cli(db, base + QStringList{u"downgrade"_s, u"-1"_s});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(versions(db), u"mmmm"_s);
        r = cli(db, base + QStringList{u"downgrade"_s, u"bbbb"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), u"bbbb"_s);
        QVERIFY(!relationExists(db, u"t_c1"_s) && !relationExists(db, u"t_c2"_s) && !relationExists(db, u"t_d1"_s));
        const CliResult branches = runCli(base + QStringList{u"branches"_s}, pg().environment(db));
        QVERIFY(branches.out.contains(QLatin1String("bbbb (branchpoint)")));
        const CliResult heads = runCli(base + QStringList{u"heads"_s}, pg().environment(db));
        QCOMPARE(heads.out.trimmed(), u"mmmm (head)"_s);
    }

    void failingRevisionRollsBackOnlyItself()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        writeScript(d, u"1.sql"_s, u"r1"_s, u"none"_s, u"CREATE TABLE ok_table (id int);"_s, u"DROP TABLE ok_table;"_s);
        writeScript(d, u"2.sql"_s, u"r2"_s, u"r1"_s,
                    u"CREATE TABLE half_table (id int);\nINSERT INTO half_table VALUES (1);\n\nSELECT 1 / 0;"_s,
                    u"DROP TABLE half_table;"_s);
        const QString db = freshDb(u"t_fail"_s);
        const CliResult r = cli(db, {u"--migrations"_s, d, u"upgrade"_s, u"head"_s});
        QCOMPARE(r.exitCode, 1);
        // Revision, file, statement line, server message and SQLSTATE.
        QVERIFY2(r.err.contains(QLatin1String("r2")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QDir(d).filePath(u"2.sql"_s) + u":10"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("division by zero")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("22012")), qPrintable(r.err));
        QCOMPARE(versions(db), u"r1"_s);
        QVERIFY(relationExists(db, u"ok_table"_s));
        QVERIFY(!relationExists(db, u"half_table"_s));
        QCOMPARE(q(db, u"SELECT success || ':' || revision FROM migrationdesk.history ORDER BY id"_s),
                 u"true:r1\nfalse:r2"_s);
        QVERIFY(q(db, u"SELECT error FROM migrationdesk.history WHERE NOT success"_s).contains(QLatin1String("division by zero")));

        // --single-transaction: all or nothing.
        const QString db2 = freshDb(u"t_fail_single"_s);
        const CliResult s = cli(db2, {u"--migrations"_s, d, u"upgrade"_s, u"head"_s, u"--single-transaction"_s});
        QCOMPARE(s.exitCode, 1);
        QVERIFY(!relationExists(db2, u"ok_table"_s));
        QVERIFY(!relationExists(db2, u"alembic_version"_s));
    }

    void singleTransactionRefusesNonTransactional()
    {
        const QString db = freshDb(u"t_single_nt"_s);
        const CliResult r = cli(db, {u"--single-transaction"_s, u"upgrade"_s, u"head"_s});
        QCOMPARE(r.exitCode, 2);
        // The first non-transactional revision (0004) is named.
        QVERIFY2(r.err.contains(Test::bundledRevisions().at(3)), qPrintable(r.err));
        QVERIFY(!relationExists(db, u"employees"_s));
    }

    void dryRunChangesNothing()
    {
        const QString db = freshDb(u"t_dry"_s);
        const CliResult r = cli(db, {u"upgrade"_s, u"head"_s, u"--dry-run"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY(r.out.contains(kRev1) && r.out.contains(kHead));
        QVERIFY(r.out.contains(QLatin1String("non-transactional")));
        QVERIFY(!relationExists(db, u"employees"_s));
        QVERIFY(!relationExists(db, u"alembic_version"_s));
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_namespace WHERE nspname = 'migrationdesk'"_s), u"0"_s);
    }

    void dryRunDowngradeShowsDropWarnings()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"w1"_s, u"none"_s,
                    u"CREATE TABLE widgets (id int);"_s, u"DROP TABLE widgets;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"w2"_s, u"w1"_s,
                    u"ALTER TABLE widgets ADD COLUMN colour text;"_s,
                    u"ALTER TABLE widgets DROP COLUMN colour;"_s);
        const QString db = freshDb(u"t_dry_drop"_s);
        const QStringList base{u"--migrations"_s, dir.path()};
        QCOMPARE(cli(db, base + QStringList{u"upgrade"_s, u"head"_s}).exitCode, 0);
        q(db, u"INSERT INTO widgets SELECT g, 'red' FROM generate_series(1, 1234) g"_s);
        q(db, u"ANALYZE widgets"_s);

        // Text: each step's warnings right under it, with the row estimate.
        const CliResult text = cli(db, base + QStringList{u"downgrade"_s, u"base"_s, u"--dry-run"_s});
        QVERIFY2(text.exitCode == 0, qPrintable(text.all()));
        const QStringList lines = text.out.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 6); // header, step, warning, step, warning, ""
        QVERIFY2(lines.at(1).contains(QLatin1String("downgrade w2")), qPrintable(text.out));
        QVERIFY2(lines.at(2).startsWith(QLatin1String("       warning: Drops column widgets.colour and its values (")), qPrintable(text.out));
        QVERIFY2(lines.at(3).contains(QLatin1String("downgrade w1")), qPrintable(text.out));
        QVERIFY2(lines.at(4).startsWith(QLatin1String("       warning: Drops table widgets and all its data (")), qPrintable(text.out));
        QVERIFY2(lines.at(4).contains(QRegularExpression(u"1.?234 rows"_s)), qPrintable(text.out));

        // JSON: the same warnings as findings of each step, with the estimate as a number.
        const CliResult json = cli(db, base + QStringList{u"--json"_s, u"downgrade"_s, u"base"_s, u"--dry-run"_s});
        QVERIFY2(json.exitCode == 0, qPrintable(json.all()));
        const QJsonArray plan = QJsonDocument::fromJson(json.out.toUtf8()).object().value(u"plan"_s).toArray();
        QCOMPARE(plan.size(), 2);
        const QJsonArray columnFindings = plan.at(0).toObject().value(u"findings"_s).toArray();
        QCOMPARE(columnFindings.size(), 1);
        const QJsonObject column = columnFindings.first().toObject();
        QCOMPARE(column.value(u"rule"_s).toString(), u"drops-data"_s);
        QCOMPARE(column.value(u"severity"_s).toString(), u"warning"_s);
        QCOMPARE(column.value(u"table"_s).toString(), u"widgets"_s);
        QCOMPARE(column.value(u"column"_s).toString(), u"colour"_s);
        QCOMPARE(column.value(u"estimated_rows"_s).toInteger(), 1234);
        QCOMPARE(column.value(u"message"_s).toString(), lines.at(2).section(u"warning: "_s, 1));
        const QJsonArray tableFindings = plan.at(1).toObject().value(u"findings"_s).toArray();
        QCOMPARE(tableFindings.size(), 1);
        const QJsonObject table = tableFindings.first().toObject();
        QCOMPARE(table.value(u"rule"_s).toString(), u"drops-data"_s);
        QCOMPARE(table.value(u"estimated_rows"_s).toInteger(), 1234);
        QCOMPARE(table.value(u"estimated_rows_at_least"_s).toBool(), false);
        QCOMPARE(table.value(u"line"_s).toInt(), 10); // the DROP's line in 1.sql
        QVERIFY(!table.contains(u"column"_s));

        // The dry runs changed nothing.
        QCOMPARE(versions(db), u"w2"_s);
        QCOMPARE(q(db, u"SELECT count(colour) FROM widgets"_s), u"1234"_s);
        // A real run's plan has no findings (its JSON is unchanged); an upgrade's dry run has empty ones.
        const CliResult real = cli(db, base + QStringList{u"--json"_s, u"downgrade"_s, u"w1"_s});
        QCOMPARE(real.exitCode, 0);
        const QJsonArray realPlan = QJsonDocument::fromJson(real.out.toUtf8()).object().value(u"plan"_s).toArray();
        QCOMPARE(realPlan.size(), 1);
        QVERIFY(!realPlan.first().toObject().contains(u"findings"_s));
        const CliResult up = cli(db, base + QStringList{u"--json"_s, u"upgrade"_s, u"head"_s, u"--dry-run"_s});
        QCOMPARE(up.exitCode, 0);
        const QJsonArray upPlan = QJsonDocument::fromJson(up.out.toUtf8()).object().value(u"plan"_s).toArray();
        QCOMPARE(upPlan.size(), 1);
        QVERIFY(upPlan.first().toObject().value(u"findings"_s).isArray());
        QVERIFY(upPlan.first().toObject().value(u"findings"_s).toArray().isEmpty());
    }

    void jsonOutput()
    {
        const QString db = freshDb(u"t_json"_s);
        const CliResult up = cli(db, {u"--json"_s, u"upgrade"_s, u"+2"_s});
        QCOMPARE(up.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(up.out.toUtf8()).object();
        QCOMPARE(o.value(u"ok"_s).toBool(), true);
        QCOMPARE(o.value(u"plan"_s).toArray().size(), 2);
        QCOMPARE(o.value(u"heads_after"_s).toArray().first().toString(), kRev2);
        const CliResult cur = cli(db, {u"--json"_s, u"current"_s});
        const QJsonObject c = QJsonDocument::fromJson(cur.out.toUtf8()).object();
        QCOMPARE(c.value(u"current"_s).toArray().first().toObject().value(u"revision"_s).toString(), kRev2);
    }

    void offlineSqlBuildsTheSameSchema()
    {
        const QString online = freshDb(u"t_online"_s);
        const QString offline = freshDb(u"t_offline"_s);
        const CliResult sql = runCli({u"upgrade"_s, u"head"_s, u"--sql"_s}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(sql.exitCode, 0);
        QVERIFY(sql.out.contains(QLatin1String("CREATE TABLE alembic_version")));
        QVERIFY(sql.out.contains(QLatin1String("BEGIN;")));
        QVERIFY(!sql.out.contains(QLatin1String("Running upgrade  -> 317093d76fd2, ")));
        QString output;
        QVERIFY2(pg().psqlScript(offline, sql.out, &output), qPrintable(output));
        const CliResult up = cli(online, {u"upgrade"_s, u"head"_s});
        QCOMPARE(up.exitCode, 0);
        const QString a = pg().schemaDump(online, {u"migrationdesk"_s});
        const QString b = pg().schemaDump(offline, {u"migrationdesk"_s});
        QVERIFY(a.contains(QLatin1String("CREATE TABLE public.schedules")));
        QCOMPARE(a, b);
        QCOMPARE(versions(offline), kHead);

        // A range, and the downgrade direction, also match.
        const CliResult down = runCli({u"downgrade"_s, u"head:"_s + kRev2, u"--sql"_s}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(down.exitCode, 0);
        QVERIFY(!down.out.contains(QLatin1String("CREATE TABLE alembic_version")));
        QVERIFY2(pg().psqlScript(offline, down.out, &output), qPrintable(output));
        QCOMPARE(cli(online, {u"downgrade"_s, kRev2}).exitCode, 0);
        QCOMPARE(pg().schemaDump(online, {u"migrationdesk"_s}), pg().schemaDump(offline, {u"migrationdesk"_s}));
        QCOMPARE(versions(offline), kRev2);
        const CliResult noRange = runCli({u"downgrade"_s, u"-1"_s, u"--sql"_s}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(noRange.exitCode, 2);
    }

    void roundTripIsIdentical()
    {
        const QString db = freshDb(u"t_roundtrip"_s);
        QCOMPARE(cli(db, {u"upgrade"_s, u"head"_s}).exitCode, 0);
        const QString first = pg().schemaDump(db, {u"migrationdesk"_s});
        const CliResult down = cli(db, {u"downgrade"_s, u"base"_s});
        QVERIFY2(down.exitCode == 0, qPrintable(down.all()));
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                      "WHERE n.nspname = 'public' AND c.relname <> 'alembic_version' AND c.relname <> 'alembic_version_pkc'"_s),
                 u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'"_s),
                 u"0"_s);
        QCOMPARE(cli(db, {u"upgrade"_s, u"head"_s}).exitCode, 0);
        QCOMPARE(pg().schemaDump(db, {u"migrationdesk"_s}), first);
    }

    void checkCatchesDriftAndEditedScripts()
    {
        const QString db = freshDb(u"t_check"_s);
        QTemporaryDir dir;
        const QStringList files = QDir(QStringLiteral(MD_SOURCE_DIR "/migrations")).entryList({u"*.sql"_s});
        QCOMPARE(files.size(), Test::bundledRevisions().size());
        for (const QString &f : files)
            QVERIFY(QFile::copy(QStringLiteral(MD_SOURCE_DIR "/migrations/") + f, dir.filePath(f)));
        const QStringList base = {u"--migrations"_s, dir.path()};
        QCOMPARE(cli(db, base + QStringList{u"upgrade"_s, u"head"_s}).exitCode, 0);
        CliResult r = cli(db, base + QStringList{u"check"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));

        q(db, u"ALTER TABLE employees ADD COLUMN nickname text"_s);
        r = cli(db, base + QStringList{u"check"_s});
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.out.contains(QLatin1String("nickname")), qPrintable(r.out));
        q(db, u"ALTER TABLE employees DROP COLUMN nickname"_s);
        r = cli(db, base + QStringList{u"check"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));

        // Edit an applied script: even a comment counts.
        const QString file = dir.filePath(QDir(dir.path()).entryList({u"0002_*.sql"_s}).first());
        QFile f(file);
        QVERIFY(f.open(QIODevice::Append));
        f.write("-- edited after it was applied\n");
        f.close();
        r = cli(db, base + QStringList{u"check"_s});
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.out.contains(kRev2) && r.out.contains(QLatin1String("edited")), qPrintable(r.out));
        // Our own schema never counts as drift.
        r = cli(db, {u"check"_s});
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
        writeScript(d, u"a.sql"_s, u"r1"_s, u"none"_s, u"CREATE TABLE a (id int);"_s, u"DROP TABLE a;"_s);
        QFile b(QDir(d).filePath(u"b.sql"_s));
        QVERIFY(b.open(QIODevice::WriteOnly));
        if (kind == QLatin1String("duplicate"))
            b.write("-- revision: r1\n-- down_revision: none\n\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n");
        else if (kind == QLatin1String("missing-parent"))
            b.write("-- revision: r2\n-- down_revision: nothere\n\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n");
        else if (kind == QLatin1String("cycle")) {
            b.write("-- revision: r2\n-- down_revision: r3\n\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n");
            writeScript(d, u"c.sql"_s, u"r3"_s, u"r2"_s, u"SELECT 1;"_s, u"SELECT 1;"_s);
        } else if (kind == QLatin1String("missing-section"))
            b.write("-- revision: r2\n-- down_revision: r1\n\n-- +upgrade\nCREATE TABLE b (id int);\n");
        else if (kind == QLatin1String("unknown-key"))
            b.write("-- revision: r2\n-- down_revision: r1\n-- author: somebody\n\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n");
        else if (kind == QLatin1String("latin1"))
            b.write("-- revision: r2\n-- down_revision: r1\n\n-- +upgrade\nCREATE TABLE b (id int);\n-- +downgrade\nDROP TABLE b;\n-- caf\xe9\n");
        else if (kind == QLatin1String("bad-id"))
            b.write("-- revision: R-2\n-- down_revision: r1\n\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 1;\n");
        b.close();
        const QString db = freshDb(u"t_malformed"_s);
        const CliResult r = cli(db, {u"--migrations"_s, d, u"upgrade"_s, u"heads"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        QVERIFY(!relationExists(db, u"a"_s));
        QVERIFY(!relationExists(db, u"alembic_version"_s));
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_namespace WHERE nspname = 'migrationdesk'"_s), u"0"_s);
    }

    void stampWritesVersionOnly()
    {
        const QString db = freshDb(u"t_stamp"_s);
        CliResult r = cli(db, {u"stamp"_s, u"head"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), kHead);
        QVERIFY(!relationExists(db, u"employees"_s));
        QCOMPARE(q(db, u"SELECT direction || ':' || revision FROM migrationdesk.history"_s), u"stamp:"_s + kHead);
        r = cli(db, {u"stamp"_s, u"base"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(versions(db), QString());
    }

    void backupBeforeMigrating()
    {
        const QString db = freshDb(u"t_backup"_s);
        QTemporaryDir dir;
        // postgres must be able to write nothing here: pg_dump runs as us and writes the file itself.
        const QString file = dir.filePath(u"before.dump"_s);
        CliResult r = cli(db, {u"upgrade"_s, u"head"_s, u"--backup"_s, file});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.read(5), QByteArray("PGDMP"));
        QVERIFY(!r.all().contains(pg().password()));
        // A backup that cannot be written stops the migration before anything changes.
        r = cli(db, {u"downgrade"_s, u"base"_s, u"--backup"_s, u"/nonexistent/dir/x.dump"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("backup")), qPrintable(r.err));
        QCOMPARE(versions(db), kHead);
    }

    void connectionErrorsAreClearAndRedacted()
    {
        const QString secret = u"Sup3r-S3cret-pw"_s;
        QString url = pg().url(u"postgres"_s);
        url.replace(QRegularExpression(u"://([^:]+):[^@]*@"_s), u"://\\1:"_s + secret + QLatin1Char('@'));
        const CliResult r = runCli({u"--url"_s, url, u"current"_s}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(QLatin1String("rejected the password")), qPrintable(r.err));
        QVERIFY2(!r.all().contains(secret), qPrintable(r.all()));
        const CliResult refused = runCli({u"--url"_s, u"postgresql://u:%1@127.0.0.1:1/db"_s.arg(secret), u"upgrade"_s, u"head"_s},
                                         QProcessEnvironment::systemEnvironment());
        QCOMPARE(refused.exitCode, 3);
        QVERIFY(!refused.all().contains(secret));
    }

    void connectionFromEnvironment()
    {
        const QString db = freshDb(u"t_env"_s);
        QProcessEnvironment env = pg().environment(db);
        env.remove(u"PGDATABASE"_s);
        env.insert(u"DATABASE_URL"_s, pg().url(db));
        CliResult r = runCli({u"upgrade"_s, u"+1"_s}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(versions(db), kRev1);
        // The seed's POSTGRES_* variables.
        QProcessEnvironment seed = QProcessEnvironment::systemEnvironment();
        for (const QString &k : seed.keys())
            if (k.startsWith(QLatin1String("PG")) || k == QLatin1String("DATABASE_URL"))
                seed.remove(k);
        seed.insert(u"POSTGRES_USER"_s, pg().superuser());
        seed.insert(u"POSTGRES_PASSWORD"_s, pg().password());
        seed.insert(u"POSTGRES_DB"_s, db);
        seed.insert(u"POSTGRES_HOST"_s, pg().host());
        seed.insert(u"POSTGRES_PORT"_s, QString::number(pg().port()));
        r = runCli({u"current"_s}, seed);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(r.out.trimmed(), kRev1);
        // libpq's own PG* variables (the fixture's environment) when nothing else is set.
        r = runCli({u"current"_s}, pg().environment(db));
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(r.out.trimmed(), kRev1);
    }

    void sandboxIsCreatedMigratedAndReused()
    {
        // A short path: the sandbox's Unix socket lives in it. As root the server runs as postgres.
        QTemporaryDir dir(u"/tmp/mdcli-XXXXXX"_s);
        QVERIFY(dir.isValid());
        // As root the server runs as postgres, which must be able to pass through this directory.
        QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                              | QFileDevice::ReadOther | QFileDevice::ExeOther
                                              | QFileDevice::ReadGroup | QFileDevice::ExeGroup);
        const QString sandboxDir = dir.filePath(u"sb"_s);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"MIGRATIONDESK_SANDBOX_DIR"_s, sandboxDir);
        auto stopSandbox = qScopeGuard([&] {
            QProcess::execute(u"sh"_s, {u"-c"_s,
                u"pg_ctl_dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); "
                               "if [ \"$(id -u)\" = 0 ]; then runuser -u postgres -- \"$pg_ctl_dir/pg_ctl\" -D '%1/data' stop -m immediate; "
                               "else \"$pg_ctl_dir/pg_ctl\" -D '%1/data' stop -m immediate; fi >/dev/null 2>&1"_s.arg(sandboxDir)});
        });
        CliResult r = runCli({u"--sandbox"_s, u"current"_s}, env, 300000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(r.out.trimmed(), kHead + u" (head)"_s);
        QVERIFY2(r.err.contains(QLatin1String("Sandbox:")), qPrintable(r.err));
        // Reused: the second call finds it running, already at head, and changes nothing.
        r = runCli({u"--sandbox"_s, u"--json"_s, u"upgrade"_s, u"head"_s}, env, 300000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(u"plan"_s).toArray().size(), 0);
        r = runCli({u"--sandbox"_s, u"history"_s, u"-i"_s}, env, 300000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY(r.out.contains(QLatin1String("(head) (current)")));
        QCOMPARE(runCli({u"--sandbox"_s, u"--url"_s, pg().url(u"postgres"_s), u"current"_s}, env).exitCode, 2);
    }

    void revisionWritesANewScript()
    {
        QTemporaryDir dir;
        CliResult r = runCli({u"--migrations"_s, dir.path(), u"revision"_s, u"-m"_s, u"Create things"_s},
                             QProcessEnvironment::systemEnvironment());
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        r = runCli({u"--migrations"_s, dir.path(), u"revision"_s, u"-m"_s, u"More things"_s},
                   QProcessEnvironment::systemEnvironment());
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        const QStringList files = QDir(dir.path()).entryList({u"*.sql"_s});
        QCOMPARE(files.size(), 2);
        r = runCli({u"--migrations"_s, dir.path(), u"history"_s}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines.at(0).contains(QLatin1String("(head), More things")));
        QVERIFY(QRegularExpression(u"^<base> -> [0-9a-f]{12}, Create things$"_s).match(lines.at(1)).hasMatch());
        // Without --migrations the bundled scripts are read-only.
        r = runCli({u"revision"_s, u"-m"_s, u"x"_s}, QProcessEnvironment::systemEnvironment());
        QCOMPARE(r.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
