#pragma once

#include "browse/schemacatalog.h"

#include <QAbstractItemModel>
#include <QList>

namespace MigrationDesk {

// The Tables view's tree: schemas at the top level, their tables and views below, with the
// catalog's estimated rows and total size. Filled from a SchemaListing; never runs SQL. GUI thread.
class SchemaTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, KindColumn, RowsColumn, SizeColumn, ColumnCount };
    enum Role {
        SchemaRole = Qt::UserRole + 1, // QString: the schema, for schema and relation rows
        RelationRole,                  // QString: the relation's name; empty on schema rows
        IsRelationRole,                // bool
        CanSelectRole,                 // bool: the role may read the relation
        SortRole,                      // the raw number behind the rows/size columns
    };

    explicit SchemaTreeModel(QObject *parent = nullptr);

    // Replaces the whole tree (a reset: listings are small, and a refresh may change anything).
    void setListing(const SchemaListing &listing);
    void clear() { setListing({}); }
    bool isEmpty() const { return m_schemas.isEmpty(); }

    // The row of one relation or schema (relation empty), named as the catalog stores it; invalid when absent.
    QModelIndex indexOf(const QString &schema, const QString &relation = {}) const;
    // The relation behind a row; nullptr for schema rows and invalid indexes.
    const RelationEntry *relationAt(const QModelIndex &index) const;

    // Schemas, then their relations; the internal id says which schema a relation row belongs to.
    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    // A relation's schema row; no parent for schema rows.
    QModelIndex parent(const QModelIndex &child) const override;
    // Schemas at the top, a schema's relations below it; relations have no children.
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    // Names, kinds, "≈ 1,234" estimates (summed on schema rows), sizes, and the roles above.
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // Every row is selectable.
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    struct SchemaNode
    {
        QString name;
        QList<RelationEntry> relations;
        double estimatedRows = -1; // the sum over relations with an estimate; -1 when none has one
        qint64 totalBytes = 0;
    };
    QString kindText(RelationEntry::Kind kind) const;
    QString rowsText(double rows) const;

    QList<SchemaNode> m_schemas;
};

} // namespace MigrationDesk
