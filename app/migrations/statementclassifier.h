#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace MigrationDesk {

// One thing a statement does that the pre-flight review has a rule for. Names are as the SQL wrote
// them, blanks around dots removed (e.g. public."Weird"); `column` and `object` unquoted only if written so.
struct StatementAction
{
    enum class Kind {
        CreateTable, CreateIndex, DropIndex, ReindexConcurrently, Vacuum, AddColumn, AlterColumnType,
        SetNotNull, AddCheck, AddForeignKey, AddUnique, ValidateConstraint, DropTable, DropColumn, Truncate,
        Delete, Update, RenameTable, RenameColumn, AddEnumValue
    };
    Kind kind = Kind::CreateTable;
    QString table;            // the table acted on (for DropIndex: empty, see object)
    QString column;           // AddColumn, AlterColumnType, SetNotNull, DropColumn, RenameColumn; AddCheck: see below
    QString object;           // DropIndex: the index; AddCheck/ValidateConstraint: the constraint; AddEnumValue: the type
    QString detail;           // AlterColumnType: the new type as written; AddEnumValue: the new value
    bool concurrently = false;
    bool notValid = false;    // AddCheck, AddForeignKey
    bool usingIndex = false;  // AddUnique: ... USING INDEX
    bool hasWhere = false;    // Delete, Update
    bool usingClause = false; // AlterColumnType: ... USING expr (always rewrites)
    bool rewritesAlways = false; // AddColumn: a stored generated column (always rewrites)
    QStringList functions;    // AddColumn: the functions its default (or serial/identity type) calls
    // AddCheck: the column when the check is exactly `column IS NOT NULL` (what lets SET NOT NULL skip its scan)
};

// The statement forms the review knows, found by a small tokenizer over one statement of splitSql()
// (no grammar: anything else yields no action), and the string literals it uses (for the enum rule).
struct ClassifiedStatement
{
    QList<StatementAction> actions;
    QStringList literals;
};

// Pure function, any thread.
ClassifiedStatement classifyStatement(const QString &statement);

// A name as PostgreSQL folds it: unquoted parts lower-cased, quotes removed ("Odd""Name" -> Odd"Name);
// a qualified name keeps its dot. Used to compare names written in different ways.
QString foldName(const QString &name);

} // namespace MigrationDesk
