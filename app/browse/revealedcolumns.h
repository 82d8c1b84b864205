#pragma once

#include "browse/catalog.h"
#include "browse/keysetquery.h"

#include <QList>
#include <QSet>
#include <QString>

namespace MigrationDesk {

// The sensitive columns revealed in one lazy model (by index into its table's columns), and what
// masking one again takes from the filters. GUI thread, owned by LazyTableModel.
class RevealedColumns
{
public:
    bool contains(int column) const { return m_columns.contains(column); }
    // False when `column` was already so.
    bool set(int column, bool revealed);
    void clear() { m_columns.clear(); }
    // A sensitive column of `table` that is not revealed: its values show as a mask.
    bool isMasked(const TableInfo &table, int column) const;
    // The revealed columns' names, for the query (sorts and filters on the others are refused).
    QSet<QString> names(const TableInfo &table) const;
    // `name` is masked again: a filter on it would go on telling its values, so each one goes.
    // True when any did.
    static bool dropFilters(const QString &name, QList<ColumnFilter> &filters);

private:
    QSet<int> m_columns;
};

} // namespace MigrationDesk
