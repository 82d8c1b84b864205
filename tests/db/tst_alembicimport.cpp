// import-alembic against the real `alembic` (Debian's alembic + python3-psycopg2) and the fixture's
// real PostgreSQL: tests/db/alembicproject (two version locations, a package on prepend_sys_path,
// branch labels, depends_on, a merge, sa.Enum types dropped explicitly, bulk_insert with quotes and
// Hangul, an index built in autocommit_block(), a plpgsql function through op.execute, and one
// revision that reads rows through op.get_bind()) is imported, then run side by side with Alembic.
#include "clirunner.h"
#include "dbtest.h"
#include "filetree.h"
#include "pgfixture.h"

#include "migrations/scriptset.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {

struct Outcome
{
    int exitCode = -1;
    QString output;
};

} // namespace

class TestAlembicImport : public QObject
{
    Q_OBJECT

private:
    PgFixture &pg() { return PgFixture::shared(); }
    QTemporaryDir m_tmp;
    QString m_project; // a copy of tests/db/alembicproject
    QString m_scripts; // what import-alembic wrote
    QJsonObject m_summary;

    Outcome alembic(const QString &db, const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"MD_ALEMBIC_URL"_s, pg().url(db));
        env.insert(u"PYTHONDONTWRITEBYTECODE"_s, u"1"_s);
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_project);
        p.setProcessChannelMode(QProcess::MergedChannels);
        const QString exe = QStandardPaths::findExecutable(u"alembic"_s);
        p.start(exe, QStringList{u"-c"_s, m_project + u"/alembic.ini"_s} + args);
        if (!p.waitForFinished(120000))
            return {-1, u"alembic did not finish"_s};
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAll())};
    }

    Outcome desk(const QString &db, const QStringList &args, const QString &scripts = {})
    {
        const CliResult r = runCli(QStringList{u"--migrations"_s, scripts.isEmpty() ? m_scripts : scripts} + args,
                                   pg().environment(db));
        return {r.exitCode, r.all()};
    }

    // The schema without MigrationDesk's own bookkeeping schema.
    QString schema(const QString &db) { return pg().schemaDump(db, {u"migrationdesk"_s}); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(pg().isRunning() || pg().start(), qPrintable(pg().errorString()));
        QVERIFY2(!QStandardPaths::findExecutable(u"alembic"_s).isEmpty(),
                 "alembic is not installed (.ci/deps.sh installs alembic and python3-psycopg2)");
        QVERIFY(m_tmp.isValid());
        m_project = m_tmp.filePath(u"project"_s);
        QVERIFY(copyTree(QStringLiteral(MD_SOURCE_DIR) + u"/tests/db/alembicproject"_s, m_project));
        m_scripts = m_tmp.filePath(u"imported"_s);

        const QStringList before = treeListing(m_project);
        const CliResult r = runCli({u"--json"_s, u"import-alembic"_s, m_project, u"--out"_s, m_scripts},
                                   QProcessEnvironment::systemEnvironment());
        // one revision reads rows through op.get_bind(): exit 1, every file still written
        QVERIFY2(r.exitCode == 1, qPrintable(r.all()));
        m_summary = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QVERIFY2(!m_summary.isEmpty(), qPrintable(r.all()));
        // Loading the team's modules left their project as it was (no __pycache__ either).
        QCOMPARE(treeListing(m_project), before);
    }

    void importsEveryRevisionWithItsGraph()
    {
        QCOMPARE(m_summary.value(u"heads"_s).toArray().toVariantList(), QVariantList{u"e0000006"_s});
        QCOMPARE(m_summary.value(u"branch_labels"_s).toArray().toVariantList(),
                 (QVariantList{u"audit"_s, u"core"_s}));
        QCOMPARE(m_summary.value(u"needs_review"_s).toInt(), 1);
        QHash<QString, QJsonObject> byId;
        for (const QJsonValue &v : m_summary.value(u"revisions"_s).toArray())
            byId.insert(v.toObject().value(u"revision"_s).toString(), v.toObject());
        QCOMPARE(byId.size(), 8);

        const ScriptSet set = ScriptSet::load(m_scripts);
        QVERIFY2(set.isValid(), qPrintable(set.errorText()));
        QCOMPARE(set.scripts().size(), 8);
        const RevisionGraph &g = set.graph();
        QCOMPARE(g.parents(u"e0000005"_s), (QStringList{u"e0000004"_s, u"a0000002"_s}));
        QCOMPARE(g.parents(u"a0000001"_s), QStringList());
        QCOMPARE(g.ownBranchLabels(u"a0000001"_s), QStringList{u"audit"_s});
        QCOMPARE(g.ownBranchLabels(u"e0000001"_s), QStringList{u"core"_s});
        QCOMPARE(g.dependsOn(u"a0000001"_s), QStringList{u"e0000001"_s});
        QCOMPARE(g.heads(), QStringList{u"e0000006"_s});
        QCOMPARE(set.script(u"e0000002"_s)->message, u"create schedules with enum types"_s);
        QCOMPARE(set.script(u"e0000002"_s)->created, u"2025-01-16 10:30:00.000000"_s);
        // autocommit_block(): a non-transactional revision
        QVERIFY(!set.script(u"e0000004"_s)->transactional);
        QVERIFY(set.script(u"e0000003"_s)->transactional);
        // no BEGIN/COMMIT, no version-table statement, no empty statement from "...;" texts
        for (const MigrationScript &s : set.scripts()) {
            for (const bool up : {true, false}) {
                const QString sql = s.sectionSql(up);
                QVERIFY2(!sql.contains(u"alembic_version"_s), qPrintable(s.fileName));
                QVERIFY2(!sql.contains(u"\nBEGIN;"_s) && !sql.startsWith(u"BEGIN;"_s), qPrintable(s.fileName));
                QVERIFY2(!sql.contains(u";;"_s), qPrintable(s.fileName));
            }
        }
        // the one that reads rows is flagged, named, and keeps its Python for a person
        const MigrationScript *review = set.script(u"e0000006"_s);
        QVERIFY2(review->needsReview.contains(u"get_bind"_s), qPrintable(review->needsReview));
        QVERIFY(review->upgradeSql.contains(u"-- def upgrade():"_s));
        QCOMPARE(byId.value(u"e0000006"_s).value(u"status"_s).toString(), u"needs_review"_s);
        QCOMPARE(byId.value(u"e0000003"_s).value(u"status"_s).toString(), u"rendered"_s);
    }

    void needsReviewRevisionIsRefused()
    {
        const QString db = freshDb(u"t_alembic_review"_s);
        Outcome o = desk(db, {u"upgrade"_s, u"e0000005"_s});
        QVERIFY2(o.exitCode == 0, qPrintable(o.output));
        const QString schemaBefore = schema(db);
        o = desk(db, {u"upgrade"_s, u"head"_s});
        QVERIFY2(o.exitCode == 1, qPrintable(o.output));
        QVERIFY2(o.output.contains(u"e0000006"_s) && o.output.contains(u"backfill_display_names.sql"_s),
                 qPrintable(o.output));
        QCOMPARE(versions(db), u"e0000005"_s);
        QCOMPARE(schema(db), schemaBefore);
        // nor stamped through
        o = desk(db, {u"stamp"_s, u"heads"_s});
        QVERIFY2(o.exitCode == 1, qPrintable(o.output));
        QCOMPARE(versions(db), u"e0000005"_s);

        // a hand translation without the header runs
        const QString fixed = m_tmp.filePath(u"fixed"_s);
        QVERIFY(copyTree(m_scripts, fixed));
        QString reviewFile;
        for (const QString &f : QDir(fixed).entryList({u"*backfill*"_s}))
            reviewFile = QDir(fixed).filePath(f);
        QFile file(reviewFile);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("-- revision: e0000006\n-- down_revision: e0000005\n-- message: backfill display names\n\n"
                   "-- +upgrade\nALTER TABLE employees ADD COLUMN display_name VARCHAR;\n"
                   "UPDATE employees SET display_name = initcap(name);\n\n"
                   "-- +downgrade\nALTER TABLE employees DROP COLUMN display_name;\n");
        file.close();
        o = desk(db, {u"upgrade"_s, u"head"_s}, fixed);
        QVERIFY2(o.exitCode == 0, qPrintable(o.output));
        QCOMPARE(versions(db), u"e0000006"_s);
    }

    // The same commands, label targets and stamps included, on two databases: one by Alembic, one by
    // MigrationDesk. After each: the same version rows, the same pg_dump --schema-only.
    void stepByStepParityWithAlembic()
    {
        const QString a = freshDb(u"t_alembic_side"_s);
        const QString b = freshDb(u"t_desk_side"_s);
        const QList<QStringList> commands = {
            {u"upgrade"_s, u"core@e0000002"_s},
            {u"upgrade"_s, u"audit@a0000002"_s},
            {u"upgrade"_s, u"e0000005"_s},
            {u"downgrade"_s, u"a0000002"_s},
            {u"downgrade"_s, u"audit@base"_s},
            {u"downgrade"_s, u"core@-1"_s},
            {u"upgrade"_s, u"audit@+1"_s},
            {u"stamp"_s, u"base"_s},
            {u"stamp"_s, u"core@e0000003"_s},
            {u"stamp"_s, u"audit@a0000001"_s},
            {u"upgrade"_s, u"e0000005"_s},
            {u"downgrade"_s, u"e0000001"_s},
            {u"downgrade"_s, u"base"_s},
        };
        int agreedFailures = 0;
        for (const QStringList &command : commands) {
            const QString where = command.join(u' ');
            const Outcome byAlembic = alembic(a, command);
            const Outcome byDesk = desk(b, command);
            QVERIFY2((byAlembic.exitCode == 0) == (byDesk.exitCode == 0),
                     qPrintable(where + u"\nalembic: "_s + byAlembic.output + u"\nmigrationdesk: "_s + byDesk.output));
            if (byAlembic.exitCode != 0) {
                ++agreedFailures;
                qInfo("both refused %s: %s", qPrintable(where), qPrintable(byDesk.output.trimmed()));
            }
            QVERIFY2(versions(a) == versions(b),
                     qPrintable(where + u": alembic "_s + versions(a) + u", migrationdesk "_s + versions(b)));
            const QString dumpA = schema(a);
            QVERIFY(!dumpA.isEmpty());
            QVERIFY2(dumpA == schema(b), qPrintable(where + u": the schemas differ"_s));
        }
        QVERIFY2(agreedFailures == 0, "the sequence is meant to move the databases, not to fail");
        // data as well: quotes, Hangul, backslash and $$ as Alembic stored them
        QCOMPARE(versions(a), QString());
        const QString c = freshDb(u"t_alembic_data"_s);
        const QString d = freshDb(u"t_desk_data"_s);
        QCOMPARE(alembic(c, {u"upgrade"_s, u"e0000003"_s}).exitCode, 0);
        QCOMPARE(desk(d, {u"upgrade"_s, u"e0000003"_s}).exitCode, 0);
        const QString rows = u"SELECT string_agg(code || '|' || label || '|' || coalesce(note, '-'), E'\\n' ORDER BY code) FROM roles"_s;
        QCOMPARE(q(d, rows), q(c, rows));
        QVERIFY(q(d, rows).contains(u"관리자|it's the \"boss\"; 모든 권한"_s));
        QVERIFY(q(d, rows).contains(u"back\\slash $$ dollar"_s));
    }

    // "Refuse where Alembic refuses": the same sequence on both sides, where some commands are refused
    // (a0000001 depends on e0000001, so core cannot go down to e0000001 while audit sits on it). Each
    // refusal must be shared and change nothing; each move must leave the same rows and schema.
    void refusesWhereAlembicRefuses()
    {
        const QString a = freshDb(u"t_alembic_refuse"_s);
        const QString b = freshDb(u"t_desk_refuse"_s);
        struct Step
        {
            QStringList command;
            bool refused;
        };
        const QList<Step> steps = {
            {{u"upgrade"_s, u"core@e0000003"_s}, false},
            {{u"upgrade"_s, u"audit@a0000002"_s}, false},
            {{u"downgrade"_s, u"core@e0000001"_s}, false},
            {{u"downgrade"_s, u"e0000002"_s}, true},      // above the current heads
            {{u"downgrade"_s, u"core@e0000002"_s}, true},
            {{u"downgrade"_s, u"a0000001"_s}, false},
            {{u"downgrade"_s, u"core@e0000001"_s}, true}, // the applied audit branch depends on e0000001
            {{u"downgrade"_s, u"e0000001"_s}, true},
            {{u"downgrade"_s, u"-1"_s}, false},
            {{u"upgrade"_s, u"audit@+1"_s}, false},
            {{u"downgrade"_s, u"core@-1"_s}, false},      // takes the dependent audit revision with it
        };
        for (const Step &step : steps) {
            const QString where = step.command.join(u' ');
            // (no refusal comes first, so the version table exists by then)
            const QString rowsBefore = step.refused ? versions(b) : QString();
            const QString schemaBefore = step.refused ? schema(b) : QString();
            const Outcome byAlembic = alembic(a, step.command);
            const Outcome byDesk = desk(b, step.command);
            QVERIFY2((byAlembic.exitCode != 0) == step.refused,
                     qPrintable(where + u": alembic "_s + byAlembic.output));
            QVERIFY2((byDesk.exitCode != 0) == step.refused,
                     qPrintable(where + u": migrationdesk "_s + byDesk.output));
            QVERIFY2(versions(a) == versions(b),
                     qPrintable(where + u": alembic "_s + versions(a) + u", migrationdesk "_s + versions(b)));
            QVERIFY2(schema(a) == schema(b), qPrintable(where + u": the schemas differ"_s));
            if (step.refused) {
                QVERIFY2(byDesk.output.contains(u"is not a valid downgrade target"_s), qPrintable(byDesk.output));
                QCOMPARE(versions(b), rowsBefore);
                QCOMPARE(schema(b), schemaBefore);
            }
        }
        QCOMPARE(versions(b), QString());
    }

    // `show` prints a revision as Alembic does: parent or merge, dependencies, branch names and the
    // docstring. The path differs by nature (ours is the imported .sql), and Alembic prints its label set
    // in set order and its docstring lines with their source indentation, so those are normalized.
    void showMatchesAlembic()
    {
        const auto normalized = [](const QString &text) {
            QStringList out;
            for (QString line : text.split(u'\n')) {
                while (line.endsWith(u' '))
                    line.chop(1);
                if (line.startsWith(u"Path: "_s))
                    continue;
                if (line.startsWith(u"Branch names: "_s)) {
                    QStringList labels = line.mid(14).split(u", "_s);
                    labels.sort();
                    line = u"Branch names: "_s + labels.join(u", "_s);
                }
                out << line;
            }
            return out.join(u'\n').trimmed();
        };
        const QString db = freshDb(u"t_alembic_show"_s);
        for (const QString &rev : {u"a0000001"_s, u"e0000005"_s, u"core@head"_s, u"e0000002"_s}) {
            const Outcome byAlembic = alembic(db, {u"show"_s, rev});
            const CliResult byDesk = runCli({u"--migrations"_s, m_scripts, u"show"_s, rev}, pg().environment(db));
            QCOMPARE(byAlembic.exitCode, 0);
            QVERIFY2(byDesk.exitCode == 0, qPrintable(byDesk.all()));
            QCOMPARE(normalized(byDesk.out), normalized(byAlembic.output));
        }
        const CliResult dependent = runCli({u"--migrations"_s, m_scripts, u"show"_s, u"a0000001"_s}, pg().environment(db));
        QVERIFY2(dependent.out.contains(u"Also depends on: e0000001\nBranch names: audit\n"_s), qPrintable(dependent.out));
    }

    // A database Alembic built, moved on by MigrationDesk, then taken back down by Alembic.
    void handOffBothWays()
    {
        const QString db = freshDb(u"t_alembic_handoff"_s);
        Outcome o = alembic(db, {u"upgrade"_s, u"core@e0000003"_s});
        QVERIFY2(o.exitCode == 0, qPrintable(o.output));
        o = desk(db, {u"current"_s});
        QVERIFY2(o.exitCode == 0 && o.output.contains(u"e0000003"_s), qPrintable(o.output));
        o = desk(db, {u"upgrade"_s, u"e0000005"_s});
        QVERIFY2(o.exitCode == 0, qPrintable(o.output));
        QCOMPARE(versions(db), u"e0000005"_s);
        o = alembic(db, {u"current"_s});
        QVERIFY2(o.exitCode == 0 && o.output.contains(u"e0000005"_s), qPrintable(o.output));
        o = alembic(db, {u"downgrade"_s, u"base"_s});
        QVERIFY2(o.exitCode == 0, qPrintable(o.output));
        QCOMPARE(versions(db), QString());
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"_s),
                 u"0"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM pg_type WHERE typname IN ('schedule_type', 'schedule_status')"_s),
                 u"0"_s);
    }

    // history, heads and branches print labels and dependencies as Alembic does (label sets are
    // Python sets there, so the order inside one pair of parentheses is compared sorted).
    void listingsMatchAlembic()
    {
        static const QRegularExpression group(u"\\(([^()]*, [^()]*)\\)"_s);
        const auto normalized = [](QString text) {
            QString out;
            qsizetype last = 0;
            for (auto it = group.globalMatch(text); it.hasNext();) {
                const QRegularExpressionMatch m = it.next();
                QStringList items = m.captured(1).split(u", "_s);
                items.sort();
                out += text.mid(last, m.capturedStart() - last) + u'(' + items.join(u", "_s) + u')';
                last = m.capturedEnd();
            }
            return out + text.mid(last);
        };
        const QString db = freshDb(u"t_alembic_listing"_s);
        for (const QStringList &command : QList<QStringList>{{u"history"_s}, {u"heads"_s}, {u"branches"_s}}) {
            const Outcome byAlembic = alembic(db, command);
            const CliResult byDesk = runCli(QStringList{u"--migrations"_s, m_scripts} + command, pg().environment(db));
            QCOMPARE(byAlembic.exitCode, 0);
            QVERIFY2(byDesk.exitCode == 0, qPrintable(byDesk.all()));
            QCOMPARE(normalized(byDesk.out.trimmed()), normalized(byAlembic.output.trimmed()));
        }
        // the dependency shows on its revision's line
        const CliResult history = runCli({u"--migrations"_s, m_scripts, u"history"_s}, pg().environment(db));
        QVERIFY2(history.out.contains(u"<base> (e0000001) -> a0000001 (audit"_s), qPrintable(history.out));
    }

    void missingAlembicNamesTheInterpretersTried()
    {
        // a Python without site-packages, like a bare virtualenv without alembic
        const QString bare = m_tmp.filePath(u"barepython"_s);
        QFile script(bare);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\nexec python3 -I -S \"$@\"\n");
        script.close();
        QVERIFY(script.setPermissions(script.permissions() | QFileDevice::ExeOwner));
        const QString out = m_tmp.filePath(u"nothing"_s);
        const CliResult r = runCli({u"import-alembic"_s, m_project, u"--out"_s, out, u"--python"_s, bare},
                                   QProcessEnvironment::systemEnvironment());
        QVERIFY2(r.exitCode == 1, qPrintable(r.all()));
        QVERIFY2(r.err.contains(bare) && r.err.contains(u"cannot import alembic"_s) && r.err.contains(u"--python"_s),
                 qPrintable(r.err));
        QVERIFY(!QDir(out).exists());
    }
};

QTEST_GUILESS_MAIN(TestAlembicImport)
#include "tst_alembicimport.moc"
