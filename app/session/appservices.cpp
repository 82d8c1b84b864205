#include "session/appservices.h"

namespace MigrationDesk {

AppServices::AppServices(QObject *parent)
    : QObject(parent)
    , m_fetchers(m_threads)
{
}

AppServices::~AppServices()
{
    m_fetchers.clear();
    // Explicit rather than left to the members' destructors, so the order is written down once: every
    // worker still running (windows that were never closed keep theirs) ends here, before Qt's globals go.
    m_threads.shutdown();
}

} // namespace MigrationDesk
