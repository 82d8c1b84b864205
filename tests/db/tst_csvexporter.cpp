// The CSV exporter against the fixture's real server: exact file content (RFC 4180 quoting, NULL
// versus empty, Korean text), the grid's filters/sort/deleted rows, masking, cancel (between batches
// and in a blocked statement) leaving no file, a bad filter value, and hostile names.
#include "browse/catalog.h"
#include "browse/csvexporter.h"
#include "browse/keysetquery.h"
#include "db/pgconnection.h"
#include "dbtest.h"
#include "pgfixture.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

namespace {

const QString db = u"md_csvexport_test"_s;
const QString hostile = u"it's; DROP TABLE x"_s;
const QString weird = u"we\"ird"_s;
const QString header = u"id,name,note,password_hash,amount,is_deleted\r\n"_s;

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// One export on its own thread, the way the Tables view runs it.
struct ExportRun
{
    QThread thread;
    CsvExporter *exporter = new CsvExporter;
    std::unique_ptr<QSignalSpy> finished;
    std::unique_ptr<QSignalSpy> progress;

    ExportRun()
    {
        exporter->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, exporter, &QObject::deleteLater);
        finished = std::make_unique<QSignalSpy>(exporter, &CsvExporter::finished);
        progress = std::make_unique<QSignalSpy>(exporter, &CsvExporter::progress);
        thread.start();
    }
    ~ExportRun()
    {
        thread.quit();
        thread.wait();
    }
    void start(const CsvExportRequest &request)
    {
        CsvExporter *worker = exporter;
        QMetaObject::invokeMethod(worker, [worker, request] { worker->run(request); }, Qt::QueuedConnection);
    }
    bool wait() { return finished->size() > 0 || finished->wait(60000); }
    CsvExporter::Outcome outcome() const { return finished->at(0).at(0).value<CsvExporter::Outcome>(); }
    qint64 rows() const { return finished->at(0).at(1).toLongLong(); }
    QString message() const { return finished->at(0).at(2).toString(); }
};

} // namespace

class TestCsvExporter : public QObject
{
    Q_OBJECT

private:
    TableInfo describe(const QString &schema, const QString &table)
    {
        PgConnection connection;
        QString error;
        if (!connection.open(DbTest::settings(db), &error))
            qWarning("open failed: %s", qPrintable(error));
        const auto info = Catalog(connection).table(schema, table, &error);
        if (!info)
            qWarning("describe failed: %s", qPrintable(error));
        return info.value_or(TableInfo());
    }

    CsvExportRequest request(const KeysetQuery &query, const QString &path)
    {
        CsvExportRequest r;
        r.settings = DbTest::settings(db);
        r.query = query;
        r.path = path;
        return r;
    }

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(),
                 qPrintable(PgFixture::shared().errorString()));
        QVERIFY(m_dir.isValid());
        DbTest::freshDb(db);
        bool ok = false;
        QString err;
        // moc cannot parse raw string literals, hence the escapes. E'...' spells the control characters.
        PgFixture::shared().psql(db, QString::fromUtf8(
            "CREATE TABLE people (id integer PRIMARY KEY, name text, note text, password_hash text,\n"
            "                     amount numeric, is_deleted boolean NOT NULL DEFAULT false);\n"
            "INSERT INTO people VALUES\n"
            "  (1, 'plain', 'a,b', 'secret1', 1.50, false),\n"
            "  (2, 'He said \"hi\"', E'line1\\nline2', NULL, -5, false),\n"
            "  (3, '김민준', '', 'secret3', NULL, true),\n"
            "  (4, NULL, E'cr\\r\\nlf', 'x', 0, false),\n"
            "  (5, '=1+2', ' spaced ', NULL, 2, false);\n"
            "CREATE TABLE big (id integer PRIMARY KEY, payload text);\n"
            "INSERT INTO big SELECT i, repeat('x', 50) || i FROM generate_series(1, 60000) AS i;\n"
            "ANALYZE big;\n"
            "CREATE SCHEMA \"it's; DROP TABLE x\";\n"
            "CREATE TABLE \"it's; DROP TABLE x\".\"we\"\"ird\" (id integer PRIMARY KEY, \"it's; DROP TABLE x\" text);\n"
            "INSERT INTO \"it's; DROP TABLE x\".\"we\"\"ird\" VALUES (1, 'one'), (2, 'two');\n"), &ok, &err);
        QVERIFY2(ok, qPrintable(err));
    }

    void field_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("null") << QString() << QString();
        QTest::newRow("empty") << u""_s << u"\"\""_s;
        QTest::newRow("plain") << u"abc"_s << u"abc"_s;
        QTest::newRow("comma") << u"a,b"_s << u"\"a,b\""_s;
        QTest::newRow("quote") << u"say \"x\""_s << u"\"say \"\"x\"\"\""_s;
        QTest::newRow("lf") << u"a\nb"_s << u"\"a\nb\""_s;
        QTest::newRow("cr") << u"a\rb"_s << u"\"a\rb\""_s;
        QTest::newRow("korean") << u"김민준"_s << u"김민준"_s;
        QTest::newRow("formula kept") << u"=1+2"_s << u"=1+2"_s;
        QTest::newRow("spaces kept") << u" x "_s << u" x "_s;
    }

    void field()
    {
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QCOMPARE(CsvExporter::field(value), expected);
    }

    void exactContent()
    {
        const TableInfo people = describe(u"public"_s, u"people"_s);
        QVERIFY(people.isValid());
        const QString path = m_dir.filePath(u"people.csv"_s);
        ExportRun run;
        CsvExportRequest r = request(KeysetQuery(people, {}, true, {}), path);
        r.estimatedRows = 4;
        run.start(r);
        QVERIFY(run.wait());
        QCOMPARE(run.outcome(), CsvExporter::Finished);
        QCOMPARE(run.rows(), qint64(4));
        QCOMPARE(run.message(), path);
        const QString expected = header
            + u"1,plain,\"a,b\",••••,1.50,false\r\n"_s
            + u"2,\"He said \"\"hi\"\"\",\"line1\nline2\",,-5,false\r\n"_s
            + u"4,,\"cr\r\nlf\",••••,0,false\r\n"_s
            + u"5,=1+2, spaced ,,2,false\r\n"_s;
        QCOMPARE(QString::fromUtf8(readAll(path)), expected);
        QCOMPARE(readAll(path), expected.toUtf8()); // UTF-8, no BOM
        QVERIFY(!run.progress->isEmpty());
        QCOMPARE(run.progress->last().at(0).toLongLong(), qint64(4));
        QCOMPARE(run.progress->last().at(1).toLongLong(), qint64(4));
        // Only the CSV itself is left in the folder: the temporary file was renamed.
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), QStringList{u"people.csv"_s});
    }

    void deletedRowsRevealedColumnsFiltersAndSort()
    {
        const TableInfo people = describe(u"public"_s, u"people"_s);
        const QString path = m_dir.filePath(u"people-all.csv"_s);
        ExportRun run;
        ColumnFilter filter;
        filter.column = u"amount"_s;
        filter.op = ColumnFilter::IsNotNull;
        CsvExportRequest r = request(KeysetQuery(people, u"amount"_s, false, {filter}, true), path);
        r.revealed = {people.columnIndex(u"password_hash"_s)};
        run.start(r);
        QVERIFY(run.wait());
        QCOMPARE(run.outcome(), CsvExporter::Finished);
        QCOMPARE(QString::fromUtf8(readAll(path)),
                 header + u"5,=1+2, spaced ,,2,false\r\n"_s + u"1,plain,\"a,b\",secret1,1.50,false\r\n"_s
                     + u"4,,\"cr\r\nlf\",x,0,false\r\n"_s
                     + u"2,\"He said \"\"hi\"\"\",\"line1\nline2\",,-5,false\r\n"_s);

        // The deleted row, its empty string quoted and its NULL left empty, with the mask.
        ColumnFilter korean;
        korean.column = u"name"_s;
        korean.op = ColumnFilter::Contains;
        korean.value = u"민준"_s;
        ExportRun second;
        second.start(request(KeysetQuery(people, {}, true, {korean}, true), path));
        QVERIFY(second.wait());
        QCOMPARE(second.outcome(), CsvExporter::Finished);
        QCOMPARE(QString::fromUtf8(readAll(path)), header + u"3,김민준,\"\",••••,,true\r\n"_s);
    }

    void hostileNames()
    {
        const TableInfo odd = describe(hostile, weird);
        QVERIFY(odd.isValid());
        ColumnFilter injection;
        injection.column = hostile;
        injection.op = ColumnFilter::NotEqual;
        injection.value = u"'; DROP TABLE people; --"_s;
        const QString path = m_dir.filePath(u"odd.csv"_s);
        ExportRun run;
        run.start(request(KeysetQuery(odd, hostile, false, {injection}), path));
        QVERIFY(run.wait());
        QCOMPARE(run.outcome(), CsvExporter::Finished);
        QCOMPARE(QString::fromUtf8(readAll(path)), u"id,it's; DROP TABLE x\r\n2,two\r\n1,one\r\n"_s);
        QCOMPARE(DbTest::q(db, u"SELECT count(*) FROM people"_s), u"5"_s);
    }

    void badFilterValueFailsWithoutFile()
    {
        const TableInfo people = describe(u"public"_s, u"people"_s);
        ColumnFilter bad;
        bad.column = u"id"_s;
        bad.op = ColumnFilter::Equal;
        bad.value = u"abc"_s;
        const QString path = m_dir.filePath(u"bad.csv"_s);
        ExportRun run;
        run.start(request(KeysetQuery(people, {}, true, {bad}), path));
        QVERIFY(run.wait());
        QCOMPARE(run.outcome(), CsvExporter::Failed);
        QVERIFY2(run.message().contains(u"invalid input syntax for type integer"_s), qPrintable(run.message()));
        QVERIFY(!QFile::exists(path));
    }

    void bigExportStreamsInBatches()
    {
        const TableInfo big = describe(u"public"_s, u"big"_s);
        const QString path = m_dir.filePath(u"big.csv"_s);
        ExportRun run;
        CsvExportRequest r = request(KeysetQuery(big, {}, false, {}), path);
        r.estimatedRows = 60000;
        run.start(r);
        QVERIFY(run.wait());
        QCOMPARE(run.outcome(), CsvExporter::Finished);
        QCOMPARE(run.rows(), qint64(60000));
        // One progress report before the first batch and one per batch of 5000.
        QCOMPARE(run.progress->size(), 1 + 60000 / CsvExporter::batchRows + 1);
        const QByteArray content = readAll(path);
        QCOMPARE(content.count('\n'), 60001);
        QVERIFY(content.startsWith("id,payload\r\n60000,"));
        QVERIFY(content.endsWith(",xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1\r\n"));
    }

    void cancelBetweenBatchesLeavesNoFile()
    {
        const TableInfo big = describe(u"public"_s, u"big"_s);
        const QString path = m_dir.filePath(u"cancelled.csv"_s);
        ExportRun run;
        CsvExporter *exporter = run.exporter;
        // Cancels from the exporter's thread as soon as the first batch is written.
        QObject::connect(exporter, &CsvExporter::progress, exporter, [exporter](qint64 rows) {
            if (rows > 0)
                exporter->cancel();
        }, Qt::DirectConnection);
        run.start(request(KeysetQuery(big, {}, true, {}), path));
        QVERIFY(run.wait());
        QCOMPARE(run.outcome(), CsvExporter::Cancelled);
        QCOMPARE(run.rows(), qint64(CsvExporter::batchRows));
        QVERIFY(!QFile::exists(path));
        QVERIFY(QDir(m_dir.path()).entryList({u"cancelled*"_s}, QDir::Files | QDir::Hidden).isEmpty());
    }

    void cancelWhileBlockedKeepsTheOldFile()
    {
        const TableInfo big = describe(u"public"_s, u"big"_s);
        const QString path = m_dir.filePath(u"kept.csv"_s);
        {
            QFile old(path);
            QVERIFY(old.open(QIODevice::WriteOnly));
            old.write("old content\n");
        }
        // Another session holds a lock the export's query must wait for.
        PgConnection locker;
        QString error;
        QVERIFY2(locker.open(DbTest::settings(db), &error), qPrintable(error));
        QVERIFY(locker.exec(u"BEGIN; LOCK TABLE big IN ACCESS EXCLUSIVE MODE"_s));

        ExportRun run;
        run.start(request(KeysetQuery(big, {}, true, {}), path));
        QVERIFY(QTest::qWaitFor([] {
            return DbTest::q(db, u"SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                                 "'migrationdesk-export' AND wait_event_type = 'Lock'"_s) == u"1"_s;
        }, 20000));
        QVERIFY(run.finished->isEmpty());
        run.exporter->cancel();
        QVERIFY(run.wait());
        QCOMPARE(run.outcome(), CsvExporter::Cancelled);
        QVERIFY(locker.exec(u"ROLLBACK"_s));
        QCOMPARE(readAll(path), QByteArray("old content\n"));
    }
};

QTEST_GUILESS_MAIN(TestCsvExporter)
#include "tst_csvexporter.moc"
