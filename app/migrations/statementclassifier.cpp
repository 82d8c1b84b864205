#include "migrations/statementclassifier.h"

#include "migrations/sqltokenizer.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Names of the functions called in these tokens: a word followed by '(' that is not a type after '::'.
QStringList calledFunctions(const QList<SqlToken> &tokens)
{
    QStringList out;
    for (qsizetype i = 0; i + 1 < tokens.size(); ++i) {
        const SqlToken &t = tokens.at(i);
        const SqlToken &next = tokens.at(i + 1);
        if (t.type != SqlToken::Type::Word || next.type != SqlToken::Type::Symbol || next.text != u'(')
            continue;
        if (i > 0 && tokens.at(i - 1).type == SqlToken::Type::Symbol && tokens.at(i - 1).text == u"::"_s)
            continue;
        QString name = t.text.toLower();
        // A schema-qualified call: pg_catalog.random() asks for random.
        out << name;
    }
    return out;
}

bool wordIs(const SqlToken &t, const char *keyword)
{
    return t.type == SqlToken::Type::Word && t.text.compare(QLatin1String(keyword), Qt::CaseInsensitive) == 0;
}

// One action of ALTER TABLE, from its tokens (without the separating comma).
void alterAction(const QString &table, const QList<SqlToken> &tokens, QList<StatementAction> *out)
{
    SqlTokenReader r(tokens);
    StatementAction a;
    a.table = table;
    if (r.accept({"ADD"})) {
        const bool constraint = r.accept({"CONSTRAINT"});
        if (constraint)
            a.object = r.name();
        if (constraint || r.isWord("CHECK") || r.isWord("FOREIGN") || r.isWord("UNIQUE") || r.isWord("PRIMARY")
            || r.isWord("EXCLUDE")) {
            a.notValid = r.hasWord("VALID") && r.hasWord("NOT");
            if (r.accept({"CHECK"}) && r.acceptSymbol("(")) {
                a.kind = StatementAction::Kind::AddCheck;
                // Only `col IS NOT NULL` (in any parentheses) counts as the column's not-null proof.
                const qsizetype start = r.pos();
                while (r.acceptSymbol("(")) {}
                const QString column = r.name();
                if (!column.isEmpty() && !column.contains(u'.') && r.accept({"IS", "NOT", "NULL"})) {
                    while (r.acceptSymbol(")")) {}
                    if (r.atEnd() || r.isWord("NOT") || r.isWord("NO"))
                        a.column = column;
                }
                r.seek(start);
                *out << a;
            } else if (r.accept({"FOREIGN", "KEY"})) {
                a.kind = StatementAction::Kind::AddForeignKey;
                *out << a;
            } else if (r.accept({"UNIQUE"}) || r.accept({"PRIMARY", "KEY"})) {
                a.kind = StatementAction::Kind::AddUnique;
                a.usingIndex = r.accept({"USING", "INDEX"});
                *out << a;
            }
            return;
        }
        r.accept({"COLUMN"});
        r.accept({"IF", "NOT", "EXISTS"});
        a.kind = StatementAction::Kind::AddColumn;
        a.column = r.name();
        if (a.column.isEmpty())
            return;
        // The column's type comes first: serial types call nextval().
        if (const SqlToken *type = r.peek(); type && type->type == SqlToken::Type::Word) {
            const QString t = type->text.toLower();
            if (t == u"serial"_s || t == u"bigserial"_s || t == u"smallserial"_s || t == u"serial4"_s
                || t == u"serial8"_s || t == u"serial2"_s)
                a.functions << u"nextval"_s;
        }
        QList<SqlToken> rest;
        while (const SqlToken *t = r.peek()) {
            rest << *t;
            r.seek(r.pos() + 1);
        }
        for (qsizetype i = 0; i < rest.size(); ++i) {
            if (wordIs(rest.at(i), "DEFAULT")) {
                // The default runs to the next constraint keyword at depth 0.
                QList<SqlToken> expr;
                int depth = 0;
                for (qsizetype j = i + 1; j < rest.size(); ++j) {
                    const SqlToken &t = rest.at(j);
                    if (t.type == SqlToken::Type::Symbol && t.text == u'(')
                        ++depth;
                    if (t.type == SqlToken::Type::Symbol && t.text == u')')
                        --depth;
                    if (depth == 0
                        && (wordIs(t, "NOT") || wordIs(t, "NULL") || wordIs(t, "CONSTRAINT") || wordIs(t, "CHECK")
                            || wordIs(t, "UNIQUE") || wordIs(t, "PRIMARY") || wordIs(t, "REFERENCES")
                            || wordIs(t, "COLLATE") || wordIs(t, "GENERATED")))
                        break;
                    expr << t;
                }
                a.functions << calledFunctions(expr);
            } else if (wordIs(rest.at(i), "GENERATED")) {
                bool identity = false, stored = false;
                for (qsizetype j = i + 1; j < rest.size(); ++j) {
                    identity = identity || wordIs(rest.at(j), "IDENTITY");
                    stored = stored || wordIs(rest.at(j), "STORED");
                }
                if (identity)
                    a.functions << u"nextval"_s;
                a.rewritesAlways = a.rewritesAlways || stored;
            }
        }
        *out << a;
        for (const SqlToken &t : std::as_const(rest)) {
            if (wordIs(t, "UNIQUE") || wordIs(t, "PRIMARY")) {
                StatementAction u;
                u.kind = StatementAction::Kind::AddUnique;
                u.table = table;
                u.column = a.column;
                *out << u;
                break;
            }
        }
        return;
    }
    if (r.accept({"ALTER"})) {
        r.accept({"COLUMN"});
        a.column = r.name();
        if (r.accept({"SET", "DATA", "TYPE"}) || r.accept({"TYPE"})) {
            a.kind = StatementAction::Kind::AlterColumnType;
            const qsizetype start = r.pos();
            while (!r.atEnd() && !r.isWord("USING") && !r.isWord("COLLATE"))
                r.seek(r.pos() + 1);
            a.detail = r.textFrom(start);
            a.usingClause = r.isWord("USING");
            *out << a;
        } else if (r.accept({"SET", "NOT", "NULL"})) {
            a.kind = StatementAction::Kind::SetNotNull;
            *out << a;
        }
        return;
    }
    if (r.accept({"DROP"})) {
        if (r.isWord("CONSTRAINT"))
            return;
        r.accept({"COLUMN"});
        r.accept({"IF", "EXISTS"});
        a.kind = StatementAction::Kind::DropColumn;
        a.column = r.name();
        if (!a.column.isEmpty())
            *out << a;
        return;
    }
    if (r.accept({"VALIDATE", "CONSTRAINT"})) {
        a.kind = StatementAction::Kind::ValidateConstraint;
        a.object = r.name();
        *out << a;
        return;
    }
    if (r.accept({"RENAME"})) {
        if (r.accept({"TO"})) {
            a.kind = StatementAction::Kind::RenameTable;
            *out << a;
            return;
        }
        if (r.isWord("CONSTRAINT"))
            return;
        r.accept({"COLUMN"});
        a.kind = StatementAction::Kind::RenameColumn;
        a.column = r.name();
        if (!a.column.isEmpty() && r.isWord("TO"))
            *out << a;
    }
}

// A comma-separated list of names (DROP TABLE a, b), each as one action of `kind`.
void nameList(SqlTokenReader &r, StatementAction::Kind kind, bool intoObject, QList<StatementAction> *out)
{
    do {
        r.accept({"ONLY"});
        const QString name = r.name();
        if (name.isEmpty())
            return;
        StatementAction a;
        a.kind = kind;
        (intoObject ? a.object : a.table) = name;
        *out << a;
        r.acceptSymbol("*");
    } while (r.acceptSymbol(","));
}

QList<StatementAction> classify(SqlTokenReader &r)
{
    QList<StatementAction> out;
    StatementAction a;
    if (r.accept({"CREATE"})) {
        r.accept({"OR", "REPLACE"});
        const bool unique = r.accept({"UNIQUE"});
        if (r.accept({"INDEX"})) {
            a.kind = StatementAction::Kind::CreateIndex;
            a.concurrently = r.accept({"CONCURRENTLY"});
            r.accept({"IF", "NOT", "EXISTS"});
            if (!r.isWord("ON"))
                r.name();
            if (r.accept({"ON"})) {
                r.accept({"ONLY"});
                a.table = r.name();
                if (!a.table.isEmpty())
                    out << a;
            }
            return out;
        }
        if (unique)
            return out;
        while (r.accept({"GLOBAL"}) || r.accept({"LOCAL"}) || r.accept({"TEMPORARY"}) || r.accept({"TEMP"})
               || r.accept({"UNLOGGED"})) {}
        if (r.accept({"TABLE"})) {
            r.accept({"IF", "NOT", "EXISTS"});
            a.kind = StatementAction::Kind::CreateTable;
            a.table = r.name();
            if (!a.table.isEmpty())
                out << a;
        }
        return out;
    }
    if (r.accept({"DROP", "INDEX"})) {
        const bool concurrently = r.accept({"CONCURRENTLY"});
        r.accept({"IF", "EXISTS"});
        nameList(r, StatementAction::Kind::DropIndex, true, &out);
        for (StatementAction &d : out)
            d.concurrently = concurrently;
        return out;
    }
    if (r.accept({"DROP", "TABLE"})) {
        r.accept({"IF", "EXISTS"});
        nameList(r, StatementAction::Kind::DropTable, false, &out);
        return out;
    }
    if (r.accept({"REINDEX"})) {
        if (r.acceptSymbol("("))
            r.skipGroup();
        r.seek(r.pos() + 1); // INDEX, TABLE, SCHEMA, DATABASE or SYSTEM
        if (r.accept({"CONCURRENTLY"})) {
            a.kind = StatementAction::Kind::ReindexConcurrently;
            a.concurrently = true;
            a.object = r.name();
            out << a;
        }
        return out;
    }
    if (r.accept({"VACUUM"})) {
        a.kind = StatementAction::Kind::Vacuum;
        out << a;
        return out;
    }
    if (r.accept({"TRUNCATE"})) {
        r.accept({"TABLE"});
        nameList(r, StatementAction::Kind::Truncate, false, &out);
        return out;
    }
    if (r.accept({"DELETE", "FROM"})) {
        r.accept({"ONLY"});
        a.kind = StatementAction::Kind::Delete;
        a.table = r.name();
        a.hasWhere = r.hasWordAtTop("WHERE");
        if (!a.table.isEmpty())
            out << a;
        return out;
    }
    if (r.accept({"UPDATE"})) {
        r.accept({"ONLY"});
        a.kind = StatementAction::Kind::Update;
        a.table = r.name();
        a.hasWhere = r.hasWordAtTop("WHERE");
        if (!a.table.isEmpty())
            out << a;
        return out;
    }
    if (r.accept({"ALTER", "TYPE"})) {
        a.object = r.name();
        if (r.accept({"ADD", "VALUE"})) {
            r.accept({"IF", "NOT", "EXISTS"});
            if (const SqlToken *v = r.peek(); v && v->type == SqlToken::Type::String) {
                a.kind = StatementAction::Kind::AddEnumValue;
                a.detail = v->text;
                out << a;
            }
        }
        return out;
    }
    if (r.accept({"ALTER", "TABLE"})) {
        r.accept({"IF", "EXISTS"});
        r.accept({"ONLY"});
        const QString table = r.name();
        if (table.isEmpty())
            return out;
        r.acceptSymbol("*");
        while (!r.atEnd())
            alterAction(table, r.untilComma(), &out);
    }
    return out;
}

} // namespace

ClassifiedStatement classifyStatement(const QString &statement)
{
    ClassifiedStatement out;
    QList<SqlToken> tokens = tokenizeSql(statement);
    for (const SqlToken &t : std::as_const(tokens)) {
        if (t.type == SqlToken::Type::String)
            out.literals << t.text;
    }
    SqlTokenReader r(std::move(tokens));
    out.actions = classify(r);
    return out;
}

QString foldName(const QString &name)
{
    QString out;
    bool quoted = false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        if (c == u'"') {
            if (quoted && i + 1 < name.size() && name.at(i + 1) == u'"') {
                out += c;
                ++i;
            } else {
                quoted = !quoted;
            }
        } else if (quoted) {
            out += c;
        } else if (!c.isSpace()) {
            out += c.toLower();
        }
    }
    return out;
}

} // namespace MigrationDesk
