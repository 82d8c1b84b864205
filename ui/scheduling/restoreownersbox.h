#pragma once

#include "scheduling/trashstore.h"

#include <QList>
#include <QMessageBox>

class QPushButton;

namespace MigrationDesk {

// Asks, before schedules are restored, whether their employees who are in the trash too should come
// back with them: Restore Employees Too, Schedules Only, or Cancel. Deletes itself when closed. GUI thread.
class RestoreOwnersBox : public QMessageBox
{
    Q_OBJECT

public:
    enum class Answer { Cancel, SchedulesOnly, WithOwners };

    explicit RestoreOwnersBox(const QList<TrashOwner> &owners, QWidget *parent = nullptr);

    // What the button that closed the box means; Cancel before then.
    Answer answer() const;

private:
    QPushButton *m_both;
    QPushButton *m_only;
};

} // namespace MigrationDesk
