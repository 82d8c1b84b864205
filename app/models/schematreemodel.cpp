#include "models/schematreemodel.h"

#include <QLocale>

#include <algorithm>

#include <cmath>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
// Schema rows carry this internal id; relation rows carry their schema's row + 1.
constexpr quintptr schemaId = 0;
} // namespace

SchemaTreeModel::SchemaTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void SchemaTreeModel::setListing(const SchemaListing &listing)
{
    beginResetModel();
    m_schemas.clear();
    for (const QString &schema : listing.schemas)
        m_schemas.append(SchemaNode{schema, {}, -1, 0});
    for (const RelationEntry &relation : listing.relations) {
        auto it = std::find_if(m_schemas.begin(), m_schemas.end(),
                               [&](const SchemaNode &node) { return node.name == relation.schema; });
        if (it == m_schemas.end()) {
            m_schemas.append(SchemaNode{relation.schema, {}, -1, 0});
            it = std::prev(m_schemas.end());
        }
        it->relations.append(relation);
        if (relation.estimatedRows >= 0)
            it->estimatedRows = qMax(0.0, it->estimatedRows) + relation.estimatedRows;
        it->totalBytes += relation.totalBytes;
    }
    endResetModel();
}

QModelIndex SchemaTreeModel::indexOf(const QString &schema, const QString &relation) const
{
    for (int s = 0; s < m_schemas.size(); ++s) {
        if (m_schemas.at(s).name != schema)
            continue;
        if (relation.isEmpty())
            return index(s, 0);
        const QList<RelationEntry> &relations = m_schemas.at(s).relations;
        for (int r = 0; r < relations.size(); ++r) {
            if (relations.at(r).name == relation)
                return index(r, 0, index(s, 0));
        }
    }
    return {};
}

const RelationEntry *SchemaTreeModel::relationAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this || index.internalId() == schemaId)
        return nullptr;
    const SchemaNode &node = m_schemas.at(int(index.internalId() - 1));
    return &node.relations.at(index.row());
}

QModelIndex SchemaTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, schemaId);
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex SchemaTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == schemaId)
        return {};
    return createIndex(int(child.internalId() - 1), 0, schemaId);
}

int SchemaTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_schemas.size());
    if (parent.internalId() != schemaId || parent.column() != 0)
        return 0;
    return int(m_schemas.at(parent.row()).relations.size());
}

int SchemaTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QString SchemaTreeModel::kindText(RelationEntry::Kind kind) const
{
    switch (kind) {
    case RelationEntry::Table:
        return tr("Table");
    case RelationEntry::PartitionedTable:
        return tr("Partitioned table");
    case RelationEntry::View:
        return tr("View");
    case RelationEntry::MaterializedView:
        return tr("Materialized view");
    case RelationEntry::ForeignTable:
        return tr("Foreign table");
    }
    return {};
}

QString SchemaTreeModel::rowsText(double rows) const
{
    if (rows < 0)
        return {};
    return u"\u2248 "_s + QLocale().toString(qlonglong(std::llround(rows)));
}

QVariant SchemaTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const RelationEntry *relation = relationAt(index);
    const SchemaNode &schema = m_schemas.at(relation ? int(index.internalId() - 1) : index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return relation ? relation->name : schema.name;
        case KindColumn:
            return relation ? kindText(relation->kind) : tr("Schema");
        case RowsColumn:
            return rowsText(relation ? relation->estimatedRows : schema.estimatedRows);
        case SizeColumn:
            return QLocale().formattedDataSize(relation ? relation->totalBytes : schema.totalBytes);
        }
        return {};
    case Qt::ToolTipRole:
        if (!relation)
            return tr("Schema %1: %n relation(s)", nullptr, int(schema.relations.size())).arg(schema.name);
        if (!relation->canSelect)
            return tr("You have no SELECT privilege on %1.%2.").arg(relation->schema, relation->name);
        if (relation->kind == RelationEntry::View)
            return tr("A view has no row estimate of its own.");
        if (relation->estimatedRows < 0)
            return tr("Never analyzed: no row estimate yet.");
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == RowsColumn || index.column() == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SchemaRole:
        return schema.name;
    case RelationRole:
        return relation ? relation->name : QString();
    case IsRelationRole:
        return relation != nullptr;
    case CanSelectRole:
        return relation ? relation->canSelect : false;
    case SortRole:
        if (index.column() == RowsColumn)
            return relation ? relation->estimatedRows : schema.estimatedRows;
        if (index.column() == SizeColumn)
            return relation ? relation->totalBytes : schema.totalBytes;
        return data(index, Qt::DisplayRole);
    }
    return {};
}

QVariant SchemaTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case KindColumn:
        return tr("Type");
    case RowsColumn:
        return tr("Rows (est.)");
    case SizeColumn:
        return tr("Size");
    }
    return {};
}

Qt::ItemFlags SchemaTreeModel::flags(const QModelIndex &index) const
{
    // Views ask for the root's flags with an invalid index: a normal question, not a misuse.
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return Qt::NoItemFlags;
    // Relations the role cannot read stay selectable, so the view can say why it shows no rows.
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

} // namespace MigrationDesk
