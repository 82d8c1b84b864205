// The heuristic that finds what a statement drops, which the plan review estimates rows for.
#include "migrations/dropfinder.h"

#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

class TestDropFinder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void finds_data()
    {
        QTest::addColumn<QString>("statement");
        QTest::addColumn<QStringList>("expected"); // "table" or "table.column"

        QTest::newRow("table") << u"DROP TABLE widgets"_s << QStringList{u"widgets"_s};
        QTest::newRow("several, qualified") << u"drop table if exists public . a, b"_s
                                            << QStringList{u"public.a"_s, u"b"_s};
        QTest::newRow("quoted name keeps its blanks") << u"DROP TABLE \"Odd \"\"Name\"\"\""_s
                                                      << QStringList{u"\"Odd \"\"Name\"\"\""_s};
        QTest::newRow("quoted schema and table") << u"DROP TABLE \"my schema\" . \"my table\""_s
                                                 << QStringList{u"\"my schema\".\"my table\""_s};
        QTest::newRow("column") << u"ALTER TABLE widgets DROP COLUMN colour"_s << QStringList{u"widgets.colour"_s};
        QTest::newRow("bare drop of a column") << u"ALTER TABLE ONLY w DROP colour, DROP CONSTRAINT c"_s
                                               << QStringList{u"w.colour"_s};
        QTest::newRow("constraint only") << u"ALTER TABLE w DROP CONSTRAINT c"_s << QStringList{};
        QTest::newRow("index") << u"DROP INDEX widgets_idx"_s << QStringList{};
    }

    void finds()
    {
        QFETCH(QString, statement);
        QFETCH(QStringList, expected);
        QStringList found;
        for (const DroppedObject &d : findDroppedObjects(statement))
            found << (d.column.isEmpty() ? d.table : d.table + u'.' + d.column);
        QCOMPARE(found, expected);
    }
};

QTEST_APPLESS_MAIN(TestDropFinder)
#include "tst_dropfinder.moc"
