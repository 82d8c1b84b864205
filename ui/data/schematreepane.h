#pragma once

#include <QWidget>

class QToolButton;
class QTreeView;

namespace MigrationDesk {

class SchemaTreeModel;

// The Tables view's left pane: the schema tree over a SchemaTreeModel, under a title and a Refresh
// button. Only widgets; the view decides what selecting and refreshing do. GUI thread.
class SchemaTreePane : public QWidget
{
    Q_OBJECT

public:
    explicit SchemaTreePane(SchemaTreeModel *model, QWidget *parent = nullptr);

    QTreeView *tree() const { return m_tree; }
    QToolButton *refreshButton() const { return m_refresh; }

private:
    QToolButton *m_refresh;
    QTreeView *m_tree;
};

} // namespace MigrationDesk
