#include "migrations/migrationop.h"

namespace MigrationDesk {

QString migrationOpName(MigrationOp op)
{
    switch (op) {
    case MigrationOp::Upgrade:
        return QStringLiteral("upgrade");
    case MigrationOp::Downgrade:
        return QStringLiteral("downgrade");
    case MigrationOp::Stamp:
        return QStringLiteral("stamp");
    }
    return QString();
}

std::optional<MigrationOp> migrationOpFromName(const QString &name)
{
    for (const MigrationOp op : {MigrationOp::Upgrade, MigrationOp::Downgrade, MigrationOp::Stamp}) {
        if (name == migrationOpName(op))
            return op;
    }
    return std::nullopt;
}

} // namespace MigrationDesk
