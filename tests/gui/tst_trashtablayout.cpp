// What each Trash tab reads and shows (TrashTabLayout), checked without a database.
#include "scheduling/trashtablayout.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

class TestTrashTabLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onlyDeletedRowsWithoutSearch();
    void searchMatchesTheTextColumnsOfEachTable();
    void schedulesJoinTheirOwner();
    void shownColumnsStartWithTheDeletionTime();
};

void TestTrashTabLayout::onlyDeletedRowsWithoutSearch()
{
    for (TrashTable table : {TrashTable::Schedules, TrashTable::Employees}) {
        for (const QString &blank : {QString(), u"   "_s}) {
            const QList<ColumnFilter> filters = TrashTabLayout::filters(table, blank);
            QCOMPARE(filters.size(), 1);
            QCOMPARE(filters.first().column, u"is_deleted"_s);
            QCOMPARE(filters.first().op, ColumnFilter::Equal);
            QCOMPARE(filters.first().value, u"true"_s);
        }
    }
}

void TestTrashTabLayout::searchMatchesTheTextColumnsOfEachTable()
{
    const QList<ColumnFilter> schedules = TrashTabLayout::filters(TrashTable::Schedules, u"  acme "_s);
    QCOMPARE(schedules.size(), 2);
    QCOMPARE(schedules.at(1).op, ColumnFilter::ContainsAny);
    QCOMPARE(schedules.at(1).value, u"acme"_s); // trimmed
    QCOMPARE(schedules.at(1).column, u"title"_s);
    QCOMPARE(schedules.at(1).otherColumns, QStringList{u"client_name"_s});

    const QList<ColumnFilter> employees = TrashTabLayout::filters(TrashTable::Employees, u"kim"_s);
    QCOMPARE(employees.size(), 2);
    QCOMPARE(employees.at(1).column, u"name"_s);
    QCOMPARE(employees.at(1).otherColumns, (QStringList{u"email"_s, u"username"_s}));
}

void TestTrashTabLayout::schedulesJoinTheirOwner()
{
    QVERIFY(TrashTabLayout::joins(TrashTable::Employees).isEmpty());
    const QList<JoinSpec> joins = TrashTabLayout::joins(TrashTable::Schedules);
    QCOMPARE(joins.size(), 1);
    const JoinSpec &owner = joins.first();
    QCOMPARE(owner.foreignKeyColumn, u"employee_id"_s);
    QCOMPARE(owner.schema, TrashStore::schema());
    QCOMPARE(owner.table, u"employees"_s);
    QCOMPARE(owner.referencedColumn, u"employee_id"_s);
    QStringList shownAs;
    for (const auto &column : owner.columns)
        shownAs.append(column.second);
    QCOMPARE(shownAs, (QStringList{u"employee_name"_s, u"employee_in_trash"_s, u"department"_s}));
    // Every joined column is one the tab shows.
    for (const QString &name : std::as_const(shownAs))
        QVERIFY2(TrashTabLayout::shownColumns(TrashTable::Schedules).contains(name), qPrintable(name));
}

void TestTrashTabLayout::shownColumnsStartWithTheDeletionTime()
{
    for (TrashTable table : {TrashTable::Schedules, TrashTable::Employees}) {
        const QStringList columns = TrashTabLayout::shownColumns(table);
        QCOMPARE(columns.first(), u"deleted_at"_s);
        QVERIFY(columns.contains(TrashStore::keyColumn(table)));
    }
    // Restore reads updated_at of schedules, so it is among what the tab reads and shows.
    QVERIFY(TrashTabLayout::shownColumns(TrashTable::Schedules).contains(u"updated_at"_s));
}

QTEST_MAIN(TestTrashTabLayout)
#include "tst_trashtablayout.moc"
