#pragma once

#include "db/connectionsettings.h"

#include <QSignalSpy>
#include <QString>
#include <QTest>

namespace MigrationDesk::DbTest {

// Small conveniences over PgFixture::shared() that the database tests share. Main thread.

// Creates (or re-creates) an empty database and returns its name; aborts the test run if it cannot.
QString freshDb(const QString &name);
// psql -At: trimmed output; a failure is logged with qWarning and returns what psql printed.
QString q(const QString &db, const QString &sql);
// The version table's rows, sorted and comma-joined; "" at base.
QString versions(const QString &db);
bool relationExists(const QString &db, const QString &name);
// Connection settings for the fixture's database (password included).
ConnectionSettings settings(const QString &db);

// For a spy on an object of another thread: true once it has `count` emissions. QSignalSpy::wait() only
// waits for the next one, so an emission that lands before the call would be missed.
inline bool waitForEmissions(QSignalSpy &spy, int count = 1, int timeoutMs = 20000)
{
    return QTest::qWaitFor([&] { return spy.size() >= count; }, timeoutMs);
}

} // namespace MigrationDesk::DbTest
