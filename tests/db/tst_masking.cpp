// Masked columns in the core, against the fixture's real server: a sort, filter or search on a
// sensitive column is refused by KeysetQuery, by the lazy model (nothing changes), by the row fetcher
// (a forged query returns no rows) and by the CSV exporter (no file); unmasking is recorded in
// migrationdesk.audit, also in a table made before "unmask" was an allowed action. The CSV export's
// Excel option starts the file with a UTF-8 byte order mark.
#include "base/workerthreads.h"
#include "browse/catalog.h"
#include "browse/csvexporter.h"
#include "browse/fetcherpool.h"
#include "browse/keysetquery.h"
#include "browse/lazytablemodel.h"
#include "browse/rowfetcher.h"
#include "browse/unmaskauditor.h"
#include "db/pgconnection.h"
#include "dbtest.h"
#include "pgfixture.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

namespace {

const QString db = u"md_masking_test"_s;
constexpr int total = 2000;

ColumnFilter contains(const QString &column, const QString &value)
{
    ColumnFilter filter;
    filter.column = column;
    filter.op = ColumnFilter::Contains;
    filter.value = value;
    return filter;
}

} // namespace

class TestMasking : public QObject
{
    Q_OBJECT

private:
    WorkerThreads m_threads;
    FetcherPool m_pool{m_threads};
    QTemporaryDir m_dir;

    TableInfo items()
    {
        PgConnection connection;
        QString error;
        if (!connection.open(DbTest::settings(db), &error))
            return {};
        return Catalog(connection).table(u"public"_s, u"accounts"_s, &error).value_or(TableInfo());
    }

    std::unique_ptr<LazyTableModel> openModel()
    {
        auto model = std::make_unique<LazyTableModel>(m_pool);
        QSignalSpy ready(model.get(), &LazyTableModel::tableReady);
        model->openTable(DbTest::settings(db), u"public"_s, u"accounts"_s);
        if (!ready.wait(20000) || !QTest::qWaitFor([&] { return model->isCountExact(); }, 20000))
            return nullptr;
        return model;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(),
                 qPrintable(PgFixture::shared().errorString()));
        QVERIFY(m_dir.isValid());
        DbTest::freshDb(db);
        bool ok = false;
        QString err;
        PgFixture::shared().psql(db, QString::fromUtf8(
            "CREATE TABLE accounts (id integer PRIMARY KEY, name text, password_hash text);\n"
            "INSERT INTO accounts SELECT i, '이름 ' || i, 'secret' || i FROM generate_series(1, 2000) AS i;\n"
            "ANALYZE accounts;\n"), &ok, &err);
        QVERIFY2(ok, qPrintable(err));
    }

    void keysetQueryRefusesMaskedColumns()
    {
        const TableInfo info = items();
        QVERIFY(info.isValid());
        QVERIFY(info.columns.at(2).sensitive);

        const KeysetQuery filtered(info, {}, true, {contains(u"password_hash"_s, u"cret1"_s)});
        QVERIFY(!filtered.isValid());
        QVERIFY2(filtered.error().contains(u"password_hash"_s) && filtered.error().contains(u"masked"_s),
                 qPrintable(filtered.error()));
        QVERIFY(!KeysetQuery(info, u"password_hash"_s, false, {}).isValid()); // the order leaks it too
        ColumnFilter search = contains(u"name"_s, u"x"_s);
        search.op = ColumnFilter::ContainsAny;
        search.otherColumns = {u"password_hash"_s};
        QVERIFY(!KeysetQuery(info, {}, true, {search}).isValid());
        ColumnFilter isNull;
        isNull.column = u"password_hash"_s;
        isNull.op = ColumnFilter::IsNull;
        QVERIFY(!KeysetQuery(info, {}, true, {isNull}).isValid());

        // Revealed, the same requests are ordinary ones; other columns never needed it.
        const QSet<QString> revealed{u"password_hash"_s};
        QVERIFY(KeysetQuery(info, {}, true, {contains(u"password_hash"_s, u"cret1"_s)}, false, {}, revealed).isValid());
        QVERIFY(KeysetQuery(info, u"password_hash"_s, false, {}, false, {}, revealed).isValid());
        QVERIFY(KeysetQuery(info, u"name"_s, true, {contains(u"name"_s, u"1"_s)}).isValid());
    }

    void fetcherRunsNoForgedQuery()
    {
        const TableInfo info = items();
        RowFetcher fetcher;
        QSignalSpy opened(&fetcher, &RowFetcher::opened);
        fetcher.open(DbTest::settings(db));
        QVERIFY(!opened.isEmpty() && opened.first().at(0).toBool());
        QSignalSpy rows(&fetcher, &RowFetcher::windowReady);
        QSignalSpy failed(&fetcher, &RowFetcher::windowFailed);
        QSignalSpy counted(&fetcher, &RowFetcher::countReady);
        WindowRequest request;
        request.generation = 1;
        request.requestId = 1;
        request.query = KeysetQuery(info, {}, true, {contains(u"password_hash"_s, u"secret1"_s)});
        fetcher.fetchWindow(request);
        fetcher.countExact(1, request.query, 10000);
        QCOMPARE(rows.count(), 0);
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.first().at(2).toString().contains(u"masked"_s));
        QCOMPARE(counted.count(), 1);
        QCOMPARE(counted.first().at(1).toLongLong(), qint64(-1));
        QVERIFY(!counted.first().at(2).toBool());
        fetcher.close();
    }

    void modelRefusesAndKeepsItsRows()
    {
        auto model = openModel();
        QVERIFY(model);
        QCOMPARE(model->rowCount(), total);
        QSignalSpy errors(model.get(), &LazyTableModel::errorOccurred);
        QSignalSpy resets(model.get(), &QAbstractItemModel::modelReset);

        model->setFilters({contains(u"password_hash"_s, u"secret1"_s)});
        QCOMPARE(errors.count(), 1);
        QVERIFY(errors.first().at(0).toString().contains(u"masked"_s));
        QVERIFY(model->filters().isEmpty());
        QCOMPARE(resets.count(), 0); // nothing was read again
        QCOMPARE(model->rowCount(), total);

        model->sort(2, Qt::AscendingOrder);
        QCOMPARE(errors.count(), 2);
        QCOMPARE(model->sortColumn(), -1);
        QCOMPARE(resets.count(), 0);

        // Revealed, the filter works: secret1, secret10..19, ...100..199, ...1000..1999 = 1,111 rows.
        model->setRevealed(2, true);
        model->setFilters({contains(u"password_hash"_s, u"secret1"_s)});
        QVERIFY(QTest::qWaitFor([&] { return model->isCountExact() && model->rowCount() == 1111; }, 20000));
        model->sort(2, Qt::DescendingOrder);
        QCOMPARE(model->sortColumn(), 2);
        // Masked again: its filter and its sort go, since they would go on telling its values.
        model->setRevealed(2, false);
        QVERIFY(model->filters().isEmpty());
        QCOMPARE(model->sortColumn(), -1);
        QVERIFY(QTest::qWaitFor([&] { return model->isCountExact() && model->rowCount() == total; }, 20000));
    }

    void exporterRefusesAMaskedFilter()
    {
        CsvExporter exporter;
        QSignalSpy finished(&exporter, &CsvExporter::finished);
        CsvExportRequest request;
        request.settings = DbTest::settings(db);
        request.query = KeysetQuery(items(), {}, true, {contains(u"password_hash"_s, u"secret1"_s)});
        request.path = m_dir.filePath(u"refused.csv"_s);
        exporter.run(request);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(0).value<CsvExporter::Outcome>(), CsvExporter::Failed);
        QVERIFY(finished.first().at(2).toString().contains(u"masked"_s));
        QVERIFY(!QFile::exists(request.path));
    }

    void excelOptionWritesAByteOrderMark()
    {
        for (const bool bom : {false, true}) {
            CsvExporter exporter;
            QSignalSpy finished(&exporter, &CsvExporter::finished);
            CsvExportRequest request;
            request.settings = DbTest::settings(db);
            ColumnFilter one;
            one.column = u"id"_s;
            one.op = ColumnFilter::Equal;
            one.value = u"7"_s;
            request.query = KeysetQuery(items(), {}, true, {one});
            request.path = m_dir.filePath(bom ? u"bom.csv"_s : u"plain.csv"_s);
            request.byteOrderMark = bom;
            exporter.run(request);
            QCOMPARE(finished.first().at(0).value<CsvExporter::Outcome>(), CsvExporter::Finished);
            QFile file(request.path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            const QByteArray body = "id,name,password_hash\r\n7," + QStringLiteral("이름 7").toUtf8() + ",\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\r\n";
            QCOMPARE(bytes, bom ? QByteArray("\xEF\xBB\xBF") + body : body);
        }
    }

    void unmaskingIsAudited_data()
    {
        QTest::addColumn<bool>("oldTable");
        QTest::newRow("new audit table") << false;
        // A table from before "unmask" was an action: its CHECK allows only restore and purge.
        QTest::newRow("older audit table") << true;
    }

    void unmaskingIsAudited()
    {
        QFETCH(bool, oldTable);
        DbTest::q(db, u"DROP SCHEMA IF EXISTS migrationdesk CASCADE"_s);
        if (oldTable) {
            DbTest::q(db, u"CREATE SCHEMA migrationdesk; CREATE TABLE migrationdesk.audit (id bigserial PRIMARY KEY, "
                          "changed_at timestamptz NOT NULL DEFAULT now(), db_user text NOT NULL DEFAULT current_user, "
                          "os_user text, action text NOT NULL CHECK (action IN ('restore', 'purge')), "
                          "table_schema text NOT NULL, table_name text NOT NULL, row_key jsonb NOT NULL, "
                          "before_values jsonb NOT NULL)"_s);
        }
        UnmaskAuditor auditor;
        QSignalSpy recorded(&auditor, &UnmaskAuditor::recorded);
        auditor.record(DbTest::settings(db), u"public"_s, u"accounts"_s, u"password_hash"_s);
        QCOMPARE(recorded.count(), 1);
        QVERIFY2(recorded.first().at(3).toBool(), qPrintable(recorded.first().at(4).toString()));
        QCOMPARE(DbTest::q(db, u"SELECT action || '|' || table_schema || '.' || table_name || '|' || "
                               "(before_values->>'column') || '|' || db_user FROM migrationdesk.audit"_s),
                 u"unmask|public.accounts|password_hash|"_s + DbTest::q(db, u"SELECT current_user"_s));
        // The older table still takes what it took before.
        DbTest::q(db, u"INSERT INTO migrationdesk.audit (action, table_schema, table_name, row_key, before_values) "
                      "VALUES ('purge', 'public', 'x', '{}', '{}')"_s);
        auditor.close();
    }

    void unmaskingRefusedWhenItCannotBeRecorded()
    {
        DbTest::q(db, u"DROP SCHEMA IF EXISTS migrationdesk CASCADE; DROP ROLE IF EXISTS md_mask_reader; "
                      "CREATE ROLE md_mask_reader LOGIN PASSWORD 'pw'; GRANT SELECT ON accounts TO md_mask_reader; "
                      "REVOKE CREATE ON DATABASE "_s + db + u" FROM PUBLIC"_s);
        ConnectionSettings reader = DbTest::settings(db);
        reader.user = u"md_mask_reader"_s;
        reader.password = u"pw"_s;
        UnmaskAuditor auditor;
        QSignalSpy recorded(&auditor, &UnmaskAuditor::recorded);
        auditor.record(reader, u"public"_s, u"accounts"_s, u"password_hash"_s);
        QCOMPARE(recorded.count(), 1);
        QVERIFY(!recorded.first().at(3).toBool());
        QVERIFY(!recorded.first().at(4).toString().isEmpty());
        QVERIFY(!DbTest::relationExists(db, u"migrationdesk.audit"_s));
    }
};

QTEST_GUILESS_MAIN(TestMasking)
#include "tst_masking.moc"
