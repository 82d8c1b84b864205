#include "db/querycanceller.h"

#include <QCoreApplication>

#include <libpq-fe.h>

namespace MigrationDesk {

namespace {

// Gives lupdate a translation context for the messages of this file (the connection's, where they began).
class Text
{
    Q_DECLARE_TR_FUNCTIONS(PgConnection)
};

} // namespace

QueryCanceller::QueryCanceller(PGcancel *cancel)
    : m_cancel(cancel)
{
}

QueryCanceller::~QueryCanceller()
{
    if (m_cancel)
        PQfreeCancel(m_cancel);
}

bool QueryCanceller::cancel(QString *error)
{
    if (!m_cancel) {
        if (error)
            *error = Text::tr("There is no connection to cancel.");
        return false;
    }
    char buffer[256] = {};
    if (PQcancel(m_cancel, buffer, sizeof buffer))
        return true;
    if (error)
        *error = Text::tr("Could not send the cancel request: %1").arg(QString::fromUtf8(buffer).trimmed());
    return false;
}

} // namespace MigrationDesk
