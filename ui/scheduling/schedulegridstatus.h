#pragma once

#include <QObject>

class QLabel;
class QPushButton;

namespace MigrationDesk {

class LazyTableModel;

// What the Schedules grid says about its reads: the count, "Reading…" with Cancel for a slow read, a
// read's error, Refresh, and the "No schedules match" note with its Clear Filters link. It makes the
// widgets; the view lays them out. GUI thread.
class ScheduleGridStatus : public QObject
{
    Q_OBJECT

public:
    explicit ScheduleGridStatus(QObject *parent = nullptr);

    // Follows this model's count and reads (nullptr: none); the model must outlive the attachment.
    void setModel(LazyTableModel *model);
    void update();

    QLabel *count() const { return m_count; }
    QLabel *busy() const { return m_busy; }
    QPushButton *cancel() const { return m_cancel; }
    QPushButton *refresh() const { return m_refresh; }
    QLabel *emptyNote() const { return m_empty; }

Q_SIGNALS:
    void clearFiltersRequested();

private:
    void onFetchingChanged(bool fetching);
    void showError(const QString &text);

    LazyTableModel *m_model = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_busy = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_refresh = nullptr;
    QLabel *m_empty = nullptr;
};

} // namespace MigrationDesk
