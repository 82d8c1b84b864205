#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

class QAction;
class QWidget;

namespace MigrationDesk {

class AlembicImportDialog;
class ProfileStore;
class WorkerThreads;

// File > Import Alembic Project…: owns the menu action, opens the import dialog (one at a time), and keeps
// the folder the user opened as the migration source per connection profile, giving it back when that
// profile connects again. GUI thread; the threads and the profile store must outlive it.
class AlembicImportLauncher : public QObject
{
    Q_OBJECT

public:
    AlembicImportLauncher(WorkerThreads &threads, ProfileStore *profiles, QWidget *window);

    QAction *action() const { return m_action; }
    AlembicImportDialog *dialog() const; // the open one, if any
    void open();

    // The window connected through this profile ("" for none) while using currentDir: emits sourceChosen
    // with the folder remembered for the profile, or, leaving a profile that had one, with the folder
    // used before it.
    void setProfile(const QString &profileName, const QString &currentDir);

Q_SIGNALS:
    void sourceChosen(const QString &folder);

private:
    void useSource(const QString &folder);

    WorkerThreads &m_threads;
    ProfileStore *m_profiles;
    QWidget *m_window;
    QAction *m_action;
    QPointer<AlembicImportDialog> m_dialog;
    QString m_profile;
    QString m_current;          // the source the window uses, as far as this launcher knows ("" = bundled)
    bool m_fromProfile = false; // m_current is a profile's remembered folder
    QString m_before;           // the source in use before the first such folder
};

} // namespace MigrationDesk
