// The desktop app's command line (GuiOptions): every option in both spellings, values that are missing
// or wrong, Qt's own options stepped over, --help and --version, and the checks across options.
#include "session/guioptions.h"

#include <QTemporaryDir>
#include <QTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

using Outcome = GuiOptions::Outcome;

namespace {

struct Parsed
{
    Outcome outcome = Outcome::Error;
    GuiOptions options;
    QString error;
};

Parsed parse(const QStringList &arguments)
{
    Parsed parsed;
    parsed.outcome = GuiOptions::parse(QStringList{u"migrationdesk"_s} + arguments, &parsed.options, &parsed.error);
    return parsed;
}

} // namespace

class TestGuiOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noArgumentsRun();
    void eachOption();
    void inlineValues();
    void missingValues_data();
    void missingValues();
    void unknownOptionsAndArguments_data();
    void unknownOptionsAndArguments();
    void qtOptionsPassThrough_data();
    void qtOptionsPassThrough();
    void helpAndVersion_data();
    void helpAndVersion();
    void badUrl();
    void badView();
    void badMigrationsAndVersionTable();
    void tableAndSchemaChecks();
    void viewNames();
    void viewCalendarOpensTheSchedulesCalendar();
    void usageNamesEveryOption();
};

void TestGuiOptions::noArgumentsRun()
{
    const Parsed p = parse({});
    QCOMPARE(p.outcome, Outcome::Run);
    QVERIFY(p.error.isEmpty());
    QVERIFY(!p.options.url);
    QVERIFY(!p.options.view);
    QVERIFY(!p.options.sandbox);
    QVERIFY(!p.options.selfTest);
    QVERIFY(!p.options.selfTestReport);
    QVERIFY(p.options.profile.isEmpty());
}

void TestGuiOptions::eachOption()
{
    QTemporaryDir scripts;
    QVERIFY(scripts.isValid());
    const Parsed p = parse({u"--url"_s, u"postgresql://alice:s3cret@db.example:6543/shop?sslmode=require"_s,
                            u"--profile"_s, u"staging"_s, u"--sandbox"_s, u"--migrations"_s, scripts.path(),
                            u"--version-table"_s, u"ops.versions"_s, u"--view"_s, u"tables"_s, u"--table"_s,
                            u"orders"_s, u"--schema"_s, u"sales"_s, u"--self-test"_s, u"--self-test-report"_s,
                            u"--report-milestones"_s});
    QCOMPARE(p.outcome, Outcome::Run);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QVERIFY(p.options.url);
    QCOMPARE(p.options.url->host, u"db.example"_s);
    QCOMPARE(p.options.url->port, 6543);
    QCOMPARE(p.options.url->database, u"shop"_s);
    QCOMPARE(p.options.url->user, u"alice"_s);
    QCOMPARE(p.options.url->password, u"s3cret"_s);
    QCOMPARE(p.options.url->sslmode, u"require"_s);
    QCOMPARE(p.options.profile, u"staging"_s);
    QVERIFY(p.options.sandbox);
    QCOMPARE(p.options.migrations, scripts.path());
    QCOMPARE(p.options.versionTable, u"ops.versions"_s);
    QCOMPARE(p.options.view, std::optional<AppView>(AppView::Tables));
    QCOMPARE(p.options.table, u"orders"_s);
    QCOMPARE(p.options.schema, u"sales"_s);
    QVERIFY(p.options.selfTest);
    QVERIFY(p.options.selfTestReport);
    QVERIFY(p.options.reportMilestones);
}

void TestGuiOptions::inlineValues()
{
    const Parsed p = parse({u"--profile=prod = eu"_s, u"--view=Schedules"_s, u"--url=postgresql://bob@h/d"_s});
    QCOMPARE(p.outcome, Outcome::Run);
    // Everything after the first '=' is the value, '=' included.
    QCOMPARE(p.options.profile, u"prod = eu"_s);
    QCOMPARE(p.options.view, std::optional<AppView>(AppView::Schedules));
    QVERIFY(p.options.url);
    QCOMPARE(p.options.url->user, u"bob"_s);
    // An empty inline value is a value, not a missing one.
    const Parsed empty = parse({u"--table="_s});
    QCOMPARE(empty.outcome, Outcome::Run);
    QVERIFY(empty.options.table.isEmpty());
}

void TestGuiOptions::missingValues_data()
{
    QTest::addColumn<QString>("option");
    for (const char *option : {"--url", "--profile", "--migrations", "--version-table", "--view", "--table", "--schema"})
        QTest::newRow(option) << QString::fromLatin1(option);
}

void TestGuiOptions::missingValues()
{
    QFETCH(QString, option);
    const Parsed p = parse({u"--sandbox"_s, option});
    QCOMPARE(p.outcome, Outcome::Error);
    QCOMPARE(p.error, u"%1 needs a value."_s.arg(option));
}

void TestGuiOptions::unknownOptionsAndArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("error");
    QTest::newRow("long") << QStringList{u"--frobnicate"_s} << u"Unknown option --frobnicate."_s;
    QTest::newRow("short") << QStringList{u"-x"_s} << u"Unknown option -x."_s;
    QTest::newRow("long with value") << QStringList{u"--colour=red"_s} << u"Unknown option --colour."_s;
    QTest::newRow("after a good one") << QStringList{u"--sandbox"_s, u"--nope"_s} << u"Unknown option --nope."_s;
    QTest::newRow("positional") << QStringList{u"postgresql://h/d"_s} << u"Unexpected argument postgresql://h/d."_s;
}

void TestGuiOptions::unknownOptionsAndArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, error);
    const Parsed p = parse(arguments);
    QCOMPARE(p.outcome, Outcome::Error);
    QCOMPARE(p.error, error);
}

void TestGuiOptions::qtOptionsPassThrough_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("-platform NAME") << QStringList{u"-platform"_s, u"offscreen"_s};
    QTest::newRow("--platform NAME") << QStringList{u"--platform"_s, u"offscreen"_s};
    QTest::newRow("-style NAME") << QStringList{u"-style"_s, u"Fusion"_s};
    QTest::newRow("-stylesheet FILE") << QStringList{u"-stylesheet"_s, u"/tmp/x.qss"_s};
    QTest::newRow("-geometry") << QStringList{u"-geometry"_s, u"800x600+0+0"_s};
    QTest::newRow("-reverse") << QStringList{u"-reverse"_s};
    QTest::newRow("-widgetcount") << QStringList{u"-widgetcount"_s};
    QTest::newRow("-qmljsdebugger=") << QStringList{u"-qmljsdebugger=port:1234"_s};
}

void TestGuiOptions::qtOptionsPassThrough()
{
    QFETCH(QStringList, arguments);
    // Our own options before and after: Qt's value is not mistaken for one of ours, nor ours for Qt's.
    const Parsed p = parse(QStringList{u"--view"_s, u"trash"_s} + arguments + QStringList{u"--profile"_s, u"p"_s});
    QCOMPARE(p.outcome, Outcome::Run);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.options.view, std::optional<AppView>(AppView::Trash));
    QCOMPARE(p.options.profile, u"p"_s);
}

void TestGuiOptions::helpAndVersion_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<Outcome>("outcome");
    QTest::newRow("--help") << QStringList{u"--help"_s} << Outcome::Help;
    QTest::newRow("-h") << QStringList{u"-h"_s} << Outcome::Help;
    QTest::newRow("--version") << QStringList{u"--version"_s} << Outcome::Version;
    QTest::newRow("-v") << QStringList{u"-v"_s} << Outcome::Version;
    // Asked for first, answered first: what follows is not even read.
    QTest::newRow("help before an error") << QStringList{u"--help"_s, u"--bogus"_s} << Outcome::Help;
    QTest::newRow("version after options") << QStringList{u"--sandbox"_s, u"--version"_s} << Outcome::Version;
    QTest::newRow("error before help") << QStringList{u"--bogus"_s, u"--help"_s} << Outcome::Error;
}

void TestGuiOptions::helpAndVersion()
{
    QFETCH(QStringList, arguments);
    QFETCH(Outcome, outcome);
    QCOMPARE(parse(arguments).outcome, outcome);
}

void TestGuiOptions::badUrl()
{
    const Parsed p = parse({u"--url"_s, u"mysql://root:hunter2@h/d"_s});
    QCOMPARE(p.outcome, Outcome::Error);
    QVERIFY2(p.error.startsWith(u"Invalid --url: "_s), qPrintable(p.error));
    QVERIFY2(!p.error.contains(u"hunter2"_s), qPrintable(p.error)); // never the password
    QVERIFY(!p.options.url);

    const Parsed garbage = parse({u"--url=::::"_s});
    QCOMPARE(garbage.outcome, Outcome::Error);
    QVERIFY2(garbage.error.startsWith(u"Invalid --url: "_s), qPrintable(garbage.error));
}

void TestGuiOptions::badView()
{
    const Parsed p = parse({u"--view"_s, u"table"_s});
    QCOMPARE(p.outcome, Outcome::Error);
    QCOMPARE(p.error, u"--view must be migrations, tables, schedules, calendar or trash, not \"table\"."_s);
    QVERIFY(!p.options.view);
}

void TestGuiOptions::badMigrationsAndVersionTable()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missing = dir.filePath(u"nowhere"_s);
    const Parsed scripts = parse({u"--migrations"_s, missing});
    QCOMPARE(scripts.outcome, Outcome::Error);
    QCOMPARE(scripts.error, u"--migrations: the folder %1 does not exist."_s.arg(missing));

    const Parsed table = parse({u"--version-table"_s, u"a.b.c"_s});
    QCOMPARE(table.outcome, Outcome::Error);
    QVERIFY2(table.error.startsWith(u"Invalid --version-table: "_s), qPrintable(table.error));
}

void TestGuiOptions::tableAndSchemaChecks()
{
    // --table means the tables view: with it alone, or with --view tables, it runs.
    QCOMPARE(parse({u"--table"_s, u"orders"_s}).outcome, Outcome::Run);
    QCOMPARE(parse({u"--view"_s, u"tables"_s, u"--table"_s, u"orders"_s}).outcome, Outcome::Run);

    const Parsed conflict = parse({u"--table"_s, u"orders"_s, u"--view"_s, u"trash"_s});
    QCOMPARE(conflict.outcome, Outcome::Error);
    QCOMPARE(conflict.error, u"--table opens the tables view; it cannot be combined with --view trash."_s);

    const Parsed schemaAlone = parse({u"--schema"_s, u"sales"_s});
    QCOMPARE(schemaAlone.outcome, Outcome::Error);
    QCOMPARE(schemaAlone.error, u"--schema needs --table."_s);
}

void TestGuiOptions::viewCalendarOpensTheSchedulesCalendar()
{
    for (const QStringList &arguments : {QStringList{u"--view"_s, u"calendar"_s}, QStringList{u"--view=Calendar"_s}}) {
        const Parsed p = parse(arguments);
        QCOMPARE(p.outcome, Outcome::Run);
        QCOMPARE(p.options.view, std::optional<AppView>(AppView::Schedules));
        QVERIFY(p.options.calendar);
    }
    const Parsed schedules = parse({u"--view"_s, u"schedules"_s});
    QVERIFY(!schedules.options.calendar);
    QVERIFY(GuiOptions::usage().contains(u"calendar"_s));
    const Parsed conflict = parse({u"--view"_s, u"calendar"_s, u"--table"_s, u"orders"_s});
    QCOMPARE(conflict.outcome, Outcome::Error);
}

void TestGuiOptions::viewNames()
{
    for (AppView view : {AppView::Migrations, AppView::Tables, AppView::Schedules, AppView::Trash})
        QCOMPARE(appViewFromName(appViewName(view)), std::optional<AppView>(view));
    QCOMPARE(appViewName(AppView::Schedules), u"schedules"_s);
    QCOMPARE(appViewFromName(u"TRASH"_s), std::optional<AppView>(AppView::Trash));
    QVERIFY(!appViewFromName(QString()));
    QVERIFY(!appViewFromName(u"migration"_s));
}

void TestGuiOptions::usageNamesEveryOption()
{
    const QString usage = GuiOptions::usage();
    for (const char *option : {"--url", "--profile", "--sandbox", "--migrations", "--version-table", "--view",
                               "--table", "--schema", "--version", "--help"})
        QVERIFY2(usage.contains(QString::fromLatin1(option)), option);
}

QTEST_GUILESS_MAIN(TestGuiOptions)
#include "tst_guioptions.moc"
