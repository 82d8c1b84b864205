#pragma once

#include <QEvent>
#include <QFile>
#include <QObject>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <utility>

namespace MigrationDesk::StartupProbe {

// Header-only so the start-up benchmark's bare QMainWindow baseline measures itself with exactly
// the code the real app uses. Main thread.

// Resident memory in kB from /proc/self/status; -1 where that file does not exist.
inline qint64 residentKilobytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// Calls back once, after the window's first paint has been handled: the moment it is usable.
class FirstPaint : public QObject
{
public:
    FirstPaint(QWidget *window, std::function<void()> callback)
        : QObject(window)
        , m_callback(std::move(callback))
    {
        window->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && m_callback) {
            // The zero timer fires once the paint (and whatever it queued) is done.
            QTimer::singleShot(0, this, std::exchange(m_callback, nullptr));
            watched->removeEventFilter(this);
        }
        return false;
    }

private:
    std::function<void()> m_callback;
};

} // namespace MigrationDesk::StartupProbe
