// The core's folders follow the dependency direction (base <- db <- migrations <- browse) and the generic
// rooms know no domain: read from the source tree, so an upward include or a domain table named
// in db/, migrations/ or browse/ fails here before review.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

// The folders of app/ each one may include from.
const QHash<QString, QStringList> kAllowed{
    {u"base"_s, {u"base"_s}},
    {u"db"_s, {u"base"_s, u"db"_s}},
    {u"migrations"_s, {u"base"_s, u"db"_s, u"migrations"_s}},
    {u"browse"_s, {u"base"_s, u"db"_s, u"migrations"_s, u"browse"_s}},
};

QStringList sources(const QString &folder)
{
    QStringList out;
    QDirIterator it(QStringLiteral(MD_SOURCE_DIR "/app/") + folder, {u"*.h"_s, u"*.cpp"_s}, QDir::Files);
    while (it.hasNext())
        out << it.next();
    out.sort();
    return out;
}

QString read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

} // namespace

class TestLayering : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void includesPointDown_data()
    {
        QTest::addColumn<QString>("folder");
        for (auto it = kAllowed.cbegin(); it != kAllowed.cend(); ++it)
            QTest::newRow(qPrintable(it.key())) << it.key();
    }

    void includesPointDown()
    {
        QFETCH(QString, folder);
        static const QRegularExpression include(u"^\\s*#\\s*include\\s+\"([a-z0-9_]+)/"_s,
                                                QRegularExpression::MultilineOption);
        const QStringList files = sources(folder);
        QVERIFY2(!files.isEmpty(), qPrintable(folder));
        for (const QString &path : files) {
            for (auto m = include.globalMatch(read(path)); m.hasNext();) {
                const QString target = m.next().captured(1);
                QVERIFY2(kAllowed.value(folder).contains(target),
                         qPrintable(u"%1 includes from %2/"_s.arg(QDir(QStringLiteral(MD_SOURCE_DIR)).relativeFilePath(path),
                                                                 target)));
            }
        }
    }

    void genericRoomsNameNoDomainTable_data() { includesPointDown_data(); }

    void genericRoomsNameNoDomainTable()
    {
        QFETCH(QString, folder);
        static const QRegularExpression domain(u"\\b(schedules?|employees?)(_[a-z]+)?\\b"_s,
                                               QRegularExpression::CaseInsensitiveOption);
        for (const QString &path : sources(folder)) {
            const auto match = domain.match(read(path));
            QVERIFY2(!match.hasMatch(),
                     qPrintable(u"%1 names %2"_s.arg(QDir(QStringLiteral(MD_SOURCE_DIR)).relativeFilePath(path),
                                                     match.captured(0))));
        }
    }

    void theCheckSeesAnUpwardInclude()
    {
        // The pattern itself, on the arrow this check was written for.
        static const QRegularExpression include(u"^\\s*#\\s*include\\s+\"([a-z0-9_]+)/"_s,
                                                QRegularExpression::MultilineOption);
        const auto m = include.match(u"#include \"migrations/bookkeeping.h\"\n#include \"browse/catalog.h\"\n"_s);
        QVERIFY(m.hasMatch());
        QCOMPARE(m.captured(1), u"migrations"_s);
        QVERIFY(!kAllowed.value(u"migrations"_s).contains(u"browse"_s));
    }
};

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_layering.moc"
