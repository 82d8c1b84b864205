#pragma once

#include <QString>

namespace MigrationDesk {

// Which columns hold secrets, by name: the browser masks them until revealed and the audit keeps
// only the fact that they held a value. A pure function; any thread.
namespace SensitiveColumns {

// password, passwd, secret, token or hash anywhere in the name, case-insensitively.
bool matches(const QString &column);

} // namespace SensitiveColumns

} // namespace MigrationDesk
