#include "scheduling/schedulingenums.h"

namespace MigrationDesk::SchedulingEnums {

namespace {

template<std::size_t N>
QStringList listOf(const char *const (&values)[N])
{
    QStringList out;
    for (const char *v : values)
        out << QLatin1String(v);
    return out;
}

} // namespace

QStringList scheduleTypes() { return listOf(kScheduleTypes); }
QStringList statuses() { return listOf(kStatuses); }
QStringList priorities() { return listOf(kPriorities); }
QStringList roles() { return listOf(kRoles); }

} // namespace MigrationDesk::SchedulingEnums
