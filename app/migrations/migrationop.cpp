#include "migrations/migrationop.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

QString migrationOpName(MigrationOp op)
{
    switch (op) {
    case MigrationOp::Upgrade:
        return u"upgrade"_s;
    case MigrationOp::Downgrade:
        return u"downgrade"_s;
    case MigrationOp::Stamp:
        return u"stamp"_s;
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
