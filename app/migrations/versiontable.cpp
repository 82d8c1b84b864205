#include "migrations/versiontable.h"

#include "db/sqlident.h"

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

std::optional<VersionTable> VersionTable::fromName(const QString &name, QString *error)
{
    if (!isValidVersionTableName(name)) {
        if (error)
            *error = QCoreApplication::translate("VersionTable",
                                                 "invalid version table name '%1': use letters, digits and "
                                                 "underscores, optionally as schema.table")
                         .arg(name);
        return std::nullopt;
    }
    VersionTable t;
    const int dot = int(name.indexOf(QLatin1Char('.')));
    if (dot >= 0) {
        t.m_schema = name.left(dot);
        t.m_table = name.mid(dot + 1);
    } else {
        t.m_table = name;
    }
    return t;
}

namespace {
// Alembic writes plain lowercase names bare; keeping that makes our offline output match its.
QString ident(const QString &name)
{
    static const QRegularExpression plain(u"^[a-z_][a-z0-9_]*$"_s);
    return plain.match(name).hasMatch() ? name : quoteIdentifier(name);
}
} // namespace

QString VersionTable::qualifiedSql() const
{
    return m_schema.isEmpty() ? ident(m_table) : ident(m_schema) + QLatin1Char('.') + ident(m_table);
}

QString VersionTable::createSql(bool ifNotExists) const
{
    return u"CREATE TABLE %1%2 (\n    version_num VARCHAR(32) NOT NULL, \n"
                          "    CONSTRAINT %3 PRIMARY KEY (version_num)\n)"_s
        .arg(ifNotExists ? u"IF NOT EXISTS "_s : QString(), qualifiedSql(),
             ident(m_table + u"_pkc"_s));
}

QString VersionTable::dropSql() const
{
    return u"DROP TABLE %1"_s.arg(qualifiedSql());
}

QStringList VersionTable::params(const VersionOp &op)
{
    switch (op.kind) {
    case VersionOp::Kind::Insert: return {op.to};
    case VersionOp::Kind::Delete: return {op.from};
    case VersionOp::Kind::Update: return {op.to, op.from};
    }
    return {};
}

QString VersionTable::opSql(const VersionOp &op, bool literals) const
{
    const QStringList p = params(op);
    auto value = [&](int i) { return literals ? quoteLiteral(p.at(i)) : u"$%1"_s.arg(i + 1); };
    const QString t = qualifiedSql();
    const QString col = qualifiedSql() + u".version_num"_s;
    const QString returning = literals ? QString() : u" RETURNING "_s + col;
    switch (op.kind) {
    case VersionOp::Kind::Insert:
        return u"INSERT INTO %1 (version_num) VALUES (%2) RETURNING %3"_s.arg(t, value(0), col);
    case VersionOp::Kind::Delete:
        return u"DELETE FROM %1 WHERE %2 = %3"_s.arg(t, col, value(0)) + returning;
    case VersionOp::Kind::Update:
        return u"UPDATE %1 SET version_num=%2 WHERE %3 = %4"_s.arg(t, value(0), col, value(1)) + returning;
    }
    return {};
}

} // namespace MigrationDesk
