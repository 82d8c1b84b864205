#include "scheduling/restoreownersbox.h"

#include <QCoreApplication>
#include <QPushButton>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The messages began in the Trash view and keep its translation context, so their translations carry over.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::TrashView)
};

QString ownerNames(const QList<TrashOwner> &owners)
{
    QStringList names;
    for (const TrashOwner &owner : owners)
        names.append(owner.name.isEmpty() ? QString::number(owner.id) : owner.name);
    return names.join(u", "_s);
}

} // namespace

RestoreOwnersBox::RestoreOwnersBox(const QList<TrashOwner> &owners, QWidget *parent)
    : QMessageBox(QMessageBox::Question, Text::tr("Restore Employees Too?"),
                  Text::tr("%n employee(s) owning these schedules are in the trash too: %1.\n\n"
                           "Restore them together with the schedules, in the same transaction?",
                           nullptr, int(owners.size()))
                      .arg(ownerNames(owners)),
                  QMessageBox::NoButton, parent)
{
    setObjectName(u"ownersDialog"_s);
    setTextFormat(Qt::PlainText);
    setAttribute(Qt::WA_DeleteOnClose);
    m_both = addButton(Text::tr("Restore Employees Too"), QMessageBox::AcceptRole);
    m_both->setObjectName(u"restoreOwnersButton"_s);
    m_only = addButton(Text::tr("Schedules Only"), QMessageBox::ActionRole);
    m_only->setObjectName(u"schedulesOnlyButton"_s);
    QPushButton *cancel = addButton(QMessageBox::Cancel);
    cancel->setObjectName(u"cancelButton"_s);
    setDefaultButton(m_both);
}

RestoreOwnersBox::Answer RestoreOwnersBox::answer() const
{
    if (clickedButton() == m_both)
        return Answer::WithOwners;
    if (clickedButton() == m_only)
        return Answer::SchedulesOnly;
    return Answer::Cancel;
}

} // namespace MigrationDesk
