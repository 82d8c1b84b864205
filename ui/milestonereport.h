#pragma once

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>

class QWidget;

namespace MigrationDesk {

// Reports when a window's first grid rows, its timeline's current revision and the trash's first page
// appear, for the latency benchmark (`--report-milestones`); GUI thread.
//
// It watches from outside, so no view carries benchmark code: it looks for the models under the window
// every couple of milliseconds, and listens to each grid model's first window.
class MilestoneReport : public QObject
{
public:
    // `print` gets one word per milestone, once each: "rows" (Tables), "schedules", "trash", "timeline".
    MilestoneReport(QWidget *window, std::function<void(const QString &)> print);

private:
    void look();
    void reach(const QString &milestone);

    QPointer<QWidget> m_window;
    std::function<void(const QString &)> m_print;
    QTimer m_timer;
    QSet<QObject *> m_watched;
    QSet<QString> m_reached;
};

} // namespace MigrationDesk
