#include "mainmenus.h"

#include "icons.h"
#include "migrations/migrationsview.h"
#include "timezonechoice.h"
#include "viewstack.h"

#include <QAction>
#include <QCoreApplication>
#include <QListWidget>
#include <QMainWindow>
#include <QMenuBar>
#include <QToolBar>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The menus were part of the main window when their texts were translated; they keep that context.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MainWindow)
};

} // namespace

void addMainMenus(QMainWindow *window, const MainActions &actions, MigrationsView *migrations, ViewStack *views)
{
    auto quitAction = new QAction(Text::tr("Quit"), window);
    quitAction->setShortcut(QKeySequence::Quit);
    quitAction->setMenuRole(QAction::QuitRole);
    QObject::connect(quitAction, &QAction::triggered, window, &QWidget::close);

    const QList<QAction *> migrationActions = {
        migrations->upgradeToHeadAction(),  migrations->downgradeOneStepAction(),
        migrations->upgradeToHereAction(),  migrations->downgradeToHereAction(),
        migrations->stampAction(),          migrations->checkDriftAction(),
    };

    auto toolBar = window->addToolBar(Text::tr("Main"));
    toolBar->setObjectName(u"mainToolBar"_s);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->setMovable(false);
    toolBar->addAction(actions.connect);
    toolBar->addAction(actions.disconnect);
    toolBar->addAction(actions.refresh);
    // The Migrations view carries its own toolbar with the revision actions next to the timeline; only
    // the drift check, whose verdict the status bar shows everywhere, is offered from every view.
    if (QAction *checkDrift = migrations->checkDriftAction()) {
        toolBar->addSeparator();
        toolBar->addAction(checkDrift);
    }

    QMenu *fileMenu = window->menuBar()->addMenu(Text::tr("&File"));
    fileMenu->addAction(actions.connect);
    fileMenu->addAction(actions.disconnect);
    fileMenu->addAction(actions.refresh);
    fileMenu->addSeparator();
    fileMenu->addAction(actions.sandbox);
    fileMenu->addAction(actions.keepSandbox);
    fileMenu->addAction(actions.copySandboxUrl);
    fileMenu->addSeparator();
    if (actions.importAlembic) {
        fileMenu->addAction(actions.importAlembic);
        fileMenu->addSeparator();
    }
    fileMenu->addAction(quitAction);

    QMenu *viewMenu = window->menuBar()->addMenu(Text::tr("&View"));
    QListWidget *navigation = views->navigation();
    for (int row = 0; row < navigation->count(); ++row) {
        QAction *action = viewMenu->addAction(navigation->item(row)->icon(), navigation->item(row)->text());
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + row)));
        QObject::connect(action, &QAction::triggered, window, [navigation, row] { navigation->setCurrentRow(row); });
    }
    viewMenu->addSeparator();
    viewMenu->addAction((new TimeZoneChoice(window))->action());

    QMenu *migrationsMenu = window->menuBar()->addMenu(Text::tr("&Migrations"));
    for (QAction *action : migrationActions) {
        if (action)
            migrationsMenu->addAction(action);
    }
}

void addLanguageMenu(QMainWindow *window, QMenu *languages)
{
    // The menu bar entry keeps to its title: Fusion clips an open menu bar entry's title to its icon.
    window->menuBar()->addMenu(languages);
    auto toolBar = window->findChild<QToolBar *>(u"mainToolBar"_s);
    if (!toolBar)
        return;
    auto action = new QAction(Icons::get(Icons::Language), Text::tr("Language"), window);
    action->setObjectName(u"languageToolAction"_s);
    toolBar->addSeparator();
    toolBar->addAction(action);
    // Not QAction::setMenu: that makes this action the menu's own, and the menu bar entry takes its icon.
    QWidget *button = toolBar->widgetForAction(action);
    QObject::connect(action, &QAction::triggered, languages, [languages, button] {
        languages->popup(button->mapToGlobal(QPoint(0, button->height())));
    });
}

} // namespace MigrationDesk
