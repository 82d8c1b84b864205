#pragma once

#include <QString>
#include <QStringList>

namespace MigrationDesk::EnumLabels {

// Readable, translatable labels for the seed's enum values (visit -> "Visit" / "방문"). The stored
// values stay English; only what people read is translated. Any thread, after the translator is
// installed. Unknown values come back unchanged.
QString scheduleType(const QString &value);
QString status(const QString &value);
QString priority(const QString &value);
QString role(const QString &value);

// The values the CHECK constraints allow, in the seed guide's order (SchedulingEnums' lists).
QStringList scheduleTypes();
QStringList statuses();
QStringList priorities();
QStringList roles();

} // namespace MigrationDesk::EnumLabels
