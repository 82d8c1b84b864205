#include "db/sqlerror.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

QString SqlError::toString() const
{
    QString text = message;
    if (!sqlState.isEmpty())
        text += u" ["_s + sqlState + QLatin1Char(']');
    if (!detail.isEmpty())
        text += u"\nDETAIL: "_s + detail;
    if (!hint.isEmpty())
        text += u"\nHINT: "_s + hint;
    if (!context.isEmpty())
        text += u"\nCONTEXT: "_s + context;
    return text;
}

std::pair<int, int> SqlError::lineAndColumn(const QString &sql) const
{
    if (position <= 0)
        return {0, 0};
    int line = 1;
    int column = 1;
    int counted = 1;
    for (qsizetype i = 0; i < sql.size() && counted < position; ++i) {
        const QChar c = sql.at(i);
        if (c.isLowSurrogate())
            continue; // the server counts code points, not UTF-16 units
        ++counted;
        if (c == QLatin1Char('\n')) {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

} // namespace MigrationDesk
