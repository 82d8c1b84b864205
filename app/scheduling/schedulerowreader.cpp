#include "scheduling/schedulerowreader.h"

#include "db/pgconnection.h"
#include "db/sqlident.h"
#include "scheduling/schedulegrid.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

std::optional<QHash<QString, QString>> ScheduleRowReader::read(PgConnection &connection, const QString &scheduleId,
                                                               QString *error)
{
    SqlError sqlError;
    // The columns as they are now (a migration may have added some since the grid opened).
    const auto columns = connection.query(
        u"SELECT attname::text FROM pg_attribute WHERE attrelid = 'public.schedules'::regclass"
        u" AND attnum > 0 AND NOT attisdropped ORDER BY attnum"_s, {}, &sqlError);
    if (!columns) {
        if (error)
            *error = sqlError.toString();
        return std::nullopt;
    }
    QStringList names;
    QStringList select;
    for (const QStringList &column : *columns) {
        names.append(column.value(0));
        select.append(u"s."_s + quoteIdentifier(column.value(0)) + u"::text"_s);
    }
    const JoinSpec join = ScheduleGrid::employeeJoin();
    for (const auto &[joined, shownAs] : join.columns) {
        names.append(shownAs);
        select.append(u"j."_s + quoteIdentifier(joined) + u"::text"_s);
    }
    const auto rows = connection.query(
        u"SELECT "_s + select.join(u", "_s) + u" FROM public.schedules s LEFT JOIN "_s
            + quoteQualified(join.schema, join.table) + u" j ON j."_s + quoteIdentifier(join.referencedColumn)
            + u" = s."_s + quoteIdentifier(join.foreignKeyColumn) + u" WHERE s.schedule_id = $1::int"_s,
        {scheduleId}, &sqlError);
    if (!rows) {
        if (error)
            *error = sqlError.toString();
        return std::nullopt;
    }
    QHash<QString, QString> values;
    if (rows->isEmpty())
        return values;
    const QStringList &row = rows->first();
    for (int i = 0; i < names.size() && i < row.size(); ++i)
        values.insert(names.at(i), row.at(i));
    return values;
}

} // namespace MigrationDesk
