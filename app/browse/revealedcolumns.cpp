#include "browse/revealedcolumns.h"

#include <algorithm>

namespace MigrationDesk {

bool RevealedColumns::set(int column, bool revealed)
{
    if (revealed == m_columns.contains(column))
        return false;
    if (revealed)
        m_columns.insert(column);
    else
        m_columns.remove(column);
    return true;
}

bool RevealedColumns::isMasked(const TableInfo &table, int column) const
{
    return column >= 0 && column < table.columns.size() && table.columns.at(column).sensitive
        && !m_columns.contains(column);
}

QSet<QString> RevealedColumns::names(const TableInfo &table) const
{
    QSet<QString> names;
    for (int column : m_columns) {
        if (column >= 0 && column < table.columns.size())
            names.insert(table.columns.at(column).name);
    }
    return names;
}

bool RevealedColumns::dropFilters(const QString &name, QList<ColumnFilter> &filters)
{
    const auto before = filters.size();
    filters.erase(std::remove_if(filters.begin(), filters.end(), [&](const ColumnFilter &f) {
                      return f.column == name || f.otherColumns.contains(name);
                  }),
                  filters.end());
    return filters.size() != before;
}

} // namespace MigrationDesk
