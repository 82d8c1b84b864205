#pragma once

#include <QLocale>
#include <QString>
#include <QStringList>

class QSettings;

namespace MigrationDesk {

// Chooses the user-interface language (saved setting, else the system locale) and installs our
// translations plus Qt's own (qtbase_<lang>.qm) on the application. GUI or main thread, after the
// Q(Core)Application exists.
class Translator
{
public:
    // The QSettings key holding "en", "ko", or nothing (follow the system locale).
    static QString settingsKey();
    // The languages we ship, as codes ("en", "ko").
    static QStringList availableLanguages();

    // The saved choice, or an empty string for the system locale. Unknown values read as empty.
    static QString savedLanguage(const QSettings &settings);
    static void saveLanguage(QSettings &settings, const QString &language);

    // The locale for dates, numbers and messages: the system locale when language is empty or is
    // the system's own language (so en_GB stays en_GB), otherwise the language's default locale.
    static QLocale localeFor(const QString &language);

    // Replaces any translators installed before, sets QLocale::setDefault, and returns the
    // locale used. Our messages come from :/i18n, Qt's from QLibraryInfo's translations path.
    static QLocale install(const QString &language);
    // install() with the language saved in the application's default QSettings.
    static QLocale installFromSettings();

    // Whether our own translation for the locale's language was found (English needs none).
    static bool hasTranslation(const QLocale &locale);
};

} // namespace MigrationDesk
