#pragma once

#include "db/connectionsettings.h"

#include <QObject>
#include <QString>

namespace MigrationDesk {

class ConnectionProbe;
class WorkerThreads;

// Runs the connection dialog's Test connection and Connect attempts on a ConnectionProbe from
// WorkerThreads (which must outlive it) and reports only the newest attempt. libpq cannot abort a
// connect from outside, so a cancelled attempt's probe is retired without waiting (it ends within
// connect_timeout) and the next attempt gets a fresh one. GUI thread; no widgets.
class ProbeRunner : public QObject
{
    Q_OBJECT

public:
    explicit ProbeRunner(WorkerThreads &threads, QObject *parent = nullptr);
    ~ProbeRunner() override;

    // Starts an attempt; an attempt already running is superseded (its result is dropped).
    void start(const ConnectionSettings &settings);
    // Drops the running attempt: finished() does not follow for it.
    void cancel();
    bool isRunning() const { return m_pending != 0; }

Q_SIGNALS:
    // The newest attempt's result, in plain language and without the password.
    void finished(bool ok, const QString &message);

private:
    void retireProbe();

    WorkerThreads &m_threads;
    ConnectionProbe *m_probe = nullptr;
    quint64 m_lastRequest = 0;
    quint64 m_pending = 0; // 0 = none; results of other requests are stale
};

} // namespace MigrationDesk
