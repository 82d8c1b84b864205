#include "migrations/alembicimportlauncher.h"

#include "migrations/alembicimportdialog.h"
#include "session/profilestore.h"
#include "icons.h"

#include <QAction>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

AlembicImportLauncher::AlembicImportLauncher(WorkerThreads &threads, ProfileStore *profiles, QWidget *window)
    : QObject(window)
    , m_threads(threads)
    , m_profiles(profiles)
    , m_window(window)
    , m_action(new QAction(Icons::get(Icons::Migrations), tr("Import Alembic Project…"), this))
{
    m_action->setObjectName(u"importAlembicAction"_s);
    m_action->setToolTip(tr("Turn an Alembic project into MigrationDesk scripts with the same revision ids"));
    m_action->setStatusTip(m_action->toolTip());
    connect(m_action, &QAction::triggered, this, &AlembicImportLauncher::open);
}

AlembicImportDialog *AlembicImportLauncher::dialog() const
{
    return m_dialog;
}

void AlembicImportLauncher::open()
{
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return;
    }
    m_dialog = new AlembicImportDialog(m_threads, m_profile, m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &AlembicImportDialog::openAsSourceRequested, this, [this](const QString &folder) {
        if (!m_profile.isEmpty()) {
            m_profiles->setMigrationsDir(m_profile, folder);
            if (!m_fromProfile)
                m_before = m_current;
            m_fromProfile = true;
        }
        useSource(folder);
    });
    m_dialog->open();
}

void AlembicImportLauncher::setProfile(const QString &profileName, const QString &currentDir)
{
    m_profile = profileName;
    m_current = currentDir;
    const QString remembered = profileName.isEmpty() ? QString() : m_profiles->migrationsDir(profileName);
    if (!remembered.isEmpty()) {
        if (!m_fromProfile)
            m_before = currentDir;
        m_fromProfile = true;
        if (remembered != currentDir)
            useSource(remembered);
    } else if (m_fromProfile) {
        // A profile without a folder of its own: back to the source used before the last one's.
        m_fromProfile = false;
        useSource(m_before);
    }
}

void AlembicImportLauncher::useSource(const QString &folder)
{
    m_current = folder;
    Q_EMIT sourceChosen(folder);
}

} // namespace MigrationDesk
