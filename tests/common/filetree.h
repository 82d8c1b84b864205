#pragma once

#include <QString>
#include <QStringList>

namespace MigrationDesk::DbTest {

// Copies the files under `from` (subfolders included, __pycache__ left out) to `to`; false on the first
// file that cannot be copied. For tests that work on a copy of a project in the source tree.
bool copyTree(const QString &from, const QString &to);
// Every file and folder under root (hidden ones too), relative to it and sorted.
QStringList treeListing(const QString &root);

} // namespace MigrationDesk::DbTest
