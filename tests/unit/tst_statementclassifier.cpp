// The pre-flight review's statement classifier: which statement forms it recognises, what it reads from
// them (tables, columns, CONCURRENTLY, NOT VALID, WHERE, default functions), and what it must not mistake.
#include "migrations/statementclassifier.h"

#include <QtTest>

using namespace MigrationDesk;
using namespace Qt::StringLiterals;

using Kind = StatementAction::Kind;

class TestStatementClassifier : public QObject
{
    Q_OBJECT

private:
    static StatementAction only(const QString &sql)
    {
        const ClassifiedStatement c = classifyStatement(sql);
        if (c.actions.size() != 1)
            qWarning("%s: %d actions", qPrintable(sql), int(c.actions.size()));
        return c.actions.value(0);
    }

private Q_SLOTS:
    void kinds_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("table");
        QTest::newRow("create table") << u"CREATE UNLOGGED TABLE IF NOT EXISTS s.\"Odd\" (id int)"_s << int(Kind::CreateTable) << u"s.\"Odd\""_s;
        QTest::newRow("create index") << u"create unique index if not exists ix on only public . t (a)"_s << int(Kind::CreateIndex) << u"public.t"_s;
        QTest::newRow("create index no name") << u"CREATE INDEX ON t (a)"_s << int(Kind::CreateIndex) << u"t"_s;
        QTest::newRow("vacuum") << u"VACUUM (ANALYZE) t"_s << int(Kind::Vacuum) << QString();
        QTest::newRow("set not null") << u"ALTER TABLE t ALTER COLUMN c SET NOT NULL"_s << int(Kind::SetNotNull) << u"t"_s;
        QTest::newRow("drop column") << u"ALTER TABLE IF EXISTS ONLY t DROP COLUMN IF EXISTS c CASCADE"_s << int(Kind::DropColumn) << u"t"_s;
        QTest::newRow("truncate") << u"TRUNCATE TABLE ONLY t RESTART IDENTITY"_s << int(Kind::Truncate) << u"t"_s;
        QTest::newRow("delete") << u"DELETE FROM t"_s << int(Kind::Delete) << u"t"_s;
        QTest::newRow("update") << u"UPDATE ONLY t SET a = 1"_s << int(Kind::Update) << u"t"_s;
        QTest::newRow("rename table") << u"ALTER TABLE t RENAME TO u"_s << int(Kind::RenameTable) << u"t"_s;
        QTest::newRow("rename column") << u"ALTER TABLE t RENAME COLUMN a TO b"_s << int(Kind::RenameColumn) << u"t"_s;
        QTest::newRow("validate") << u"ALTER TABLE t VALIDATE CONSTRAINT c"_s << int(Kind::ValidateConstraint) << u"t"_s;
        QTest::newRow("foreign key") << u"ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id)"_s << int(Kind::AddForeignKey) << u"t"_s;
        QTest::newRow("primary key") << u"ALTER TABLE t ADD PRIMARY KEY (id)"_s << int(Kind::AddUnique) << u"t"_s;
    }

    void kinds()
    {
        QFETCH(QString, sql);
        QFETCH(int, kind);
        QFETCH(QString, table);
        const StatementAction a = only(sql);
        QCOMPARE(int(a.kind), kind);
        QCOMPARE(a.table, table);
    }

    void flags()
    {
        QVERIFY(only(u"CREATE INDEX CONCURRENTLY ix ON t (a)"_s).concurrently);
        QVERIFY(!only(u"CREATE INDEX ix ON t (a)"_s).concurrently);
        // "concurrently" as an index name is not the keyword's position.
        QVERIFY(!only(u"CREATE INDEX \"concurrently\" ON t (a)"_s).concurrently);
        const StatementAction drop = only(u"DROP INDEX CONCURRENTLY IF EXISTS s.ix"_s);
        QCOMPARE(int(drop.kind), int(Kind::DropIndex));
        QVERIFY(drop.concurrently);
        QCOMPARE(drop.object, u"s.ix"_s);
        QCOMPARE(int(only(u"REINDEX (VERBOSE) INDEX CONCURRENTLY ix"_s).kind), int(Kind::ReindexConcurrently));
        QVERIFY(classifyStatement(u"REINDEX INDEX ix"_s).actions.isEmpty());

        QVERIFY(only(u"ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID"_s).notValid);
        QVERIFY(!only(u"ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0)"_s).notValid);
        QCOMPARE(only(u"ALTER TABLE t ADD CONSTRAINT c CHECK ((a IS NOT NULL)) NOT VALID"_s).column, u"a"_s);
        QCOMPARE(only(u"ALTER TABLE t ADD CONSTRAINT c CHECK (a IS NOT NULL AND b > 0)"_s).column, QString());
        QVERIFY(only(u"ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX ix"_s).usingIndex);
        QVERIFY(!only(u"ALTER TABLE t ADD CONSTRAINT u UNIQUE (a)"_s).usingIndex);

        QVERIFY(only(u"DELETE FROM t WHERE id = 1"_s).hasWhere);
        // A WHERE inside a subquery is not the statement's own.
        QVERIFY(!only(u"UPDATE t SET a = (SELECT max(b) FROM u WHERE u.id = 1)"_s).hasWhere);
        // A string that says WHERE is a string.
        QVERIFY(!only(u"UPDATE t SET note = 'WHERE'"_s).hasWhere);
    }

    void alterTableActions()
    {
        const ClassifiedStatement c = classifyStatement(
            u"ALTER TABLE t ALTER COLUMN a TYPE varchar(40), ADD COLUMN u uuid DEFAULT gen_random_uuid() NOT NULL,"
            " ADD COLUMN n int NOT NULL DEFAULT 0, ALTER b SET DATA TYPE numeric ( 12 , 2 ) USING b::numeric,"
            " DROP CONSTRAINT x, ADD COLUMN s bigserial, ADD COLUMN g int GENERATED ALWAYS AS (n * 2) STORED"_s);
        QCOMPARE(c.actions.size(), 6);
        QCOMPARE(int(c.actions.at(0).kind), int(Kind::AlterColumnType));
        QCOMPARE(c.actions.at(0).column, u"a"_s);
        QCOMPARE(c.actions.at(0).detail, u"varchar(40)"_s);
        QVERIFY(!c.actions.at(0).usingClause);
        QCOMPARE(c.actions.at(1).functions, QStringList{u"gen_random_uuid"_s});
        QVERIFY(c.actions.at(2).functions.isEmpty());
        QCOMPARE(c.actions.at(3).detail, u"numeric(12,2)"_s);
        QVERIFY(c.actions.at(3).usingClause);
        QCOMPARE(c.actions.at(4).functions, QStringList{u"nextval"_s});
        QVERIFY(c.actions.at(5).rewritesAlways);
        // A cast's type is not a function call.
        QVERIFY(only(u"ALTER TABLE t ADD COLUMN p numeric DEFAULT 0::numeric(10,2)"_s).functions.isEmpty());
        // An inline UNIQUE builds an index too.
        const ClassifiedStatement unique = classifyStatement(u"ALTER TABLE t ADD COLUMN code text UNIQUE"_s);
        QCOMPARE(unique.actions.size(), 2);
        QCOMPARE(int(unique.actions.at(1).kind), int(Kind::AddUnique));
    }

    void listsAndEnums()
    {
        const ClassifiedStatement drops = classifyStatement(u"DROP TABLE IF EXISTS a, s.\"B c\" CASCADE"_s);
        QCOMPARE(drops.actions.size(), 2);
        QCOMPARE(drops.actions.at(1).table, u"s.\"B c\""_s);
        const StatementAction value = only(u"ALTER TYPE mood ADD VALUE IF NOT EXISTS 'it''s' BEFORE 'calm'"_s);
        QCOMPARE(int(value.kind), int(Kind::AddEnumValue));
        QCOMPARE(value.object, u"mood"_s);
        QCOMPARE(value.detail, u"it's"_s);
        QCOMPARE(classifyStatement(u"INSERT INTO t VALUES ('a', $$b$$, E'c\\'d') -- 'not this'"_s).literals,
                 (QStringList{u"a"_s, u"b"_s, u"c'd"_s}));
    }

    void ignoresWhatItDoesNotKnow()
    {
        for (const QString &sql : {u"SELECT 1"_s, u"CREATE FUNCTION f() RETURNS int AS $$ DROP TABLE t $$ LANGUAGE sql"_s,
                                   u"COMMENT ON TABLE t IS 'DELETE FROM t'"_s, u"ALTER TABLE t RENAME CONSTRAINT a TO b"_s,
                                   u"ALTER TABLE t DROP CONSTRAINT c"_s, u""_s, u"ALTER TABLE"_s, u"CREATE INDEX"_s,
                                   u"/* DROP TABLE t */ SELECT 1"_s})
            QVERIFY2(classifyStatement(sql).actions.isEmpty(), qPrintable(sql));
    }

    void foldsNames()
    {
        QCOMPARE(foldName(u"Public.Widgets"_s), u"public.widgets"_s);
        QCOMPARE(foldName(u"\"Odd \"\"Name\"\"\""_s), u"Odd \"Name\""_s);
    }
};

QTEST_GUILESS_MAIN(TestStatementClassifier)
#include "tst_statementclassifier.moc"
