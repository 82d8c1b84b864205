#include "scheduling/schedulename.h"

#include "i18n/datetimeformat.h"

#include <QDate>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

QString ScheduleName::of(const QString &id, const QString &title, const QString &isoDate)
{
    const QString name = title.isEmpty() ? tr("Schedule %1").arg(id) : u"\u201c%1\u201d"_s.arg(title);
    const QDate date = QDate::fromString(isoDate, Qt::ISODate);
    return date.isValid() ? tr("%1 (%2)").arg(name, DateTimeFormat::date(date)) : name;
}

} // namespace MigrationDesk
