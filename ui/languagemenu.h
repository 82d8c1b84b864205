#pragma once

#include <QMenu>

namespace MigrationDesk {

// The Language menu: one checkable action per language, each named in itself. GUI thread.
class LanguageMenu : public QMenu
{
    Q_OBJECT

public:
    // `current` is the saved language code (empty: the system's), checked at the start.
    explicit LanguageMenu(const QString &current, QWidget *parent = nullptr);

Q_SIGNALS:
    void languageChosen(const QString &language);
};

} // namespace MigrationDesk
