#include "data/schematreepane.h"

#include "icons.h"

#include "models/schematreemodel.h"

#include <QCoreApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The messages began in the Tables view and keep its translation context, so their translations carry over.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::TablesView)
};

} // namespace

SchemaTreePane::SchemaTreePane(SchemaTreeModel *model, QWidget *parent)
    : QWidget(parent)
{
    auto *leftLayout = new QVBoxLayout(this);
    leftLayout->setContentsMargins(6, 6, 0, 6);
    auto *treeHeader = new QHBoxLayout;
    auto *treeTitle = new QLabel(Text::tr("Schemas"), this);
    QFont bold = treeTitle->font();
    bold.setBold(true);
    treeTitle->setFont(bold);
    m_refresh = new QToolButton(this);
    m_refresh->setObjectName(u"refreshTree"_s);
    m_refresh->setText(Text::tr("Refresh"));
    m_refresh->setIcon(Icons::get(Icons::Refresh));
    m_refresh->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_refresh->setToolTip(Text::tr("Read the schemas, tables and their estimates again"));
    treeHeader->addWidget(treeTitle);
    treeHeader->addStretch(1);
    treeHeader->addWidget(m_refresh);
    leftLayout->addLayout(treeHeader);
    m_tree = new QTreeView(this);
    m_tree->setObjectName(u"schemaTree"_s);
    m_tree->setModel(model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    // Every column as wide as its content: in a narrow window the names stay whole and the estimates
    // scroll into view, rather than a stretched name column squeezed to nothing.
    m_tree->header()->setStretchLastSection(false);
    for (int c = SchemaTreeModel::NameColumn; c < SchemaTreeModel::ColumnCount; ++c)
        m_tree->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    leftLayout->addWidget(m_tree);
}

} // namespace MigrationDesk
