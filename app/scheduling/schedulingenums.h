#pragma once

#include <QStringList>

#include <iterator>

namespace MigrationDesk {

// The values the CHECK constraints of migrations/0003 allow, defined once here: the labels, the
// filters, the editor's check and the demo data read them from this file (the migration keeps its
// own copy, as history). tst_schedulingenums compares both with a database at head. Constants; any thread.
namespace SchedulingEnums {

// In the seed guide's order; each enum indexes the value list below it.
enum class ScheduleType { Visit, Meeting, Training, Report, Other };
inline constexpr const char *kScheduleTypes[] = {"visit", "meeting", "training", "report", "other"};

enum class Status { Scheduled, InProgress, Completed, Cancelled };
inline constexpr const char *kStatuses[] = {"scheduled", "in_progress", "completed", "cancelled"};

enum class Priority { High, Medium, Low };
inline constexpr const char *kPriorities[] = {"high", "medium", "low"};

enum class Role { Admin, User };
inline constexpr const char *kRoles[] = {"admin", "user"};

static_assert(std::size(kScheduleTypes) == std::size_t(ScheduleType::Other) + 1);
static_assert(std::size(kStatuses) == std::size_t(Status::Cancelled) + 1);
static_assert(std::size(kPriorities) == std::size_t(Priority::Low) + 1);
static_assert(std::size(kRoles) == std::size_t(Role::User) + 1);

constexpr const char *value(ScheduleType v) { return kScheduleTypes[int(v)]; }
constexpr const char *value(Status v) { return kStatuses[int(v)]; }
constexpr const char *value(Priority v) { return kPriorities[int(v)]; }
constexpr const char *value(Role v) { return kRoles[int(v)]; }

QStringList scheduleTypes();
QStringList statuses();
QStringList priorities();
QStringList roles();

} // namespace SchedulingEnums

} // namespace MigrationDesk
