#include "db/tlsnotice.h"

#include "db/connectionsettings.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

QString unverifiedTlsWarning(const ConnectionSettings &settings)
{
    // libpq reads PGSSLMODE itself when the settings say nothing, so the effective mode may come from there.
    const QString mode = settings.sslmode.isEmpty() ? qEnvironmentVariable("PGSSLMODE") : settings.sslmode;
    if (mode != u"require"_s)
        return {};
    return QCoreApplication::translate("MigrationDesk::TlsNotice",
                                       "sslmode=require encrypts the connection but does not verify the server's "
                                       "certificate, so another server could pose as this one; use "
                                       "sslmode=verify-full with sslrootcert set to your CA certificate.");
}

} // namespace MigrationDesk
