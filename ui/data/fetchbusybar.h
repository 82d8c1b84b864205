#pragma once

#include <QWidget>

#include <functional>

class QPushButton;
class QTimer;

namespace MigrationDesk {

// The bar under the Tables view's filters that says rows are being read and offers Cancel: at once for
// a sort the server must do in full, otherwise only when a read outlasts a short delay. GUI thread.
class FetchBusyBar : public QWidget
{
    Q_OBJECT

public:
    // stillFetching is asked when the delay ends: the bar shows only if a read is still running.
    explicit FetchBusyBar(std::function<bool()> stillFetching, QWidget *parent = nullptr);

    // A read started; slowSort shows the bar at once instead of after the delay.
    void fetchStarted(bool slowSort);
    // The read ended: the bar goes and the delay is dropped.
    void fetchEnded();
    void setBusy(bool busy);
    bool isBusy() const { return m_busy; }
    QPushButton *cancelButton() const { return m_cancel; }

Q_SIGNALS:
    void busyChanged(bool busy);

private:
    std::function<bool()> m_stillFetching;
    QPushButton *m_cancel;
    QTimer *m_delay;
    bool m_busy = false;
};

} // namespace MigrationDesk
