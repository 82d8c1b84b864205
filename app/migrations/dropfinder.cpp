#include "migrations/dropfinder.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
const QString kName = u"(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)"_s;
const QString kQualified = kName + u"(?:\\s*\\.\\s*"_s + kName + u")?"_s;

// A qualified name as matched, without the blanks around its dot; blanks inside quotes are part of the name.
QString compactName(const QString &name)
{
    QString out;
    bool quoted = false;
    for (const QChar c : name) {
        if (c == QLatin1Char('"'))
            quoted = !quoted;
        if (quoted || !c.isSpace())
            out += c;
    }
    return out;
}
} // namespace

QList<DroppedObject> findDroppedObjects(const QString &statement)
{
    QList<DroppedObject> out;
    static const QRegularExpression dropTable(
        u"^\\s*DROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?("_s + kQualified + u"(?:\\s*,\\s*"_s
            + kQualified + u")*)"_s,
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression alterTable(
        u"^\\s*ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?("_s + kQualified + u")"_s,
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression dropColumn(
        u"\\bDROP\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?("_s + kName + u")"_s,
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression nameRe(kQualified);
    static const QStringList notColumns = {u"constraint"_s, u"default"_s, u"not"_s,
                                           u"identity"_s, u"expression"_s, u"column"_s};

    if (const auto m = dropTable.match(statement); m.hasMatch()) {
        auto it = nameRe.globalMatch(m.captured(1));
        while (it.hasNext())
            out << DroppedObject{compactName(it.next().captured(0)), QString()};
        return out;
    }
    if (const auto m = alterTable.match(statement); m.hasMatch()) {
        const QString table = compactName(m.captured(1));
        auto it = dropColumn.globalMatch(statement, m.capturedEnd(0));
        while (it.hasNext()) {
            const auto c = it.next();
            // "DROP COLUMN" was consumed as the keyword; a bare DROP needs its word checked.
            const bool explicitColumn = c.captured(0).contains(QLatin1String("COLUMN"), Qt::CaseInsensitive);
            const QString word = c.captured(1);
            if (!explicitColumn && notColumns.contains(word.toLower()))
                continue;
            out << DroppedObject{table, word};
        }
    }
    return out;
}

} // namespace MigrationDesk
