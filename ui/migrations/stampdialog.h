#pragma once

#include <QDialog>

class QComboBox;

namespace MigrationDesk {

class TimelineModel;

// Asks which revision to stamp: heads, base or any revision with a script, the selected one first
// offered. Deletes itself when closed; the caller reads target() on accepted(). GUI thread.
class StampDialog : public QDialog
{
    Q_OBJECT

public:
    explicit StampDialog(const TimelineModel &model, const QString &selected, QWidget *parent = nullptr);

    // "heads", "base" or a revision id.
    QString target() const;

private:
    QComboBox *m_combo;
};

} // namespace MigrationDesk
