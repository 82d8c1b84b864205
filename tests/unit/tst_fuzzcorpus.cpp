// Replays every file of the fuzzers' corpora (tests/fuzz/corpus/<target>/) through the same entry points
// the libFuzzer executables use, in the ordinary build: the seeds, and every input a fuzzer ever crashed
// on (kept there as crash-*), stay regression tests without clang or libFuzzer.
#include "../fuzz/fuzztargets.h"

#include <QDir>
#include <QFile>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

using Entry = QString (*)(const QByteArray &);

const QList<std::pair<QString, Entry>> &targets()
{
    static const QList<std::pair<QString, Entry>> list = {
        {u"script"_s, &MigrationDesk::Fuzz::scriptParser},
        {u"sqlsplitter"_s, &MigrationDesk::Fuzz::sqlSplitter},
        {u"connection"_s, &MigrationDesk::Fuzz::connectionUrl},
        {u"revision"_s, &MigrationDesk::Fuzz::revisionTarget},
        {u"csv"_s, &MigrationDesk::Fuzz::csvRow},
    };
    return list;
}

} // namespace

class TstFuzzCorpus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void corpus_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<QString>("path");
        for (int t = 0; t < targets().size(); ++t) {
            const QDir dir(QStringLiteral(MD_SOURCE_DIR) + u"/tests/fuzz/corpus/"_s + targets().at(t).first);
            const QStringList files = dir.entryList(QDir::Files, QDir::Name);
            // Every target has a seed corpus; an empty or missing one would make this test vacuous.
            QVERIFY2(!files.isEmpty(), qPrintable(dir.path()));
            for (const QString &f : files)
                QTest::addRow("%s/%s", qPrintable(targets().at(t).first), qPrintable(f)) << t << dir.filePath(f);
        }
    }

    void corpus()
    {
        QFETCH(int, target);
        QFETCH(QString, path);
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const QString broken = targets().at(target).second(file.readAll());
        QVERIFY2(broken.isEmpty(), qPrintable(broken));
    }

    // The checks must fail on what they guard against, or the fuzzers could never report anything.
    void checksRefuseBrokenOutput()
    {
        QCOMPARE(MigrationDesk::Fuzz::csvRow("a\x1f" "b,c\x1f\x1e\x1f\x1dsecret\x1f\"q\"\r\n"), QString());
        QVERIFY(!MigrationDesk::Fuzz::checkCsvReadBack(u"a,\"b\r\n"_s, {u"a"_s, u"b"_s}).isEmpty());
        QVERIFY(!MigrationDesk::Fuzz::checkCsvReadBack(u"a,b\r\n"_s, {u"a"_s, u"c"_s}).isEmpty());
        QVERIFY(!MigrationDesk::Fuzz::checkCsvReadBack(u"a,b\r\n"_s, {u"a"_s}).isEmpty());
        QVERIFY(!MigrationDesk::Fuzz::checkCsvReadBack(u"a,b"_s, {u"a"_s, u"b"_s}).isEmpty());
        QCOMPARE(MigrationDesk::Fuzz::checkCsvReadBack(u"a,\"b,\"\"\",\r\n"_s, {u"a"_s, u"b,\""_s, QString()}), QString());
    }
};

QTEST_GUILESS_MAIN(TstFuzzCorpus)
#include "tst_fuzzcorpus.moc"
