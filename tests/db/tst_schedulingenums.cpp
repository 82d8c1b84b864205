// The scheduling enum values defined once in the core against the CHECK constraints of a real
// database upgraded to head: a value added, removed or reordered on either side fails here.
#include "clirunner.h"
#include "dbtest.h"
#include "pgfixture.h"
#include "scheduling/enumlabels.h"
#include "scheduling/schedulingenums.h"

#include <QRegularExpression>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;
using namespace MigrationDesk::DbTest;

namespace {

const QString db = u"md_enums_test"_s;

// The quoted literals of a constraint definition, in order: pg_get_constraintdef writes
// `CHECK (((status)::text = ANY ((ARRAY['scheduled'::character varying, ...])::text[])))`.
QStringList literals(const QString &definition)
{
    static const QRegularExpression literal(u"'((?:[^']|'')*)'"_s);
    QStringList out;
    for (auto it = literal.globalMatch(definition); it.hasNext();)
        out << it.next().captured(1).replace(u"''"_s, u"'"_s);
    return out;
}

} // namespace

class TestSchedulingEnums : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const QString setUp = freshDbAtHead(db);
        QVERIFY2(setUp.isEmpty(), qPrintable(setUp));
    }

    void literalsOfADefinition()
    {
        // The parser itself, so that a definition it cannot read shows here and not as a mismatch.
        QCOMPARE(literals(u"CHECK (((role)::text = ANY ((ARRAY['admin'::character varying, "
                          "'it''s'::character varying])::text[])))"_s),
                 (QStringList{u"admin"_s, u"it's"_s}));
        QCOMPARE(literals(u"CHECK ((n > 0))"_s), QStringList());
    }

    void valuesMatchTheSchema_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("column");
        QTest::addColumn<QStringList>("core");
        QTest::newRow("schedule type") << u"schedules"_s << u"schedule_type"_s << SchedulingEnums::scheduleTypes();
        QTest::newRow("status") << u"schedules"_s << u"status"_s << SchedulingEnums::statuses();
        QTest::newRow("priority") << u"schedules"_s << u"priority"_s << SchedulingEnums::priorities();
        QTest::newRow("role") << u"employees"_s << u"role"_s << SchedulingEnums::roles();
    }

    void valuesMatchTheSchema()
    {
        QFETCH(QString, table);
        QFETCH(QString, column);
        QFETCH(QStringList, core);
        // The CHECK constraints on exactly this one column, whatever they are named.
        const QString definitions = q(db, u"SELECT string_agg(pg_get_constraintdef(c.oid), E'\\n' ORDER BY c.conname) "
                                          "FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid "
                                          "AND c.conkey = ARRAY[a.attnum] WHERE c.contype = 'c' "
                                          "AND c.conrelid = 'public.%1'::regclass AND a.attname = '%2'"_s
                                              .arg(table, column));
        QVERIFY2(!definitions.isEmpty(), qPrintable(u"no CHECK constraint on %1.%2"_s.arg(table, column)));
        QVERIFY2(!definitions.contains(u'\n'), qPrintable(definitions));
        QCOMPARE(literals(definitions), core);
        // The labels and filters offer exactly these values.
        const QStringList offered = column == u"schedule_type"_s ? EnumLabels::scheduleTypes()
            : column == u"status"_s                               ? EnumLabels::statuses()
            : column == u"priority"_s                             ? EnumLabels::priorities()
                                                                  : EnumLabels::roles();
        QCOMPARE(offered, core);
    }
};

QTEST_GUILESS_MAIN(TestSchedulingEnums)
#include "tst_schedulingenums.moc"
