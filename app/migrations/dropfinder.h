#pragma once

#include <QList>
#include <QString>

namespace MigrationDesk {

// A table or column that a statement drops, named as the SQL wrote it (possibly quoted/qualified).
struct DroppedObject
{
    QString table;   // as written, e.g. public."Weird"
    QString column;  // empty for a whole table
};

// Finds the DROP TABLE and ALTER TABLE ... DROP COLUMN targets of one statement, so a downgrade's
// confirmation can warn about the data it destroys. A heuristic over the SQL text, any thread.
QList<DroppedObject> findDroppedObjects(const QString &statement);

} // namespace MigrationDesk
