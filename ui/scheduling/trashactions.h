#pragma once

#include "scheduling/trashstore.h"

#include <QObject>

class QWidget;

namespace MigrationDesk {

class TrashWorker;

// The Trash view's writes and their confirmations: Restore (asking first when a schedule's employee is
// in the trash too), Delete permanently after the typed confirmation, and Undo of the last restore. Each
// runs on the view's TrashWorker (which must outlive this); one at a time. GUI thread.
class TrashActions : public QObject
{
    Q_OBJECT

public:
    // The dialogs open over dialogParent, which also owns this.
    explicit TrashActions(TrashWorker *worker, QWidget *dialogParent);

    // A new connection, or none: nothing to undo, and answers for the old one are dropped.
    void setConnected(bool connected);
    bool isBusy() const { return m_busy; }
    bool canUndo() const { return !m_undo.isEmpty(); }

    void restore(TrashTable table, const QList<TrashRow> &rows);
    void purge(TrashTable table, const QList<TrashRow> &rows);
    void undoRestore();

Q_SIGNALS:
    // The line under the grids: progress, result or error.
    void status(const QString &text, bool error);
    // Busy or the Undo offer changed: the view updates its buttons.
    void stateChanged();
    // Rows left or came back to the trash.
    void rowsChanged();
    // A restore, purge or undo finished (successfully or refused).
    void finished(bool ok, const QString &message);

private:
    void onOwnersFound(const QList<TrashRow> &schedules, const QList<TrashOwner> &owners, const QString &error);
    void startRestore(TrashTable table, const QList<TrashRow> &rows, bool withOwners);
    void onDone(const TrashOutcome &outcome);
    void onUndone(const TrashOutcome &outcome);
    void setBusy(bool busy);

    TrashWorker *m_worker;
    QWidget *m_dialogParent;
    bool m_connected = false;
    bool m_busy = false;
    TrashUndo m_undo;
};

} // namespace MigrationDesk
