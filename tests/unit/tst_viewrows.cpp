#include "browse/viewrows.h"

#include <QtTest>

using MigrationDesk::ViewRows;

// The lazy model's wanted rows: many asks per frame, one read per turn of the event loop.
class TestViewRows : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void missedRowsBecomeOneRead()
    {
        QObject context;
        int reads = 0;
        ViewRows rows(&context, [&reads] { ++reads; });
        rows.noteMissed(40);
        rows.noteMissed(12);
        rows.noteMissed(25);
        QCOMPARE(reads, 0);             // not before the event loop turns
        QCoreApplication::processEvents();
        QCOMPARE(reads, 1);
        QCOMPARE(rows.first(), 12);
        QCOMPARE(rows.last(), 40);
    }

    void requestedRowsWinOverMisses()
    {
        QObject context;
        int reads = 0;
        ViewRows rows(&context, [&reads] { ++reads; });
        rows.request(-5, 30);
        rows.request(100, 130);
        rows.noteMissed(7);
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(reads, 1);             // the two requests coalesce; the miss no longer steers
        QCOMPARE(rows.first(), 100);
        QCOMPARE(rows.last(), 130);
        rows.request(-5, 3);
        QCoreApplication::processEvents();
        QCOMPARE(reads, 2);
        QCOMPARE(rows.first(), 0);      // a range never starts before the first row
    }

    void noReadAfterTheContextIsGone()
    {
        int reads = 0;
        auto context = std::make_unique<QObject>();
        ViewRows rows(context.get(), [&reads] { ++reads; });
        rows.scheduleRead();
        rows.noteMissed(3);
        context.reset();
        QCoreApplication::processEvents();
        QCOMPARE(reads, 0);
    }
};

QTEST_GUILESS_MAIN(TestViewRows)
#include "tst_viewrows.moc"
