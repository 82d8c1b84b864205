#pragma once

#include "browse/warmup.h"
#include "db/connectionsettings.h"
#include "session/guioptions.h"

#include <QList>
#include <QWidget>

#include <optional>

class QListWidget;
class QStackedWidget;

namespace MigrationDesk {

class AppServices;
class DatabaseWorker;
class MigrationsView;
class SchedulesView;
class TablesView;
class TrashView;

// The navigation list and the four views behind it. The Migrations view exists from the start (the
// toolbar and menus carry its actions); the others are built the first time they are shown or asked
// for, so the window's first paint pays neither for them nor for their worker threads. Hands the
// connection to every view that exists and to each new one. GUI thread.
class ViewStack : public QWidget
{
    Q_OBJECT

public:
    ViewStack(AppServices &services, DatabaseWorker *worker, QWidget *parent = nullptr);

    AppView currentView() const;
    // The first windows worth running once on the grids' pooled sessions before a grid asks for them
    // (FetcherPool::prewarm), since a new backend's first reads cost several times their later runs: the
    // Schedules grid's and the Trash's, the current view's first. None when a --table look-up will open
    // the Tables view: its reads go to those sessions, and a warm-up queued there would only delay them.
    QList<WarmUp> openingWindows(bool tableRequested) const;
    void setCurrentView(AppView view);
    // The navigation's entries, in order, for the View menu.
    QListWidget *navigation() const { return m_navigation; }

    MigrationsView *migrationsView() const { return m_migrationsView; }
    // Built on first use.
    TablesView *tablesView();
    SchedulesView *schedulesView();
    TrashView *trashView();
    // Without building it: nullptr until the view was first shown or asked for.
    bool isBuilt(AppView view) const;

    void setConnection(const ConnectionSettings &settings);
    void clearConnection();

Q_SIGNALS:
    void currentViewChanged(MigrationDesk::AppView view);

private:
    QWidget *build(AppView view);
    void applyConnection(AppView view);

    AppServices &m_services;
    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_stack = nullptr;
    MigrationsView *m_migrationsView = nullptr;
    TablesView *m_tablesView = nullptr;
    SchedulesView *m_schedulesView = nullptr;
    TrashView *m_trashView = nullptr;
    std::optional<ConnectionSettings> m_connection;
};

} // namespace MigrationDesk
