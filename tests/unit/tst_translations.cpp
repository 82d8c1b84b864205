// The Korean and English translations: complete for the current sources (lupdate runs on them, since
// lrelease accepts unfinished entries), placeholders intact, and actually used by both executables.
#include "i18n/translator.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLibraryInfo>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

using namespace MigrationDesk;

namespace {

struct Message
{
    QString context;
    QString source;
    QStringList translations; // one, or one per numerus form
    QString type;             // "unfinished", "vanished", "obsolete" or empty
    bool numerus = false;
};

QList<Message> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QList<Message> messages;
    QString context;
    Message current;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            if (!current.source.isNull())
                messages.append(current);
            current = Message();
            current.context = context;
            current.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (name == QLatin1String("source")) {
            current.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            current.type = xml.attributes().value(QLatin1String("type")).toString();
            // A numerus translation holds its forms as <numerusform> children, read below.
            if (!current.numerus)
                current.translations = {xml.readElementText()};
        } else if (name == QLatin1String("numerusform")) {
            current.translations.append(xml.readElementText());
        }
    }
    if (!current.source.isNull())
        messages.append(current);
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

QString lupdatePath()
{
    return QLibraryInfo::path(QLibraryInfo::BinariesPath) + u"/lupdate"_s;
}

// An environment where only `locale` decides the language: no saved setting, no LANGUAGE list.
QProcessEnvironment localeEnvironment(const QString &locale, const QString &configHome)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"LANGUAGE"_s);
    env.remove(u"LC_MESSAGES"_s);
    env.insert(u"LANG"_s, locale);
    env.insert(u"LC_ALL"_s, locale);
    env.insert(u"XDG_CONFIG_HOME"_s, configHome);
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    // No database: the usage errors below must come before any connection attempt anyway.
    for (const char *name : {"DATABASE_URL", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "POSTGRES_HOST"})
        env.remove(QString::fromLatin1(name));
    return env;
}

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QString &program, const QStringList &arguments, const QProcessEnvironment &env)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(program, arguments);
    Run result;
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        result.err = u"did not finish: "_s + process.errorString();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

} // namespace

class TstTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void completeForCurrentSources_data();
    void completeForCurrentSources();
    void placeholdersKept_data();
    void placeholdersKept();
    void koreanAtRunTime();
    void englishAtRunTime();
    void savedLanguageIsValidated();
    void cliFollowsTheLocale();
    void cliSavedLanguageWinsOverLocale();
    void guiUsageErrorFollowsTheLocale();

private:
    QTemporaryDir m_dir;
};

void TstTranslations::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(lupdatePath()), qPrintable(lupdatePath() + u" is missing (qt6-l10n-tools)"_s));
}

void TstTranslations::cleanup()
{
    Translator::install(u"en"_s);
}

void TstTranslations::completeForCurrentSources_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("ko") << u"ko"_s;
    QTest::newRow("en") << u"en"_s;
}

// lupdate over today's sources into a copy of the .ts: a string added to the code but not yet
// translated shows up as unfinished there, even though lrelease would build it without complaint.
void TstTranslations::completeForCurrentSources()
{
    QFETCH(QString, language);
    const QString sourceDir = QStringLiteral(MD_SOURCE_DIR);
    const QString committed = sourceDir + u"/translations/migrationdesk_%1.ts"_s.arg(language);
    const QString copy = m_dir.filePath(u"migrationdesk_%1.ts"_s.arg(language));
    QFile::remove(copy);
    QVERIFY2(QFile::copy(committed, copy), qPrintable(committed));

    QProcess lupdate;
    lupdate.start(lupdatePath(), {sourceDir + u"/app"_s, sourceDir + u"/ui"_s,
                                  u"-extensions"_s, u"cpp,h"_s, u"-no-obsolete"_s,
                                  u"-locations"_s, u"none"_s, u"-silent"_s,
                                  u"-ts"_s, copy});
    QVERIFY(lupdate.waitForFinished(120000));
    QCOMPARE(lupdate.exitStatus(), QProcess::NormalExit);
    QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());

    QString error;
    const QList<Message> messages = readTs(copy, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Guards against a scan that found nothing (and so nothing to miss).
    QVERIFY2(messages.size() > 400, qPrintable(QString::number(messages.size())));

    QStringList problems;
    for (const Message &message : messages) {
        const bool empty = message.translations.isEmpty()
                           || std::any_of(message.translations.cbegin(), message.translations.cend(),
                                          [](const QString &t) { return t.trimmed().isEmpty(); });
        if (!message.type.isEmpty() || empty)
            problems << u"%1 [%2] %3"_s.arg(message.type.isEmpty() ? u"empty"_s : message.type,
                                                         message.context, message.source.left(80));
    }
    QVERIFY2(problems.isEmpty(),
             qPrintable(u"%1 message(s) not translated in %2 (run the update_translations target "
                                       "and translate them):\n"_s
                            .arg(problems.size())
                            .arg(committed)
                        + problems.mid(0, 30).join(QLatin1Char('\n'))));
}

void TstTranslations::placeholdersKept_data()
{
    completeForCurrentSources_data();
}

// A lost %1 drops a value from the message; a lost & drops the menu's accelerator.
void TstTranslations::placeholdersKept()
{
    QFETCH(QString, language);
    QString error;
    const QList<Message> messages = readTs(
        QStringLiteral(MD_SOURCE_DIR "/translations/migrationdesk_%1.ts").arg(language), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!messages.isEmpty());
    static const QRegularExpression placeholder(u"%L?\\d+|%n"_s);
    static const QRegularExpression accelerator(u"&[^&\\s;]"_s);
    auto collect = [](const QString &text, const QRegularExpression &re) {
        QStringList found;
        for (auto it = re.globalMatch(text); it.hasNext();)
            found << it.next().captured();
        found.sort();
        return found;
    };
    QStringList problems;
    for (const Message &message : messages) {
        for (const QString &translation : message.translations) {
            if (collect(translation, placeholder) != collect(message.source, placeholder))
                problems << u"placeholders: "_s + message.source.left(80);
            if (message.source.contains(QRegularExpression(u"^&\\w|\\w&\\w|^\\w+&\\w"_s))
                && !translation.contains(accelerator))
                problems << u"accelerator: "_s + message.source;
            if (message.source.count(QLatin1Char('\n')) != translation.count(QLatin1Char('\n')))
                problems << u"line breaks: "_s + message.source.left(80);
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TstTranslations::koreanAtRunTime()
{
    const QLocale locale = Translator::install(u"ko"_s);
    QCOMPARE(locale.language(), QLocale::Korean);
    QCOMPARE(QLocale().language(), QLocale::Korean);
    QVERIFY(Translator::hasTranslation(locale));
    // Our messages, from the resources compiled into the core, in three kinds of context.
    QCOMPARE(QCoreApplication::translate("MigrationDesk::CliApp", "no command given"),
             u"명령이 지정되지 않았습니다"_s);
    QCOMPARE(QCoreApplication::translate("MigrationDesk::TimelineModel", "Pending"), u"대기 중"_s);
    QCOMPARE(QCoreApplication::translate("PgConnection", "There is no connection to cancel."),
             u"취소할 연결이 없습니다."_s);
    QCOMPARE(QCoreApplication::translate("MigrationDesk::CliApp", "Done: %n revision(s) applied; now at %1.", nullptr, 3)
                 .arg(u"abc"_s),
             u"완료: 리비전 3개를 적용했습니다. 현재 abc입니다."_s);
    // Qt's own strings (the dialog buttons) come from qtbase_ko.qm.
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"취소"_s);
    // Numbers follow the chosen locale.
    QCOMPARE(QLocale().toString(1234567), u"1,234,567"_s);
    QVERIFY(QLocale().dateFormat(QLocale::LongFormat).contains(u"년"_s));
}

void TstTranslations::englishAtRunTime()
{
    Translator::install(u"ko"_s);
    const QLocale locale = Translator::install(u"en"_s);
    QCOMPARE(locale.language(), QLocale::English);
    // Switching back removes the Korean translators again.
    QCOMPARE(QCoreApplication::translate("MigrationDesk::CliApp", "no command given"), u"no command given"_s);
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"Cancel"_s);
    QCOMPARE(QCoreApplication::translate("MigrationDesk::CliApp", "Done: %n revision(s) applied; now at %1.", nullptr, 1)
                 .arg(u"abc"_s),
             u"Done: 1 revision applied; now at abc."_s);
}

void TstTranslations::savedLanguageIsValidated()
{
    QSettings settings(m_dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    QCOMPARE(Translator::savedLanguage(settings), QString());
    Translator::saveLanguage(settings, u"ko"_s);
    QCOMPARE(settings.value(u"language"_s).toString(), u"ko"_s);
    QCOMPARE(Translator::savedLanguage(settings), u"ko"_s);
    settings.setValue(u"language"_s, u"xx"_s);
    QCOMPARE(Translator::savedLanguage(settings), QString());
    Translator::saveLanguage(settings, QString());
    QVERIFY(!settings.contains(u"language"_s));
}

void TstTranslations::cliFollowsTheLocale()
{
    const QString config = m_dir.filePath(u"cli-config"_s);
    const Run korean = run(QStringLiteral(MD_CLI_PATH), {}, localeEnvironment(u"ko_KR.UTF-8"_s, config));
    QCOMPARE(korean.exitCode, 2);
    QVERIFY2(korean.err.contains(u"오류: 명령이 지정되지 않았습니다"_s), qPrintable(korean.err));

    const Run koreanHelp = run(QStringLiteral(MD_CLI_PATH), {u"--help"_s},
                               localeEnvironment(u"ko_KR.UTF-8"_s, config));
    QCOMPARE(koreanHelp.exitCode, 0);
    QVERIFY2(koreanHelp.out.startsWith(u"사용법: migrationdesk-cli"_s), qPrintable(koreanHelp.out));

    const Run english = run(QStringLiteral(MD_CLI_PATH), {}, localeEnvironment(u"en_US.UTF-8"_s, config));
    QCOMPARE(english.exitCode, 2);
    QVERIFY2(english.err.contains(u"error: no command given"_s), qPrintable(english.err));
}

void TstTranslations::cliSavedLanguageWinsOverLocale()
{
    const QString config = m_dir.filePath(u"saved-config"_s);
    {
        QSettings saved(config + u"/MigrationDesk/migrationdesk.conf"_s, QSettings::IniFormat);
        Translator::saveLanguage(saved, u"en"_s);
    }
    const Run english = run(QStringLiteral(MD_CLI_PATH), {}, localeEnvironment(u"ko_KR.UTF-8"_s, config));
    QCOMPARE(english.exitCode, 2);
    QVERIFY2(english.err.contains(u"error: no command given"_s), qPrintable(english.err));
}

// The desktop app answers usage errors before it has a display; they are translated all the same.
void TstTranslations::guiUsageErrorFollowsTheLocale()
{
    QVERIFY2(QFile::exists(QStringLiteral(MD_GUI_PATH)), "build the migrationdesk target first");
    const QString config = m_dir.filePath(u"gui-config"_s);
    const Run korean = run(QStringLiteral(MD_GUI_PATH), {u"--no-such-option"_s},
                           localeEnvironment(u"ko_KR.UTF-8"_s, config));
    QCOMPARE(korean.exitCode, 2);
    QVERIFY2(korean.err.contains(u"알 수 없는 옵션 --no-such-option."_s), qPrintable(korean.err));
    QVERIFY2(korean.err.contains(u"migrationdesk --help"_s), qPrintable(korean.err));
}

QTEST_GUILESS_MAIN(TstTranslations)
#include "tst_translations.moc"
