#pragma once

#include <QObject>

class QLabel;

namespace MigrationDesk {

class LazyTableModel;

// The line under the Tables view's grid: the row count (or "Loading…") and an error or refusal. A
// transient message (a cancel, a refusal, progress) goes once rows load again. GUI thread.
class TableStatusLine : public QObject
{
    Q_OBJECT

public:
    // count and error are the view's labels (TableGridPage), which must outlive this.
    TableStatusLine(QLabel *count, QLabel *error, QObject *parent = nullptr);

    // The model's count; "Loading…" while a chosen table's columns are read; nothing without a table.
    void showCount(const LazyTableModel *model, bool tableChosen);
    void showError(const QString &message, bool transient);
    void showRefusal(const QString &message) { showError(message, true); }
    // A read failed: our own cancel (or a timeout) is a transient note, anything else an error without a count.
    void showModelError(const QString &message);
    void clearError();
    void clearTransient();

    QString countText() const;
    QString errorText() const;

private:
    QLabel *m_count;
    QLabel *m_error;
};

} // namespace MigrationDesk
