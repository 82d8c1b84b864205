#pragma once

#include "db/connectionsettings.h"

#include <QSignalSpy>
#include <QString>
#include <QTest>

namespace MigrationDesk::DbTest {

// Small conveniences over PgFixture::shared() that the database tests share. Main thread.

// Creates (or re-creates) an empty database and returns its name; aborts the test run if it cannot.
QString freshDb(const QString &name);
// Starts the fixture's server if needed, then freshDb(name) upgraded to the bundled head by the real CLI.
// Returns "" on success, else what went wrong (for QVERIFY2).
QString freshDbAtHead(const QString &name);
// psql -At: trimmed output. A failing statement fails the running test (reported at the caller's line)
// and returns "": a broken query can never pass for an empty answer.
QString q(const QString &db, const QString &sql, const char *file = __builtin_FILE(), int line = __builtin_LINE());
// For a statement that must fail: returns psql's error text. A statement that succeeds fails the test
// and returns "".
QString qExpectError(const QString &db, const QString &sql, const char *file = __builtin_FILE(),
                     int line = __builtin_LINE());
// The version table's rows, sorted and comma-joined; "" at base. Fails the test if the table is missing.
QString versions(const QString &db, const char *file = __builtin_FILE(), int line = __builtin_LINE());
// Fails the test (and returns false) if the query itself fails, e.g. on a malformed name.
bool relationExists(const QString &db, const QString &name, const char *file = __builtin_FILE(),
                    int line = __builtin_LINE());
// Connection settings for the fixture's database (password included).
ConnectionSettings settings(const QString &db);

// For a spy on an object of another thread: true once it has `count` emissions. QSignalSpy::wait() only
// waits for the next one, so an emission that lands before the call would be missed.
inline bool waitForEmissions(QSignalSpy &spy, int count = 1, int timeoutMs = 20000)
{
    return QTest::qWaitFor([&] { return spy.size() >= count; }, timeoutMs);
}

} // namespace MigrationDesk::DbTest
