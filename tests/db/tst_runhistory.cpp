// What a run leaves in migrationdesk.history beyond its result: the backup file it wrote first and the
// statements it ran (with times, and the error of the one that failed); HistoryQuery's filters; and an
// older bookkeeping schema gaining the new columns without the Alembic version table changing.
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"

#include "db/pgconnection.h"
#include "migrations/historyquery.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;
using namespace Qt::StringLiterals;

namespace {

PgFixture &pg()
{
    return PgFixture::shared();
}

CliResult cli(const QString &db, const QStringList &args)
{
    return runCli(QStringList{u"--url"_s, pg().url(db)} + args, pg().environment(db));
}

std::unique_ptr<PgConnection> openDb(const QString &db)
{
    auto connection = std::make_unique<PgConnection>();
    QString error;
    if (!connection->open(settings(db), &error))
        qFatal("cannot connect: %s", qPrintable(error));
    return connection;
}

} // namespace

class TestRunHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(pg().isRunning() || pg().start(), qPrintable(pg().errorString()));
    }

    void backupPathIsRecordedWithEveryRevisionOfTheRun()
    {
        const QString db = freshDb(u"rh_backup"_s);
        QTemporaryDir dir;
        const QString file = dir.filePath(u"before.dump"_s);
        CliResult r = cli(db, {u"upgrade"_s, u"head"_s, u"--backup"_s, file});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY(QFile::exists(file));
        // One backup for the run, named in each of its rows.
        const int revisions = q(db, u"SELECT count(*) FROM migrationdesk.history"_s).toInt();
        QVERIFY(revisions >= 3);
        QCOMPARE(q(db, u"SELECT string_agg(DISTINCT coalesce(backup_path, '<null>'), ',') FROM migrationdesk.history"_s),
                 QFileInfo(file).absoluteFilePath());
        // A run without --backup records none.
        r = cli(db, {u"downgrade"_s, u"-1"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QCOMPARE(q(db, u"SELECT backup_path IS NULL FROM migrationdesk.history WHERE direction = 'downgrade'"_s), u"t"_s);
        // And the reader returns it.
        auto connection = openDb(db);
        SqlError error;
        const auto rows = HistoryQuery(connection.get(), u"alembic_version"_s).find(HistoryFilter(), &error);
        QVERIFY2(rows, qPrintable(error.toString()));
        QCOMPARE(rows->size(), revisions + 1);
        QCOMPARE(rows->at(0).backupPath, QString());
        QCOMPARE(rows->at(1).backupPath, QFileInfo(file).absoluteFilePath());
    }

    void statementLogIsRecordedAndReadBack()
    {
        QTemporaryDir dir;
        writeScript(dir.path(), u"1.sql"_s, u"r1"_s, u"none"_s,
                    u"CREATE TABLE logged_a (id int);\nINSERT INTO logged_a VALUES (1);"_s, u"DROP TABLE logged_a;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"r2"_s, u"r1"_s,
                    u"CREATE TABLE logged_b (id int);\nINSERT INTO logged_b VALUES ('not a number');"_s,
                    u"DROP TABLE logged_b;"_s);
        const QString db = freshDb(u"rh_log"_s);
        const CliResult r = cli(db, {u"--migrations"_s, dir.path(), u"upgrade"_s, u"head"_s});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(versions(db), u"r1"_s);

        const QJsonArray ok = QJsonDocument::fromJson(
            q(db, u"SELECT statement_log FROM migrationdesk.history WHERE revision = 'r1'"_s).toUtf8()).array();
        QCOMPARE(ok.size(), 2);
        QVERIFY(ok.at(0).toObject().value(u"sql"_s).toString().startsWith(u"CREATE TABLE logged_a"_s));
        QVERIFY(ok.at(1).toObject().value(u"ms"_s).toDouble() >= 0);
        QVERIFY(!ok.at(1).toObject().contains(u"error"_s));

        // The failed revision rolled back, but its row keeps what ran and the server's error.
        auto connection = openDb(db);
        SqlError error;
        HistoryQuery query(connection.get(), u"alembic_version"_s);
        HistoryFilter failed;
        failed.result = HistoryFilter::Result::Failed;
        const auto rows = query.find(failed, &error);
        QVERIFY2(rows, qPrintable(error.toString()));
        QCOMPARE(rows->size(), 1);
        QCOMPARE(rows->at(0).revision, u"r2"_s);
        const auto log = query.statementLog(rows->at(0).id, &error);
        QVERIFY2(log, qPrintable(error.toString()));
        QCOMPARE(log->size(), 2);
        QCOMPARE(log->at(1).index, 1);
        QVERIFY(log->at(1).sql.contains(u"not a number"_s));
        QVERIFY2(log->at(1).error.contains(u"invalid input syntax"_s), qPrintable(log->at(1).error));
        QVERIFY(log->at(0).error.isEmpty());
        QVERIFY(log->at(0).elapsedMs >= 0);
    }

    void filtersNarrowTheRowsWithBoundValues()
    {
        const QString db = freshDb(u"rh_filter"_s);
        QVERIFY2(cli(db, {u"upgrade"_s, u"head"_s}).exitCode == 0, "upgrade failed");
        const int revisions = q(db, u"SELECT count(*) FROM migrationdesk.history"_s).toInt();
        // Runs by other people on other days, written as an older client would.
        q(db, u"INSERT INTO migrationdesk.history (run_id, version_table, revision, direction, started_at, duration_ms, "
              "db_user, os_user, success) VALUES "
              "(gen_random_uuid(), 'alembic_version', 'abc123', 'upgrade', '2025-03-01 10:00+00', 5, 'carol', 'carol', false), "
              "(gen_random_uuid(), 'alembic_version', 'abc456', 'downgrade', '2025-03-02 10:00+00', 5, 'dave', 'Dave_O', true), "
              "(gen_random_uuid(), 'other_version', 'abc789', 'upgrade', '2025-03-02 11:00+00', 5, 'dave', 'dave', true)"_s);
        auto connection = openDb(db);
        HistoryQuery query(connection.get(), u"alembic_version"_s);
        auto count = [&](const HistoryFilter &f) {
            SqlError error;
            const auto rows = query.find(f, &error);
            if (!rows)
                qWarning("%s", qPrintable(error.toString()));
            return rows ? int(rows->size()) : -1;
        };
        QCOMPARE(count(HistoryFilter()), revisions + 2); // not the other version table's row
        HistoryFilter f;
        f.revision = u"abc"_s;
        QCOMPARE(count(f), 2);
        f.revision = u"abc4"_s;
        QCOMPARE(count(f), 1);
        f = HistoryFilter();
        f.user = u"dave_o"_s; // the OS user, case-insensitively; '_' is no wildcard
        QCOMPARE(count(f), 1);
        f.user = u"%"_s;
        QCOMPARE(count(f), 0);
        f = HistoryFilter();
        f.result = HistoryFilter::Result::Failed;
        QCOMPARE(count(f), 1);
        f.result = HistoryFilter::Result::Succeeded;
        QCOMPARE(count(f), revisions + 1);
        f = HistoryFilter();
        f.from = QDateTime(QDate(2025, 3, 2), QTime(0, 0), Qt::UTC);
        f.until = QDateTime(QDate(2025, 3, 3), QTime(0, 0), Qt::UTC);
        QCOMPARE(count(f), 1);
        f.limit = 1;
        f.from = QDateTime();
        QCOMPARE(count(f), 1);
        // Hostile text is a value, never SQL.
        f = HistoryFilter();
        f.revision = u"x' OR '1'='1"_s;
        QCOMPARE(count(f), 0);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history"_s), QString::number(revisions + 3));
    }

    void olderBookkeepingGainsTheColumnsAndAlembicsTableStays()
    {
        const QString db = freshDb(u"rh_upgrade"_s);
        // The history table as earlier versions created it, with a row in it.
        q(db, u"CREATE SCHEMA migrationdesk; CREATE TABLE migrationdesk.history (id bigserial PRIMARY KEY, "
              "run_id uuid NOT NULL, version_table text NOT NULL, revision text NOT NULL, direction text NOT NULL "
              "CHECK (direction IN ('upgrade', 'downgrade', 'stamp')), started_at timestamptz NOT NULL, "
              "duration_ms double precision NOT NULL, db_user text NOT NULL DEFAULT current_user, os_user text, "
              "client_host text, app_version text, script_sha256 text, success boolean NOT NULL, error text, "
              "statements integer NOT NULL DEFAULT 0); "
              "INSERT INTO migrationdesk.history (run_id, version_table, revision, direction, started_at, duration_ms, "
              "success) VALUES (gen_random_uuid(), 'alembic_version', 'old1', 'stamp', now(), 1, true)"_s);
        // Readable before any run adds the columns.
        {
            auto connection = openDb(db);
            SqlError error;
            const auto rows = HistoryQuery(connection.get(), u"alembic_version"_s).find(HistoryFilter(), &error);
            QVERIFY2(rows, qPrintable(error.toString()));
            QCOMPARE(rows->size(), 1);
            const auto log = HistoryQuery(connection.get(), u"alembic_version"_s).statementLog(rows->at(0).id, &error);
            QVERIFY2(log && log->isEmpty(), qPrintable(error.toString()));
        }
        QVERIFY2(cli(db, {u"upgrade"_s, u"head"_s}).exitCode == 0, "upgrade failed");
        QCOMPARE(q(db, u"SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns "
                       "WHERE table_schema = 'migrationdesk' AND table_name = 'history' "
                       "AND column_name IN ('backup_path', 'statement_log')"_s),
                 u"backup_path,statement_log"_s);
        const QString revisions = q(db, u"SELECT count(*) FROM migrationdesk.history WHERE revision <> 'old1'"_s);
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history WHERE statement_log IS NOT NULL"_s), revisions);
        // Alembic's table is exactly what Alembic creates: one varchar(32) primary key column.
        QCOMPARE(q(db, u"SELECT string_agg(column_name || ' ' || data_type || coalesce('(' || character_maximum_length "
                       "|| ')', ''), ',') FROM information_schema.columns WHERE table_name = 'alembic_version'"_s),
                 u"version_num character varying(32)"_s);
        // Running again finds the columns present and changes nothing more.
        QVERIFY2(cli(db, {u"downgrade"_s, u"-1"_s}).exitCode == 0, "downgrade failed");
        QCOMPARE(q(db, u"SELECT count(*) FROM migrationdesk.history"_s), QString::number(revisions.toInt() + 2));
    }
};

QTEST_GUILESS_MAIN(TestRunHistory)
#include "tst_runhistory.moc"
