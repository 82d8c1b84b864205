#pragma once

#include "migrations/driftcheck.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace MigrationDesk {

class DatabaseWorker;

// Shows the outcome of one drift check: a headline (failed, drifted or clean) over the differences,
// notes and a missing snapshot, as plain text; where the current revisions were applied outside MigrationDesk,
// offers "Record baseline" (the worker's `check --baseline`). Deletes itself when closed. GUI thread.
class DriftDialog : public QDialog
{
    Q_OBJECT

public:
    // error: why the check could not run; empty when `report` holds its answer. worker: where "Record
    // baseline" runs; without one the button is not offered.
    explicit DriftDialog(const DriftReport &report, const QString &error, DatabaseWorker *worker = nullptr,
                         QWidget *parent = nullptr);

    // The text under the headline: the schema and checksum differences, the snapshot and the notes.
    static QString describe(const DriftReport &report, const QString &error);
    static QString headline(const DriftReport &report, const QString &error);

private:
    void recordBaseline();
    void onBaselineRecorded(const DriftReport &report, const QString &error);

    QPointer<DatabaseWorker> m_worker;
    QLabel *m_headline = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QPushButton *m_baseline = nullptr;
    bool m_recording = false;
};

} // namespace MigrationDesk
