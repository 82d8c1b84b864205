#include "migrations/alembicterms.h"

#include <QRegularExpression>

#include <limits>

using namespace Qt::StringLiterals;

namespace MigrationDesk::Alembic {

std::optional<qint64> pythonInt(const QString &s)
{
    static const QRegularExpression re(u"^\\s*[+-]?[0-9]+\\s*$"_s);
    if (!re.match(s).hasMatch())
        return std::nullopt;
    bool ok = false;
    QString t = s.trimmed();
    if (t.startsWith(QLatin1Char('+')))
        t.remove(0, 1);
    const qint64 v = t.toLongLong(&ok);
    if (!ok) // out of range: no graph is that deep, any huge value overwalks
        return t.startsWith(QLatin1Char('-')) ? std::numeric_limits<qint64>::min() / 2
                                               : std::numeric_limits<qint64>::max() / 2;
    return v;
}

QString joined(const QStringList &items)
{
    return items.join(u", "_s);
}

[[noreturn]] void fail(const QString &message)
{
    throw Failure{Failure::Kind::Revision, message, {}, {}, {}};
}

std::optional<Relative> matchRelative(const QString &target)
{
    // Most targets are plain ids, "head" or "base": answering those without the pattern keeps PCRE2 (its
    // library pages and JIT) out of the GUI's start, where the migrations view asks about "head".
    if (!target.contains(u'+') && !target.contains(u'-'))
        return std::nullopt;
    static const QRegularExpression re(u"^(?:(.+?)@)?(\\w+)?([+-][0-9]+)"_s,
                                       QRegularExpression::UseUnicodePropertiesOption);
    const QRegularExpressionMatch m = re.match(target);
    if (!m.hasMatch())
        return std::nullopt;
    Relative r;
    if (m.capturedStart(1) >= 0)
        r.branchLabel = m.captured(1);
    if (m.capturedLength(2) > 0)
        r.symbol = m.captured(2);
    r.relative = m.captured(3);
    r.value = pythonInt(r.relative).value_or(0);
    return r;
}

} // namespace MigrationDesk::Alembic
