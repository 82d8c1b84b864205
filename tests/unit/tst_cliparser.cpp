// The CLI's command-line handling in process: usage errors in text and --json mode, bounds, the
// password warning and the argv scrubber. No database: every case fails or stops before connecting.
#include "cli/argvscrubber.h"
#include "cli/cliapp.h"
#include "cli/cliparser.h"
#include "scheduling/demodata.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cstring>

using namespace Qt::StringLiterals;
using namespace MigrationDesk;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runInProcess(const QStringList &args)
{
    Run r;
    QTextStream out(&r.out);
    QTextStream err(&r.err);
    QProcessEnvironment env;
    // No DATABASE_URL or PG* variables: nothing here may reach a real server by accident.
    env.insert(u"PGHOST"_s, u"127.0.0.1"_s);
    env.insert(u"PGPORT"_s, u"1"_s);
    CliApp app(out, err, env);
    r.exitCode = app.run(args);
    out.flush();
    err.flush();
    return r;
}

// The whole of stdout must be exactly one JSON object.
QJsonObject oneJsonObject(const QString &out, QString *problem)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(out.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        *problem = u"stdout is not one JSON document: "_s + error.errorString() + u"\n"_s + out;
    else if (!doc.isObject())
        *problem = u"stdout is not a JSON object: "_s + out;
    return doc.object();
}

const QString kNoServer = u"postgresql://u@127.0.0.1:1/db"_s;

} // namespace

class TstCliParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("errorPart");
        const QString longTarget(10000, u'a');
        QTest::newRow("bad --url") << QStringList{u"--json"_s, u"--url"_s, u"mysql://x@h/db"_s, u"current"_s}
                                   << u"invalid --url"_s;
        QTest::newRow("--url without value") << QStringList{u"--json"_s, u"--url"_s} << u"--url needs a value"_s;
        QTest::newRow("unknown command") << QStringList{u"--json"_s, u"frobnicate"_s} << u"unknown command"_s;
        QTest::newRow("no command") << QStringList{u"--json"_s} << u"no command"_s;
        QTest::newRow("unknown option") << QStringList{u"--json"_s, u"current"_s, u"--bogus"_s} << u"unknown option"_s;
        QTest::newRow("unknown global before --json") << QStringList{u"--bogus"_s, u"--json"_s, u"current"_s}
                                                      << u"unknown global option"_s;
        QTest::newRow("--json after the command") << QStringList{u"current"_s, u"--json"_s} << u"unknown option"_s;
        QTest::newRow("bad --version-table") << QStringList{u"--json"_s, u"--version-table"_s, u"a.b.c"_s, u"current"_s}
                                             << u"a.b.c"_s;
        QTest::newRow("FROM:TO without --sql") << QStringList{u"--json"_s, u"--url"_s, kNoServer, u"upgrade"_s, u"base:head"_s}
                                               << u"FROM:TO"_s;
        QTest::newRow("bad -r") << QStringList{u"--json"_s, u"history"_s, u"-r"_s, u"nocolon"_s} << u"nocolon"_s;
        QTest::newRow("-r without value") << QStringList{u"--json"_s, u"history"_s, u"-r"_s} << u"-r needs a value"_s;
        QTest::newRow("demo-data without counts") << QStringList{u"--json"_s, u"demo-data"_s} << u"--employees"_s;
        QTest::newRow("demo-data bad number")
            << QStringList{u"--json"_s, u"demo-data"_s, u"--employees"_s, u"many"_s, u"--schedules"_s, u"1"_s} << u"--employees"_s;
        QTest::newRow("demo-data bad ratio")
            << QStringList{u"--json"_s, u"demo-data"_s, u"--employees"_s, u"1"_s, u"--schedules"_s, u"1"_s,
                           u"--deleted-ratio"_s, u"2"_s} << u"--deleted-ratio"_s;
        QTest::newRow("revision without --migrations") << QStringList{u"--json"_s, u"revision"_s, u"-m"_s, u"x"_s}
                                                       << u"--migrations"_s;
        QTest::newRow("--json --sql") << QStringList{u"--json"_s, u"upgrade"_s, u"head"_s, u"--sql"_s} << u"--sql"_s;
        QTest::newRow("--json --sql range") << QStringList{u"--json"_s, u"downgrade"_s, u"head:base"_s, u"--sql"_s} << u"--sql"_s;
        QTest::newRow("empty target") << QStringList{u"--json"_s, u"upgrade"_s, u""_s} << u"empty"_s;
        QTest::newRow("blank target") << QStringList{u"--json"_s, u"stamp"_s, u"  "_s} << u"empty"_s;
        QTest::newRow("10,000-character target") << QStringList{u"--json"_s, u"upgrade"_s, longTarget} << u"too long"_s;
        QTest::newRow("long target with placeholders") << QStringList{u"--json"_s, u"upgrade"_s, u"%1%2%3"_s.repeated(100)}
                                                       << u"at most 200 characters"_s;
        QTest::newRow("10,000-character range") << QStringList{u"--json"_s, u"history"_s, u"-r"_s, longTarget + u":head"_s}
                                                << u"too long"_s;
    }

    void jsonUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, errorPart);
        const Run r = runInProcess(args);
        QCOMPARE(r.exitCode, int(CliApp::UsageError));
        QString problem;
        const QJsonObject o = oneJsonObject(r.out, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(o.value(u"ok"_s), QJsonValue(false));
        QCOMPARE(o.value(u"exit_code"_s), QJsonValue(2));
        QCOMPARE(o.value(u"usage_error"_s), QJsonValue(true));
        const QString error = o.value(u"error"_s).toString();
        QVERIFY2(error.contains(errorPart), qPrintable(error));
        // Short and plain: a 10,000-character argument is never echoed whole.
        QVERIFY2(error.size() < 300, qPrintable(error.left(400)));
        QVERIFY2(r.err.size() < 500, qPrintable(r.err.left(600)));
        // stderr still says it for a human.
        QVERIFY2(r.err.startsWith(u"error: "_s), qPrintable(r.err));
    }

    void textUsageErrorsPrintNothingOnStdout()
    {
        const Run r = runInProcess({u"upgrade"_s, u""_s});
        QCOMPARE(r.exitCode, int(CliApp::UsageError));
        QCOMPARE(r.out, QString());
        QVERIFY2(r.err.contains(u"error: upgrade: a revision argument is empty"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"--help"_s), qPrintable(r.err));

        const Run longOne = runInProcess({u"upgrade"_s, QString(10000, u'x')});
        QCOMPARE(longOne.exitCode, int(CliApp::UsageError));
        QVERIFY2(longOne.err.size() < 300, qPrintable(longOne.err.left(400)));
        QVERIFY2(longOne.err.contains(u"10000 characters"_s) || longOne.err.contains(u"10,000 characters"_s),
                 qPrintable(longOne.err));
    }

    void echoCutsLongArguments()
    {
        QCOMPARE(CliParser::echo(u"head"_s), u"head"_s);
        const QString cut = CliParser::echo(QString(500, u'z'));
        QVERIFY2(cut.size() < 80, qPrintable(cut));
        QVERIFY2(cut.startsWith(QString(40, u'z') + u"..."_s), qPrintable(cut));
    }

    void jsonFailuresAfterParsingAreOneObject()
    {
        // Not a usage error: the connection fails (exit 3). Still exactly one object.
        const Run r = runInProcess({u"--json"_s, u"--url"_s, kNoServer, u"current"_s});
        QCOMPARE(r.exitCode, int(CliApp::ConnectionFailed));
        QString problem;
        const QJsonObject o = oneJsonObject(r.out, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(o.value(u"exit_code"_s), QJsonValue(3));
        QVERIFY(!o.contains(u"usage_error"_s));
    }

    void demoDataBounds_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("employees int64 max") << u"--employees"_s << u"9223372036854775807"_s << 2;
        QTest::newRow("employees over the bound") << u"--employees"_s << QString::number(DemoDataOptions::maxEmployees + 1) << 2;
        QTest::newRow("employees overflowing int64") << u"--employees"_s << u"99999999999999999999"_s << 2;
        QTest::newRow("schedules int64 max") << u"--schedules"_s << u"9223372036854775807"_s << 2;
        QTest::newRow("schedules over the bound") << u"--schedules"_s << QString::number(DemoDataOptions::maxSchedules + 1) << 2;
        // At the bound the parser lets it through, and the run stops at the (absent) server.
        QTest::newRow("employees at the bound") << u"--employees"_s << QString::number(DemoDataOptions::maxEmployees) << 3;
        QTest::newRow("schedules at the bound") << u"--schedules"_s << QString::number(DemoDataOptions::maxSchedules) << 3;
    }

    void demoDataBounds()
    {
        QFETCH(QString, option);
        QFETCH(QString, value);
        QFETCH(int, exitCode);
        QStringList args{u"--url"_s, kNoServer, u"demo-data"_s, u"--employees"_s, u"1"_s, u"--schedules"_s, u"1"_s};
        args[args.indexOf(option) + 1] = value;
        const Run r = runInProcess(args);
        QCOMPARE(r.exitCode, exitCode);
        if (exitCode == 2) {
            const qint64 bound = option == u"--employees"_s ? DemoDataOptions::maxEmployees : DemoDataOptions::maxSchedules;
            QVERIFY2(r.err.contains(option) && r.err.contains(QString::number(bound)), qPrintable(r.err));
        }
    }

    void passwordInUrlWarnsOnce()
    {
        const QString secret = u"Sekr1t-pw"_s;
        for (const QString &url : {u"postgresql://u:%1@127.0.0.1:1/db"_s.arg(secret),
                                   u"postgresql://u@127.0.0.1:1/db?password=%1"_s.arg(secret)}) {
            for (const bool json : {false, true}) {
                QStringList args{u"--url"_s, url, u"current"_s};
                if (json)
                    args.prepend(u"--json"_s);
                const Run r = runInProcess(args);
                QCOMPARE(r.exitCode, int(CliApp::ConnectionFailed));
                QCOMPARE(r.err.count(u"warning:"_s), 1);
                QVERIFY2(r.err.contains(u"PGPASSWORD"_s) && r.err.contains(u"~/.pgpass"_s) && r.err.contains(u"keychain"_s),
                         qPrintable(r.err));
                QVERIFY2(!(r.out + r.err).contains(secret), qPrintable(r.out + r.err));
            }
        }
        const Run noPassword = runInProcess({u"--url"_s, kNoServer, u"current"_s});
        QVERIFY2(!noPassword.err.contains(u"warning:"_s), qPrintable(noPassword.err));
        // --quiet prints only errors.
        const Run quiet = runInProcess({u"--quiet"_s, u"--url"_s, u"postgresql://u:%1@127.0.0.1:1/db"_s.arg(secret), u"current"_s});
        QVERIFY2(!quiet.err.contains(u"warning:"_s) && quiet.err.startsWith(u"error: "_s), qPrintable(quiet.err));
    }

    void argvScrubberHidesPasswords_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("hidden");
        QTest::newRow("user info") << u"postgresql://u:pw@h:5432/db"_s << u"postgresql://u:**@h:5432/db"_s << true;
        QTest::newRow("raw @ in the password") << u"postgres://u:p@w@h/db"_s << u"postgres://u:***@h/db"_s << true;
        QTest::newRow("query") << u"postgresql://h/db?sslmode=require&password=abc&x=1"_s
                               << u"postgresql://h/db?sslmode=require&password=***&x=1"_s << true;
        QTest::newRow("both") << u"postgresql://u:a@h?password=bc"_s << u"postgresql://u:*@h?password=**"_s << true;
        QTest::newRow("no password") << u"postgresql://u@h/db"_s << u"postgresql://u@h/db"_s << false;
        QTest::newRow("empty password") << u"postgresql://u:@h/db"_s << u"postgresql://u:@h/db"_s << false;
        QTest::newRow("@ in the path only") << u"postgresql://h/d:b@x"_s << u"postgresql://h/d:b@x"_s << false;
        QTest::newRow("not a URL") << u"u:pw@h"_s << u"u:pw@h"_s << false;
    }

    void argvScrubberHidesPasswords()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        QFETCH(bool, hidden);
        for (const bool separate : {true, false}) {
            QByteArray program("migrationdesk-cli");
            QByteArray option(separate ? "--url" : "--url=");
            QByteArray value = url.toUtf8();
            if (!separate)
                value.prepend(option);
            QByteArray command("current");
            char *argv[] = {program.data(), option.data(), value.data(), command.data(), nullptr};
            int argc = 4;
            if (!separate) {
                argv[1] = value.data();
                argv[2] = command.data();
                argv[3] = nullptr;
                argc = 3;
            }
            QCOMPARE(ArgvScrubber::hideUrlPasswords(argc, argv), hidden);
            QCOMPARE(QString::fromUtf8(argv[separate ? 2 : 1]), separate ? expected : u"--url="_s + expected);
            QCOMPARE(qstrlen(argv[separate ? 2 : 1]), size_t((separate ? url : u"--url="_s + url).toUtf8().size()));
        }
    }
};

QTEST_GUILESS_MAIN(TstCliParser)
#include "tst_cliparser.moc"
