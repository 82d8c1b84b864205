#include "i18n/translator.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QPointer>
#include <QSettings>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Our .qm files are compiled into the core under this prefix, so an uninstalled build finds them.
const QString ResourcePath = u":/i18n"_s;

// The translators we installed, so a language switch removes exactly those.
QList<QPointer<QTranslator>> &installed()
{
    static QList<QPointer<QTranslator>> translators;
    return translators;
}

void removeInstalled()
{
    for (const QPointer<QTranslator> &translator : std::as_const(installed())) {
        if (translator) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
    }
    installed().clear();
}

void installIfFound(const QLocale &locale, const QString &name, const QString &directory)
{
    auto translator = new QTranslator(QCoreApplication::instance());
    if (translator->load(locale, name, u"_"_s, directory)
        && QCoreApplication::installTranslator(translator)) {
        installed().append(translator);
    } else {
        delete translator;
    }
}

} // namespace

QString Translator::settingsKey()
{
    return u"language"_s;
}

QStringList Translator::availableLanguages()
{
    return {u"en"_s, u"ko"_s};
}

QString Translator::savedLanguage(const QSettings &settings)
{
    const QString language = settings.value(settingsKey()).toString();
    return availableLanguages().contains(language) ? language : QString();
}

void Translator::saveLanguage(QSettings &settings, const QString &language)
{
    if (availableLanguages().contains(language))
        settings.setValue(settingsKey(), language);
    else
        settings.remove(settingsKey());
}

QLocale Translator::localeFor(const QString &language)
{
    const QLocale system = QLocale::system();
    if (language.isEmpty())
        return system;
    const QLocale chosen(language);
    return chosen.language() == system.language() ? system : chosen;
}

QLocale Translator::install(const QString &language)
{
    removeInstalled();
    const QLocale locale = localeFor(language);
    QLocale::setDefault(locale);
    if (!QCoreApplication::instance())
        return locale;
    installIfFound(locale, u"qtbase"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    installIfFound(locale, u"migrationdesk"_s, ResourcePath);
    return locale;
}

QLocale Translator::installFromSettings()
{
    const QSettings settings;
    return install(savedLanguage(settings));
}

bool Translator::hasTranslation(const QLocale &locale)
{
    QTranslator probe;
    return probe.load(locale, u"migrationdesk"_s, u"_"_s, ResourcePath);
}

} // namespace MigrationDesk
