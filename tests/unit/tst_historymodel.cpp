// Checks HistoryModel: its columns and headers, how each cell formats a run (local time, duration,
// direction, result, user@host, first line of the error), the revision filter, and the model
// contract through QAbstractItemModelTester.

#include "models/historymodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include <ctime>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

HistoryEntry run(const QString &rev, const QString &direction, bool success, const QString &isoUtc, double ms)
{
    HistoryEntry e;
    e.revision = rev;
    e.direction = direction;
    e.success = success;
    e.startedAt = QDateTime::fromString(isoUtc, Qt::ISODate);
    e.durationMs = ms;
    e.dbUser = u"alice"_s;
    e.osUser = u"bob"_s;
    e.clientHost = u"ws1"_s;
    e.appVersion = u"0.3.0"_s;
    e.statements = 4;
    return e;
}

// Newest first, as DatabaseWorker delivers them.
QList<HistoryEntry> sample()
{
    HistoryEntry failed = run(u"b"_s, u"upgrade"_s, false, u"2025-01-20T01:02:03Z"_s, 80);
    failed.error = u"\n  ERROR:  relation \"t\" already exists\nLINE 1: CREATE TABLE t (id int);\n"_s;
    failed.backupPath = u"/srv/backups/pre-b.dump"_s;
    HistoryEntry noHost = run(u"a"_s, u"stamp"_s, true, u"2025-01-19T10:00:00Z"_s, 0.2);
    noHost.clientHost.clear();
    return {failed,
            run(u"b"_s, u"downgrade"_s, true, u"2025-01-19T23:00:00Z"_s, 1250),
            run(u"b"_s, u"upgrade"_s, true, u"2025-01-19T22:00:00Z"_s, 125000),
            noHost};
}

QString cell(const HistoryModel &m, int row, int column, int role = Qt::DisplayRole)
{
    return m.index(row, column).data(role).toString();
}

} // namespace

class TestHistoryModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void modelTesterThroughResets();
    void headers();
    void cells();
    void durations_data();
    void durations();
    void revisionFilter();
    void sortRoleHoldsRawValues();

private:
    QByteArray m_savedTz;
};

void TestHistoryModel::initTestCase()
{
    // A fixed zone and locale, so the expected local times below are exact on any machine.
    m_savedTz = qgetenv("TZ");
    qputenv("TZ", "Asia/Seoul");
    tzset();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestHistoryModel::cleanupTestCase()
{
    if (m_savedTz.isEmpty())
        qunsetenv("TZ");
    else
        qputenv("TZ", m_savedTz);
    tzset();
}

void TestHistoryModel::modelTesterThroughResets()
{
    HistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(HistoryModel::ColumnCount));
    model.setEntries(sample());
    QCOMPARE(model.rowCount(), 4);
    model.setRevisionFilter(u"b"_s);
    QCOMPARE(model.rowCount(), 3);
    model.setEntries({});
    QCOMPARE(model.rowCount(), 0);
    model.setEntries(sample());
    QCOMPARE(model.rowCount(), 3);
    model.setRevisionFilter(QString());
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.rowCount(model.index(0, 0)), 0);
    QCOMPARE(model.columnCount(model.index(0, 0)), 0);
}

void TestHistoryModel::headers()
{
    HistoryModel model;
    const QStringList expected = {u"When"_s, u"Revision"_s, u"Direction"_s, u"Result"_s, u"Duration"_s,
                                  u"Database user"_s, u"OS user@host"_s, u"App version"_s, u"Backup"_s, u"Error"_s};
    QCOMPARE(model.columnCount(), expected.size());
    for (int c = 0; c < expected.size(); ++c)
        QCOMPARE(model.headerData(c, Qt::Horizontal).toString(), expected.at(c));
    QVERIFY(!model.headerData(expected.size(), Qt::Horizontal).isValid());
}

void TestHistoryModel::cells()
{
    HistoryModel model;
    model.setEntries(sample());

    // 01:02:03 UTC is 10:02 in Seoul (UTC+9).
    QCOMPARE(cell(model, 0, HistoryModel::WhenColumn), u"2025-01-20 10:02:03 AM"_s);
    // 23:00 UTC on the 19th is already the 20th in Seoul.
    QCOMPARE(cell(model, 1, HistoryModel::WhenColumn), u"2025-01-20 8:00:00 AM"_s);
    QVERIFY2(cell(model, 0, HistoryModel::WhenColumn, Qt::ToolTipRole).contains(u"10:02:03"_s),
             qPrintable(cell(model, 0, HistoryModel::WhenColumn, Qt::ToolTipRole)));

    QCOMPARE(cell(model, 0, HistoryModel::RevisionColumn), u"b"_s);
    QCOMPARE(cell(model, 0, HistoryModel::DirectionColumn), u"Upgrade"_s);
    QCOMPARE(cell(model, 1, HistoryModel::DirectionColumn), u"Downgrade"_s);
    QCOMPARE(cell(model, 3, HistoryModel::DirectionColumn), u"Stamp"_s);
    QCOMPARE(cell(model, 0, HistoryModel::ResultColumn), u"Failed"_s);
    QCOMPARE(cell(model, 1, HistoryModel::ResultColumn), u"Succeeded"_s);
    QCOMPARE(cell(model, 0, HistoryModel::DurationColumn), u"80 ms"_s);
    QCOMPARE(cell(model, 1, HistoryModel::DurationColumn), u"1.25 s"_s);
    QCOMPARE(cell(model, 2, HistoryModel::DurationColumn), u"2 min 5 s"_s);
    QCOMPARE(cell(model, 3, HistoryModel::DurationColumn), u"< 1 ms"_s);
    QCOMPARE(cell(model, 0, HistoryModel::DurationColumn, Qt::ToolTipRole), u"80.0 ms, 4 statement(s)"_s);
    QCOMPARE(model.index(0, HistoryModel::DurationColumn).data(Qt::TextAlignmentRole).toInt(),
             int(Qt::AlignRight | Qt::AlignVCenter));
    QCOMPARE(cell(model, 0, HistoryModel::DatabaseUserColumn), u"alice"_s);
    QCOMPARE(cell(model, 0, HistoryModel::OsUserColumn), u"bob@ws1"_s);
    QCOMPARE(cell(model, 3, HistoryModel::OsUserColumn), u"bob"_s);
    QCOMPARE(cell(model, 0, HistoryModel::AppVersionColumn), u"0.3.0"_s);
    // The backup the run wrote first, with what it is in the tooltip; none: empty.
    QCOMPARE(cell(model, 0, HistoryModel::BackupColumn), u"/srv/backups/pre-b.dump"_s);
    QVERIFY(cell(model, 0, HistoryModel::BackupColumn, Qt::ToolTipRole).contains(u"/srv/backups/pre-b.dump"_s));
    QCOMPARE(cell(model, 1, HistoryModel::BackupColumn), QString());
    // The first line of the error in the cell, all of it in the tooltip.
    QCOMPARE(cell(model, 0, HistoryModel::ErrorColumn), u"ERROR:  relation \"t\" already exists"_s);
    QVERIFY(cell(model, 0, HistoryModel::ErrorColumn, Qt::ToolTipRole).contains(u"LINE 1: CREATE TABLE t"_s));
    QCOMPARE(cell(model, 1, HistoryModel::ErrorColumn), QString());

    QCOMPARE(model.index(0, HistoryModel::RevisionColumn).data(HistoryModel::SucceededRole).toBool(), false);
    QCOMPARE(model.index(1, HistoryModel::ErrorColumn).data(HistoryModel::SucceededRole).toBool(), true);

    QCOMPARE(model.entry(2).durationMs, 125000.0);
    QCOMPARE(model.entry(4).revision, QString()); // out of range: a default entry
    QCOMPARE(model.entry(-1).revision, QString());
    QCOMPARE(model.entries().size(), 4);
}

void TestHistoryModel::durations_data()
{
    QTest::addColumn<double>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << 0.0 << u"< 1 ms"_s;
    QTest::newRow("sub-ms") << 0.6 << u"< 1 ms"_s;
    QTest::newRow("ms") << 3.4 << u"3 ms"_s;
    QTest::newRow("rounded to ms") << 999.4 << u"999 ms"_s;
    QTest::newRow("rounds up to a second") << 999.6 << u"1.00 s"_s;
    QTest::newRow("one second") << 1000.0 << u"1.00 s"_s;
    QTest::newRow("seconds") << 45678.0 << u"45.68 s"_s;
    QTest::newRow("rounds up to a minute") << 59996.0 << u"1 min 0 s"_s;
    QTest::newRow("one minute") << 60000.0 << u"1 min 0 s"_s;
    QTest::newRow("an hour and a bit") << 3725000.0 << u"62 min 5 s"_s;
}

void TestHistoryModel::durations()
{
    QFETCH(double, ms);
    QFETCH(QString, text);
    QCOMPARE(HistoryModel::formatDuration(ms), text);
}

void TestHistoryModel::revisionFilter()
{
    HistoryModel model;
    model.setEntries(sample());
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

    model.setRevisionFilter(u"b"_s);
    QCOMPARE(resets.count(), 1);
    QCOMPARE(model.revisionFilter(), u"b"_s);
    QCOMPARE(model.rowCount(), 3);
    for (int r = 0; r < model.rowCount(); ++r)
        QCOMPARE(cell(model, r, HistoryModel::RevisionColumn), u"b"_s);
    QCOMPARE(model.entry(1).direction, u"downgrade"_s); // rows follow the filtered list, in order

    model.setRevisionFilter(u"b"_s); // unchanged: no reset
    QCOMPARE(resets.count(), 1);

    model.setRevisionFilter(u"a"_s);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.entry(0).direction, u"stamp"_s);

    model.setRevisionFilter(u"zz9"_s);
    QCOMPARE(model.rowCount(), 0);

    // New entries keep the filter.
    model.setRevisionFilter(u"b"_s);
    QList<HistoryEntry> more = sample();
    more.prepend(run(u"b"_s, u"upgrade"_s, true, u"2025-02-01T00:00:00Z"_s, 5));
    more.prepend(run(u"c"_s, u"upgrade"_s, true, u"2025-02-02T00:00:00Z"_s, 5));
    model.setEntries(more);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.entry(0).startedAt, QDateTime::fromString(u"2025-02-01T00:00:00Z"_s, Qt::ISODate));

    model.setRevisionFilter(QString());
    QCOMPARE(model.rowCount(), 6);
}

void TestHistoryModel::sortRoleHoldsRawValues()
{
    HistoryModel model;
    model.setEntries(sample());
    const QVariant when = model.index(0, HistoryModel::WhenColumn).data(HistoryModel::SortRole);
    QCOMPARE(when.toDateTime(), QDateTime::fromString(u"2025-01-20T01:02:03Z"_s, Qt::ISODate));
    QCOMPARE(model.index(2, HistoryModel::DurationColumn).data(HistoryModel::SortRole).toDouble(), 125000.0);
    QCOMPARE(model.index(0, HistoryModel::ResultColumn).data(HistoryModel::SortRole).toBool(), false);
    QCOMPARE(model.index(0, HistoryModel::RevisionColumn).data(HistoryModel::SortRole).toString(), u"b"_s);
}

QTEST_GUILESS_MAIN(TestHistoryModel)
#include "tst_historymodel.moc"
