#include "data/tablereveals.h"

#include "data/filterbar.h"
#include "data/revealgate.h"

#include "browse/lazytablemodel.h"

namespace MigrationDesk {

TableReveals::TableReveals(AppServices &services, FilterBar *filterBar, QObject *parent)
    : QObject(parent)
    , m_gate(new RevealGate(services, this))
    , m_filterBar(filterBar)
{
    connect(m_gate, &RevealGate::recorded, this,
            [this](const QString &schema, const QString &table, const QString &column) {
                // Another table opened meanwhile: its columns stay masked; the audit row stays true to what was asked.
                if (!isCurrent(schema, table))
                    return;
                const int index = m_model->tableInfo().columnIndex(column);
                if (index < 0)
                    return;
                m_model->setRevealed(index, true);
                m_filterBar->setRevealedColumns(revealedNames(m_model));
                Q_EMIT recorded(column);
            });
    connect(m_gate, &RevealGate::failed, this,
            [this](const QString &schema, const QString &table, const QString &, const QString &message) {
                if (isCurrent(schema, table))
                    Q_EMIT failed(message);
            });
}

bool TableReveals::isCurrent(const QString &schema, const QString &table) const
{
    return m_model && m_model->tableInfo().schema == schema && m_model->tableInfo().name == table;
}

QSet<QString> TableReveals::revealedNames(const LazyTableModel *model)
{
    QSet<QString> names;
    if (!model)
        return names;
    const TableInfo &info = model->tableInfo();
    for (int c = 0; c < info.columns.size(); ++c) {
        if (model->isRevealed(c))
            names.insert(info.columns.at(c).name);
    }
    return names;
}

void TableReveals::request(const ConnectionSettings &settings, int column)
{
    if (!m_model || !m_model->isColumnSensitive(column))
        return;
    const TableInfo &info = m_model->tableInfo();
    const QString name = info.columns.at(column).name;
    Q_EMIT recording(name);
    m_gate->request(settings, info.schema, info.name, name);
}

void TableReveals::maskedAgain(int column)
{
    if (!m_model)
        return;
    m_filterBar->setRevealedColumns(revealedNames(m_model));
    m_filterBar->forgetFiltersOn(m_model->tableInfo().columns.value(column).name);
}

} // namespace MigrationDesk
