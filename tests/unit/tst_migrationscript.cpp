// Unit tests of the migration script parser, the script set loader and the offline SQL renderer. No database.
#include "bundledrevisions.h"
#include "clirunner.h"
#include "migrations/migrationscript.h"
#include "migrations/offlinerenderer.h"
#include "migrations/scriptset.h"
#include "migrations/sqlsplitter.h"
#include "migrations/versiontable.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

namespace {

// A well-formed script using every header key; its line numbers are asserted below.
const QByteArray kFullScript =
    "-- revision: 1a2b3c4d5e6f\n"              // 1
    "-- down_revision: none\n"                 // 2
    "-- message: Create the things table\n"    // 3
    "-- created: 2025-01-15 09:00:00\n"        // 4
    "-- transactional: false\n"                // 5
    "-- A plain comment is allowed here.\n"    // 6
    "\n"                                       // 7
    "-- +upgrade\n"                            // 8
    "CREATE TABLE things (id int);\n"          // 9
    "CREATE INDEX CONCURRENTLY ix_things ON things (id);\n" // 10
    "\n"                                       // 11
    "-- +downgrade\n"                          // 12
    "DROP TABLE things;\n";                    // 13

// Header lines 1..2 and both sections; body is inserted after the header.
QByteArray scriptWithHeader(const QByteArray &header)
{
    return header + "\n-- +upgrade\nSELECT 1;\n\n-- +downgrade\nSELECT 2;\n";
}

void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(f.write(content), content.size());
}

QStringList textsOf(const QList<SqlStatement> &statements)
{
    QStringList texts;
    for (const SqlStatement &s : statements)
        texts << s.text;
    return texts;
}

QList<MigrationStep> upgradeSteps(const ScriptSet &set, const QStringList &from, const QString &target)
{
    QString error;
    const auto plan = set.graph().upgradePlan(from, target, &error);
    if (!plan)
        qWarning("upgradePlan failed: %s", qPrintable(error));
    return plan.value_or(QList<MigrationStep>());
}

QList<MigrationStep> downgradeSteps(const ScriptSet &set, const QStringList &from, const QString &target)
{
    QString error;
    const auto plan = set.graph().downgradePlan(from, target, &error);
    if (!plan)
        qWarning("downgradePlan failed: %s", qPrintable(error));
    return plan.value_or(QList<MigrationStep>());
}

} // namespace

class TestMigrationScript : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // --- MigrationScript::parse ---------------------------------------------------------------

    void parsesEveryHeaderKeyAndSection()
    {
        ScriptError error;
        const auto s = MigrationScript::parse(kFullScript, u"full.sql"_s, &error);
        QVERIFY2(s, qPrintable(error.toString()));
        QCOMPARE(s->revision, u"1a2b3c4d5e6f"_s);
        QVERIFY(s->downRevisions.isEmpty());
        QCOMPARE(s->message, u"Create the things table"_s);
        QCOMPARE(s->created, u"2025-01-15 09:00:00"_s);
        QCOMPARE(s->transactional, false);
        QCOMPARE(s->fileName, u"full.sql"_s);
        QCOMPARE(s->upgradeLine, 9);
        QCOMPARE(s->downgradeLine, 13);
        QCOMPARE(s->sectionLine(true), 9);
        QCOMPARE(s->sectionLine(false), 13);
        QCOMPARE(s->headerLines.value(u"revision"_s), 1);
        QCOMPARE(s->headerLines.value(u"down_revision"_s), 2);
        QCOMPARE(s->headerLines.value(u"message"_s), 3);
        QCOMPARE(s->headerLines.value(u"created"_s), 4);
        QCOMPARE(s->headerLines.value(u"transactional"_s), 5);
        QCOMPARE(s->headerLines.size(), 5);
        QCOMPARE(s->upgradeSql, u"CREATE TABLE things (id int);\nCREATE INDEX CONCURRENTLY ix_things ON things (id);\n"_s);
        QCOMPARE(s->sectionSql(true), s->upgradeSql);
        QCOMPARE(s->downgradeSql.trimmed(), u"DROP TABLE things;"_s);
        QCOMPARE(s->sha256, MigrationScript::checksum(kFullScript));
        QCOMPARE(s->sha256.size(), 64);

        // The statement lines the runner reports come from upgradeLine.
        const auto statements = splitSql(s->upgradeSql, s->upgradeLine);
        QCOMPARE(statements.size(), 2);
        QCOMPARE(statements.at(0).line, 9);
        QCOMPARE(statements.at(1).line, 10);
    }

    void transactionalDefaultsToTrue_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("expected");
        QTest::newRow("absent") << QByteArray() << true;
        QTest::newRow("true") << QByteArray("-- transactional: true\n") << true;
        QTest::newRow("yes") << QByteArray("-- transactional: yes\n") << true;
        QTest::newRow("False") << QByteArray("-- transactional: False\n") << false;
        QTest::newRow("no") << QByteArray("-- transactional: no\n") << false;
    }

    void transactionalDefaultsToTrue()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, expected);
        ScriptError error;
        const auto s = MigrationScript::parse(scriptWithHeader("-- revision: abc\n-- down_revision: none\n" + line),
                                              u"t.sql"_s, &error);
        QVERIFY2(s, qPrintable(error.toString()));
        QCOMPARE(s->transactional, expected);
    }

    void checksumIgnoresLineEndsAndBom()
    {
        QByteArray crlf = kFullScript;
        crlf.replace("\n", "\r\n");
        const QByteArray bom = "\xEF\xBB\xBF" + kFullScript;
        const QByteArray both = "\xEF\xBB\xBF" + crlf;
        const QString lf = MigrationScript::checksum(kFullScript);
        QCOMPARE(MigrationScript::checksum(crlf), lf);
        QCOMPARE(MigrationScript::checksum(bom), lf);
        QCOMPARE(MigrationScript::checksum(both), lf);
        // The LF checksum is the plain SHA-256 of the file.
        QCOMPARE(lf, QString::fromLatin1(QCryptographicHash::hash(kFullScript, QCryptographicHash::Sha256).toHex()));

        // What parse() records, and what it reads, does not depend on the line ends either.
        for (const QByteArray &variant : {crlf, bom, both}) {
            ScriptError error;
            const auto s = MigrationScript::parse(variant, u"v.sql"_s, &error);
            QVERIFY2(s, qPrintable(error.toString()));
            QCOMPARE(s->sha256, lf);
            QCOMPARE(s->revision, u"1a2b3c4d5e6f"_s);
            QCOMPARE(s->upgradeLine, 9);
            QCOMPARE(s->downgradeLine, 13);
            QVERIFY(!s->upgradeSql.contains(QLatin1Char('\r')));
        }

        // A comment is part of the file: editing it is an edit.
        QByteArray edited = kFullScript;
        edited.replace("A plain comment is allowed here.", "A plain comment is allowed here!");
        QVERIFY(MigrationScript::checksum(edited) != lf);
        QByteArray editedSql = kFullScript;
        editedSql.replace("(id int)", "(id bigint)");
        QVERIFY(MigrationScript::checksum(editedSql) != lf);
    }

    void downRevisionForms_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QStringList>("parents");
        QTest::newRow("none") << QByteArray("none") << QStringList();
        QTest::newRow("None") << QByteArray("None") << QStringList();
        QTest::newRow("one id") << QByteArray("317093d76fd2") << QStringList{u"317093d76fd2"_s};
        QTest::newRow("merge") << QByteArray("a, b") << QStringList{u"a"_s, u"b"_s};
        QTest::newRow("merge keeps order") << QByteArray("zz9,aa1 ,  mm5") << QStringList{u"zz9"_s, u"aa1"_s, u"mm5"_s};
    }

    void downRevisionForms()
    {
        QFETCH(QByteArray, value);
        QFETCH(QStringList, parents);
        ScriptError error;
        const auto s = MigrationScript::parse(scriptWithHeader("-- revision: c0ffee\n-- down_revision: " + value + "\n"),
                                              u"m.sql"_s, &error);
        QVERIFY2(s, qPrintable(error.toString()));
        QCOMPARE(s->downRevisions, parents);
    }

    void validRevisionIds_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("valid");
        QTest::newRow("hex") << u"dd46251f4bbc"_s << true;
        QTest::newRow("underscore") << u"add_users_1"_s << true;
        QTest::newRow("one char") << u"a"_s << true;
        QTest::newRow("32 chars") << QString(32, QLatin1Char('a')) << true;
        QTest::newRow("33 chars") << QString(33, QLatin1Char('a')) << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("uppercase") << u"ABC123"_s << false;
        QTest::newRow("dash") << u"abc-def"_s << false;
        QTest::newRow("at") << u"abc@def"_s << false;
        QTest::newRow("space") << u"abc def"_s << false;
    }

    void validRevisionIds()
    {
        QFETCH(QString, id);
        QFETCH(bool, valid);
        QCOMPARE(MigrationScript::isValidRevisionId(id), valid);
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("fragment");

        const QByteArray ok = "-- revision: abc1\n-- down_revision: none\n";
        QTest::newRow("unknown key")
            << scriptWithHeader(ok + "-- message: m\n-- author: me\n") << 4 << u"unknown header key 'author'"_s;
        QTest::newRow("duplicate key")
            << scriptWithHeader("-- revision: abc1\n-- message: a\n-- down_revision: none\n-- Message: b\n") << 4
            << u"'message' appears twice"_s;
        QTest::newRow("duplicate revision")
            << scriptWithHeader(ok + "-- revision: abc2\n") << 3 << u"'revision' appears twice"_s;
        QTest::newRow("missing revision")
            << scriptWithHeader("-- message: m\n-- down_revision: none\n") << 1 << u"'-- revision: <id>'"_s;
        QTest::newRow("missing down_revision")
            << scriptWithHeader("-- revision: abc1\n-- message: m\n") << 1 << u"'-- down_revision: <id>|none'"_s;
        QTest::newRow("uppercase id")
            << scriptWithHeader("-- message: m\n-- revision: ABC1\n-- down_revision: none\n") << 2
            << u"revision id 'ABC1' is invalid"_s;
        QTest::newRow("33-char id")
            << scriptWithHeader("-- revision: " + QByteArray(33, 'a') + "\n-- down_revision: none\n") << 1
            << u"revision id '%1' is invalid"_s.arg(QString(33, QLatin1Char('a')));
        QTest::newRow("dash in id")
            << scriptWithHeader("-- revision: abc-def\n-- down_revision: none\n") << 1
            << u"revision id 'abc-def' is invalid"_s;
        QTest::newRow("empty id")
            << scriptWithHeader("-- revision:\n-- down_revision: none\n") << 1 << u"revision id '' is invalid"_s;
        QTest::newRow("invalid parent id")
            << scriptWithHeader("-- revision: abc1\n-- message: m\n-- down_revision: Abc0\n") << 3
            << u"down_revision 'Abc0' is invalid"_s;
        QTest::newRow("empty merge member")
            << scriptWithHeader("-- revision: abc1\n-- down_revision: a,,b\n") << 2
            << u"down_revision 'a,,b' is invalid"_s;
        QTest::newRow("self parent")
            << scriptWithHeader("-- revision: abc1\n-- down_revision: abc1\n") << 2
            << u"revision 'abc1' names itself as its parent"_s;
        QTest::newRow("self parent in merge")
            << scriptWithHeader("-- revision: abc1\n\n-- down_revision: abc0, abc1\n") << 3
            << u"revision 'abc1' names itself as its parent"_s;
        QTest::newRow("duplicate parent")
            << scriptWithHeader("-- revision: abc1\n-- down_revision: abc0, abc0\n") << 2
            << u"down_revision lists 'abc0' twice"_s;
        QTest::newRow("transactional maybe")
            << scriptWithHeader(ok + "-- message: m\n-- transactional: maybe\n") << 4
            << u"transactional must be 'true' or 'false', not 'maybe'"_s;
        QTest::newRow("SQL before upgrade")
            << scriptWithHeader(ok + "\nCREATE TABLE t (id int);\n") << 4 << u"SQL before the '-- +upgrade' section"_s;
        QTest::newRow("missing upgrade")
            << QByteArray(ok + "\n-- +downgrade\nSELECT 2;\n") << 5 << u"missing section '-- +upgrade'"_s;
        QTest::newRow("missing downgrade")
            << QByteArray(ok + "\n-- +upgrade\nSELECT 1;\nSELECT 2;\n") << 6 << u"missing section '-- +downgrade'"_s;
        QTest::newRow("missing downgrade, no final newline")
            << QByteArray(ok + "\n-- +upgrade\nSELECT 1;") << 5 << u"missing section '-- +downgrade'"_s;
        QTest::newRow("second upgrade")
            << QByteArray(ok + "-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 2;\n--  +Upgrade\nSELECT 3;\n") << 7
            << u"a second '-- +upgrade' section"_s;
        QTest::newRow("second downgrade")
            << QByteArray(ok + "-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 2;\n-- +downgrade\n") << 7
            << u"a second '-- +downgrade' section"_s;

        // Invalid UTF-8 is reported at its line, whatever line ends the file uses.
        const QByteArray utf8Prefix = ok + "-- message: caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\n\n-- +upgrade\n";
        const QByteArray tail = "\n-- +downgrade\nSELECT 2;\n";
        QTest::newRow("latin-1 byte")
            << QByteArray(utf8Prefix + "SELECT 'caf\xE9';" + tail) << 6 << u"not valid UTF-8"_s;
        QTest::newRow("latin-1 byte, CRLF")
            << QByteArray(utf8Prefix + "SELECT 'caf\xE9';" + tail).replace("\n", "\r\n") << 6 << u"not valid UTF-8"_s;
        QTest::newRow("latin-1 byte, BOM")
            << QByteArray("\xEF\xBB\xBF" + utf8Prefix + "SELECT 1;\nSELECT '\xE9';" + tail) << 7 << u"not valid UTF-8"_s;
        QTest::newRow("latin-1 byte in header")
            << QByteArray("-- revision: abc1\n-- message: caf\xE9\n-- down_revision: none\n") << 2 << u"not valid UTF-8"_s;
        QTest::newRow("overlong 2-byte NUL")
            << QByteArray(utf8Prefix + "SELECT '\xC0\x80';" + tail) << 6 << u"not valid UTF-8"_s;
        QTest::newRow("overlong 2-byte slash")
            << QByteArray(utf8Prefix + "SELECT 1;\nSELECT '\xC1\xAF';" + tail) << 7 << u"not valid UTF-8"_s;
        QTest::newRow("overlong 3-byte slash")
            << QByteArray(utf8Prefix + "SELECT '\xE0\x80\xAF';" + tail) << 6 << u"not valid UTF-8"_s;
        QTest::newRow("overlong 4-byte")
            << QByteArray(utf8Prefix + "SELECT '\xF0\x8F\xBF\xBF';" + tail) << 6 << u"not valid UTF-8"_s;
        QTest::newRow("lone high surrogate")
            << QByteArray(utf8Prefix + "SELECT '\xED\xA0\x80';" + tail) << 6 << u"not valid UTF-8"_s;
        QTest::newRow("lone low surrogate")
            << QByteArray(utf8Prefix + "SELECT '\xED\xBF\xBF';" + tail) << 6 << u"not valid UTF-8"_s;
        QTest::newRow("above U+10FFFF")
            << QByteArray(utf8Prefix + "SELECT '\xF4\x90\x80\x80';" + tail) << 6 << u"not valid UTF-8"_s;
        QTest::newRow("stray continuation byte")
            << QByteArray(utf8Prefix + "SELECT '\x80';" + tail) << 6 << u"not valid UTF-8"_s;
        QTest::newRow("truncated sequence at end")
            << QByteArray(utf8Prefix + "SELECT 1;" + tail + "-- \xE2\x82") << 9 << u"not valid UTF-8"_s;
        QTest::newRow("0xFF byte")
            << QByteArray(utf8Prefix + "SELECT '\xFF';" + tail) << 6 << u"not valid UTF-8"_s;
    }

    void refusals()
    {
        QFETCH(QByteArray, content);
        QFETCH(int, line);
        QFETCH(QString, fragment);
        ScriptError error;
        const auto s = MigrationScript::parse(content, u"/some/dir/bad.sql"_s, &error);
        QVERIFY2(!s, "the script should have been refused");
        QCOMPARE(error.file, u"/some/dir/bad.sql"_s);
        QVERIFY2(error.message.contains(fragment), qPrintable(error.message));
        QCOMPARE(error.line, line);
        QCOMPARE(error.toString(), u"/some/dir/bad.sql:%1: %2"_s.arg(line).arg(error.message));
    }

    // Issue 13, bug 1: every form of transaction control, and psql meta-commands, are refused at load
    // time with the file and the line; the body starts at line 4 ("-- +upgrade" is line 3).
    void transactionControlRefusals_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("transactional");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("BEGIN") << QByteArray("BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;") << true << 4 << u"(BEGIN)"_s;
        QTest::newRow("begin work, lower case") << QByteArray("select 1;\nbegin work;") << true << 5 << u"(BEGIN)"_s;
        QTest::newRow("START TRANSACTION") << QByteArray("START  TRANSACTION ISOLATION LEVEL SERIALIZABLE;") << true << 4
                                           << u"(START TRANSACTION)"_s;
        QTest::newRow("COMMIT") << QByteArray("CREATE TABLE a (id int);\n\nCOMMIT;") << true << 6 << u"(COMMIT)"_s;
        QTest::newRow("COMMIT AND CHAIN") << QByteArray("COMMIT AND CHAIN;") << true << 4 << u"(COMMIT)"_s;
        QTest::newRow("END") << QByteArray("END TRANSACTION;") << true << 4 << u"(END)"_s;
        QTest::newRow("ROLLBACK") << QByteArray("SELECT 1;\nROLLBACK;") << true << 5 << u"(ROLLBACK)"_s;
        QTest::newRow("ABORT") << QByteArray("ABORT;") << true << 4 << u"(ABORT)"_s;
        QTest::newRow("comment before COMMIT") << QByteArray("SELECT 1;\n/* done */ -- now\nCOMMIT") << true << 6
                                               << u"(COMMIT)"_s;
        QTest::newRow("PREPARE TRANSACTION") << QByteArray("PREPARE TRANSACTION 'x';") << true << 4
                                             << u"(PREPARE TRANSACTION)"_s;
        QTest::newRow("COMMIT PREPARED") << QByteArray("COMMIT PREPARED 'x';") << true << 4 << u"(COMMIT PREPARED)"_s;
        QTest::newRow("ROLLBACK PREPARED") << QByteArray("ROLLBACK PREPARED 'x';") << true << 4
                                           << u"(ROLLBACK PREPARED)"_s;
        QTest::newRow("COMMIT in a DO block")
            << QByteArray("DO $$\nBEGIN\n  INSERT INTO t VALUES (1);\n  COMMIT;\nEND\n$$;") << true << 7
            << u"(COMMIT in a DO block)"_s;
        QTest::newRow("ROLLBACK in a DO block, tagged, language first")
            << QByteArray("DO LANGUAGE plpgsql $body$\nDECLARE n int;\nBEGIN\n  IF true THEN rollback; END IF;\nEND\n$body$;")
            << true << 7 << u"(ROLLBACK in a DO block)"_s;
        QTest::newRow("RELEASE of a savepoint never set") << QByteArray("RELEASE SAVEPOINT before_us;") << true << 4
                                                          << u"savepoint 'before_us'"_s;
        QTest::newRow("ROLLBACK TRANSACTION TO a savepoint never set")
            << QByteArray("SAVEPOINT a;\nROLLBACK TRANSACTION TO SAVEPOINT b;") << true << 5 << u"savepoint 'b'"_s;
        QTest::newRow("ROLLBACK TO a released savepoint")
            << QByteArray("SAVEPOINT a;\nRELEASE a;\nROLLBACK TO SAVEPOINT a;") << true << 6 << u"savepoint 'a'"_s;
        QTest::newRow("savepoint in a non-transactional revision") << QByteArray("SAVEPOINT a;") << false << 5
                                                                   << u"non-transactional revision"_s;
        QTest::newRow("COMMIT in a non-transactional revision") << QByteArray("CREATE TABLE a (id int);\nCOMMIT;")
                                                               << false << 6 << u"autocommit"_s;
        QTest::newRow("psql \\i") << QByteArray("SELECT 1;\n\\i other.sql\n") << true << 5
                                  << u"psql meta-commands are not supported (\\i)"_s;
        QTest::newRow("psql \\set inside a statement") << QByteArray("SELECT\n  1\n\\gset\n;") << true << 6
                                                       << u"(\\gset)"_s;
    }
    void transactionControlRefusals()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, transactional);
        QFETCH(int, line);
        QFETCH(QString, fragment);
        const QByteArray header = transactional ? "-- revision: abc1\n-- down_revision: none\n"
                                                : "-- revision: abc1\n-- down_revision: none\n-- transactional: false\n";
        // Refused in either section.
        for (const bool inUpgrade : {true, false}) {
            const QByteArray content = inUpgrade ? header + "-- +upgrade\n" + body + "\n-- +downgrade\nSELECT 2;\n"
                                                 : header + "-- +upgrade\nSELECT 1;\n-- +downgrade\n" + body + "\n";
            ScriptError error;
            const auto s = MigrationScript::parse(content, u"/m/tx.sql"_s, &error);
            QVERIFY2(!s, "the script should have been refused");
            QVERIFY2(error.message.contains(fragment), qPrintable(error.message));
            QCOMPARE(error.line, inUpgrade ? line : line + 2);
            QVERIFY(error.toString().startsWith(u"/m/tx.sql:%1: "_s.arg(error.line)));
        }
    }

    // What looks like transaction control but is not stays allowed.
    void transactionControlLookalikesAreAccepted()
    {
        const QByteArray content =
            "-- revision: abc1\n-- down_revision: none\n-- +upgrade\n"
            "SAVEPOINT before_fill;\nINSERT INTO t VALUES (1);\nROLLBACK TO SAVEPOINT before_fill;\n"
            "SAVEPOINT \"Inner\";\nROLLBACK WORK TO \"Inner\";\nRELEASE SAVEPOINT \"Inner\";\nRELEASE before_fill;\n"
            "CREATE TABLE \"commit\" (\"begin\" int, rollback_at timestamptz);\n"
            "SELECT 'COMMIT; ROLLBACK' AS text, $$BEGIN; END$$ AS also_text;\n"
            "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN NEW;\nEND\n$$;\n"
            "CREATE PROCEDURE batches() LANGUAGE plpgsql AS $$\nBEGIN\n  COMMIT;\nEND\n$$;\n"
            "DO $$\nBEGIN\n  -- COMMIT;\n  RAISE NOTICE 'ROLLBACK';\nEND\n$$;\n"
            "PREPARE q AS SELECT 1;\n"
            "SELECT E'a\\\\b', 'c:\\dir';\n"
            "-- +downgrade\nSELECT 2;\n";
        ScriptError error;
        const auto s = MigrationScript::parse(content, u"ok.sql"_s, &error);
        QVERIFY2(s, qPrintable(error.toString()));
    }

    void validUtf8IsAccepted()
    {
        // Every width of UTF-8, including the highest code point and the ones next to the surrogates.
        const QByteArray content = "-- revision: abc1\n-- down_revision: none\n-- message: caf\xC3\xA9 \xE2\x82\xAC "
                                   "\xF0\x9F\x98\x80 \xED\x9F\xBF \xEE\x80\x80 \xF4\x8F\xBF\xBF\n"
                                   "-- +upgrade\nSELECT '\xEC\x95\x88\xEB\x85\x95';\n-- +downgrade\nSELECT 1;\n";
        ScriptError error;
        const auto s = MigrationScript::parse(content, u"u.sql"_s, &error);
        QVERIFY2(s, qPrintable(error.toString()));
        QVERIFY(s->message.startsWith(u"caf\u00e9 \u20ac "_s));
        QVERIFY(s->upgradeSql.contains(u"\uc548\ub155"_s));
    }

    // --- ScriptSet::load -----------------------------------------------------------------------

    void scriptSetCollectsEveryError()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeScript(dir.path(), u"0001_good.sql"_s, u"good1"_s, u"none"_s, u"SELECT 1;"_s, u"SELECT 1;"_s);
        writeFile(dir.filePath(u"0002_bad.sql"_s),
                  scriptWithHeader("-- revision: bad2\n-- down_revision: good1\n-- author: x\n"));
        writeFile(dir.filePath(u"0003_bad.sql"_s), "-- revision: bad3\n-- down_revision: good1\n\n-- +upgrade\nSELECT 1;\n");
        writeFile(dir.filePath(u"notes.txt"_s), "not a script");

        const ScriptSet set = ScriptSet::load(dir.path());
        QVERIFY(!set.isValid());
        QCOMPARE(set.directory(), dir.path());
        QCOMPARE(set.errors().size(), 2);
        QCOMPARE(set.errors().at(0).file, dir.filePath(u"0002_bad.sql"_s));
        QCOMPARE(set.errors().at(0).line, 3);
        QVERIFY(set.errors().at(0).message.contains(u"author"_s));
        QCOMPARE(set.errors().at(1).file, dir.filePath(u"0003_bad.sql"_s));
        QCOMPARE(set.errors().at(1).line, 5);
        QVERIFY(set.errors().at(1).message.contains(u"-- +downgrade"_s));
        const QStringList lines = set.errorText().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines.at(0).startsWith(dir.filePath(u"0002_bad.sql"_s) + u":3: "_s));
        QVERIFY(lines.at(1).startsWith(dir.filePath(u"0003_bad.sql"_s) + u":5: "_s));
    }

    void scriptSetDuplicateIdNamesBothFiles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeScript(dir.path(), u"a.sql"_s, u"abc1"_s, u"none"_s, u"SELECT 1;"_s, u"SELECT 1;"_s);
        writeScript(dir.path(), u"b.sql"_s, u"abc1"_s, u"none"_s, u"SELECT 2;"_s, u"SELECT 2;"_s);
        const ScriptSet set = ScriptSet::load(dir.path());
        QVERIFY(!set.isValid());
        QCOMPARE(set.errors().size(), 1);
        const ScriptError &e = set.errors().first();
        const QString both = e.toString();
        QVERIFY2(both.contains(dir.filePath(u"a.sql"_s)), qPrintable(both));
        QVERIFY2(both.contains(dir.filePath(u"b.sql"_s)), qPrintable(both));
        QCOMPARE(e.file, dir.filePath(u"b.sql"_s));
        QCOMPARE(e.line, 1); // the revision line of the second file
        QVERIFY(e.message.contains(u"abc1"_s));
    }

    void scriptSetMissingParentPointsAtDownRevision()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeScript(dir.path(), u"a.sql"_s, u"abc1"_s, u"none"_s, u"SELECT 1;"_s, u"SELECT 1;"_s);
        writeFile(dir.filePath(u"b.sql"_s), scriptWithHeader("-- revision: abc2\n-- message: m\n\n-- down_revision: abc9\n"));
        const ScriptSet set = ScriptSet::load(dir.path());
        QVERIFY(!set.isValid());
        QCOMPARE(set.errors().size(), 1);
        QCOMPARE(set.errors().first().file, dir.filePath(u"b.sql"_s));
        QCOMPARE(set.errors().first().line, 4);
        QVERIFY2(set.errors().first().message.contains(u"abc9"_s), qPrintable(set.errorText()));
    }

    void scriptSetDetectsCycles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeScript(dir.path(), u"a.sql"_s, u"root1"_s, u"none"_s, u"SELECT 1;"_s, u"SELECT 1;"_s);
        writeScript(dir.path(), u"b.sql"_s, u"loop1"_s, u"loop2"_s, u"SELECT 1;"_s, u"SELECT 1;"_s);
        writeScript(dir.path(), u"c.sql"_s, u"loop2"_s, u"loop1"_s, u"SELECT 1;"_s, u"SELECT 1;"_s);
        const ScriptSet set = ScriptSet::load(dir.path());
        QVERIFY(!set.isValid());
        QCOMPARE(set.errors().size(), 2);
        QStringList files;
        for (const ScriptError &e : set.errors()) {
            files << e.file;
            QCOMPARE(e.line, 2); // writeScript puts down_revision on line 2
            QVERIFY2(e.message.contains(u"Cycle"_s) && e.message.contains(u"loop1"_s) && e.message.contains(u"loop2"_s),
                     qPrintable(e.message));
        }
        files.sort();
        QCOMPARE(files, (QStringList{dir.filePath(u"b.sql"_s), dir.filePath(u"c.sql"_s)}));
    }

    void scriptSetNonexistentAndEmptyFolders()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString missing = dir.filePath(u"does-not-exist"_s);
        const ScriptSet none = ScriptSet::load(missing);
        QVERIFY(!none.isValid());
        QCOMPARE(none.errors().size(), 1);
        QCOMPARE(none.errors().first().file, missing);
        QVERIFY(none.errors().first().message.contains(u"does not exist"_s));

        const ScriptSet empty = ScriptSet::load(dir.path());
        QVERIFY2(empty.isValid(), qPrintable(empty.errorText()));
        QVERIFY(empty.isEmpty());
        QVERIFY(empty.graph().heads().isEmpty());
        QVERIFY(!empty.script(u"abc"_s));
    }

    void scriptSetLoadsInFileNameOrder()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeScript(dir.path(), u"0002_b.sql"_s, u"bbbb"_s, u"aaaa"_s, u"SELECT 2;"_s, u"SELECT 2;"_s, false, u"second"_s);
        writeScript(dir.path(), u"0001_a.sql"_s, u"aaaa"_s, u"none"_s, u"SELECT 1;"_s, u"SELECT 1;"_s, true, u"first"_s);
        const ScriptSet set = ScriptSet::load(dir.path());
        QVERIFY2(set.isValid(), qPrintable(set.errorText()));
        QCOMPARE(set.scripts().size(), 2);
        QCOMPARE(set.scripts().at(0).revision, u"aaaa"_s);
        QCOMPARE(set.scripts().at(1).revision, u"bbbb"_s);
        QVERIFY(set.script(u"bbbb"_s));
        QCOMPARE(set.script(u"bbbb"_s)->message, u"second"_s);
        QCOMPARE(set.script(u"bbbb"_s)->transactional, false);
        QCOMPARE(set.script(u"bbbb"_s)->fileName, dir.filePath(u"0002_b.sql"_s));
        QCOMPARE(set.graph().heads(), QStringList{u"bbbb"_s});
    }

    void bundledSetLoads()
    {
        const ScriptSet set = ScriptSet::load(ScriptSet::bundledLocation());
        QVERIFY2(set.isValid(), qPrintable(set.errorText()));
        // The one list every other test takes the bundled revisions from (tests/common/bundledrevisions.h).
        QCOMPARE(set.graph().revisions(), Test::bundledRevisions());
        QCOMPARE(set.scripts().size(), 5);
        QCOMPARE(set.graph().heads(), QStringList{u"37b4ba2718bb"_s});
        QCOMPARE(Test::bundledHead(), u"37b4ba2718bb"_s);
        QCOMPARE(set.graph().bases(), QStringList{u"317093d76fd2"_s});
        QCOMPARE(set.graph().revisions(),
                 (QStringList{u"317093d76fd2"_s, u"ce3d30390578"_s, u"a6341ce60c38"_s, u"dd46251f4bbc"_s,
                              u"37b4ba2718bb"_s}));
        for (int i = 0; i < 3; ++i)
            QVERIFY2(set.scripts().at(i).transactional, qPrintable(set.scripts().at(i).revision));
        // The index builds run CONCURRENTLY, outside a transaction.
        QCOMPARE(set.scripts().at(3).revision, u"dd46251f4bbc"_s);
        QCOMPARE(set.scripts().at(3).transactional, false);
        QCOMPARE(set.scripts().at(4).revision, u"37b4ba2718bb"_s);
        QCOMPARE(set.scripts().at(4).transactional, false);
        QCOMPARE(set.scripts().at(4).downRevisions, QStringList{u"dd46251f4bbc"_s});
        QCOMPARE(set.scripts().at(1).downRevisions, QStringList{u"317093d76fd2"_s});

        // The bundled copies are the files of the source tree, byte for byte.
        for (const MigrationScript &s : set.scripts()) {
            QFile f(QStringLiteral(MD_SOURCE_DIR "/migrations/") + QFileInfo(s.fileName).fileName());
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
            QCOMPARE(s.sha256, MigrationScript::checksum(f.readAll()));
        }
    }

    // --- OfflineRenderer -----------------------------------------------------------------------

    void offlineUpgradeAndDowngradeText()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeScript(dir.path(), u"1.sql"_s, u"r1"_s, u"none"_s, u"CREATE TABLE t1 (id int);"_s, u"DROP TABLE t1;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"r2"_s, u"r1"_s,
                    u"ALTER TABLE t1 ADD COLUMN c int;\nINSERT INTO t1 VALUES (1, 2);"_s,
                    u"ALTER TABLE t1 DROP COLUMN c;"_s);
        const ScriptSet set = ScriptSet::load(dir.path());
        QVERIFY2(set.isValid(), qPrintable(set.errorText()));

        QString error;
        const auto up = OfflineRenderer::render(set, upgradeSteps(set, {}, u"head"_s), {}, {}, &error);
        QVERIFY2(up, qPrintable(error));
        const QString expectedUp =
            u"BEGIN;\n\n"
            "CREATE TABLE alembic_version (\n"
            "    version_num VARCHAR(32) NOT NULL, \n"
            "    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
            ");\n\n"
            "-- Running upgrade  -> r1\n\n"
            "CREATE TABLE t1 (id int);\n\n"
            "INSERT INTO alembic_version (version_num) VALUES ('r1') RETURNING alembic_version.version_num;\n\n"
            "COMMIT;\n\n"
            "BEGIN;\n\n"
            "-- Running upgrade r1 -> r2\n\n"
            "ALTER TABLE t1 ADD COLUMN c int;\n\n"
            "INSERT INTO t1 VALUES (1, 2);\n\n"
            "UPDATE alembic_version SET version_num='r2' WHERE alembic_version.version_num = 'r1';\n\n"
            "COMMIT;\n\n"_s;
        QCOMPARE(*up, expectedUp);

        // From r1 there is no version table DDL and the first step is an UPDATE.
        const auto partial = OfflineRenderer::render(set, upgradeSteps(set, {u"r1"_s}, u"head"_s), {u"r1"_s}, {}, &error);
        QVERIFY2(partial, qPrintable(error));
        QVERIFY(!partial->contains(u"CREATE TABLE alembic_version"_s));
        QVERIFY(partial->startsWith(u"BEGIN;\n\n-- Running upgrade r1 -> r2\n\n"_s));

        const auto down = OfflineRenderer::render(set, downgradeSteps(set, {u"r2"_s}, u"base"_s), {u"r2"_s}, {}, &error);
        QVERIFY2(down, qPrintable(error));
        const QString expectedDown =
            u"BEGIN;\n\n"
            "-- Running downgrade r2 -> r1\n\n"
            "ALTER TABLE t1 DROP COLUMN c;\n\n"
            "UPDATE alembic_version SET version_num='r1' WHERE alembic_version.version_num = 'r2';\n\n"
            "COMMIT;\n\n"
            "BEGIN;\n\n"
            "-- Running downgrade r1 -> \n\n"
            "DROP TABLE t1;\n\n"
            "DELETE FROM alembic_version WHERE alembic_version.version_num = 'r1';\n\n"
            "COMMIT;\n\n"
            "DROP TABLE alembic_version;\n\n"_s;
        QCOMPARE(*down, expectedDown);

        // A downgrade that stops above base keeps the version table.
        const auto downOne = OfflineRenderer::render(set, downgradeSteps(set, {u"r2"_s}, u"r1"_s), {u"r2"_s}, {}, &error);
        QVERIFY2(downOne, qPrintable(error));
        QVERIFY(!downOne->contains(u"DROP TABLE alembic_version"_s));

        // lock_timeout goes first, as a literal.
        OfflineRenderer::Options withTimeout;
        withTimeout.lockTimeout = u"5s"_s;
        const auto timed = OfflineRenderer::render(set, upgradeSteps(set, {}, u"head"_s), {}, withTimeout, &error);
        QVERIFY2(timed, qPrintable(error));
        QCOMPARE(*timed, u"SET lock_timeout = '5s';\n\n"_s + expectedUp);

        // Single transaction: one BEGIN/COMMIT around everything.
        OfflineRenderer::Options single;
        single.singleTransaction = true;
        const auto one = OfflineRenderer::render(set, upgradeSteps(set, {}, u"head"_s), {}, single, &error);
        QVERIFY2(one, qPrintable(error));
        QVERIFY(one->startsWith(u"BEGIN;\n\nCREATE TABLE alembic_version"_s));
        QVERIFY(one->endsWith(u"COMMIT;\n\n"_s));
        QCOMPARE(one->count(u"BEGIN;"_s), 1);
        QCOMPARE(one->count(u"COMMIT;"_s), 1);

        // The step comment and the per-step SQL the desktop app shows.
        QCOMPARE(OfflineRenderer::stepComment(set, {u"r2"_s, MigrationStep::Direction::Upgrade}),
                 u"-- Running upgrade r1 -> r2"_s);
        QCOMPARE(OfflineRenderer::stepComment(set, {u"r1"_s, MigrationStep::Direction::Downgrade}),
                 u"-- Running downgrade r1 -> "_s);
        const QString stepSql = OfflineRenderer::stepSql(set, {u"r2"_s, MigrationStep::Direction::Upgrade}, {u"r1"_s},
                                                         VersionTable());
        QCOMPARE(textsOf(splitSql(stepSql)),
                 (QStringList{u"ALTER TABLE t1 ADD COLUMN c int"_s, u"INSERT INTO t1 VALUES (1, 2)"_s,
                              u"UPDATE alembic_version SET version_num='r2' WHERE alembic_version.version_num = 'r1'"_s}));
    }

    void offlineNonTransactionalRevision()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeScript(dir.path(), u"1.sql"_s, u"r1"_s, u"none"_s, u"CREATE TABLE t1 (id int);"_s, u"DROP TABLE t1;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"r2"_s, u"r1"_s, u"CREATE INDEX CONCURRENTLY ix_t1 ON t1 (id);"_s,
                    u"DROP INDEX CONCURRENTLY ix_t1;"_s, false);
        const ScriptSet set = ScriptSet::load(dir.path());
        QVERIFY2(set.isValid(), qPrintable(set.errorText()));

        QString error;
        const auto up = OfflineRenderer::render(set, upgradeSteps(set, {u"r1"_s}, u"head"_s), {u"r1"_s}, {}, &error);
        QVERIFY2(up, qPrintable(error));
        // psql runs the index build in autocommit; only the version change is atomic.
        QCOMPARE(*up,
                 u"-- Running upgrade r1 -> r2\n\n"
                 "CREATE INDEX CONCURRENTLY ix_t1 ON t1 (id);\n\n"
                 "BEGIN;\n\n"
                 "UPDATE alembic_version SET version_num='r2' WHERE alembic_version.version_num = 'r1';\n\n"
                 "COMMIT;\n\n"_s);

        OfflineRenderer::Options single;
        single.singleTransaction = true;
        error.clear();
        const auto refused = OfflineRenderer::render(set, upgradeSteps(set, {}, u"head"_s), {}, single, &error);
        QVERIFY(!refused);
        QVERIFY2(error.contains(u"r2"_s) && error.contains(u"non-transactional"_s), qPrintable(error));

        // Without the non-transactional revision in the plan, single transaction is fine.
        const auto fine = OfflineRenderer::render(set, upgradeSteps(set, {}, u"r1"_s), {}, single, &error);
        QVERIFY2(fine, qPrintable(error));
    }

    void offlineCustomVersionTable()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeScript(dir.path(), u"1.sql"_s, u"r1"_s, u"none"_s, u"CREATE TABLE t1 (id int);"_s, u"DROP TABLE t1;"_s);
        writeScript(dir.path(), u"2.sql"_s, u"r2"_s, u"r1"_s, u"SELECT 2;"_s, u"SELECT 3;"_s);
        const ScriptSet set = ScriptSet::load(dir.path());
        QVERIFY2(set.isValid(), qPrintable(set.errorText()));

        QString error;
        const auto table = VersionTable::fromName(u"myschema.my_versions"_s, &error);
        QVERIFY2(table, qPrintable(error));
        QCOMPARE(table->schema(), u"myschema"_s);
        QCOMPARE(table->table(), u"my_versions"_s);
        QCOMPARE(table->displayName(), u"myschema.my_versions"_s);
        QVERIFY(!VersionTable::fromName(u"a.b.c"_s, &error));
        QVERIFY(!VersionTable::fromName(u"bad;name"_s, &error));

        OfflineRenderer::Options options;
        options.versionTable = *table;
        const auto up = OfflineRenderer::render(set, upgradeSteps(set, {}, u"head"_s), {}, options, &error);
        QVERIFY2(up, qPrintable(error));
        const QStringList statements = textsOf(splitSql(*up));
        // Alembic (SQLAlchemy) qualifies the column with the schema too, e.g.
        // "UPDATE hbi.alembic_version SET version_num='x' WHERE hbi.alembic_version.version_num = 'y'".
        QCOMPARE(statements,
                 (QStringList{u"BEGIN"_s,
                              u"CREATE TABLE myschema.my_versions (\n    version_num VARCHAR(32) NOT NULL, \n"
                              "    CONSTRAINT my_versions_pkc PRIMARY KEY (version_num)\n)"_s,
                              u"CREATE TABLE t1 (id int)"_s,
                              u"INSERT INTO myschema.my_versions (version_num) VALUES ('r1') "
                              "RETURNING myschema.my_versions.version_num"_s,
                              u"COMMIT"_s,
                              u"BEGIN"_s,
                              u"SELECT 2"_s,
                              u"UPDATE myschema.my_versions SET version_num='r2' WHERE myschema.my_versions.version_num = 'r1'"_s,
                              u"COMMIT"_s}));

        const auto down = OfflineRenderer::render(set, downgradeSteps(set, {u"r2"_s}, u"base"_s), {u"r2"_s}, options, &error);
        QVERIFY2(down, qPrintable(error));
        QVERIFY2(down->contains(u"DELETE FROM myschema.my_versions WHERE myschema.my_versions.version_num = 'r1';"_s),
                 qPrintable(*down));
        QVERIFY(down->endsWith(u"DROP TABLE myschema.my_versions;\n\n"_s));
    }

    void offlineTerminatesTrailingComment()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeScript(dir.path(), u"1.sql"_s, u"r1"_s, u"none"_s,
                    u"CREATE TABLE t1 (id int);\nINSERT INTO t1 VALUES (1) -- the first row, no semicolon"_s,
                    u"DROP TABLE t1 -- gone"_s);
        const ScriptSet set = ScriptSet::load(dir.path());
        QVERIFY2(set.isValid(), qPrintable(set.errorText()));

        QString error;
        const auto up = OfflineRenderer::render(set, upgradeSteps(set, {}, u"head"_s), {}, {}, &error);
        QVERIFY2(up, qPrintable(error));
        QCOMPARE(textsOf(splitSql(*up)),
                 (QStringList{u"BEGIN"_s,
                              u"CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n"
                              "    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)"_s,
                              u"CREATE TABLE t1 (id int)"_s,
                              u"INSERT INTO t1 VALUES (1) -- the first row, no semicolon"_s,
                              u"INSERT INTO alembic_version (version_num) VALUES ('r1') RETURNING alembic_version.version_num"_s,
                              u"COMMIT"_s}));

        const auto down = OfflineRenderer::render(set, downgradeSteps(set, {u"r1"_s}, u"base"_s), {u"r1"_s}, {}, &error);
        QVERIFY2(down, qPrintable(error));
        QCOMPARE(textsOf(splitSql(*down)),
                 (QStringList{u"BEGIN"_s, u"DROP TABLE t1 -- gone"_s,
                              u"DELETE FROM alembic_version WHERE alembic_version.version_num = 'r1'"_s,
                              u"COMMIT"_s, u"DROP TABLE alembic_version"_s}));

        // The same holds for the per-step SQL of the confirmation dialog.
        const QString stepSql = OfflineRenderer::stepSql(set, {u"r1"_s, MigrationStep::Direction::Upgrade}, {},
                                                         VersionTable());
        QCOMPARE(splitSql(stepSql).size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestMigrationScript)
#include "tst_migrationscript.moc"
