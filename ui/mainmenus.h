#pragma once

class QAction;
class QMainWindow;
class QMenu;

namespace MigrationDesk {

class MigrationsView;
class ViewStack;

// The window-wide actions the main window owns, for its menus and toolbar.
struct MainActions
{
    QAction *connect = nullptr;
    QAction *disconnect = nullptr;
    QAction *refresh = nullptr;
    QAction *sandbox = nullptr;
    QAction *keepSandbox = nullptr;
    QAction *copySandboxUrl = nullptr;
    QAction *importAlembic = nullptr;
};

// Lays out the main window's toolbar and its File, View and Migrations menus (with Quit and the
// view shortcuts Ctrl+1…). GUI thread.
void addMainMenus(QMainWindow *window, const MainActions &actions, MigrationsView *migrations, ViewStack *views);
// Adds `languages` to the menu bar, and to the end of the toolbar behind the language icon, which
// someone who cannot read the current language still recognises. Call after addMainMenus().
void addLanguageMenu(QMainWindow *window, QMenu *languages);

} // namespace MigrationDesk
