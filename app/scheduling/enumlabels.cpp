#include "scheduling/enumlabels.h"

#include <QCoreApplication>

#include <utility>

namespace MigrationDesk::EnumLabels {

namespace {

struct Label
{
    const char *value;
    const char *text;
};

// QT_TRANSLATE_NOOP lets lupdate see the texts under the context they are looked up with.
constexpr Label kScheduleTypes[] = {
    {"visit", QT_TRANSLATE_NOOP("EnumLabels", "Visit")},
    {"meeting", QT_TRANSLATE_NOOP("EnumLabels", "Meeting")},
    {"training", QT_TRANSLATE_NOOP("EnumLabels", "Training")},
    {"report", QT_TRANSLATE_NOOP("EnumLabels", "Report")},
    {"other", QT_TRANSLATE_NOOP("EnumLabels", "Other")},
};
constexpr Label kStatuses[] = {
    {"scheduled", QT_TRANSLATE_NOOP("EnumLabels", "Scheduled")},
    {"in_progress", QT_TRANSLATE_NOOP("EnumLabels", "In progress")},
    {"completed", QT_TRANSLATE_NOOP("EnumLabels", "Completed")},
    {"cancelled", QT_TRANSLATE_NOOP("EnumLabels", "Cancelled")},
};
constexpr Label kPriorities[] = {
    {"high", QT_TRANSLATE_NOOP("EnumLabels", "High")},
    {"medium", QT_TRANSLATE_NOOP("EnumLabels", "Medium")},
    {"low", QT_TRANSLATE_NOOP("EnumLabels", "Low")},
};
constexpr Label kRoles[] = {
    {"admin", QT_TRANSLATE_NOOP("EnumLabels", "Administrator")},
    {"user", QT_TRANSLATE_NOOP("EnumLabels", "User")},
};

template<std::size_t N>
QString labelOf(const Label (&labels)[N], const QString &value)
{
    for (const Label &l : labels) {
        if (value == QLatin1String(l.value))
            return QCoreApplication::translate("EnumLabels", l.text);
    }
    return value;
}

template<std::size_t N>
QStringList valuesOf(const Label (&labels)[N])
{
    QStringList out;
    for (const Label &l : labels)
        out << QLatin1String(l.value);
    return out;
}

} // namespace

QString scheduleType(const QString &value) { return labelOf(kScheduleTypes, value); }
QString status(const QString &value) { return labelOf(kStatuses, value); }
QString priority(const QString &value) { return labelOf(kPriorities, value); }
QString role(const QString &value) { return labelOf(kRoles, value); }
QStringList scheduleTypes() { return valuesOf(kScheduleTypes); }
QStringList statuses() { return valuesOf(kStatuses); }
QStringList priorities() { return valuesOf(kPriorities); }
QStringList roles() { return valuesOf(kRoles); }

} // namespace MigrationDesk::EnumLabels
