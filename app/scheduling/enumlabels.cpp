#include "scheduling/enumlabels.h"

#include "scheduling/schedulingenums.h"

#include <QCoreApplication>

#include <iterator>

namespace MigrationDesk::EnumLabels {

namespace {

// One label per value of SchedulingEnums, in the same order. QT_TRANSLATE_NOOP lets lupdate see the
// texts under the context they are looked up with.
constexpr const char *kScheduleTypeLabels[] = {
    QT_TRANSLATE_NOOP("EnumLabels", "Visit"),
    QT_TRANSLATE_NOOP("EnumLabels", "Meeting"),
    QT_TRANSLATE_NOOP("EnumLabels", "Training"),
    QT_TRANSLATE_NOOP("EnumLabels", "Report"),
    QT_TRANSLATE_NOOP("EnumLabels", "Other"),
};
constexpr const char *kStatusLabels[] = {
    QT_TRANSLATE_NOOP("EnumLabels", "Scheduled"),
    QT_TRANSLATE_NOOP("EnumLabels", "In progress"),
    QT_TRANSLATE_NOOP("EnumLabels", "Completed"),
    QT_TRANSLATE_NOOP("EnumLabels", "Cancelled"),
};
constexpr const char *kPriorityLabels[] = {
    QT_TRANSLATE_NOOP("EnumLabels", "High"),
    QT_TRANSLATE_NOOP("EnumLabels", "Medium"),
    QT_TRANSLATE_NOOP("EnumLabels", "Low"),
};
constexpr const char *kRoleLabels[] = {
    QT_TRANSLATE_NOOP("EnumLabels", "Administrator"),
    QT_TRANSLATE_NOOP("EnumLabels", "User"),
};
static_assert(std::size(kScheduleTypeLabels) == std::size(SchedulingEnums::kScheduleTypes));
static_assert(std::size(kStatusLabels) == std::size(SchedulingEnums::kStatuses));
static_assert(std::size(kPriorityLabels) == std::size(SchedulingEnums::kPriorities));
static_assert(std::size(kRoleLabels) == std::size(SchedulingEnums::kRoles));

template<std::size_t N>
QString labelOf(const char *const (&values)[N], const char *const (&labels)[N], const QString &value)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (value == QLatin1String(values[i]))
            return QCoreApplication::translate("EnumLabels", labels[i]);
    }
    return value;
}

} // namespace

QString scheduleType(const QString &value) { return labelOf(SchedulingEnums::kScheduleTypes, kScheduleTypeLabels, value); }
QString status(const QString &value) { return labelOf(SchedulingEnums::kStatuses, kStatusLabels, value); }
QString priority(const QString &value) { return labelOf(SchedulingEnums::kPriorities, kPriorityLabels, value); }
QString role(const QString &value) { return labelOf(SchedulingEnums::kRoles, kRoleLabels, value); }
QStringList scheduleTypes() { return SchedulingEnums::scheduleTypes(); }
QStringList statuses() { return SchedulingEnums::statuses(); }
QStringList priorities() { return SchedulingEnums::priorities(); }
QStringList roles() { return SchedulingEnums::roles(); }

} // namespace MigrationDesk::EnumLabels
