#include "scheduling/trashactions.h"

#include "scheduling/purgedialog.h"
#include "scheduling/restoreownersbox.h"
#include "scheduling/trashworker.h"

#include <QCoreApplication>
#include <QMessageBox>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The messages began in the Trash view and keep its translation context, so their translations carry over.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::TrashView)
};

} // namespace

TrashActions::TrashActions(TrashWorker *worker, QWidget *dialogParent)
    : QObject(dialogParent)
    , m_worker(worker)
    , m_dialogParent(dialogParent)
{
    connect(m_worker, &TrashWorker::ownersFound, this, &TrashActions::onOwnersFound);
    connect(m_worker, &TrashWorker::restored, this, &TrashActions::onDone);
    connect(m_worker, &TrashWorker::purged, this, &TrashActions::onDone);
    connect(m_worker, &TrashWorker::undone, this, &TrashActions::onUndone);
}

void TrashActions::setConnected(bool connected)
{
    m_connected = connected;
    m_undo = {};
    if (!connected)
        m_busy = false;
}

void TrashActions::setBusy(bool busy)
{
    m_busy = busy;
    Q_EMIT stateChanged();
}

void TrashActions::restore(TrashTable table, const QList<TrashRow> &rows)
{
    setBusy(true);
    if (table == TrashTable::Schedules) {
        // Restoring a schedule whose employee is in the trash too: ask first, in onOwnersFound.
        Q_EMIT status(Text::tr("Checking the schedules' employees\u2026"), false);
        TrashWorker *worker = m_worker;
        QMetaObject::invokeMethod(worker, [worker, rows] { worker->findDeletedOwners(rows); }, Qt::QueuedConnection);
        return;
    }
    startRestore(table, rows, false);
}

void TrashActions::onOwnersFound(const QList<TrashRow> &schedules, const QList<TrashOwner> &owners,
                                 const QString &error)
{
    if (!m_connected)
        return;
    if (!error.isEmpty()) {
        m_busy = false;
        Q_EMIT status(error, true);
        Q_EMIT stateChanged();
        return;
    }
    if (owners.isEmpty()) {
        startRestore(TrashTable::Schedules, schedules, false);
        return;
    }
    auto *box = new RestoreOwnersBox(owners, m_dialogParent);
    connect(box, &QMessageBox::finished, this, [this, box, schedules] {
        const RestoreOwnersBox::Answer answer = box->answer();
        if (answer != RestoreOwnersBox::Answer::Cancel) {
            startRestore(TrashTable::Schedules, schedules, answer == RestoreOwnersBox::Answer::WithOwners);
            return;
        }
        m_busy = false;
        Q_EMIT status(Text::tr("Restore cancelled."), false);
        Q_EMIT stateChanged();
    });
    box->open();
}

void TrashActions::startRestore(TrashTable table, const QList<TrashRow> &rows, bool withOwners)
{
    m_busy = true;
    m_undo = {}; // a new restore replaces what Undo would put back
    Q_EMIT stateChanged();
    Q_EMIT status(Text::tr("Restoring %n row(s)\u2026", nullptr, int(rows.size())), false);
    TrashWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, table, rows, withOwners] { worker->restore(table, rows, withOwners); },
                              Qt::QueuedConnection);
}

void TrashActions::purge(TrashTable table, const QList<TrashRow> &rows)
{
    QStringList labels;
    for (const TrashRow &row : rows)
        labels.append(TrashStore::rowName(table, row));
    auto *dialog = new PurgeDialog(table == TrashTable::Schedules ? Text::tr("Schedules") : Text::tr("Employees"),
                                   labels, rows.size() == 1 ? rows.first().label : QString(), m_dialogParent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    setBusy(true);
    connect(dialog, &QDialog::finished, this, [this, table, rows](int result) {
        if (result != QDialog::Accepted) {
            setBusy(false);
            return;
        }
        Q_EMIT status(Text::tr("Deleting %n row(s) permanently\u2026", nullptr, int(rows.size())), false);
        TrashWorker *worker = m_worker;
        QMetaObject::invokeMethod(worker, [worker, table, rows] { worker->purge(table, rows); }, Qt::QueuedConnection);
    });
    dialog->open();
}

void TrashActions::onDone(const TrashOutcome &outcome)
{
    m_busy = false;
    if (!m_connected)
        return;
    Q_EMIT status(outcome.message, !outcome.ok);
    if (outcome.ok) {
        if (!outcome.undo.isEmpty())
            m_undo = outcome.undo;
        Q_EMIT rowsChanged();
    } else {
        auto *box = new QMessageBox(QMessageBox::Warning, Text::tr("Trash"), outcome.message, QMessageBox::Ok,
                                    m_dialogParent);
        box->setObjectName(u"trashMessage"_s);
        box->setTextFormat(Qt::PlainText);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    Q_EMIT stateChanged();
    Q_EMIT finished(outcome.ok, outcome.message);
}

void TrashActions::undoRestore()
{
    if (m_undo.isEmpty() || m_busy)
        return;
    setBusy(true);
    Q_EMIT status(Text::tr("Putting the restored rows back in the trash\u2026"), false);
    TrashWorker *worker = m_worker;
    const TrashUndo undo = m_undo;
    QMetaObject::invokeMethod(worker, [worker, undo] { worker->undoRestore(undo); }, Qt::QueuedConnection);
}

void TrashActions::onUndone(const TrashOutcome &outcome)
{
    m_busy = false;
    if (!m_connected)
        return;
    // Done or refused, the same rows cannot be undone twice: a refusal means they changed meanwhile.
    m_undo = {};
    Q_EMIT status(outcome.message, !outcome.ok);
    if (outcome.ok)
        Q_EMIT rowsChanged();
    Q_EMIT stateChanged();
    Q_EMIT finished(outcome.ok, outcome.message);
}

} // namespace MigrationDesk
