#include "migrations/reviewrules.h"

#include "migrations/tablefacts.h"

#include <QLocale>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

const QString kAccessExclusive = u"ACCESS EXCLUSIVE"_s;

// A type name reduced to PostgreSQL's own spelling and its modifiers: "VARCHAR(20)" -> ("character varying", [20]).
struct TypeName
{
    QString base;
    QList<int> modifiers;
};

TypeName parseType(const QString &written)
{
    static const QRegularExpression re(u"^\\s*([a-z_][a-z0-9_ ]*?)\\s*(?:\\(([0-9 ,]*)\\))?\\s*(\\[\\])?\\s*$"_s);
    const auto m = re.match(written.toLower().simplified());
    if (!m.hasMatch())
        return TypeName{written.toLower().simplified(), {}};
    static const QHash<QString, QString> aliases = {
        {u"varchar"_s, u"character varying"_s}, {u"char"_s, u"character"_s}, {u"bpchar"_s, u"character"_s},
        {u"int"_s, u"integer"_s}, {u"int4"_s, u"integer"_s}, {u"int8"_s, u"bigint"_s}, {u"int2"_s, u"smallint"_s},
        {u"decimal"_s, u"numeric"_s}, {u"bool"_s, u"boolean"_s}, {u"float8"_s, u"double precision"_s},
        {u"float4"_s, u"real"_s}, {u"timestamptz"_s, u"timestamp with time zone"_s},
        {u"timestamp"_s, u"timestamp without time zone"_s}, {u"varbit"_s, u"bit varying"_s},
    };
    TypeName t;
    t.base = aliases.value(m.captured(1), m.captured(1)) + m.captured(3);
    for (const QString &part : m.captured(2).split(u',', Qt::SkipEmptyParts))
        t.modifiers << part.trimmed().toInt();
    return t;
}

} // namespace

ReviewRules::ReviewRules(TableFacts &facts, const ReviewThresholds &thresholds)
    : m_facts(facts)
    , m_thresholds(thresholds)
{
}

// Only the changes PostgreSQL documents as binary-coercible keep the table: widening a varchar, varchar to
// text and back to an unbounded varchar, more numeric precision with the same scale. Everything else rewrites.
bool ReviewRules::typeChangeRewrites(const QString &from, const QString &to)
{
    const TypeName a = parseType(from);
    const TypeName b = parseType(to);
    if (a.base == b.base && a.modifiers == b.modifiers)
        return false;
    const bool aText = a.base == u"text"_s || (a.base == u"character varying"_s);
    if (aText && (b.base == u"text"_s || (b.base == u"character varying"_s && b.modifiers.isEmpty())))
        return false;
    if (a.base == u"character varying"_s && b.base == a.base && !a.modifiers.isEmpty() && !b.modifiers.isEmpty())
        return b.modifiers.first() < a.modifiers.first();
    if (a.base == u"numeric"_s && b.base == a.base) {
        if (b.modifiers.isEmpty())
            return false;
        if (a.modifiers.size() >= 1 && b.modifiers.size() >= 1)
            return b.modifiers.value(1) != a.modifiers.value(1) || b.modifiers.first() < a.modifiers.first();
    }
    return true;
}

QString ReviewRules::sizeText(const TableSize &size)
{
    const QLocale locale;
    QStringList parts;
    if (size.rows >= 0)
        parts << (size.rowsAtLeast ? tr("more than %1 rows").arg(locale.toString(size.rows))
                                   : tr("≈ %1 rows").arg(locale.toString(size.rows)));
    if (size.bytes >= 0)
        parts << locale.formattedDataSize(size.bytes, 1, QLocale::DataSizeTraditionalFormat);
    return parts.isEmpty() ? tr("size unknown") : parts.join(u", "_s);
}

bool ReviewRules::isNew(const QString &table, const RevisionState &state) const
{
    return state.createdTables.contains(foldName(table).section(u'.', -1));
}

PlanFinding::Severity ReviewRules::scaled(const TableSize &size) const
{
    if (!m_facts.online())
        return PlanFinding::Severity::Warning;
    const bool big = (size.rows >= 0 && size.rows >= m_thresholds.dangerRows)
        || (size.bytes >= 0 && size.bytes >= m_thresholds.dangerBytes);
    return big ? PlanFinding::Severity::Danger : PlanFinding::Severity::Warning;
}

PlanFinding ReviewRules::finding(const QString &rule, PlanFinding::Severity severity, int line, const QString &lock,
                                 const QString &message) const
{
    PlanFinding f;
    f.rule = rule;
    f.severity = severity;
    f.line = line;
    f.lock = lock;
    f.message = message;
    return f;
}

void ReviewRules::sized(const QString &rule, const StatementAction &a, int line, const QString &lock,
                        const QString &message, RevisionState &state, QList<PlanFinding> *out) const
{
    if (isNew(a.table, state))
        return;
    const TableSize size = m_facts.table(a.table);
    if (!size.exists)
        return; // created earlier in the plan, or the statement fails anyway: nothing live is at stake
    // One arg() call, so a name that holds "%1" stays a name. %3, when the message has it, is the column.
    const QString text = message.contains(u"%3"_s) ? message.arg(a.table, sizeText(size), a.column)
                                                   : message.arg(a.table, sizeText(size));
    PlanFinding f = finding(rule, scaled(size), line, lock, text);
    f.table = a.table;
    f.estimatedRows = size.rows;
    f.rowsAtLeast = size.rowsAtLeast;
    f.tableBytes = size.bytes;
    *out << f;
}

QList<PlanFinding> ReviewRules::check(const ClassifiedStatement &statement, int line, RevisionState &state) const
{
    QList<PlanFinding> out;
    // A value added earlier in this transaction cannot be used before it commits.
    if (state.transactional) {
        for (const QString &literal : statement.literals) {
            const auto added = state.enumValues.constFind(literal);
            if (added == state.enumValues.constEnd())
                continue;
            out << finding(u"enum-value-in-transaction"_s, PlanFinding::Severity::Error, line, QString(),
                           tr("Uses the enum value '%1', added on line %2 in the same transaction: PostgreSQL refuses "
                              "a new enum value before its transaction commits. Add the value in a revision of its own "
                              "(or a non-transactional one), then use it in the next.")
                               .arg(literal)
                               .arg(*added));
            break;
        }
    }
    for (const StatementAction &a : statement.actions)
        checkAction(a, line, state, &out);
    return out;
}

void ReviewRules::checkAction(const StatementAction &a, int line, RevisionState &state, QList<PlanFinding> *out) const
{
    using Kind = StatementAction::Kind;
    const auto inTransaction = [&](const QString &what) {
        if (!state.transactional)
            return;
        PlanFinding f = finding(u"concurrently-in-transaction"_s, PlanFinding::Severity::Error, line,
                                u"SHARE UPDATE EXCLUSIVE"_s,
                            tr("%1 cannot run inside a transaction block, and this revision is transactional: it "
                               "would fail. Mark the revision non-transactional (-- transactional: false).")
                                .arg(what));
        f.table = a.table;
        *out << f;
    };
    switch (a.kind) {
    case Kind::CreateTable:
        state.createdTables.insert(foldName(a.table).section(u'.', -1));
        return;
    case Kind::CreateIndex:
        if (a.concurrently)
            inTransaction(tr("CREATE INDEX CONCURRENTLY"));
        else
            sized(u"index-without-concurrently"_s, a, line, u"SHARE"_s,
                  tr("Builds an index on %1 (%2) without CONCURRENTLY: writes to the table wait until the build "
                     "ends. Use CREATE INDEX CONCURRENTLY in a non-transactional revision."),
                  state, out);
        return;
    case Kind::DropIndex: {
        if (a.concurrently) {
            inTransaction(tr("DROP INDEX CONCURRENTLY"));
            return;
        }
        StatementAction onTable = a;
        onTable.table = m_facts.indexTable(a.object);
        if (m_facts.online() && onTable.table.isEmpty())
            return; // no such index yet
        if (!m_facts.online()) {
            *out << finding(u"index-without-concurrently"_s, PlanFinding::Severity::Warning, line, kAccessExclusive,
                            tr("Drops index %1 without CONCURRENTLY: its table is locked against reads and writes "
                               "meanwhile. Use DROP INDEX CONCURRENTLY in a non-transactional revision.")
                                .arg(a.object));
            return;
        }
        sized(u"index-without-concurrently"_s, onTable, line, kAccessExclusive,
              tr("Drops an index of %1 (%2) without CONCURRENTLY: the table is locked against reads and writes "
                 "meanwhile. Use DROP INDEX CONCURRENTLY in a non-transactional revision."),
              state, out);
        return;
    }
    case Kind::ReindexConcurrently:
        inTransaction(tr("REINDEX CONCURRENTLY"));
        return;
    case Kind::Vacuum:
        inTransaction(tr("VACUUM"));
        return;
    case Kind::AddColumn: {
        if (isNew(a.table, state))
            return;
        const std::optional<bool> isVolatile = a.rewritesAlways ? std::optional<bool>(true) : m_facts.anyVolatile(a.functions);
        // Offline the server cannot say whether the default's functions are volatile: any call is reported.
        const bool rewrites = isVolatile ? *isVolatile : !a.functions.isEmpty();
        if (rewrites)
            sized(u"table-rewrite"_s, a, line, kAccessExclusive,
                  tr("Adds a column whose default is volatile (or generated) to %1 (%2): PostgreSQL rewrites the "
                     "whole table under an ACCESS EXCLUSIVE lock. Add the column without a default (or with a "
                     "constant one), then fill it in batches."),
                  state, out);
        return;
    }
    case Kind::AlterColumnType: {
        if (isNew(a.table, state))
            return;
        if (m_facts.online()) {
            const QString current = m_facts.columnType(a.table, a.column);
            if (current.isEmpty() || (!a.usingClause && !typeChangeRewrites(current, a.detail)))
                return;
        }
        sized(u"table-rewrite"_s, a, line, kAccessExclusive,
              tr("Changes the type of column %3 of %1 (%2) in a way PostgreSQL performs by rewriting the whole table "
                 "under an ACCESS EXCLUSIVE lock. Add a new column, fill it in batches and switch over instead."),
              state, out);
        return;
    }
    case Kind::SetNotNull: {
        const QString key = foldName(a.table).section(u'.', -1) + u'\n' + foldName(a.column);
        if (state.provenNotNull.contains(key) || m_facts.hasNotNullCheck(a.table, a.column))
            return;
        sized(u"not-null-scan"_s, a, line, kAccessExclusive,
              tr("SET NOT NULL on column %3 of %1 (%2) scans the whole table under an ACCESS EXCLUSIVE lock. Add "
                 "CHECK (%3 IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it, then SET NOT NULL."),
              state, out);
        return;
    }
    case Kind::AddCheck:
        if (!a.column.isEmpty()) {
            const QString key = foldName(a.table).section(u'.', -1) + u'\n' + foldName(a.column);
            if (a.notValid)
                state.notNullChecks.insert(foldName(a.object), key);
            else
                state.provenNotNull.insert(key);
        }
        if (!a.notValid)
            sized(u"constraint-scan"_s, a, line, kAccessExclusive,
                  tr("Adds a CHECK constraint to %1 (%2) without NOT VALID: the whole table is scanned under an "
                     "ACCESS EXCLUSIVE lock. Add it NOT VALID, then VALIDATE CONSTRAINT (which does not block writes)."),
                  state, out);
        return;
    case Kind::ValidateConstraint:
        if (const auto it = state.notNullChecks.constFind(foldName(a.object)); it != state.notNullChecks.constEnd())
            state.provenNotNull.insert(*it);
        return;
    case Kind::AddForeignKey:
        if (!a.notValid)
            sized(u"constraint-scan"_s, a, line, u"SHARE ROW EXCLUSIVE"_s,
                  tr("Adds a foreign key to %1 (%2) without NOT VALID: the whole table is checked while writes to "
                     "it and the referenced table wait. Add it NOT VALID, then VALIDATE CONSTRAINT."),
                  state, out);
        return;
    case Kind::AddUnique:
        if (!a.usingIndex)
            sized(u"unique-builds-index"_s, a, line, kAccessExclusive,
                  tr("Adds a UNIQUE or PRIMARY KEY constraint to %1 (%2), which builds its index under an ACCESS "
                     "EXCLUSIVE lock. Build a unique index CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX."),
                  state, out);
        return;
    case Kind::DropTable:
    case Kind::DropColumn:
    case Kind::Truncate:
    case Kind::Delete:
    case Kind::Update:
        dropsData(a, line, state, out);
        return;
    case Kind::RenameTable:
    case Kind::RenameColumn: {
        if (isNew(a.table, state))
            return;
        if (m_facts.online() && (!m_facts.table(a.table).exists
                                 || (a.kind == Kind::RenameColumn && m_facts.columnType(a.table, a.column).isEmpty())))
            return;
        PlanFinding f = finding(u"rename"_s, PlanFinding::Severity::Warning, line, kAccessExclusive,
                                a.kind == Kind::RenameTable
                                    ? tr("Renames table %1: deployed code that still uses the old name fails until it "
                                         "is updated. Deploy code that works with both names first, or use a view.")
                                          .arg(a.table)
                                    : tr("Renames column %1.%2: deployed code that still uses the old name fails until "
                                         "it is updated. Add the new column and migrate in steps instead.")
                                          .arg(a.table, a.column));
        f.table = a.table;
        f.column = a.kind == Kind::RenameColumn ? a.column : QString();
        *out << f;
        return;
    }
    case Kind::AddEnumValue:
        if (state.transactional)
            state.enumValues.insert(a.detail, line);
        return;
    }
}

void ReviewRules::dropsData(const StatementAction &a, int line, RevisionState &state, QList<PlanFinding> *out) const
{
    using Kind = StatementAction::Kind;
    if (isNew(a.table, state) || ((a.kind == Kind::Delete || a.kind == Kind::Update) && a.hasWhere))
        return;
    const TableSize size = m_facts.table(a.table);
    if (!size.exists)
        return;
    if (a.kind == Kind::DropColumn && m_facts.online() && m_facts.columnType(a.table, a.column).isEmpty())
        return;
    const QString rows = size.rows < 0 ? tr("unknown row count")
        : size.rowsAtLeast             ? tr("more than %1 rows").arg(QLocale().toString(size.rows))
                                       : tr("≈ %1 rows").arg(QLocale().toString(size.rows));
    QString message;
    switch (a.kind) {
    case Kind::DropTable:
        message = tr("Drops table %1 and all its data (%2).").arg(a.table, rows);
        break;
    case Kind::DropColumn:
        message = tr("Drops column %1.%2 and its values (%3).").arg(a.table, a.column, rows);
        break;
    case Kind::Truncate:
        message = tr("Empties table %1 (%2).").arg(a.table, rows);
        break;
    case Kind::Delete:
        message = tr("Deletes every row of %1 (%2): the statement has no WHERE.").arg(a.table, rows);
        break;
    default:
        message = tr("Overwrites every row of %1 (%2): the statement has no WHERE.").arg(a.table, rows);
        break;
    }
    const bool rowLock = a.kind == Kind::Delete || a.kind == Kind::Update;
    PlanFinding f = finding(u"drops-data"_s, scaled(size), line, rowLock ? u"ROW EXCLUSIVE"_s : kAccessExclusive,
                            message);
    f.table = a.table;
    f.column = a.kind == Kind::DropColumn ? a.column : QString();
    f.estimatedRows = size.rows;
    f.rowsAtLeast = size.rowsAtLeast;
    f.tableBytes = size.bytes;
    *out << f;
}

} // namespace MigrationDesk
