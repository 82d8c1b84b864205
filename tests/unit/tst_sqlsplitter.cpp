#include "migrations/sqlsplitter.h"

#include <QRandomGenerator>
#include <QtTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using MigrationDesk::splitSql;
using MigrationDesk::SqlStatement;

namespace {

QStringList textsOf(const QList<SqlStatement> &statements)
{
    QStringList texts;
    for (const SqlStatement &s : statements)
        texts.append(s.text);
    return texts;
}

QList<int> linesOf(const QList<SqlStatement> &statements)
{
    QList<int> lines;
    for (const SqlStatement &s : statements)
        lines.append(s.line);
    return lines;
}

// Well-formed statements, each trimmed, without ';' at the end, not starting with a comment and
// not ending in a -- comment (which would swallow a ';' appended after it).
QStringList statementCorpus()
{
    return {
        u"SELECT 1"_s,
        uR"sql(SELECT 'a;b', 'it''s; ok', E'x\'; y', e'\\', E'\\\'')sql"_s,
        uR"sql(SELECT 'C:\' AS path, type'a\' AS typed)sql"_s,
        uR"sql(SELECT U&'d\0061t\+000061;', U&"a;b", u&'x;', B'1010', b'0', X'1F;', n'na;tional')sql"_s,
        uR"sql(SELECT 1 AS "semi;colon", 2 AS "dq""--;", 3 AS "/*")sql"_s,
        u"SELECT /* a; /* nested; */ still; */ 1"_s,
        u"SELECT 1 -- trailing; comment\n + 2"_s,
        u"SELECT $$a;b$$, $fn$ $$;$$ $fn$, $a$ $b$;$b$ $a$, $_x1$;$_x1$"_s,
        u"SELECT foo$bar, x$$y, z$ FROM t"_s,
        u"PREPARE q(int, int) AS SELECT $1 + $2"_s,
        u"CREATE RULE r AS ON INSERT TO t DO INSTEAD (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))"_s,
        uR"sql(CREATE FUNCTION add_one(x int) RETURNS int
LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN x > 0 THEN x + 1 ELSE 0 END;
  SELECT x + 1;
END)sql"_s,
        uR"sql(create or replace procedure ins() language sql
begin atomic
  insert into t values (1);
  insert into t values (case when true then 2 end);
end)sql"_s,
        uR"sql(DO $$
BEGIN
  RAISE NOTICE 'done; really';
END
$$)sql"_s,
        uR"sql(CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  NEW.updated_at := now(); -- keep; this
  RETURN NEW;
END
$body$)sql"_s,
        u"CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON users (lower(email))"_s,
        u"INSERT INTO 한글 (이름) VALUES ('세미콜론;'), (E'\\'한;')"_s,
        u"SELECT 1.5E+3$t$;$t$, .5e-3, 1..2, 1e+5"_s,
        u"SELECT 'a'\n';b'"_s,
        u"BEGIN"_s,
        u"COMMIT"_s,
        u"END"_s,
        u"SELECT 2 /* trailing; block */"_s,
        u"CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql RETURN CASE WHEN x > 0 THEN 1 END"_s,
    };
}

} // namespace

// Checks splitSql against psql's statement boundaries; plain unit test, main thread only.
class TestSqlSplitter : public QObject
{
    Q_OBJECT

private slots:
    void split_data();
    void split();
    void firstLineOffset_data();
    void firstLineOffset();
    void roundTrip_data();
    void roundTrip();
    void shuffledRoundTrip();
    void eachStatementAlone();
    void everyPrefixTerminates();
    void metaCommands_data();
    void metaCommands();
};

void TestSqlSplitter::split_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QStringList>("texts");
    QTest::addColumn<QList<int>>("lines");

    // --- trivia
    QTest::newRow("empty") << QString() << QStringList() << QList<int>();
    QTest::newRow("blank") << u"  \n\t\r\n  \f"_s << QStringList() << QList<int>();
    QTest::newRow("only comments")
        << u"-- a; b\n/* c; /* d; */ e; */\n-- f"_s << QStringList() << QList<int>();
    QTest::newRow("only semicolons") << u";;  ;\n;"_s << QStringList() << QList<int>();
    QTest::newRow("comments between semicolons")
        << u"; -- x\n; /* y */ ;"_s << QStringList() << QList<int>();
    QTest::newRow("no terminator") << u"SELECT 1"_s << QStringList{u"SELECT 1"_s} << QList<int>{1};
    QTest::newRow("two statements")
        << u"SELECT 1;SELECT 2;"_s << QStringList{u"SELECT 1"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("trailing blanks dropped")
        << u"  SELECT 1  ;  \n  "_s << QStringList{u"SELECT 1"_s} << QList<int>{1};

    // --- single-quoted strings
    QTest::newRow("semicolon in string")
        << u"SELECT 'a;b'; SELECT 2"_s << QStringList{u"SELECT 'a;b'"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("doubled quote")
        << u"SELECT 'it''s; ok'; SELECT 2"_s
        << QStringList{u"SELECT 'it''s; ok'"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("backslash is literal in plain string")
        << uR"(SELECT 'C:\'; SELECT 2)"_s << QStringList{uR"(SELECT 'C:\')"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("identifier ending in e before quote")
        << uR"(SELECT type'a\'; SELECT 2)"_s
        << QStringList{uR"(SELECT type'a\')"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("string continuation")
        << u"SELECT 'a'\n';b'; SELECT 2"_s << QStringList{u"SELECT 'a'\n';b'"_s, u"SELECT 2"_s}
        << QList<int>{1, 2};
    QTest::newRow("multi-line string")
        << u"SELECT 'x\n;\n'; SELECT 2"_s << QStringList{u"SELECT 'x\n;\n'"_s, u"SELECT 2"_s}
        << QList<int>{1, 3};

    // --- E'' strings
    QTest::newRow("E string escaped quote")
        << uR"(SELECT E'it\'s; x'; SELECT 2)"_s
        << QStringList{uR"(SELECT E'it\'s; x')"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("lowercase e string")
        << uR"(SELECT e'\'; still'; SELECT 2)"_s
        << QStringList{uR"(SELECT e'\'; still')"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("E string escaped backslash closes")
        << uR"(SELECT E'a\\'; SELECT 2)"_s << QStringList{uR"(SELECT E'a\\')"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("E string backslash then doubled quote")
        << uR"(SELECT E'\\''; x'; SELECT 2)"_s
        << QStringList{uR"(SELECT E'\\''; x')"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("E string doubled quote then escaped quote")
        << uR"(SELECT E'a''b\'; c'; SELECT 2)"_s
        << QStringList{uR"(SELECT E'a''b\'; c')"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("E string doubled quote")
        << u"SELECT E'a''b;c'; SELECT 2"_s << QStringList{u"SELECT E'a''b;c'"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("E string escaped newline")
        << u"SELECT E'\\\n;'; SELECT 2"_s << QStringList{u"SELECT E'\\\n;'"_s, u"SELECT 2"_s}
        << QList<int>{1, 2};

    // --- other literal prefixes
    QTest::newRow("U& string")
        << uR"(SELECT U&'d\0061t\+000061;'; SELECT 2)"_s
        << QStringList{uR"(SELECT U&'d\0061t\+000061;')"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("U& string backslash does not escape quote")
        << uR"(SELECT U&'\'; SELECT 2)"_s << QStringList{uR"(SELECT U&'\')"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("U& identifier")
        << u"SELECT 1 AS u&\"a;b\"; SELECT 2"_s
        << QStringList{u"SELECT 1 AS u&\"a;b\""_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("bit and hex strings")
        << uR"(SELECT B'1;0', x'1F;\'; SELECT 2)"_s
        << QStringList{uR"(SELECT B'1;0', x'1F;\')"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("national string")
        << u"SELECT N'a;b'; SELECT 2"_s << QStringList{u"SELECT N'a;b'"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};

    // --- quoted identifiers
    QTest::newRow("quoted identifier")
        << u"SELECT 1 AS \"a;b\"; SELECT 2"_s << QStringList{u"SELECT 1 AS \"a;b\""_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("quoted identifier doubling and comment marks")
        << u"SELECT 1 AS \"a\"\"--;/*\"; SELECT 2"_s
        << QStringList{u"SELECT 1 AS \"a\"\"--;/*\""_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("quote inside quoted identifier")
        << u"SELECT 1 AS \"it's\"; SELECT 2"_s
        << QStringList{u"SELECT 1 AS \"it's\""_s, u"SELECT 2"_s} << QList<int>{1, 1};

    // --- comments
    QTest::newRow("line comment with semicolon")
        << u"SELECT 1 -- ; not the end\n; SELECT 2"_s
        << QStringList{u"SELECT 1 -- ; not the end"_s, u"SELECT 2"_s} << QList<int>{1, 2};
    QTest::newRow("line comment swallows rest of line")
        << u"SELECT 2--1; SELECT 3\n;SELECT 4"_s
        << QStringList{u"SELECT 2--1; SELECT 3"_s, u"SELECT 4"_s} << QList<int>{1, 2};
    QTest::newRow("line comment ended by lone CR")
        << u"-- c;\rSELECT 1;"_s << QStringList{u"SELECT 1"_s} << QList<int>{2};
    QTest::newRow("comment at EOF without newline")
        << u"SELECT 1; -- bye"_s << QStringList{u"SELECT 1"_s} << QList<int>{1};
    QTest::newRow("block comment with semicolon")
        << u"SELECT /* ; */ 1; SELECT 2"_s << QStringList{u"SELECT /* ; */ 1"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("nested block comments")
        << u"SELECT /* outer /* inner; */ still; */ 1; SELECT 2"_s
        << QStringList{u"SELECT /* outer /* inner; */ still; */ 1"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("slash star slash does not close")
        << u"SELECT /*/ ; */ 1; SELECT 2"_s << QStringList{u"SELECT /*/ ; */ 1"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("stars before close")
        << u"/** doc; **/ SELECT 1; /***/ SELECT 2"_s << QStringList{u"SELECT 1"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("quote inside comment")
        << u"SELECT 1 /* it's */; SELECT 2 -- don't\n;"_s
        << QStringList{u"SELECT 1 /* it's */"_s, u"SELECT 2 -- don't"_s} << QList<int>{1, 1};
    QTest::newRow("comment marks inside string")
        << u"SELECT '--', '/*'; SELECT 2"_s << QStringList{u"SELECT '--', '/*'"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("leading comments stripped, inner kept")
        << u"-- header\n/* block */ SELECT /* keep */ 1 -- tail\n;"_s
        << QStringList{u"SELECT /* keep */ 1 -- tail"_s} << QList<int>{2};
    QTest::newRow("operator followed by comment")
        << u"SELECT 1 +/* c; */ 2; SELECT 3"_s
        << QStringList{u"SELECT 1 +/* c; */ 2"_s, u"SELECT 3"_s} << QList<int>{1, 1};

    // --- dollar quotes
    QTest::newRow("dollar quote")
        << u"SELECT $$a;b$$; SELECT 2"_s << QStringList{u"SELECT $$a;b$$"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("tagged dollar quote with $$ inside")
        << u"SELECT $fn$ a $$ ; $$ b $fn$; SELECT 2"_s
        << QStringList{u"SELECT $fn$ a $$ ; $$ b $fn$"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("different tag does not close")
        << u"SELECT $a$ x $b$ ; $b$ y $a$; SELECT 2"_s
        << QStringList{u"SELECT $a$ x $b$ ; $b$ y $a$"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("nested $a$ inside $b$")
        << u"SELECT $b$ $a$ ; $a$ ; $b$; SELECT 2"_s
        << QStringList{u"SELECT $b$ $a$ ; $a$ ; $b$"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("tag closes inside junk tag")
        << u"SELECT $d$ x;$junk$d$; SELECT 2"_s
        << QStringList{u"SELECT $d$ x;$junk$d$"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("dollar tag is case sensitive")
        << u"SELECT $A$ ; $a$ ; $A$; SELECT 2"_s
        << QStringList{u"SELECT $A$ ; $a$ ; $A$"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("quotes inside dollar quote are plain")
        << u"SELECT $$ ' \" /* -- $$; SELECT 2"_s
        << QStringList{u"SELECT $$ ' \" /* -- $$"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("dollar quote spanning lines")
        << u"SELECT $q$\n;\n;\n$q$;\nSELECT 2"_s
        << QStringList{u"SELECT $q$\n;\n;\n$q$"_s, u"SELECT 2"_s} << QList<int>{1, 5};
    QTest::newRow("positional parameters")
        << u"SELECT $1, $2; SELECT 3"_s << QStringList{u"SELECT $1, $2"_s, u"SELECT 3"_s}
        << QList<int>{1, 1};
    QTest::newRow("parameter then dollar quote")
        << u"SELECT $1$x$;$x$; SELECT 2"_s << QStringList{u"SELECT $1$x$;$x$"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("tag cannot start with a digit")
        << u"SELECT $1abc$ ; SELECT 2"_s << QStringList{u"SELECT $1abc$"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("dollar word without closing dollar")
        << u"SELECT $abc ; SELECT 2"_s << QStringList{u"SELECT $abc"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("identifier containing $")
        << u"SELECT foo$bar; SELECT 2"_s << QStringList{u"SELECT foo$bar"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("identifier containing $$")
        << u"SELECT x$$ ; SELECT 2 $$"_s << QStringList{u"SELECT x$$"_s, u"SELECT 2 $$"_s}
        << QList<int>{1, 1};
    QTest::newRow("non-ASCII identifier with $$")
        << u"SELECT 한글$$컬럼 FROM t; SELECT '세;미'"_s
        << QStringList{u"SELECT 한글$$컬럼 FROM t"_s, u"SELECT '세;미'"_s} << QList<int>{1, 1};
    // PostgreSQL 15 glues an identifier that touches a number onto it ("trailing junk").
    QTest::newRow("real then dollar quote")
        << u"SELECT 1.5E+3$t$;$t$; SELECT 2"_s
        << QStringList{u"SELECT 1.5E+3$t$;$t$"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("number junk swallows $$")
        << u"SELECT 1e5$$;$$; SELECT 2"_s << QStringList{u"SELECT 1e5$$"_s, u"$$; SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("decimal junk swallows $$")
        << u"SELECT .5x$$; SELECT 1abc$$; SELECT 2"_s
        << QStringList{u"SELECT .5x$$"_s, u"SELECT 1abc$$"_s, u"SELECT 2"_s} << QList<int>{1, 1, 1};
    QTest::newRow("number junk is no E string")
        << uR"(SELECT 1e'\'; x'; SELECT 2)"_s
        << QStringList{uR"(SELECT 1e'\')"_s, u"x'; SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("spaced e is an E string")
        << uR"(SELECT 1 e'\'; x'; SELECT 2)"_s
        << QStringList{uR"(SELECT 1 e'\'; x')"_s, u"SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("parameter junk swallows $$")
        << u"SELECT $1e5$$;$$; SELECT 2"_s << QStringList{u"SELECT $1e5$$"_s, u"$$; SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("dots are not a decimal")
        << u"SELECT 1..x$$; SELECT 2"_s << QStringList{u"SELECT 1..x$$"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};

    // --- parentheses: psql counts them, so a ';' inside does not end the statement
    QTest::newRow("multi-action rule")
        << u"CREATE RULE r AS ON INSERT TO t DO INSTEAD (INSERT INTO a VALUES (1); INSERT INTO b "
           "VALUES (2)); SELECT 2"_s
        << QStringList{u"CREATE RULE r AS ON INSERT TO t DO INSTEAD (INSERT INTO a VALUES (1); "
                       "INSERT INTO b VALUES (2))"_s,
                       u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("stray closing paren")
        << u"SELECT 1); SELECT (2); SELECT 3"_s
        << QStringList{u"SELECT 1)"_s, u"SELECT (2)"_s, u"SELECT 3"_s} << QList<int>{1, 1, 1};
    QTest::newRow("parens inside quotes do not count")
        << u"SELECT '(', \"(\", $$($$, /* ( */ 1; SELECT 2"_s
        << QStringList{u"SELECT '(', \"(\", $$($$, /* ( */ 1"_s, u"SELECT 2"_s} << QList<int>{1, 1};

    // --- SQL-standard function bodies
    QTest::newRow("begin atomic function")
        << u"CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;\nSELECT 3;"_s
        << QStringList{u"CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND"_s,
                       u"SELECT 3"_s}
        << QList<int>{1, 6};
    QTest::newRow("begin atomic with case")
        << u"CREATE OR REPLACE FUNCTION g(x int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
           "  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND;\nSELECT 3"_s
        << QStringList{u"CREATE OR REPLACE FUNCTION g(x int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
                       "  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND"_s,
                       u"SELECT 3"_s}
        << QList<int>{1, 6};
    QTest::newRow("begin atomic with nested case")
        << u"CREATE FUNCTION h(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN x > 0 "
           "THEN CASE WHEN x > 9 THEN 2 END END; SELECT 1; END; SELECT 3"_s
        << QStringList{u"CREATE FUNCTION h(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE "
                       "WHEN x > 0 THEN CASE WHEN x > 9 THEN 2 END END; SELECT 1; END"_s,
                       u"SELECT 3"_s}
        << QList<int>{1, 1};
    QTest::newRow("begin atomic procedure lowercase")
        << u"create procedure p() language sql begin atomic insert into t values (1); end; call p();"_s
        << QStringList{u"create procedure p() language sql begin atomic insert into t values (1); end"_s,
                       u"call p()"_s}
        << QList<int>{1, 1};
    QTest::newRow("begin atomic or replace procedure")
        << u"CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC DELETE FROM t; END; SELECT 1"_s
        << QStringList{u"CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC DELETE FROM t; END"_s,
                       u"SELECT 1"_s}
        << QList<int>{1, 1};
    QTest::newRow("case inside parens in begin atomic")
        << u"CREATE FUNCTION k(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT (CASE WHEN x > 0 "
           "THEN 1 END); END; SELECT 2"_s
        << QStringList{u"CREATE FUNCTION k(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT (CASE "
                       "WHEN x > 0 THEN 1 END); END"_s,
                       u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("column named begin inside parens")
        << u"CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t (begin) VALUES (1); END; SELECT 2"_s
        << QStringList{u"CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t (begin) VALUES (1); END"_s,
                       u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("number junk is no BEGIN")
        << u"CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1begin; SELECT 2"_s
        << QStringList{u"CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1begin"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("parameter junk is no BEGIN")
        << u"CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN $1begin; SELECT 2"_s
        << QStringList{u"CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN $1begin"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("identifier with $begin is no BEGIN")
        << u"CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN x$begin; SELECT 2"_s
        << QStringList{u"CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN x$begin"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("case end at depth zero in RETURN function")
        << u"CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql RETURN CASE WHEN x > 0 THEN 1 END; SELECT 2"_s
        << QStringList{u"CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql RETURN CASE WHEN x > 0 THEN 1 END"_s,
                       u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("transaction begin is not a body")
        << u"BEGIN; CREATE TABLE t (id int); END; COMMIT;"_s
        << QStringList{u"BEGIN"_s, u"CREATE TABLE t (id int)"_s, u"END"_s, u"COMMIT"_s}
        << QList<int>{1, 1, 1, 1};
    QTest::newRow("begin in non-routine create")
        << u"CREATE TABLE t (x int); CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE "
           "FUNCTION begin(); SELECT 1"_s
        << QStringList{u"CREATE TABLE t (x int)"_s,
                       u"CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION begin()"_s,
                       u"SELECT 1"_s}
        << QList<int>{1, 1, 1};
    QTest::newRow("quoted BEGIN does not count")
        << u"CREATE FUNCTION \"begin\"() RETURNS int LANGUAGE sql RETURN 1; SELECT 2"_s
        << QStringList{u"CREATE FUNCTION \"begin\"() RETURNS int LANGUAGE sql RETURN 1"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("identifier that contains begin")
        << u"CREATE FUNCTION begin_x() RETURNS int LANGUAGE sql RETURN 1; SELECT 2"_s
        << QStringList{u"CREATE FUNCTION begin_x() RETURNS int LANGUAGE sql RETURN 1"_s, u"SELECT 2"_s}
        << QList<int>{1, 1};
    QTest::newRow("plpgsql body in dollar quote")
        << u"CREATE FUNCTION t() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.x := 1;\n  "
           "RETURN NEW;\nEND\n$$;\nSELECT 2;"_s
        << QStringList{u"CREATE FUNCTION t() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.x := "
                       "1;\n  RETURN NEW;\nEND\n$$"_s,
                       u"SELECT 2"_s}
        << QList<int>{1, 7};
    QTest::newRow("DO block")
        << u"DO $$\nBEGIN\n  RAISE NOTICE 'x;';\nEND\n$$;\nSELECT 1;"_s
        << QStringList{u"DO $$\nBEGIN\n  RAISE NOTICE 'x;';\nEND\n$$"_s, u"SELECT 1"_s}
        << QList<int>{1, 6};
    QTest::newRow("DO block with tag and language")
        << u"DO LANGUAGE plpgsql $do$ BEGIN PERFORM 1; END $do$;"_s
        << QStringList{u"DO LANGUAGE plpgsql $do$ BEGIN PERFORM 1; END $do$"_s} << QList<int>{1};

    // --- non-transactional DDL one per line
    QTest::newRow("create index concurrently")
        << u"CREATE INDEX CONCURRENTLY idx_a ON t (a);\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT "
           "EXISTS idx_b ON t (lower(b)) WHERE b <> ';';\nDROP INDEX CONCURRENTLY idx_c;\n"_s
        << QStringList{u"CREATE INDEX CONCURRENTLY idx_a ON t (a)"_s,
                       u"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_b ON t (lower(b)) WHERE b <> ';'"_s,
                       u"DROP INDEX CONCURRENTLY idx_c"_s}
        << QList<int>{1, 2, 3};

    // --- unterminated constructs: the remainder is one statement
    QTest::newRow("unterminated string")
        << u"SELECT 1; SELECT 'abc; SELECT 2"_s
        << QStringList{u"SELECT 1"_s, u"SELECT 'abc; SELECT 2"_s} << QList<int>{1, 1};
    QTest::newRow("unterminated E string ending in backslash")
        << u"SELECT 1;\nSELECT E'abc\\"_s << QStringList{u"SELECT 1"_s, u"SELECT E'abc\\"_s}
        << QList<int>{1, 2};
    QTest::newRow("unterminated quoted identifier")
        << u"SELECT \"a; b"_s << QStringList{u"SELECT \"a; b"_s} << QList<int>{1};
    QTest::newRow("unterminated dollar quote")
        << u"SELECT 1; DO $x$ BEGIN; END; $$;"_s
        << QStringList{u"SELECT 1"_s, u"DO $x$ BEGIN; END; $$;"_s} << QList<int>{1, 1};
    QTest::newRow("unterminated block comment alone")
        << u"SELECT 1; /* never closed ; SELECT 2"_s << QStringList{u"SELECT 1"_s} << QList<int>{1};
    QTest::newRow("unterminated nested block comment in statement")
        << u"SELECT /* a /* b */ 1; SELECT 2"_s << QStringList{u"SELECT /* a /* b */ 1; SELECT 2"_s}
        << QList<int>{1};
    QTest::newRow("unterminated begin atomic")
        << u"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2;"_s
        << QStringList{u"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2;"_s}
        << QList<int>{1};
    QTest::newRow("unclosed paren")
        << u"SELECT (1; SELECT 2;"_s << QStringList{u"SELECT (1; SELECT 2;"_s} << QList<int>{1};
    QTest::newRow("lone quote") << u"'"_s << QStringList{u"'"_s} << QList<int>{1};
    QTest::newRow("lone dollar") << u"$"_s << QStringList{u"$"_s} << QList<int>{1};
    QTest::newRow("lone E") << u"E"_s << QStringList{u"E"_s} << QList<int>{1};
    QTest::newRow("lone U&") << u"U&"_s << QStringList{u"U&"_s} << QList<int>{1};
    QTest::newRow("lone slash star") << u"/*"_s << QStringList() << QList<int>();

    // --- line numbers, line endings, BOM
    QTest::newRow("line numbers")
        << u"\n\n  SELECT 1;\n-- c\n\nSELECT\n 2\n;"_s << QStringList{u"SELECT 1"_s, u"SELECT\n 2"_s}
        << QList<int>{3, 6};
    QTest::newRow("line after multi-line comment")
        << u"/* one\ntwo\nthree */ SELECT 1;\nSELECT /* x\ny */ 2; SELECT 3"_s
        << QStringList{u"SELECT 1"_s, u"SELECT /* x\ny */ 2"_s, u"SELECT 3"_s} << QList<int>{3, 4, 5};
    QTest::newRow("CRLF")
        << u"SELECT 1;\r\n\r\nSELECT\r\n2;\r\nSELECT 3\r\n"_s
        << QStringList{u"SELECT 1"_s, u"SELECT\r\n2"_s, u"SELECT 3"_s} << QList<int>{1, 3, 5};
    QTest::newRow("CRLF comment")
        << u"-- a;\r\n-- b;\r\nSELECT 1;\r\n"_s << QStringList{u"SELECT 1"_s} << QList<int>{3};
    QTest::newRow("lone CR")
        << u"SELECT 1;\rSELECT 2;\r\rSELECT 3"_s
        << QStringList{u"SELECT 1"_s, u"SELECT 2"_s, u"SELECT 3"_s} << QList<int>{1, 2, 4};
    QTest::newRow("BOM")
        << u"\uFEFFSELECT 1;\nSELECT 2;"_s << QStringList{u"SELECT 1"_s, u"SELECT 2"_s}
        << QList<int>{1, 2};
    QTest::newRow("BOM then CRLF comment")
        << u"\uFEFF-- head\r\nSELECT 1;"_s << QStringList{u"SELECT 1"_s} << QList<int>{2};
}

void TestSqlSplitter::split()
{
    QFETCH(QString, sql);
    QFETCH(QStringList, texts);
    QFETCH(QList<int>, lines);

    const QList<SqlStatement> result = splitSql(sql);
    QCOMPARE(textsOf(result), texts);
    QCOMPARE(linesOf(result), lines);
}

void TestSqlSplitter::firstLineOffset_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<int>("firstLine");
    QTest::addColumn<QList<int>>("lines");

    QTest::newRow("offset 1") << u"SELECT 1;\n\nSELECT 2;"_s << 1 << QList<int>{1, 3};
    QTest::newRow("offset 10") << u"SELECT 1;\n\nSELECT 2;"_s << 10 << QList<int>{10, 12};
    QTest::newRow("offset with leading blank lines")
        << u"\n-- c\n SELECT 1;"_s << 40 << QList<int>{42};
    QTest::newRow("offset with CRLF") << u"\r\nSELECT 1;\r\nSELECT 2"_s << 5 << QList<int>{6, 7};
}

void TestSqlSplitter::firstLineOffset()
{
    QFETCH(QString, sql);
    QFETCH(int, firstLine);
    QFETCH(QList<int>, lines);

    QCOMPARE(linesOf(splitSql(sql, firstLine)), lines);
}

void TestSqlSplitter::roundTrip_data()
{
    QTest::addColumn<QString>("separator");
    QTest::addColumn<QString>("trailer");

    QTest::newRow("semicolon LF") << u";\n"_s << QString();
    QTest::newRow("semicolon LF, final semicolon") << u";\n"_s << u";"_s;
    QTest::newRow("semicolon CRLF") << u";\r\n"_s << u";\r\n"_s;
    QTest::newRow("line comment between") << u"; -- next;\n"_s << u"; -- end"_s;
    QTest::newRow("block comment between") << u";\n/* next; */\n"_s << QString();
    QTest::newRow("bare semicolon") << u";"_s << u";"_s;
}

void TestSqlSplitter::roundTrip()
{
    QFETCH(QString, separator);
    QFETCH(QString, trailer);

    const QStringList corpus = statementCorpus();
    const QString script = corpus.join(separator) + trailer;

    // Each statement starts on the line after all newlines of what precedes it.
    QList<int> expectedLines;
    qsizetype offset = 0;
    for (const QString &statement : corpus) {
        const QStringView before = QStringView(script).left(offset);
        expectedLines.append(1 + int(before.count(u'\n')));
        offset += statement.size() + separator.size();
    }

    const QList<SqlStatement> result = splitSql(script);
    QCOMPARE(textsOf(result), corpus);
    QCOMPARE(linesOf(result), expectedLines);
}

void TestSqlSplitter::shuffledRoundTrip()
{
    // A fixed seed keeps the test reproducible while still mixing neighbours that could leak
    // lexer state (an open quote, a pending BEGIN) into each other.
    QRandomGenerator random(20240515);
    QStringList corpus = statementCorpus();
    for (int round = 0; round < 200; ++round) {
        std::shuffle(corpus.begin(), corpus.end(), random);
        const QStringList picked = corpus.mid(0, 1 + int(random.bounded(quint32(corpus.size()))));
        const QString script = picked.join(u";\n"_s);
        const QList<SqlStatement> result = splitSql(script);
        QCOMPARE(textsOf(result), picked);
    }
}

void TestSqlSplitter::eachStatementAlone()
{
    const QStringList corpus = statementCorpus();
    for (const QString &statement : corpus) {
        const QStringList wrappings{statement, statement + u";"_s, u"\n\n  "_s + statement + u"  ;  "_s};
        for (const QString &wrapped : wrappings) {
            const QList<SqlStatement> result = splitSql(wrapped);
            QCOMPARE(result.size(), 1);
            QCOMPARE(result.first().text, statement);
        }
        const QList<SqlStatement> padded = splitSql(u"\n\n  "_s + statement + u";"_s, 7);
        QCOMPARE(padded.size(), 1);
        QCOMPARE(padded.first().line, 9);
    }
}

void TestSqlSplitter::everyPrefixTerminates()
{
    // Cutting a script anywhere (mid-quote, mid-tag, mid-comment) must still give sane output:
    // texts that are non-empty, trimmed, in order, without the cut-off tail going missing.
    const QString script = u"\uFEFF-- head\r\n"_s + statementCorpus().join(u";\r\n/* x; /* y */ */\n"_s)
                           + u";\r\n-- tail"_s;
    for (qsizetype length = 0; length <= script.size(); ++length) {
        const QString prefix = script.left(length);
        const QList<SqlStatement> result = splitSql(prefix);
        qsizetype searchFrom = 0;
        int previousLine = 1;
        for (const SqlStatement &statement : result) {
            QVERIFY2(!statement.text.isEmpty(), qPrintable(prefix));
            QVERIFY2(!statement.text.front().isSpace() && !statement.text.back().isSpace(),
                     qPrintable(statement.text));
            const qsizetype at = prefix.indexOf(statement.text, searchFrom);
            QVERIFY2(at >= searchFrom, qPrintable(statement.text));
            QVERIFY(statement.line >= previousLine);
            searchFrom = at + statement.text.size();
            previousLine = statement.line;
        }
        // Whatever follows the last statement is only separators, blanks and comments.
        const QList<SqlStatement> rest = splitSql(prefix.mid(searchFrom));
        QVERIFY2(rest.isEmpty(), qPrintable(prefix.mid(searchFrom)));
    }
}

QTEST_APPLESS_MAIN(TestSqlSplitter)

#include "tst_sqlsplitter.moc"

// Issue 13, bug 10: a backslash outside literals is a psql meta-command, noted with its line; inside a
// literal, a quoted name or a comment it is plain text.
void TestSqlSplitter::metaCommands_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QStringList>("commands");
    QTest::addColumn<QList<int>>("lines");
    QTest::newRow("include") << u"SELECT 1;\n\\i other.sql\nSELECT 2;"_s << QStringList{QString(), u"\\i"_s}
                             << QList<int>{0, 2};
    QTest::newRow("after SQL on a line") << u"SELECT 1 \\gset\n;"_s << QStringList{u"\\gset"_s} << QList<int>{1};
    QTest::newRow("first of two") << u"\\set a 1\n\\set b 2\nSELECT 1;"_s << QStringList{u"\\set"_s} << QList<int>{1};
    QTest::newRow("in literals and comments")
        << u"SELECT '\\i', E'\\\\', $$\\x$$, \"a\\b\" -- \\i\n/* \\i */;"_s << QStringList{QString()} << QList<int>{0};
}

void TestSqlSplitter::metaCommands()
{
    QFETCH(QString, sql);
    QFETCH(QStringList, commands);
    QFETCH(QList<int>, lines);
    const QList<SqlStatement> statements = splitSql(sql);
    QStringList seen;
    QList<int> seenLines;
    for (const SqlStatement &s : statements) {
        seen << s.metaCommand;
        seenLines << s.metaCommandLine;
    }
    QCOMPARE(seen, commands);
    QCOMPARE(seenLines, lines);
}
