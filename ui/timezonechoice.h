#pragma once

#include <QObject>

class QAction;
class QLabel;
class QMainWindow;

namespace MigrationDesk {

// The View menu's "Show Times in UTC" choice: remembered in QSettings, applied to DateTimeFormat,
// and said in a status-bar field ("Times: local time (UTC+9)"), so that a timestamp is never read in
// the wrong zone. Changing it repaints the window's grids and rewrites its detail panes. GUI thread; a child
// of the window.
class TimeZoneChoice : public QObject
{
    Q_OBJECT

public:
    explicit TimeZoneChoice(QMainWindow *window);

    QAction *action() const { return m_action; }
    QLabel *field() const { return m_field; }

Q_SIGNALS:
    void changed();

private:
    void apply(bool utc);

    QMainWindow *m_window = nullptr;
    QAction *m_action = nullptr;
    QLabel *m_field = nullptr;
};

} // namespace MigrationDesk
