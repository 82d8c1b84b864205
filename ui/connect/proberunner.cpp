#include "connect/proberunner.h"

#include "session/connectionprobe.h"
#include "base/workerthreads.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

ProbeRunner::ProbeRunner(WorkerThreads &threads, QObject *parent)
    : QObject(parent)
    , m_threads(threads)
{
}

ProbeRunner::~ProbeRunner()
{
    retireProbe();
}

void ProbeRunner::start(const ConnectionSettings &settings)
{
    if (!m_probe) {
        m_probe = m_threads.start(new ConnectionProbe, u"connectionProbe"_s);
        connect(m_probe, &ConnectionProbe::finished, this,
                [this](quint64 requestId, bool ok, const QString &message, const QString &) {
                    if (requestId != m_pending)
                        return; // cancelled or superseded
                    m_pending = 0;
                    Q_EMIT finished(ok, message);
                });
    }
    m_pending = ++m_lastRequest;
    ConnectionProbe *probe = m_probe;
    QMetaObject::invokeMethod(probe, [probe, settings, id = m_pending] { probe->probe(settings, id); },
                              Qt::QueuedConnection);
}

void ProbeRunner::cancel()
{
    m_pending = 0;
    retireProbe();
}

void ProbeRunner::retireProbe()
{
    if (!m_probe)
        return;
    disconnect(m_probe, nullptr, this, nullptr);
    m_threads.retire(std::exchange(m_probe, nullptr));
}

} // namespace MigrationDesk
