#pragma once

#include "migrations/driftcheck.h"

#include <QDialog>

namespace MigrationDesk {

// Shows the outcome of one drift check: a headline (failed, drifted or clean) over the differences,
// notes and a missing snapshot, as plain text. Deletes itself when closed. GUI thread.
class DriftDialog : public QDialog
{
    Q_OBJECT

public:
    // error: why the check could not run; empty when `report` holds its answer.
    explicit DriftDialog(const DriftReport &report, const QString &error, QWidget *parent = nullptr);

    // The text under the headline: the schema and checksum differences, the snapshot and the notes.
    static QString describe(const DriftReport &report, const QString &error);
};

} // namespace MigrationDesk
