#include "db/sensitivecolumns.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace MigrationDesk::SensitiveColumns {

bool matches(const QString &column)
{
    static const QRegularExpression pattern(u"password|passwd|secret|token|hash"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    return pattern.match(column).hasMatch();
}

} // namespace MigrationDesk::SensitiveColumns
