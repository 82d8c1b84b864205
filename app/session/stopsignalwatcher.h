#pragma once

#include <QObject>

class QSocketNotifier;

namespace MigrationDesk {

// Turns SIGTERM, SIGINT and SIGHUP into a Qt signal on the thread that made it, so a logout, `kill` or
// Ctrl-C in the terminal closes the desktop app the normal way (work cancelled, settings saved, the
// sandbox stopped) instead of ending it mid-way. The handler only writes to a socket, which is all a
// signal handler may safely do; the signal mask of child processes is left alone. One per process.
// GUI thread.
class StopSignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit StopSignalWatcher(QObject *parent = nullptr);
    ~StopSignalWatcher() override;

    // False when the socket pair or the handlers could not be set up (the signals then keep their defaults).
    bool isActive() const { return m_notifier != nullptr; }

Q_SIGNALS:
    // count: how many stop signals have come so far (a second one usually means "now").
    void stopRequested(int signalNumber, int count);

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
    int m_count = 0;
};

} // namespace MigrationDesk
