// The enum labels: every value the core defines has a label, in English and in Korean.
#include "i18n/translator.h"
#include "scheduling/enumlabels.h"
#include "scheduling/schedulingenums.h"

#include <QtTest>

using namespace Qt::StringLiterals;

using namespace MigrationDesk;

class TestEnumLabels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { Translator::install(u"en"_s); }

    void everyValueHasItsOwnLabel()
    {
        // Every value the core defines (tst_schedulingenums holds them against the schema) reads as a
        // word of its own, not as the stored value.
        Translator::install(u"en"_s);
        const QList<QPair<QStringList, QString (*)(const QString &)>> kinds{
            {SchedulingEnums::scheduleTypes(), &EnumLabels::scheduleType},
            {SchedulingEnums::statuses(), &EnumLabels::status},
            {SchedulingEnums::priorities(), &EnumLabels::priority},
            {SchedulingEnums::roles(), &EnumLabels::role},
        };
        for (const auto &[values, label] : kinds) {
            QSet<QString> seen;
            for (const QString &value : values) {
                const QString text = label(value);
                QVERIFY2(!text.isEmpty() && text != value, qPrintable(value));
                QVERIFY2(!seen.contains(text), qPrintable(text));
                seen.insert(text);
            }
        }
        QCOMPARE(EnumLabels::statuses(), SchedulingEnums::statuses());
    }

    void labels_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("english");
        QTest::addColumn<QString>("korean");
        QTest::newRow("visit") << "type" << "visit" << "Visit" << "방문";
        QTest::newRow("meeting") << "type" << "meeting" << "Meeting" << "회의";
        QTest::newRow("training") << "type" << "training" << "Training" << "교육";
        QTest::newRow("report") << "type" << "report" << "Report" << "보고";
        QTest::newRow("other") << "type" << "other" << "Other" << "기타";
        QTest::newRow("scheduled") << "status" << "scheduled" << "Scheduled" << "예정";
        QTest::newRow("in_progress") << "status" << "in_progress" << "In progress" << "진행 중";
        QTest::newRow("completed") << "status" << "completed" << "Completed" << "완료";
        QTest::newRow("cancelled") << "status" << "cancelled" << "Cancelled" << "취소";
        QTest::newRow("high") << "priority" << "high" << "High" << "높음";
        QTest::newRow("medium") << "priority" << "medium" << "Medium" << "보통";
        QTest::newRow("low") << "priority" << "low" << "Low" << "낮음";
        QTest::newRow("admin") << "role" << "admin" << "Administrator" << "관리자";
        QTest::newRow("user") << "role" << "user" << "User" << "사용자";
    }

    void labels()
    {
        QFETCH(QString, kind);
        QFETCH(QString, value);
        QFETCH(QString, english);
        QFETCH(QString, korean);
        auto label = [&] {
            if (kind == QLatin1String("type"))
                return EnumLabels::scheduleType(value);
            if (kind == QLatin1String("status"))
                return EnumLabels::status(value);
            if (kind == QLatin1String("priority"))
                return EnumLabels::priority(value);
            return EnumLabels::role(value);
        };
        Translator::install(u"en"_s);
        QCOMPARE(label(), english);
        Translator::install(u"ko"_s);
        QCOMPARE(label(), korean);
    }

    void unknownValuesPassThrough()
    {
        QCOMPARE(EnumLabels::status(u"archived"_s), u"archived"_s);
        QCOMPARE(EnumLabels::scheduleType(QString()), QString());
    }
};

QTEST_GUILESS_MAIN(TestEnumLabels)
#include "tst_enumlabels.moc"
