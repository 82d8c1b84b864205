#include "pgfixture.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using MigrationDesk::PgFixture;

namespace {

// Deliberately independent of the migration engine: this test checks the bundled SQL itself.
struct BundledScript
{
    QString fileName;
    QHash<QString, QString> header;
    QString upgrade;
    QString downgrade;

    QString revision() const { return header.value(u"revision"_s); }
    QString downRevision() const { return header.value(u"down_revision"_s); }
    bool transactional() const { return header.value(u"transactional"_s) != u"false"_s; }
};

BundledScript parseScript(const QString &fileName, const QString &text)
{
    BundledScript script;
    script.fileName = fileName;
    static const QRegularExpression headerLine(u"^--\\s*([a-z_]+):\\s*(.*)$"_s);
    enum { Header, Upgrade, Downgrade } part = Header;
    const QStringList lines = text.split(u'\n');
    for (const QString &line : lines) {
        if (line.trimmed() == u"-- +upgrade"_s) {
            part = Upgrade;
        } else if (line.trimmed() == u"-- +downgrade"_s) {
            part = Downgrade;
        } else if (part == Upgrade) {
            script.upgrade += line + u'\n';
        } else if (part == Downgrade) {
            script.downgrade += line + u'\n';
        } else {
            const auto m = headerLine.match(line.trimmed());
            if (m.hasMatch())
                script.header.insert(m.captured(1), m.captured(2).trimmed());
        }
    }
    return script;
}

// Follows down_revision from the root; stops (and the caller's count check fails) on a gap.
QList<BundledScript> chainOrder(const QList<BundledScript> &scripts)
{
    QList<BundledScript> ordered;
    QString parent = u"none"_s;
    for (;;) {
        const auto it = std::find_if(scripts.cbegin(), scripts.cend(), [&](const BundledScript &s) {
            return s.downRevision() == parent;
        });
        if (it == scripts.cend() || ordered.size() > scripts.size())
            break;
        ordered << *it;
        parent = it->revision();
    }
    return ordered;
}

struct Column
{
    QString name;
    QString type;
    bool nullable;
};

} // namespace

// Applies the bundled migrations with plain psql and checks the schema each one produces.
class TestBundledSql : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void headersAndFileNames();
    void upgradeChainRuns();
    void initialMigrationMatchesModels();
    void departmentColumn();
    void integrityDefaultsAndChecks();
    void updatedAtTrigger();
    void integrityBackfillsNullFlags();
    void indexesAreBuiltConcurrently();
    void gridOrderIndexServesEveryScan();
    void downgradeAllLeavesEmptyPublicSchema();
    void everyDowngradeIsTheExactInverse();

private:
    bool apply(const QString &db, int index, bool upgrade, QString *output = nullptr);
    bool upgradeTo(const QString &db, int count, QString *output = nullptr);
    // Fails the test (at the caller's line) if the SQL fails.
    QString q(const QString &db, const QString &sql, const char *file = __builtin_FILE(), int line = __builtin_LINE());
    QList<Column> columns(const QString &db, const QString &table);
    QStringList indexDefs(const QString &db, const QString &table);

    PgFixture *m_pg = nullptr;
    QList<BundledScript> m_scripts; // in down_revision chain order
};

bool TestBundledSql::apply(const QString &db, int index, bool upgrade, QString *output)
{
    const BundledScript &s = m_scripts.at(index);
    return m_pg->psqlScript(db, upgrade ? s.upgrade : s.downgrade, output, s.transactional());
}

bool TestBundledSql::upgradeTo(const QString &db, int count, QString *output)
{
    for (int i = 0; i < count; ++i) {
        if (!apply(db, i, true, output))
            return false;
    }
    return true;
}

QString TestBundledSql::q(const QString &db, const QString &sql, const char *file, int line)
{
    return m_pg->psql(db, sql, nullptr, nullptr, file, line);
}

QList<Column> TestBundledSql::columns(const QString &db, const QString &table)
{
    QList<Column> result;
    const QString out = q(db, u"SELECT column_name, data_type, is_nullable, "
                               "coalesce(character_maximum_length::text, '-') "
                               "FROM information_schema.columns "
                               "WHERE table_schema = 'public' AND table_name = '%1' "
                               "ORDER BY ordinal_position"_s.arg(table));
    for (const QString &line : out.split(u'\n', Qt::SkipEmptyParts)) {
        const QStringList f = line.split(u'|');
        if (f.size() != 4 || f.at(3) != u"-"_s)
            return { { line, u"unexpected"_s, false } };
        result << Column { f.at(0), f.at(1), f.at(2) == u"YES"_s };
    }
    return result;
}

QStringList TestBundledSql::indexDefs(const QString &db, const QString &table)
{
    return q(db, u"SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = '%1' "
                  "ORDER BY indexname"_s.arg(table))
            .split(u'\n', Qt::SkipEmptyParts);
}

void TestBundledSql::initTestCase()
{
    m_pg = &PgFixture::shared();
    QVERIFY2(m_pg->isRunning(), qPrintable(m_pg->errorString()));

    const QDir dir(QStringLiteral(MD_SOURCE_DIR "/migrations"));
    const QStringList files = dir.entryList({ u"*.sql"_s }, QDir::Files, QDir::Name);
    QCOMPARE(files.size(), 5);
    QList<BundledScript> scripts;
    for (const QString &name : files) {
        QFile f(dir.filePath(name));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(name));
        scripts << parseScript(name, QString::fromUtf8(f.readAll()));
    }
    m_scripts = chainOrder(scripts);
    QCOMPARE(m_scripts.size(), scripts.size());
    // The numeric prefixes agree with the revision chain.
    for (int i = 0; i < m_scripts.size(); ++i)
        QCOMPARE(m_scripts.at(i).fileName, files.at(i));
}

void TestBundledSql::headersAndFileNames()
{
    static const QRegularExpression fileName(u"^(\\d{4})_([0-9a-f]{12})_([a-z0-9_]+)\\.sql$"_s);
    static const QRegularExpression created(u"^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$"_s);
    static const QRegularExpression transactionControl(u"^\\s*(BEGIN|COMMIT|START TRANSACTION|ROLLBACK)\\b"_s,
                                                       QRegularExpression::CaseInsensitiveOption
                                                               | QRegularExpression::MultilineOption);
    const QStringList slugs { u"initial_migration"_s, u"add_department_to_employees"_s,
                              u"integrity"_s, u"indexes_for_grid_and_trash"_s,
                              u"schedules_by_date_and_start_time"_s };
    QCOMPARE(slugs.size(), m_scripts.size());
    QSet<QString> revisions;
    for (int i = 0; i < m_scripts.size(); ++i) {
        const BundledScript &s = m_scripts.at(i);
        const auto m = fileName.match(s.fileName);
        QVERIFY2(m.hasMatch(), qPrintable(s.fileName));
        QCOMPARE(m.captured(1).toInt(), i + 1);
        QCOMPARE(m.captured(2), s.revision());
        QCOMPARE(m.captured(3), slugs.at(i));
        QVERIFY(!revisions.contains(s.revision()));
        revisions.insert(s.revision());
        QVERIFY2(!s.header.value(u"message"_s).isEmpty(), qPrintable(s.fileName));
        QVERIFY2(created.match(s.header.value(u"created"_s)).hasMatch(), qPrintable(s.fileName));
        for (const QString &key : s.header.keys()) {
            QVERIFY2(QStringList({ u"revision"_s, u"down_revision"_s, u"message"_s, u"created"_s,
                                   u"transactional"_s })
                             .contains(key),
                     qPrintable(s.fileName + u": "_s + key));
        }
        QVERIFY(!s.upgrade.trimmed().isEmpty());
        QVERIFY(!s.downgrade.trimmed().isEmpty());
        // The runner owns transaction control; a script must not open or close one itself
        // (a PL/pgSQL body's BEGIN, inside dollar quotes, is not a transaction).
        static const QRegularExpression dollarQuoted(u"\\$\\$.*?\\$\\$"_s,
                                                     QRegularExpression::DotMatchesEverythingOption);
        for (QString sql : { s.upgrade, s.downgrade }) {
            sql.remove(dollarQuoted);
            QVERIFY2(!transactionControl.match(sql).hasMatch(), qPrintable(s.fileName));
        }
        QCOMPARE(s.transactional(), i < 3); // 0004 and 0005 build indexes CONCURRENTLY
    }
    QCOMPARE(m_scripts.first().downRevision(), u"none"_s);
    QCOMPARE(m_scripts.at(1).header.value(u"message"_s), u"Add department to employees"_s);
    QCOMPARE(m_scripts.first().header.value(u"message"_s), u"Initial migration"_s);
}

void TestBundledSql::upgradeChainRuns()
{
    const QString db = u"bundled_chain"_s;
    QString error;
    QVERIFY2(m_pg->createDatabase(db, &error), qPrintable(error));
    QString output;
    for (int i = 0; i < m_scripts.size(); ++i)
        QVERIFY2(apply(db, i, true, &output), qPrintable(m_scripts.at(i).fileName + u"\n"_s + output));
    QCOMPARE(q(db, u"SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables "
                    "WHERE schemaname = 'public'"_s),
             u"employees,schedules"_s);

    // The concurrent index build really needs to run outside a transaction block.
    QVERIFY(!m_pg->psqlScript(db, m_scripts.at(3).upgrade, &output, true));
    QVERIFY2(output.contains(u"cannot run inside a transaction block"_s), qPrintable(output));
    // Running it again (as after an interrupted run) succeeds and leaves the same indexes.
    const QStringList before = indexDefs(db, u"schedules"_s);
    QVERIFY2(apply(db, 3, true, &output), qPrintable(output));
    QCOMPARE(indexDefs(db, u"schedules"_s), before);
}

void TestBundledSql::initialMigrationMatchesModels()
{
    const QString db = u"bundled_initial"_s;
    QString error, output;
    QVERIFY2(m_pg->createDatabase(db, &error), qPrintable(error));
    QVERIFY2(upgradeTo(db, 1, &output), qPrintable(output));

    const QString varchar = u"character varying"_s, ts = u"timestamp without time zone"_s;
    const QList<Column> employees {
        { u"employee_id"_s, u"integer"_s, false }, { u"email"_s, varchar, false },
        { u"username"_s, varchar, false },         { u"password"_s, varchar, false },
        { u"name"_s, varchar, false },             { u"role"_s, varchar, false },
        { u"is_active"_s, u"boolean"_s, true },    { u"is_deleted"_s, u"boolean"_s, true },
        { u"deleted_at"_s, ts, true },             { u"created_at"_s, ts, true },
    };
    const QList<Column> schedules {
        { u"schedule_id"_s, u"integer"_s, false },
        { u"employee_id"_s, u"integer"_s, false },
        { u"schedule_type"_s, varchar, false },
        { u"title"_s, varchar, false },
        { u"description"_s, u"text"_s, true },
        { u"schedule_date"_s, u"date"_s, false },
        { u"start_time"_s, u"time without time zone"_s, true },
        { u"end_time"_s, u"time without time zone"_s, true },
        { u"location"_s, varchar, true },
        { u"client_name"_s, varchar, true },
        { u"client_contact"_s, varchar, true },
        { u"purpose"_s, u"text"_s, true },
        { u"status"_s, varchar, true },
        { u"priority"_s, varchar, true },
        { u"result"_s, u"text"_s, true },
        { u"follow_up"_s, u"text"_s, true },
        { u"reminder"_s, u"boolean"_s, true },
        { u"reminder_time"_s, ts, true },
        { u"created_at"_s, ts, true },
        { u"updated_at"_s, ts, true },
        { u"is_deleted"_s, u"boolean"_s, true },
        { u"deleted_at"_s, ts, true },
    };
    const auto check = [&](const QString &table, const QList<Column> &expected) {
        const QList<Column> actual = columns(db, table);
        QCOMPARE(actual.size(), expected.size());
        for (int i = 0; i < expected.size(); ++i) {
            QCOMPARE(actual.at(i).name, expected.at(i).name);
            QCOMPARE(actual.at(i).type, expected.at(i).type);
            QCOMPARE(actual.at(i).nullable, expected.at(i).nullable);
        }
    };
    check(u"employees"_s, employees);
    if (QTest::currentTestFailed())
        return;
    check(u"schedules"_s, schedules);
    if (QTest::currentTestFailed())
        return;

    // Only the SERIAL keys have server defaults: the ORM's defaults are applied in Python.
    QCOMPARE(q(db, u"SELECT string_agg(table_name || '.' || column_name || '=' || column_default, ';' "
                    "ORDER BY table_name) FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND column_default IS NOT NULL"_s),
             u"employees.employee_id=nextval('employees_employee_id_seq'::regclass);"
             "schedules.schedule_id=nextval('schedules_schedule_id_seq'::regclass)"_s);

    QCOMPARE(indexDefs(db, u"employees"_s),
             QStringList({ u"CREATE UNIQUE INDEX employees_pkey ON public.employees USING btree (employee_id)"_s,
                           u"CREATE UNIQUE INDEX ix_employees_email ON public.employees USING btree (email)"_s,
                           u"CREATE INDEX ix_employees_employee_id ON public.employees USING btree (employee_id)"_s,
                           u"CREATE UNIQUE INDEX ix_employees_username ON public.employees USING btree (username)"_s }));
    QCOMPARE(indexDefs(db, u"schedules"_s),
             QStringList({ u"CREATE INDEX ix_schedules_schedule_id ON public.schedules USING btree (schedule_id)"_s,
                           u"CREATE UNIQUE INDEX schedules_pkey ON public.schedules USING btree (schedule_id)"_s }));
    QCOMPARE(q(db, u"SELECT conrelid::regclass || ':' || contype::text || ':' || pg_get_constraintdef(oid) "
                    "FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY conrelid::regclass::text, contype"_s),
             u"employees:p:PRIMARY KEY (employee_id)\n"
             "schedules:f:FOREIGN KEY (employee_id) REFERENCES employees(employee_id)\n"
             "schedules:p:PRIMARY KEY (schedule_id)"_s);
    // Nothing more: no functions, triggers, views or extra relations.
    QCOMPARE(q(db, u"SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"_s), u"0"_s);
    QCOMPARE(q(db, u"SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"_s), u"0"_s);
    QCOMPARE(q(db, u"SELECT string_agg(relname || ':' || relkind::text, ',' ORDER BY relname) FROM pg_class "
                    "WHERE relnamespace = 'public'::regnamespace AND relkind NOT IN ('i')"_s),
             u"employees:r,employees_employee_id_seq:S,schedules:r,schedules_schedule_id_seq:S"_s);
}

void TestBundledSql::departmentColumn()
{
    const QString db = u"bundled_department"_s;
    QString error, output;
    QVERIFY2(m_pg->createDatabase(db, &error), qPrintable(error));
    QVERIFY2(upgradeTo(db, 2, &output), qPrintable(output));
    const QList<Column> cols = columns(db, u"employees"_s);
    QCOMPARE(cols.size(), 11);
    QCOMPARE(cols.last().name, u"department"_s);
    QCOMPARE(cols.last().type, u"character varying"_s);
    QVERIFY(cols.last().nullable);

    QVERIFY2(apply(db, 1, false, &output), qPrintable(output));
    QCOMPARE(columns(db, u"employees"_s).size(), 10);
    QCOMPARE(q(db, u"SELECT count(*) FROM information_schema.columns WHERE column_name = 'department'"_s),
             u"0"_s);
}

void TestBundledSql::integrityDefaultsAndChecks()
{
    const QString db = u"bundled_integrity"_s;
    QString error, output;
    QVERIFY2(m_pg->createDatabase(db, &error), qPrintable(error));
    QVERIFY2(upgradeTo(db, 3, &output), qPrintable(output));

    QCOMPARE(q(db, u"SELECT string_agg(table_name || '.' || column_name || '=' || column_default || ':' || is_nullable, "
                    "E'\\n' ORDER BY table_name, column_name) FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND column_default IS NOT NULL "
                    "AND column_default NOT LIKE 'nextval%'"_s),
             u"employees.created_at=timezone('utc'::text, now()):YES\n"
             "employees.is_active=true:NO\n"
             "employees.is_deleted=false:NO\n"
             "schedules.created_at=timezone('utc'::text, now()):YES\n"
             "schedules.is_deleted=false:NO\n"
             "schedules.priority='medium'::character varying:NO\n"
             "schedules.reminder=false:NO\n"
             "schedules.status='scheduled'::character varying:NO\n"
             "schedules.updated_at=timezone('utc'::text, now()):YES"_s);
    QCOMPARE(q(db, u"SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), E'\\n' ORDER BY conname) "
                    "FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace"_s),
             u"ck_employees_role CHECK (((role)::text = ANY ((ARRAY['admin'::character varying, 'user'::character varying])::text[])))\n"
             "ck_schedules_priority CHECK (((priority)::text = ANY ((ARRAY['high'::character varying, 'medium'::character varying, 'low'::character varying])::text[])))\n"
             "ck_schedules_schedule_type CHECK (((schedule_type)::text = ANY ((ARRAY['visit'::character varying, 'meeting'::character varying, 'training'::character varying, 'report'::character varying, 'other'::character varying])::text[])))\n"
             "ck_schedules_status CHECK (((status)::text = ANY ((ARRAY['scheduled'::character varying, 'in_progress'::character varying, 'completed'::character varying, 'cancelled'::character varying])::text[])))"_s);

    // An employee inserted with only the required columns gets the ORM's values from the server.
    QCOMPARE(q(db, u"WITH e AS (INSERT INTO employees (email, username, password, name, role) "
                    "VALUES ('a@example.com', 'a', 'x', 'A', 'user') "
                    "RETURNING is_active, is_deleted, created_at = timezone('utc', now()) AS utc) "
                    "SELECT is_active, is_deleted, utc FROM e"_s),
             u"t|f|t"_s);
    QCOMPARE(q(db, u"WITH s AS (INSERT INTO schedules (employee_id, schedule_type, title, schedule_date) "
                    "SELECT employee_id, 'visit', 'Visit', DATE '2025-03-01' FROM employees "
                    "RETURNING status, priority, reminder, is_deleted, "
                    "created_at = timezone('utc', now()) AND updated_at = created_at AS utc) "
                    "SELECT status, priority, reminder, is_deleted, utc FROM s"_s),
             u"scheduled|medium|f|f|t"_s);

    const auto rejected = [&](const QString &sql, const QString &constraint) {
        bool ok = true;
        QString err;
        m_pg->psql(db, sql, &ok, &err);
        QVERIFY2(!ok, qPrintable(sql));
        QVERIFY2(err.contains(constraint), qPrintable(err));
    };
    const QString insertSchedule = u"INSERT INTO schedules (employee_id, schedule_type, title, schedule_date, %1) "
                                   "SELECT employee_id, %2, 'T', DATE '2025-03-01', %3 FROM employees"_s;
    rejected(insertSchedule.arg(u"status"_s, u"'visit'"_s, u"'done'"_s), u"ck_schedules_status"_s);
    rejected(insertSchedule.arg(u"priority"_s, u"'visit'"_s, u"'urgent'"_s), u"ck_schedules_priority"_s);
    rejected(insertSchedule.arg(u"priority"_s, u"'lunch'"_s, u"'low'"_s), u"ck_schedules_schedule_type"_s);
    rejected(insertSchedule.arg(u"status"_s, u"'visit'"_s, u"NULL"_s), u"not-null constraint"_s);
    rejected(insertSchedule.arg(u"reminder"_s, u"'visit'"_s, u"NULL"_s), u"not-null constraint"_s);
    rejected(u"INSERT INTO employees (email, username, password, name, role) "
             "VALUES ('b@example.com', 'b', 'x', 'B', 'superuser')"_s,
             u"ck_employees_role"_s);
    rejected(u"UPDATE employees SET is_active = NULL"_s, u"not-null constraint"_s);

    // Every documented value is accepted.
    for (const QString &type : { u"visit"_s, u"meeting"_s, u"training"_s, u"report"_s, u"other"_s }) {
        for (const QString &status : { u"scheduled"_s, u"in_progress"_s, u"completed"_s, u"cancelled"_s }) {
            bool ok = false;
            QString err;
            m_pg->psql(db, insertSchedule.arg(u"status"_s, u"'%1'"_s.arg(type), u"'%1'"_s.arg(status)), &ok, &err);
            QVERIFY2(ok, qPrintable(err));
        }
    }
    for (const QString &priority : { u"high"_s, u"medium"_s, u"low"_s }) {
        bool ok = false;
        QString err;
        m_pg->psql(db, insertSchedule.arg(u"priority"_s, u"'other'"_s, u"'%1'"_s.arg(priority)), &ok, &err);
        QVERIFY2(ok, qPrintable(err));
    }
    bool ok = false;
    QString err;
    m_pg->psql(db, u"INSERT INTO employees (email, username, password, name, role) "
                    "VALUES ('c@example.com', 'c', 'x', 'C', 'admin')"_s, &ok, &err);
    QVERIFY2(ok, qPrintable(err));
}

void TestBundledSql::updatedAtTrigger()
{
    const QString db = u"bundled_trigger"_s;
    QString error, output;
    QVERIFY2(m_pg->createDatabase(db, &error), qPrintable(error));
    QVERIFY2(upgradeTo(db, 3, &output), qPrintable(output));
    QVERIFY2(m_pg->psqlScript(db, u"INSERT INTO employees (email, username, password, name, role) "
                                   "VALUES ('a@example.com', 'a', 'x', 'A', 'user');\n"
                                   "INSERT INTO schedules (employee_id, schedule_type, title, schedule_date, "
                                   "created_at, updated_at) SELECT employee_id, 'visit', 'Visit', "
                                   "DATE '2025-03-01', TIMESTAMP '2001-01-01', TIMESTAMP '2001-01-01' FROM employees;\n"_s,
                              &output),
             qPrintable(output));
    // Inserts keep what they were given; only updates move updated_at.
    QCOMPARE(q(db, u"SELECT updated_at FROM schedules"_s), u"2001-01-01 00:00:00"_s);

    // Even an UPDATE that sets updated_at explicitly gets the current UTC time (the statement's
    // transaction time, so the comparison is exact).
    QCOMPARE(q(db, u"UPDATE schedules SET title = 'Renamed', updated_at = TIMESTAMP '1999-01-01' "
                    "RETURNING updated_at = timezone('utc', now()), created_at"_s),
             u"t|2001-01-01 00:00:00"_s);
    QVERIFY(q(db, u"SELECT updated_at > TIMESTAMP '2001-01-01' FROM schedules"_s) == u"t"_s);
    // The trigger is on schedules only.
    QCOMPARE(q(db, u"SELECT string_agg(tgrelid::regclass || ':' || tgname, ',') FROM pg_trigger "
                    "WHERE NOT tgisinternal"_s),
             u"schedules:trg_schedules_set_updated_at"_s);
}

void TestBundledSql::integrityBackfillsNullFlags()
{
    const QString db = u"bundled_backfill"_s;
    QString error, output;
    QVERIFY2(m_pg->createDatabase(db, &error), qPrintable(error));
    QVERIFY2(upgradeTo(db, 2, &output), qPrintable(output));
    // Rows written outside the ORM before the integrity migration: flags left NULL.
    QVERIFY2(m_pg->psqlScript(db,
                              u"INSERT INTO employees (employee_id, email, username, password, name, role, department) "
                              "VALUES (1, 'n@example.com', 'n', 'x', 'N', 'user', 'Sales'),"
                              "       (2, 'o@example.com', 'o', 'x', 'O', 'admin', NULL);\n"
                              "UPDATE employees SET is_active = false, is_deleted = true WHERE employee_id = 2;\n"
                              "INSERT INTO schedules (schedule_id, employee_id, schedule_type, title, schedule_date) "
                              "VALUES (1, 1, 'visit', 'Null flags', DATE '2025-03-01');\n"
                              "INSERT INTO schedules (schedule_id, employee_id, schedule_type, title, schedule_date, "
                              "status, priority, reminder, is_deleted) "
                              "VALUES (2, 2, 'meeting', 'Set flags', DATE '2025-03-02', 'completed', 'high', true, true);\n"_s,
                              &output),
             qPrintable(output));
    QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE status IS NULL AND reminder IS NULL"_s), u"1"_s);

    QVERIFY2(apply(db, 2, true, &output), qPrintable(output));
    QCOMPARE(q(db, u"SELECT employee_id, is_active, is_deleted, department FROM employees ORDER BY 1"_s),
             u"1|t|f|Sales\n2|f|t|"_s);
    QCOMPARE(q(db, u"SELECT schedule_id, status, priority, reminder, is_deleted FROM schedules ORDER BY 1"_s),
             u"1|scheduled|medium|f|f\n2|completed|high|t|t"_s);
    // The backfill touched flags only: the trigger did not exist yet, timestamps stay NULL.
    QCOMPARE(q(db, u"SELECT count(*) FROM schedules WHERE updated_at IS NULL AND created_at IS NULL"_s), u"2"_s);

    // A row the checks would reject makes the migration fail as a whole (one transaction).
    const QString db2 = u"bundled_backfill_bad"_s;
    QVERIFY2(m_pg->createDatabase(db2, &error), qPrintable(error));
    QVERIFY2(upgradeTo(db2, 2, &output), qPrintable(output));
    QVERIFY2(m_pg->psqlScript(db2,
                              u"INSERT INTO employees (email, username, password, name, role) "
                              "VALUES ('n@example.com', 'n', 'x', 'N', 'manager');\n"_s,
                              &output),
             qPrintable(output));
    QVERIFY(!apply(db2, 2, true, &output));
    QVERIFY2(output.contains(u"ck_employees_role"_s), qPrintable(output));
    QCOMPARE(q(db2, u"SELECT is_active IS NULL FROM employees"_s), u"t"_s);
    QCOMPARE(q(db2, u"SELECT count(*) FROM pg_constraint WHERE contype = 'c' "
                     "AND connamespace = 'public'::regnamespace"_s), u"0"_s);
}

void TestBundledSql::indexesAreBuiltConcurrently()
{
    const QString db = u"bundled_indexes"_s;
    QString error, output;
    QVERIFY2(m_pg->createDatabase(db, &error), qPrintable(error));
    QVERIFY2(upgradeTo(db, 4, &output), qPrintable(output));
    QCOMPARE(q(db, u"SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' "
                    "AND (indexname LIKE '%live%' OR indexname LIKE '%trash%') ORDER BY indexname"_s),
             u"CREATE INDEX ix_employees_trash_deleted_at ON public.employees USING btree (deleted_at) WHERE is_deleted\n"
             "CREATE INDEX ix_schedules_live_date_id ON public.schedules USING btree (schedule_date, schedule_id) WHERE (NOT is_deleted)\n"
             "CREATE INDEX ix_schedules_live_employee_date ON public.schedules USING btree (employee_id, schedule_date) WHERE (NOT is_deleted)\n"
             "CREATE INDEX ix_schedules_trash_deleted_at ON public.schedules USING btree (deleted_at) WHERE is_deleted"_s);
    QCOMPARE(q(db, u"SELECT count(*) FROM pg_index WHERE NOT indisvalid"_s), u"0"_s);

    // The queries they exist for can use them (sequential scans disabled: the tables are empty).
    const auto plan = [&](const QString &query) {
        return q(db, u"SET enable_seqscan = off; EXPLAIN (COSTS OFF) "_s + query);
    };
    const QString gridPlan = plan(u"SELECT * FROM schedules WHERE employee_id = 1 AND NOT is_deleted "
                                   "ORDER BY schedule_date"_s);
    QVERIFY2(gridPlan.contains(u"ix_schedules_live_employee_date"_s), qPrintable(gridPlan));
    QVERIFY2(plan(u"SELECT * FROM schedules WHERE is_deleted ORDER BY deleted_at DESC LIMIT 50"_s)
                     .contains(u"ix_schedules_trash_deleted_at"_s),
             "trash query");
    QVERIFY2(plan(u"SELECT * FROM employees WHERE is_deleted ORDER BY deleted_at DESC LIMIT 50"_s)
                     .contains(u"ix_employees_trash_deleted_at"_s),
             "employee trash query");

    QVERIFY2(apply(db, 3, false, &output), qPrintable(output));
    QCOMPARE(q(db, u"SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%live%' OR indexname LIKE '%trash%'"_s),
             u"0"_s);
    // IF EXISTS: downgrading a half-built state works too.
    QVERIFY2(apply(db, 3, false, &output), qPrintable(output));
}

void TestBundledSql::gridOrderIndexServesEveryScan()
{
    // 0005: the grid's keyset order (date, then start time, then id) is read from an index in both
    // directions, so that the first page, a jump and the end need no sort of a whole day.
    const QString db = u"bundled_grid_order"_s;
    QString error, output;
    QVERIFY2(m_pg->createDatabase(db, &error), qPrintable(error));
    QVERIFY2(upgradeTo(db, 4, &output), qPrintable(output));
    QCOMPARE(q(db, u"SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_schedules_live_date_start_id'"_s), u"0"_s);
    QVERIFY2(apply(db, 4, true, &output), qPrintable(output));
    QCOMPARE(q(db, u"SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_schedules_live_date_start_id'"_s),
             u"CREATE INDEX ix_schedules_live_date_start_id ON public.schedules USING btree "
             "(schedule_date, start_time, schedule_id) WHERE (NOT is_deleted)"_s);
    QCOMPARE(q(db, u"SELECT count(*) FROM pg_index WHERE NOT indisvalid"_s), u"0"_s);

    // 200 schedules a day for 100 days, a tenth without a start time, so that a day's order matters.
    QVERIFY2(m_pg->psqlScript(db, u"INSERT INTO employees (email, username, password, name, role) "
                                   "VALUES ('a@example.com', 'a', 'x', 'A', 'user');\n"
                                   "INSERT INTO schedules (employee_id, schedule_type, title, schedule_date, start_time) "
                                   "SELECT 1, 'meeting', 'm' || g, DATE '2026-01-01' + g % 100, "
                                   "CASE WHEN g % 10 = 0 THEN NULL ELSE TIME '08:00' + (g % 97) * INTERVAL '5 min' END "
                                   "FROM generate_series(1, 20000) g;\nANALYZE schedules;\n"_s,
                              &output),
             qPrintable(output));
    const auto plan = [&](const QString &query) { return q(db, u"EXPLAIN (COSTS OFF) "_s + query); };
    const QString select = u"SELECT * FROM schedules r WHERE NOT r.is_deleted "_s;
    const QString up = u" ORDER BY r.schedule_date ASC, r.start_time ASC, r.schedule_id ASC LIMIT 100"_s;
    const QString down = u" ORDER BY r.schedule_date DESC, r.start_time DESC, r.schedule_id DESC LIMIT 100"_s;
    const QString after = u"AND r.schedule_date >= '2026-02-01' AND (r.schedule_date > '2026-02-01' OR "
                           "(r.schedule_date = '2026-02-01' AND (r.start_time IS NULL OR r.start_time > '09:00' OR "
                           "(r.start_time = '09:00' AND r.schedule_id > 500))))"_s;
    const QString before = u"AND r.schedule_date <= '2026-02-01' AND (r.schedule_date < '2026-02-01' OR "
                            "(r.schedule_date = '2026-02-01' AND (r.start_time < '09:00' OR "
                            "(r.start_time = '09:00' AND r.schedule_id < 500))))"_s;
    for (const QString &query : {select + up, select + down, select + after + up, select + before + down}) {
        const QString p = plan(query);
        QVERIFY2(p.contains(u"ix_schedules_live_date_start_id"_s), qPrintable(query + u"\n"_s + p));
        QVERIFY2(!p.contains(u"Sort"_s), qPrintable(query + u"\n"_s + p));
    }

    QVERIFY2(apply(db, 4, false, &output), qPrintable(output));
    QCOMPARE(q(db, u"SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_schedules_live_date_start_id'"_s), u"0"_s);
    QVERIFY2(apply(db, 4, false, &output), qPrintable(output)); // IF EXISTS
}

void TestBundledSql::downgradeAllLeavesEmptyPublicSchema()
{
    const QString db = u"bundled_down"_s;
    const QString empty = u"bundled_empty"_s;
    QString error, output;
    QVERIFY2(m_pg->createDatabase(db, &error), qPrintable(error));
    QVERIFY2(m_pg->createDatabase(empty, &error), qPrintable(error));
    QVERIFY2(upgradeTo(db, int(m_scripts.size()), &output), qPrintable(output));
    for (int i = int(m_scripts.size()) - 1; i >= 0; --i)
        QVERIFY2(apply(db, i, false, &output), qPrintable(m_scripts.at(i).fileName + u"\n"_s + output));

    QCOMPARE(q(db, u"SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"_s), u"0"_s);
    QCOMPARE(q(db, u"SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"_s), u"0"_s);
    QCOMPARE(q(db, u"SELECT count(*) FROM pg_type WHERE typnamespace = 'public'::regnamespace"_s), u"0"_s);
    const QString dump = m_pg->schemaDump(db);
    QVERIFY(!dump.isEmpty());
    QCOMPARE(dump, m_pg->schemaDump(empty));
}

void TestBundledSql::everyDowngradeIsTheExactInverse()
{
    const QString db = u"bundled_roundtrip"_s;
    QString error, output;
    QVERIFY2(m_pg->createDatabase(db, &error), qPrintable(error));
    const int n = int(m_scripts.size());

    QStringList up { m_pg->schemaDump(db) };
    for (int i = 0; i < n; ++i) {
        QVERIFY2(apply(db, i, true, &output), qPrintable(output));
        up << m_pg->schemaDump(db);
        QVERIFY(!up.last().isEmpty());
        QVERIFY2(up.last() != up.at(i), qPrintable(m_scripts.at(i).fileName + u" changed nothing"_s));
    }
    // Going down, each level looks exactly as it did on the way up.
    for (int i = n - 1; i >= 0; --i) {
        QVERIFY2(apply(db, i, false, &output), qPrintable(output));
        QVERIFY2(m_pg->schemaDump(db) == up.at(i), qPrintable(m_scripts.at(i).fileName));
    }
    // And up again gives the identical head schema.
    QVERIFY2(upgradeTo(db, n, &output), qPrintable(output));
    QCOMPARE(m_pg->schemaDump(db), up.last());
}

QTEST_GUILESS_MAIN(TestBundledSql)
#include "tst_bundledsql.moc"
