#include "data/tablegridpage.h"

#include "data/datagrid.h"
#include "data/exportbar.h"
#include "data/fetchbusybar.h"
#include "data/filterbar.h"
#include "data/tableactions.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

TableGridPage::TableGridPage(AppServices &services, std::function<bool()> stillFetching, QObject *actionsParent,
                             QWidget *parent)
    : QWidget(parent)
{
    auto *page = new QVBoxLayout(this);
    page->setContentsMargins(6, 6, 6, 6);
    auto *top = new QHBoxLayout;
    m_title = new QLabel(this);
    m_title->setObjectName(u"tableTitle"_s);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_showDeleted = new QCheckBox(this); // the view words it
    m_showDeleted->setObjectName(u"showDeleted"_s);
    m_actions = new TableActions(this, actionsParent);
    top->addWidget(m_title);
    top->addStretch(1);
    top->addWidget(m_showDeleted);
    top->addWidget(m_actions->copyButton());
    top->addWidget(m_actions->exportButton());
    page->addLayout(top);

    m_filterBar = new FilterBar(this);
    m_filterBar->setObjectName(u"filterBar"_s);
    page->addWidget(m_filterBar);

    m_busyBar = new FetchBusyBar(std::move(stillFetching), this);
    page->addWidget(m_busyBar);

    m_grid = new DataGrid(this);
    m_grid->setObjectName(u"tableGrid"_s);
    m_grid->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_grid->horizontalHeader()->setStretchLastSection(true);
    m_actions->addContextActions(m_grid);
    page->addWidget(m_grid, 1);

    auto *bottom = new QHBoxLayout;
    m_count = new QLabel(this);
    m_count->setObjectName(u"rowCount"_s);
    m_error = new QLabel(this);
    m_error->setObjectName(u"tableError"_s);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(u"color: #b3261e;"_s);
    bottom->addWidget(m_count);
    bottom->addSpacing(12);
    bottom->addWidget(m_error, 1);
    page->addLayout(bottom);

    m_exportBar = new ExportBar(services, this);
    page->addWidget(m_exportBar);
}

} // namespace MigrationDesk
