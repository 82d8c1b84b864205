#pragma once

#include "browse/catalog.h"
#include "browse/keysetquery.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace MigrationDesk {

// The first window a grid is expected to ask for: a pooled session that has run it once answers the
// grid's real first read from warm caches (FetcherPool::prewarm). A plain value; any thread.
struct WarmUp
{
    QString schema;
    QString table;
    QList<JoinSpec> joins;
    QString sortColumn;
    bool ascending = true;
    QList<ColumnFilter> filters;
    bool trash = false;
    int limit = 0;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::WarmUp)
