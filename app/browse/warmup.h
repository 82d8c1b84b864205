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
    QStringList thenBy;    // as KeysetQuery's: the order within equal sort values
    bool ascending = true;
    QString seekValue;     // not null: the grid then jumps to this sort value (LazyTableModel::jumpToValue)
    QList<ColumnFilter> filters;
    bool trash = false;
    int limit = 0;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::WarmUp)
