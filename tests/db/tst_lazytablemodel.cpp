#include "browse/catalog.h"
#include "browse/fetcherpool.h"
#include "browse/keysetquery.h"
#include "browse/lazytablemodel.h"
#include "db/pgconnection.h"
#include "base/workerthreads.h"
#include "dbtest.h"
#include "pgfixture.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

namespace {

const QString db = u"md_lazy_test"_s;
const QString hostile = u"it's; DROP TABLE x"_s;
const QString weird = u"we\"ird"_s;
constexpr int total = 20000;

bool waitLoaded(const LazyTableModel &model, int row)
{
    return QTest::qWaitFor([&] { return row < model.rowCount() && model.isRowLoaded(row); }, 20000);
}

// Waits past the model's own 30 s limit on the exact count: under a sanitizer on a loaded machine the
// count has taken longer than 20 s to come back, and the model's answer, whatever it is, is what counts.
bool waitCountExact(const LazyTableModel &model)
{
    return QTest::qWaitFor([&] { return model.isCountExact(); }, 40000);
}

QString cell(const LazyTableModel &model, int row, int column)
{
    return model.data(model.index(row, column)).toString();
}

} // namespace

// The lazy table model against the fixture's real server: windows, jumps, End, sort, filters,
// stale replies, keyset paging over ties, timestamp keys and hostile names.
class TestLazyTableModel : public QObject
{
    Q_OBJECT

private:
    // The fetchers' threads and pool, as AppServices owns them in the app; they outlive every model.
    WorkerThreads m_threads;
    FetcherPool m_pool{m_threads};

    // A model on `table`, with its tester, once the estimate is in.
    std::unique_ptr<LazyTableModel> openModel(const QString &schema, const QString &table, int windowSize = 200)
    {
        auto model = std::make_unique<LazyTableModel>(m_pool);
        model->setWindowSize(windowSize);
        m_tester = std::make_unique<QAbstractItemModelTester>(model.get());
        QSignalSpy ready(model.get(), &LazyTableModel::tableReady);
        model->openTable(DbTest::settings(db), schema, table);
        if (!ready.wait(20000))
            return nullptr;
        // The first window comes before the estimate; wait for the estimate too (or a count from a
        // first window that held every row).
        if (!QTest::qWaitFor([&] {
                return model->isCountExact() || (model->rowCount() > 0 && model->rowCount() != model->windowSize());
            }, 20000))
            return nullptr;
        return model;
    }
    int col(const LazyTableModel &model, const QString &name) { return model.tableInfo().columnIndex(name); }

    std::unique_ptr<QAbstractItemModelTester> m_tester;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(PgFixture::shared().isRunning() || PgFixture::shared().start(),
                 qPrintable(PgFixture::shared().errorString()));
        DbTest::freshDb(db);
        bool ok = false;
        QString err;
        // moc cannot parse raw string literals, hence the escapes.
        const QString setup = QString::fromUtf8(
            "CREATE TABLE items (id integer PRIMARY KEY, grp integer NOT NULL, ts timestamp NOT NULL,\n"
            "                    name text, password_hash text);\n"
            "INSERT INTO items SELECT i, i % 7,\n"
            "       timestamp '2024-01-01 00:00:00' + ((i / 2)::bigint * 1000003) * interval '1 microsecond',\n"
            "       'name ' || i, 'secret' || i\n"
            "FROM generate_series(1, 20000) AS i;\n"
            "CREATE INDEX items_ts ON items (ts);\n"
            "ANALYZE items;\n"
            "CREATE SCHEMA \"it's; DROP TABLE x\";\n"
            "CREATE TABLE \"it's; DROP TABLE x\".\"we\"\"ird\" (id integer PRIMARY KEY, \"it's; DROP TABLE x\" text, \"we\"\"ird\" integer);\n"
            "INSERT INTO \"it's; DROP TABLE x\".\"we\"\"ird\" SELECT i, 'v' || i, i % 10 FROM generate_series(1, 500) AS i;\n"
            "ANALYZE \"it's; DROP TABLE x\".\"we\"\"ird\";\n"
            "CREATE VIEW odd_items AS SELECT id, grp, name FROM items WHERE id % 2 = 1 AND id <= 3000;\n"
            "CREATE TABLE nokey (n integer, label text);\n"
            "INSERT INTO nokey SELECT CASE WHEN i % 5 = 0 THEN NULL ELSE i % 13 END, 'row ' || i FROM generate_series(1, 1200) AS i;\n");
        PgFixture::shared().psql(db, setup, &ok, &err);
        QVERIFY2(ok, qPrintable(err));
    }

    void catalogSeesColumnsKeysAndSensitivity()
    {
        PgConnection connection;
        QString error;
        QVERIFY2(connection.open(DbTest::settings(db), &error), qPrintable(error));
        const auto info = Catalog(connection).table(u"public"_s, u"items"_s, &error);
        QVERIFY2(info && info->isValid(), qPrintable(error));
        QCOMPARE(info->columns.size(), 5);
        QCOMPARE(info->primaryKey, QStringList{u"id"_s});
        QCOMPARE(info->columns.at(2).type, u"timestamp without time zone"_s);
        QVERIFY(info->columns.at(0).leadsIndex);   // the primary key index
        QVERIFY(info->columns.at(2).leadsIndex);   // items_ts
        QVERIFY(!info->columns.at(1).leadsIndex);
        QVERIFY(info->columns.at(4).sensitive);
        QVERIFY(!info->columns.at(3).sensitive);
        QCOMPARE(qint64(info->estimatedRows), qint64(total));
        QVERIFY(info->totalBytes > 0);

        const auto odd = Catalog(connection).table(hostile, weird, &error);
        QVERIFY2(odd && odd->isValid(), qPrintable(error));
        QCOMPARE(odd->columns.at(1).name, hostile);
        QCOMPARE(odd->columns.at(2).name, weird);
        const auto missing = Catalog(connection).table(u"public"_s, u"items' OR '1'='1"_s, &error);
        QVERIFY(missing && !missing->isValid());
    }

    void firstWindowThenValues()
    {
        auto model = openModel(u"public"_s, u"items"_s);
        QVERIFY(model);
        QCOMPARE(model->rowCount(), total);           // reltuples after ANALYZE
        QCOMPARE(model->columnCount(), 5);
        QCOMPARE(model->headerData(2, Qt::Horizontal).toString(), u"ts"_s);
        // The first window is read at once, without waiting for a view to ask or for the count.
        QVERIFY(waitLoaded(*model, 0));
        QVERIFY(model->isRowLoaded(model->windowSize() - 1));
        QVERIFY(!model->isRowLoaded(model->windowSize()));
        QCOMPARE(cell(*model, model->windowSize(), 0), LazyTableModel::placeholder()); // asks for the next one
        QVERIFY(waitLoaded(*model, model->windowSize()));
        QCOMPARE(cell(*model, 0, 0), u"1"_s);
        QCOMPARE(cell(*model, 1, 2), u"2024-01-01 00:00:01.000003"_s);
        QCOMPARE(cell(*model, 0, 4), LazyTableModel::maskText());
        model->setRevealed(4, true);
        QCOMPARE(cell(*model, 0, 4), u"secret1"_s);
        QVERIFY(waitCountExact(*model));
        QCOMPARE(model->rowCount(), total);
        QVERIFY(!model->countText().contains(u"\u2248"_s));
    }

    void endIsAReverseKeysetRead()
    {
        auto model = openModel(u"public"_s, u"items"_s);
        QVERIFY(model);
        model->requestRows(total - 10, total - 1);
        QVERIFY(waitLoaded(*model, total - 1));
        QCOMPARE(cell(*model, total - 1, 0), u"20000"_s);
        QCOMPARE(cell(*model, total - 10, 0), u"19991"_s);
        // One read from the end, not a walk there: the first window and the last one only.
        QCOMPARE(model->cachedWindowCount(), 2);
        QVERIFY(!model->isRowLoaded(total / 2));
        // Scrolling up from the end continues backwards from the window's first key.
        model->requestRows(total - 250, total - 240);
        QVERIFY(waitLoaded(*model, total - 250));
        QCOMPARE(cell(*model, total - 250, 0), QString::number(total - 249));
    }

    void jumpToTheMiddleLandsNearIt()
    {
        auto model = openModel(u"public"_s, u"items"_s);
        QVERIFY(model);
        model->requestRows(10000, 10010);
        QVERIFY(waitLoaded(*model, 10000));
        QCOMPARE(model->cachedWindowCount(), 2); // the first window and the jump's
        QVERIFY(!model->isRowLoaded(5000));
        const int id = cell(*model, 10000, 0).toInt();
        // 100 histogram buckets over 20,000 rows: one bucket is 200 rows.
        QVERIFY2(qAbs(id - 10001) <= 200, qPrintable(QString::number(id)));
        // The next rows continue the keyset from there, with no gap and no repeat.
        model->requestRows(10000, 10300);
        QVERIFY(waitLoaded(*model, 10300));
        for (int row = 10000; row <= 10300; ++row)
            QCOMPARE(cell(*model, row, 0).toInt(), id + row - 10000);
    }

    void sortByAnotherColumn()
    {
        auto model = openModel(u"public"_s, u"items"_s);
        QVERIFY(model);
        QVERIFY(model->isInstantSort(2));
        QVERIFY(!model->isInstantSort(1));
        model->sort(1, Qt::DescendingOrder);
        QCOMPARE(model->rowCount(), total);
        QVERIFY(waitLoaded(*model, 0));
        QCOMPARE(cell(*model, 0, 1), u"6"_s);
        QCOMPARE(cell(*model, 0, 0), u"19998"_s);  // grp DESC, id DESC
        QCOMPARE(cell(*model, 1, 0), u"19991"_s);
        model->requestRows(total - 5, total - 1);
        QVERIFY(waitLoaded(*model, total - 1));
        QCOMPARE(cell(*model, total - 1, 0), u"7"_s); // grp 0, smallest id last
    }

    void keysetPagingOverTiesSeesEveryRowOnce()
    {
        auto model = openModel(u"public"_s, u"items"_s, 500);
        QVERIFY(model);
        model->setMaxWindows(5);
        model->sort(1, Qt::AscendingOrder);  // 7 distinct values: long runs of equal keys
        QSet<int> ids;
        int lastGroup = -1;
        for (int start = 0; start < total; start += 500) {
            model->requestRows(start, start + 499);
            QVERIFY2(waitLoaded(*model, start + 499), qPrintable(QString::number(start)));
            for (int row = start; row < start + 500; ++row) {
                ids.insert(cell(*model, row, 0).toInt());
                const int group = cell(*model, row, 1).toInt();
                QVERIFY(group >= lastGroup);
                lastGroup = group;
            }
            QVERIFY(model->cachedWindowCount() <= 5);
        }
        QCOMPARE(ids.size(), total);
        QCOMPARE(model->rowCount(), total);
    }

    void timestampKeysKeepMicroseconds()
    {
        // Windows of 7 rows split the pairs of equal timestamps; a key rounded to milliseconds or
        // to timestamptz would skip or repeat rows here.
        auto model = openModel(u"public"_s, u"items"_s, 7);
        QVERIFY(model);
        model->sort(2, Qt::AscendingOrder);
        for (int start = 0; start < 301; start += 7) {
            model->requestRows(start, start + 6);
            QVERIFY(waitLoaded(*model, start + 6));
            for (int row = start; row < start + 7; ++row)
                QCOMPARE(cell(*model, row, 0).toInt(), row + 1);
            if (start == 7)
                QCOMPARE(cell(*model, 9, 2), u"2024-01-01 00:00:05.000015"_s); // id 10: 5 * 1000003 us
        }
        QVERIFY(model->cachedWindowCount() <= 40); // the default bound

        // The key itself, straight through the query builder.
        PgConnection connection;
        QString error;
        QVERIFY2(connection.open(DbTest::settings(db), &error), qPrintable(error));
        const auto info = Catalog(connection).table(u"public"_s, u"items"_s, &error);
        QVERIFY(info);
        const KeysetQuery query(*info, u"ts"_s, true, {});
        const BoundQuery s = query.forward({u"2024-01-01 00:00:01.000003"_s, u"2"_s}, 2);
        SqlError sqlError;
        const auto rows = connection.query(s.sql, s.params, &sqlError);
        QVERIFY2(rows, qPrintable(sqlError.toString()));
        QCOMPARE(rows->size(), 2);
        QCOMPARE(rows->at(0).at(0), u"3"_s);  // same timestamp as id 2, next by the tiebreaker
        QCOMPARE(rows->at(1).at(0), u"4"_s);
    }

    void staleRepliesAreDropped()
    {
        auto model = openModel(u"public"_s, u"items"_s);
        QVERIFY(model);
        QVERIFY(waitCountExact(*model));

        // Hold the table locked so the first read is provably running when the sort changes.
        PgConnection locker;
        QString error;
        QVERIFY2(locker.open(DbTest::settings(db), &error), qPrintable(error));
        QVERIFY(locker.exec(u"BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE"_s));
        // The tester's data() calls may have loaded the first window already: read it afresh.
        model->refresh();
        model->requestRows(0, 20);
        QVERIFY(QTest::qWaitFor([&] {
            // The window read, not a count (counts have a session of their own).
            const auto r = locker.query(u"SELECT count(*)::text FROM pg_stat_activity "
                                        "WHERE application_name = 'migrationdesk-browse' AND wait_event_type = 'Lock' "
                                        "AND query LIKE '%LIMIT%'"_s);
            return r && r->value(0).value(0) == u"1"_s;
        }, 20000));

        bool staleSeen = false;
        connect(model.get(), &QAbstractItemModel::dataChanged, this, [&] {
            if (model->isRowLoaded(0) && cell(*model, 0, 1) != u"6"_s)
                staleSeen = true;
        });
        model->sort(1, Qt::DescendingOrder);
        QVERIFY(locker.exec(u"COMMIT"_s));
        QVERIFY(waitLoaded(*model, 0));
        QVERIFY(QTest::qWaitFor([&] { return model->staleRepliesDropped() >= 1; }, 20000));
        QVERIFY(!staleSeen);
        QCOMPARE(cell(*model, 0, 0), u"19998"_s);
    }

    void filtersBindValues()
    {
        auto model = openModel(u"public"_s, u"items"_s);
        QVERIFY(model);
        QSignalSpy errors(model.get(), &LazyTableModel::errorOccurred);
        const int name = col(*model, u"name"_s);

        model->setFilters({{u"name"_s, ColumnFilter::Equal, u"' OR 1=1 --"_s, {}}});
        model->requestRows(0, 20);
        QVERIFY(waitCountExact(*model));
        QCOMPARE(model->rowCount(), 0);

        model->setFilters({{u"name"_s, ColumnFilter::Contains, u"name 1999"_s, {}}});
        QVERIFY(waitCountExact(*model));
        QCOMPARE(model->rowCount(), 11);  // 1999 and 19990..19999
        model->requestRows(0, 10);
        QVERIFY(waitLoaded(*model, 10));
        QCOMPARE(cell(*model, 0, name), u"name 1999"_s);

        model->setFilters({{u"name"_s, ColumnFilter::Contains, u"%"_s, {}}});
        QVERIFY(waitCountExact(*model));
        QCOMPARE(model->rowCount(), 0);  // a literal %, not a wildcard

        model->setFilters({{u"id"_s, ColumnFilter::Between, u"100"_s, u"199"_s},
                           {u"grp"_s, ColumnFilter::NotEqual, u"0"_s, {}}});
        QVERIFY(waitCountExact(*model));
        QCOMPARE(model->rowCount(), 100 - 14);

        model->setFilters({{u"name"_s, ColumnFilter::IsNull, {}, {}}});
        QVERIFY(waitCountExact(*model));
        QCOMPARE(model->rowCount(), 0);

        // A typed column refuses the text instead of running it.
        model->setFilters({{u"id"_s, ColumnFilter::Equal, u"1; DROP TABLE items"_s, {}}});
        model->requestRows(0, 5);
        QVERIFY(errors.wait(20000) || !errors.isEmpty());
        QVERIFY(errors.last().at(0).toString().contains(u"integer"_s));

        QCOMPARE(DbTest::q(db, u"SELECT count(*) FROM items"_s), u"20000"_s);
    }

    void hostileNames()
    {
        auto model = openModel(hostile, weird);
        QVERIFY(model);
        QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), hostile);
        QCOMPARE(model->headerData(2, Qt::Horizontal).toString(), weird);
        QVERIFY(waitLoaded(*model, 0));
        QCOMPARE(cell(*model, 0, 1), u"v1"_s);

        model->sort(2, Qt::DescendingOrder);
        QVERIFY(waitLoaded(*model, 0));
        QCOMPARE(cell(*model, 0, 2), u"9"_s);
        QCOMPARE(cell(*model, 0, 0), u"499"_s);

        model->setFilters({{hostile, ColumnFilter::Equal, u"v42"_s, {}}});
        QVERIFY(waitCountExact(*model));
        QCOMPARE(model->rowCount(), 1);
        model->requestRows(0, 0);
        QVERIFY(waitLoaded(*model, 0));
        QCOMPARE(cell(*model, 0, 0), u"42"_s);

        model->setFilters({{weird, ColumnFilter::Greater, u"8"_s, {}}, {hostile, ColumnFilter::Contains, u"'; --"_s, {}}});
        QVERIFY(waitCountExact(*model));
        QCOMPARE(model->rowCount(), 0);
        const QString countSql = u"SELECT count(*) FROM \"it's; DROP TABLE x\".\"we\"\"ird\""_s;
        QCOMPARE(DbTest::q(db, countSql), u"500"_s);
    }

    void plainViewPagesByRowNumber()
    {
        // A view has no key and no ctid: its rows are numbered in a subquery instead.
        constexpr int rows = 1500;
        auto model = openModel(u"public"_s, u"odd_items"_s, 200);
        QVERIFY(model);
        QVERIFY(waitCountExact(*model));
        QCOMPARE(model->rowCount(), rows);
        QSet<int> ids;
        for (int start = 0; start < rows; start += 200) {
            const int last = qMin(rows - 1, start + 199);
            model->requestRows(start, last);
            QVERIFY2(waitLoaded(*model, last), qPrintable(QString::number(start)));
            for (int row = start; row <= last; ++row)
                ids.insert(cell(*model, row, 0).toInt());
        }
        QCOMPARE(ids.size(), rows);
        QVERIFY(ids.contains(1) && ids.contains(2999) && !ids.contains(2));

        // Sorted by a column of the view, read from the end.
        model->sort(2, Qt::DescendingOrder);  // name: 'name 999' is the largest text
        model->requestRows(0, 5);
        QVERIFY(waitLoaded(*model, 0));
        QCOMPARE(cell(*model, 0, 2), u"name 999"_s);
        model->requestRows(rows - 3, rows - 1);
        QVERIFY(waitLoaded(*model, rows - 1));
        QCOMPARE(cell(*model, rows - 1, 2), u"name 1"_s);

        // A jump (no statistics on a view: OFFSET) and a filter.
        model->sort(-1);
        model->requestRows(700, 720);
        QVERIFY(waitLoaded(*model, 710));
        QVERIFY(cell(*model, 710, 0).toInt() % 2 == 1);
        model->setFilters({{u"grp"_s, ColumnFilter::Equal, u"3"_s}});
        QVERIFY(waitCountExact(*model));
        QCOMPARE(model->rowCount(), int(std::count_if(ids.cbegin(), ids.cend(), [](int id) { return id % 7 == 3; })));
    }

    void nullableSortAndNoKeyTableSeeEveryRowOnce()
    {
        // No primary key (ctid breaks ties) and a sort column with NULLs, both directions.
        constexpr int rows = 1200;
        for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            auto model = openModel(u"public"_s, u"nokey"_s, 100);
            QVERIFY(model);
            model->setMaxWindows(3);
            model->sort(0, order);
            QStringList labels;
            QList<int> values;
            int nulls = 0;
            for (int start = 0; start < rows; start += 100) {
                model->requestRows(start, start + 99);
                QVERIFY2(waitLoaded(*model, start + 99), qPrintable(QString::number(start)));
                for (int row = start; row < start + 100; ++row) {
                    labels.append(cell(*model, row, 1));
                    if (model->data(model->index(row, 0), LazyTableModel::IsNullRole).toBool())
                        ++nulls;
                    else
                        values.append(cell(*model, row, 0).toInt());
                }
            }
            QCOMPARE(QSet<QString>(labels.cbegin(), labels.cend()).size(), rows);
            QCOMPARE(nulls, rows / 5);
            QVERIFY(order == Qt::AscendingOrder ? std::is_sorted(values.cbegin(), values.cend())
                                                : std::is_sorted(values.crbegin(), values.crend()));
            // NULLs come last ascending and first descending, as in PostgreSQL.
            const int firstNull = order == Qt::AscendingOrder ? rows - rows / 5 : 0;
            model->requestRows(firstNull, firstNull + 5);
            QVERIFY(waitLoaded(*model, firstNull + 5));
            QVERIFY(model->data(model->index(firstNull, 0), LazyTableModel::IsNullRole).toBool());
            // The reverse read from the end meets the same rows.
            model->requestRows(rows - 100, rows - 1);
            QVERIFY(waitLoaded(*model, rows - 1));
            QCOMPARE(cell(*model, rows - 1, 1), labels.last());
            m_tester.reset();
        }
    }

    void sortRightAfterFiltersKeepsTheEstimate()
    {
        // The Trash view's order: filters, then a sort before any count has arrived.
        auto model = openModel(u"public"_s, u"items"_s);
        QVERIFY(model);
        model->setFilters({{u"grp"_s, ColumnFilter::Equal, u"2"_s}});
        model->sort(2, Qt::DescendingOrder);
        QVERIFY(QTest::qWaitFor([&] { return model->rowCount() > 0; }, 20000));
        model->requestRows(0, 10);
        QVERIFY(waitLoaded(*model, 0));
        // The latest ts in group 2 (ts grows with id / 2): id 19994.
        QCOMPARE(cell(*model, 0, 0), u"19994"_s);
        QVERIFY(waitCountExact(*model));
        QCOMPARE(model->rowCount(), 2857);
    }

    void countsUseTheirOwnReadOnlySession()
    {
        auto model = openModel(u"public"_s, u"items"_s);
        QVERIFY(model);
        QVERIFY(waitCountExact(*model));
        // Windows and counts each have a session, so a long count(*) never delays a window; both
        // are read-only.
        QCOMPARE(DbTest::q(db, u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrationdesk-browse'"_s),
                 u"2"_s);
        QTRY_COMPARE(DbTest::q(db, u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrationdesk-browse' "
                                   "AND state = 'idle'"_s),
                     u"2"_s);
        const QString pids = DbTest::q(db, u"SELECT string_agg(pid::text, ',' ORDER BY pid) FROM pg_stat_activity "
                                           "WHERE application_name = 'migrationdesk-browse'"_s);
        // A closed grid's sessions wait in the pool, and the next grid on the same server takes them over
        // (no new connection); clearing the pool closes them.
        m_tester.reset();
        model.reset();
        QCOMPARE(m_pool.idleCount(), 2);
        auto next = openModel(u"public"_s, u"items"_s);
        QVERIFY(next);
        QCOMPARE(m_pool.idleCount(), 0);
        QVERIFY(waitLoaded(*next, 0));
        QCOMPARE(DbTest::q(db, u"SELECT string_agg(pid::text, ',' ORDER BY pid) FROM pg_stat_activity "
                               "WHERE application_name = 'migrationdesk-browse'"_s),
                 pids);
        m_tester.reset();
        next.reset();
        m_pool.clear();
        QCOMPARE(m_pool.idleCount(), 0);
        QTRY_COMPARE(DbTest::q(db, u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrationdesk-browse'"_s),
                     u"0"_s);
    }

    void browseSessionsReadOnlyWithoutJitOrMemoize()
    {
        // A view evaluated by the grid's own session shows that session's settings.
        DbTest::q(db, u"CREATE VIEW public.session_settings AS SELECT current_setting('default_transaction_read_only') "
                      "AS read_only, current_setting('jit') AS jit, current_setting('enable_memoize') AS memoize"_s);
        auto model = openModel(u"public"_s, u"session_settings"_s);
        QVERIFY(model);
        model->requestRows(0, 0);
        QVERIFY(waitLoaded(*model, 0));
        QCOMPARE(cell(*model, 0, 0), u"on"_s);
        QCOMPARE(cell(*model, 0, 1), u"off"_s);
        QCOMPARE(cell(*model, 0, 2), u"off"_s);
        m_tester.reset();
        model.reset();
        DbTest::q(db, u"DROP VIEW public.session_settings"_s);
    }

    void endWindowsFollowTheExactCount()
    {
        // The planner believes 300,000 rows (reltuples); there are 330,000.
        bool ok = false;
        PgFixture::shared().psql(db, u"CREATE TABLE growing (id integer PRIMARY KEY, v text) WITH (autovacuum_enabled = false);"
                                     "INSERT INTO growing SELECT g, 'v' || g FROM generate_series(1, 300000) AS g;"
                                     "ANALYZE growing;"
                                     "INSERT INTO growing SELECT g, 'v' || g FROM generate_series(300001, 330000) AS g;"_s, &ok);
        QVERIFY(ok);
        auto model = std::make_unique<LazyTableModel>(m_pool);
        m_tester = std::make_unique<QAbstractItemModelTester>(model.get());
        // As a grid at End does: the last rows, as soon as the estimate gives the scroll bar its length.
        bool askedForTheEnd = false;
        connect(model.get(), &LazyTableModel::countChanged, this, [&] {
            if (!askedForTheEnd && !model->isCountExact() && model->rowCount() > model->windowSize()) {
                askedForTheEnd = true;
                model->requestRows(model->rowCount() - 10, model->rowCount() - 1);
            }
        });
        model->openTable(DbTest::settings(db), u"public"_s, u"growing"_s);
        QVERIFY(waitCountExact(*model));
        QVERIFY(askedForTheEnd);
        QCOMPARE(model->rowCount(), 330000);
        // Where the estimate ended, rows go on: a window read back from the old end must not stand in
        // for them (reading on from it would find no more rows and cut the count back to 300,000).
        model->requestRows(299995, 300005);
        QVERIFY(waitLoaded(*model, 300005));
        QCOMPARE(model->rowCount(), 330000);
        model->requestRows(329990, 329999);
        QVERIFY(waitLoaded(*model, 329999));
        QCOMPARE(cell(*model, 329999, 0), u"330000"_s);
        QCOMPARE(model->rowCount(), 330000);
        m_tester.reset();
    }

    void poolKeepsSessionsPerServerOnly()
    {
        m_pool.clear();
        {
            auto model = openModel(u"public"_s, u"items"_s);
            QVERIFY(model);
            m_tester.reset();
        }
        QCOMPARE(m_pool.idleCount(), 2);
        // Another database is another server as far as sessions go: new ones, and the pool stays bounded.
        const QString other = u"md_pool_other"_s;
        DbTest::freshDb(other);
        {
            auto model = std::make_unique<LazyTableModel>(m_pool);
            QSignalSpy failed(model.get(), &LazyTableModel::errorOccurred);
            model->openTable(DbTest::settings(other), u"public"_s, u"items"_s);
            QVERIFY(failed.wait(20000));
            QVERIFY2(failed.last().at(0).toString().contains(u"does not exist"_s), qPrintable(failed.last().at(0).toString()));
            QCOMPARE(m_pool.idleCount(), 2); // the first database's pair is still kept
        }
        QCOMPARE(m_pool.idleCount(), 4);
        // A server that dropped the session meanwhile: the pooled fetcher connects afresh.
        bool ok = false;
        PgFixture::shared().psql(db, u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                     "WHERE application_name = 'migrationdesk-browse' AND datname = current_database()"_s, &ok);
        QVERIFY(ok);
        auto model = openModel(u"public"_s, u"items"_s);
        QVERIFY(model);
        QVERIFY(waitLoaded(*model, 0));
        QCOMPARE(cell(*model, 0, 0), u"1"_s);
        QCOMPARE(m_pool.idleCount(), 2);
        m_tester.reset();
        model.reset();
        m_pool.clear();
    }

    void prewarmReadsTheFirstWindow()
    {
        // The pool's new window fetchers run the first window a grid will ask for, and say when they
        // are done; a warm-up for a table that does not exist is quiet and still reported done.
        m_pool.clear();
        QTRY_COMPARE(DbTest::q(db, u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrationdesk-browse'"_s),
                     u"0"_s);
        WarmUp warmUp;
        warmUp.schema = u"public"_s;
        warmUp.table = u"items"_s;
        warmUp.sortColumn = u"ts"_s;
        warmUp.ascending = false;
        warmUp.filters = {{u"grp"_s, ColumnFilter::Equal, u"3"_s, {}, {}}};
        warmUp.limit = 50;
        WarmUp missing = warmUp;
        missing.table = u"no_such_table"_s;
        QSignalSpy prewarmed(&m_pool, &FetcherPool::prewarmed);
        m_pool.prewarm(DbTest::settings(db), 2, {missing, warmUp});
        QVERIFY(DbTest::waitForEmissions(prewarmed));
        QCOMPARE(m_pool.idleCount(), 4);

        PgConnection conn;
        QString error;
        QVERIFY2(conn.open(DbTest::settings(db), &error), qPrintable(error));
        const auto info = Catalog(conn).table(u"public"_s, u"items"_s, &error);
        QVERIFY2(info && info->isValid(), qPrintable(error));
        const BoundQuery expected = KeysetQuery(*info, warmUp.sortColumn, false, warmUp.filters, false).forward({}, 50);
        // pg_stat_activity keeps each idle session's last statement: both window fetchers ran the window
        // last (after the missing table's quiet failure), the two counters only connected.
        SqlError sqlError;
        const auto same = conn.query(u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrationdesk-browse' "
                                     "AND query = $1"_s,
                                     {expected.sql}, &sqlError);
        QVERIFY2(same, qPrintable(sqlError.toString()));
        QCOMPARE(same->value(0).value(0), u"2"_s);
        // The pooled sessions serve the next grid as before.
        auto model = openModel(u"public"_s, u"items"_s);
        QVERIFY(model);
        QVERIFY(waitLoaded(*model, 0));
        QCOMPARE(m_pool.idleCount(), 2);
        m_tester.reset();
        model.reset();
        m_pool.clear();
    }

    void jumpOnASmallTableIsExact()
    {
        // A set a little larger than one window, never analyzed (no histogram): the jump is placed by
        // an exact count, so the rows before it are where a scroll back expects them.
        bool ok = false;
        PgFixture::shared().psql(db, u"CREATE TABLE few (id integer PRIMARY KEY, ts timestamp NOT NULL) "
                                     "WITH (autovacuum_enabled = false);"
                                     "CREATE INDEX ON few (ts, id);"
                                     "INSERT INTO few SELECT g, timestamp '2026-01-01' + g * interval '1 minute' "
                                     "FROM generate_series(1, 350) AS g;"_s, &ok);
        QVERIFY(ok);
        auto model = openModel(u"public"_s, u"few"_s);
        QVERIFY(model);
        model->sort(1, Qt::AscendingOrder);
        QVERIFY(waitLoaded(*model, 0));
        QVERIFY(QTest::qWaitFor([&] { return model->isCountExact() || model->rowCount() != model->windowSize(); }, 20000));
        QSignalSpy jumped(model.get(), &LazyTableModel::jumped);
        model->jumpToValue(u"2026-01-01 01:40:00"_s); // id 100
        QVERIFY(DbTest::waitForEmissions(jumped));
        const int row = jumped.first().first().toInt();
        QCOMPARE(row, 99);
        QCOMPARE(cell(*model, row, 0), u"100"_s);
        QVERIFY(waitCountExact(*model));
        QCOMPARE(model->rowCount(), 350);
        for (int r : {0, 50, 98, 99, 100, 298, 349}) {
            model->requestRows(qMax(0, r - 2), qMin(349, r + 2));
            QVERIFY(waitLoaded(*model, r));
            QCOMPARE(cell(*model, r, 0), QString::number(r + 1));
        }
        m_tester.reset();
        model.reset();
        PgFixture::shared().psql(db, u"DROP TABLE few"_s, &ok);
        QVERIFY(ok);
    }

    void jumpToValueShowsTheRowsFromIt()
    {
        // The grid opens on today this way: the first row at or past a sort value, read by the index and
        // placed where the statistics put it; the rows before it come by keyset when scrolled to.
        auto model = openModel(u"public"_s, u"items"_s);
        QVERIFY(model);
        model->sort(2, Qt::AscendingOrder); // ts; ids 2k and 2k+1 share a ts, the key orders them
        QVERIFY(waitLoaded(*model, 0));
        QSignalSpy jumped(model.get(), &LazyTableModel::jumped);
        model->jumpToValue(DbTest::q(db, u"SELECT ts::text FROM items WHERE id = 10000"_s));
        QVERIFY(DbTest::waitForEmissions(jumped));
        const int row = jumped.first().first().toInt();
        QVERIFY(model->isRowLoaded(row));
        QCOMPARE(cell(*model, row, 0), u"10000"_s);
        // 100 histogram buckets over 20,000 rows: one bucket is 200 rows.
        QVERIFY2(qAbs(row - 9999) <= 200, qPrintable(QString::number(row)));
        model->requestRows(row - 3, row + 3);
        QVERIFY(waitLoaded(*model, row - 3));
        for (int r = row - 3; r <= row + 3; ++r)
            QCOMPARE(cell(*model, r, 0).toInt(), 10000 + r - row);
        // A new sort drops a jump not yet answered; a null value is no jump.
        jumped.clear();
        model->jumpToValue(DbTest::q(db, u"SELECT ts::text FROM items WHERE id = 15000"_s));
        model->sort(2, Qt::DescendingOrder);
        model->jumpToValue(QString());
        model->requestRows(0, 5);
        QVERIFY(waitLoaded(*model, 0));
        QTest::qWait(200);
        QCOMPARE(jumped.count(), 0);
    }

    void prewarmReadsWhatTheGridOpensWith()
    {
        // A warm-up with a then-by and a value runs the same statements as the grid's own first read
        // and jump: the pooled sessions the grid then gets have run exactly those.
        m_pool.clear();
        QTRY_COMPARE(DbTest::q(db, u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrationdesk-browse'"_s),
                     u"0"_s);
        const QString value = DbTest::q(db, u"SELECT ts::text FROM items WHERE id = 12000"_s);
        WarmUp warmUp;
        warmUp.schema = u"public"_s;
        warmUp.table = u"items"_s;
        warmUp.sortColumn = u"ts"_s;
        warmUp.thenBy = {u"grp"_s};
        warmUp.seekValue = value;
        warmUp.limit = 50;
        QSignalSpy prewarmed(&m_pool, &FetcherPool::prewarmed);
        m_pool.prewarm(DbTest::settings(db), 1, {warmUp});
        QVERIFY(DbTest::waitForEmissions(prewarmed));

        PgConnection conn;
        QString error;
        QVERIFY2(conn.open(DbTest::settings(db), &error), qPrintable(error));
        const auto info = Catalog(conn).table(u"public"_s, u"items"_s, &error);
        QVERIFY2(info && info->isValid(), qPrintable(error));
        const KeysetQuery query(*info, u"ts"_s, true, {}, false, {u"grp"_s});
        // pg_stat_activity keeps each idle session's last statement.
        const auto sessionsLastRunning = [&](const QString &sql) {
            SqlError sqlError;
            const auto rows = conn.query(u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrationdesk-browse' "
                                         "AND query = $1"_s, {sql}, &sqlError);
            return rows && !rows->isEmpty() ? rows->first().value(0).toInt() : -1;
        };
        QCOMPARE(sessionsLastRunning(query.seek(value, 50).sql), 1);

        // The grid on fresh sessions (no warm-up), opened as the Schedules view opens: sorted and jumped
        // as soon as the table is described. Its window session runs the same statements, and nothing
        // from the top: the jump reads its own estimate rather than wait for one.
        m_pool.clear();
        QTRY_COMPARE(DbTest::q(db, u"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrationdesk-browse'"_s),
                     u"0"_s);
        auto model = std::make_unique<LazyTableModel>(m_pool);
        model->setWindowSize(50);
        model->setThenBy(u"ts"_s, {u"grp"_s});
        QSignalSpy jumped(model.get(), &LazyTableModel::jumped);
        int rowsAtJump = -1;
        connect(model.get(), &LazyTableModel::tableReady, model.get(), [&] {
            model->sort(2, Qt::AscendingOrder);
            model->jumpToValue(value);
        });
        connect(model.get(), &LazyTableModel::jumped, model.get(), [&] { rowsAtJump = model->rowCount(); });
        model->openTable(DbTest::settings(db), u"public"_s, u"items"_s);
        QVERIFY(DbTest::waitForEmissions(jumped));
        const int row = jumped.first().first().toInt();
        QCOMPARE(cell(*model, row, 0), u"12000"_s);
        QVERIFY2(qAbs(row - 11999) <= 200, qPrintable(QString::number(row)));
        QCOMPARE(rowsAtJump, 20000); // reltuples, read with the jump
        QVERIFY(!model->isRowLoaded(0));
        QTRY_COMPARE(sessionsLastRunning(query.seek(value, 50).sql), 1);
        QCOMPARE(sessionsLastRunning(query.forward({}, 50).sql), 0);
        model.reset();
        m_pool.clear();
    }

    void joinedColumnsFilterAndSort()
    {
        bool ok = false;
        PgFixture::shared().psql(db, u"CREATE TABLE owners (oid_ integer PRIMARY KEY, oname text);"
                                     "INSERT INTO owners SELECT g, 'owner ' || g FROM generate_series(0, 6) AS g;"_s, &ok);
        QVERIFY(ok);
        auto model = std::make_unique<LazyTableModel>(m_pool);
        m_tester = std::make_unique<QAbstractItemModelTester>(model.get());
        QSignalSpy ready(model.get(), &LazyTableModel::tableReady);
        model->openTable(DbTest::settings(db), u"public"_s, u"items"_s,
                         {{u"grp"_s, u"public"_s, u"owners"_s, u"oid_"_s, {{u"oname"_s, u"owner_name"_s}}}});
        QVERIFY(ready.wait(20000));
        const int ownerColumn = col(*model, u"owner_name"_s);
        QCOMPARE(ownerColumn, 5);
        model->setFilters({{u"owner_name"_s, ColumnFilter::Equal, u"owner 4"_s},
                           {u"name"_s, ColumnFilter::ContainsAny, u"99"_s, {}, {u"owner_name"_s}}});
        QVERIFY(waitCountExact(*model));
        const QString expected = DbTest::q(db, u"SELECT count(*) FROM items WHERE grp = 4 AND name LIKE '%99%'"_s);
        QCOMPARE(QString::number(model->rowCount()), expected);
        model->sort(ownerColumn, Qt::AscendingOrder);
        model->requestRows(0, 5);
        QVERIFY(waitLoaded(*model, 0));
        QCOMPARE(cell(*model, 0, ownerColumn), u"owner 4"_s);
        QVERIFY(cell(*model, 0, 3).contains(u"99"_s));
    }

    void cleanup() { m_tester.reset(); }
};

QTEST_GUILESS_MAIN(TestLazyTableModel)
#include "tst_lazytablemodel.moc"
