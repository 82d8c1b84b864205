#include "db/sqlident.h"

#include <QStringList>

namespace MigrationDesk {

namespace {

bool isPlainIdentifier(const QString &part)
{
    if (part.isEmpty() || part.size() > 63)
        return false;
    for (qsizetype i = 0; i < part.size(); ++i) {
        const QChar c = part.at(i);
        const bool letter = (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
                            || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || c == QLatin1Char('_');
        const bool digit = c >= QLatin1Char('0') && c <= QLatin1Char('9');
        if (!letter && !(digit && i > 0))
            return false;
    }
    return true;
}

} // namespace

QString quoteIdentifier(const QString &name)
{
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString quoteQualified(const QString &schema, const QString &name)
{
    if (schema.isEmpty())
        return quoteIdentifier(name);
    return quoteIdentifier(schema) + QLatin1Char('.') + quoteIdentifier(name);
}

QString quoteLiteral(const QString &value)
{
    QString quoted = value;
    quoted.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

bool isValidVersionTableName(const QString &name)
{
    const QStringList parts = name.split(QLatin1Char('.'));
    if (parts.size() > 2)
        return false;
    for (const QString &part : parts) {
        if (!isPlainIdentifier(part))
            return false;
    }
    return true;
}

} // namespace MigrationDesk
