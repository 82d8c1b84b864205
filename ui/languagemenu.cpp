#include "languagemenu.h"

#include <QActionGroup>
#include <QCoreApplication>

#include <utility>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The menu was part of the main window when its texts were translated; they keep that context.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MainWindow)
};

} // namespace

LanguageMenu::LanguageMenu(const QString &current, QWidget *parent)
    : QMenu(Text::tr("&Language"), parent)
{
    setObjectName(u"languageMenu"_s);
    auto group = new QActionGroup(this);
    // Each language is named in itself, so it can be found whatever the current language is.
    const QList<std::pair<QString, QString>> languages = {
        {QString(), Text::tr("System")},
        {u"en"_s, u"English"_s},
        {u"ko"_s, u"한국어"_s},
    };
    for (const auto &[code, label] : languages) {
        QAction *action = addAction(label);
        action->setObjectName(u"languageAction_%1"_s.arg(code.isEmpty() ? u"system"_s : code));
        action->setCheckable(true);
        action->setChecked(code == current);
        action->setActionGroup(group);
        connect(action, &QAction::triggered, this, [this, code = code] { Q_EMIT languageChosen(code); });
    }
}

} // namespace MigrationDesk
