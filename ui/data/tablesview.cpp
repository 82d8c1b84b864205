#include "data/tablesview.h"

#include "data/datagrid.h"
#include "data/exportbar.h"
#include "data/fetchbusybar.h"
#include "data/schematreepane.h"
#include "data/tableactions.h"
#include "data/tableexport.h"
#include "data/tablegridpage.h"
#include "data/tablegridmodel.h"
#include "data/filterbar.h"
#include "data/tablereveals.h"
#include "data/tablestatusline.h"

#include "browse/lazytablemodel.h"
#include "models/schematreemodel.h"
#include "session/appservices.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

TablesView::TablesView(AppServices &services, QWidget *parent)
    : QWidget(parent)
    , m_services(services)
    , m_loader(new SchemaCatalogLoader(services.threads(), this))
    , m_treeModel(new SchemaTreeModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(u"tablesSplitter"_s);
    layout->addWidget(splitter);

    // Left: the schema tree.
    auto *left = new SchemaTreePane(m_treeModel, splitter);
    m_tree = left->tree();
    m_refreshTree = left->refreshButton();
    splitter->addWidget(left);

    // Right: a message, or the grid with its bars.
    m_stack = new QStackedWidget(splitter);
    m_stack->setObjectName(u"tablesStack"_s);
    m_message = new QLabel(m_stack);
    m_message->setObjectName(u"tablesMessage"_s);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setMargin(24);
    m_stack->addWidget(m_message);

    auto *gridPage = new TableGridPage(services, [this] { return m_model && m_model->isFetching(); }, this, m_stack);
    m_gridPage = gridPage;
    m_title = gridPage->title();
    m_showDeleted = gridPage->showDeleted();
    m_showDeleted->setText(tr("Show deleted rows"));
    m_showDeleted->setToolTip(tr("Also show the rows marked is_deleted (kept for the Trash)"));
    m_actions = gridPage->actions();
    m_filterBar = gridPage->filterBar();
    m_reveals = new TableReveals(services, m_filterBar, this);
    m_busyBar = gridPage->busyBar();
    m_grid = gridPage->grid();
    m_status = new TableStatusLine(gridPage->count(), gridPage->error(), this);
    m_exportBar = gridPage->exportBar();
    m_export = new TableExport(m_grid, m_exportBar, this);
    m_stack->addWidget(m_gridPage);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({340, 940});

    connect(m_busyBar, &FetchBusyBar::busyChanged, this, &TablesView::busyChanged);
    connect(m_loader, &SchemaCatalogLoader::loaded, this, &TablesView::onTreeLoaded);
    connect(m_refreshTree, &QToolButton::clicked, this, &TablesView::refreshTree);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { onCurrentChanged(current); });
    connect(m_showDeleted, &QCheckBox::toggled, this, [this](bool on) {
        if (!m_model)
            return;
        m_status->clearError();
        m_model->setIncludeDeleted(on);
    });
    connect(m_filterBar, &FilterBar::filtersChanged, this, [this](const QList<ColumnFilter> &filters) {
        if (!m_model)
            return;
        m_status->clearError();
        m_model->setFilters(filters);
    });
    connect(m_filterBar, &FilterBar::refused, m_status, &TableStatusLine::showRefusal);
    connect(m_grid, &DataGrid::refused, m_status, &TableStatusLine::showRefusal);
    // Unmasking is recorded in the audit table first; the values show only once it is recorded.
    connect(m_grid, &DataGrid::revealRequested, this, [this](int column) { m_reveals->request(m_settings, column); });
    connect(m_grid, &DataGrid::maskedAgain, m_reveals, &TableReveals::maskedAgain);
    connect(m_reveals, &TableReveals::recording, this, [this](const QString &column) {
        m_status->showError(tr("Recording the unmasking of \u201c%1\u201d in the audit table\u2026").arg(column), true);
    });
    connect(m_reveals, &TableReveals::recorded, m_status, &TableStatusLine::clearError);
    connect(m_reveals, &TableReveals::failed, this, [this](const QString &message) { m_status->showError(message, false); });
    connect(m_actions, &TableActions::copyRequested, this, &TablesView::copyCells);
    connect(m_actions, &TableActions::exportRequested, this, [this] {
        if (!m_actions->canExport())
            return;
        const QString path = QFileDialog::getSaveFileName(this, tr("Export CSV"), ExportBar::suggestedPath(m_table),
                                                          tr("CSV files (*.csv);;All files (*)"));
        if (!path.isEmpty())
            exportTo(path);
    });
    connect(m_busyBar->cancelButton(), &QPushButton::clicked, this, [this] {
        if (m_model)
            m_model->cancel();
    });
    connect(m_exportBar, &ExportBar::finished, this,
            [this](CsvExporter::Outcome outcome, qint64 rows, const QString &message) {
                updateActions();
                Q_EMIT exportFinished(outcome, rows, message);
            });

    clearConnection();
}

TablesView::~TablesView()
{
    // Stopping interrupts it (the cancel given to start()): no file is left half written.
    m_exportBar->stop();
    // The grid must let go of the model before the model (a child of this view) goes.
    m_grid->setLazyModel(nullptr);
}

LazyTableModel *TablesView::model() const
{
    return m_model;
}

void TablesView::setConnection(const ConnectionSettings &settings)
{
    if (std::exchange(m_openedEarly, false) && m_connected && settings == m_settings) {
        // The grid already shows the table on these settings: only the tree is still to come.
        m_treeWanted = true;
        if (isVisible())
            loadTree();
        return;
    }
    // Reconnecting keeps the open table in view once the new listing has it.
    if (!m_pending && !m_table.isEmpty())
        m_pending = qMakePair(m_schema, m_table);
    m_settings = settings;
    m_connected = true;
    m_loader->abandon();
    m_treeLoaded = false;
    m_treeModel->clear();
    m_schema.clear();
    m_table.clear();
    showMessage(tr("Loading the schemas…"));
    m_treeWanted = true;
    if (isVisible())
        loadTree();
}

void TablesView::openBeforeConnected(const ConnectionSettings &settings, const RelationEntry &relation)
{
    if (m_connected)
        return; // the window is connected by now: openTable() takes the usual way
    m_settings = settings;
    m_connected = true;
    m_openedEarly = true;
    showRelation(relation);
}

void TablesView::clearConnection()
{
    m_openedEarly = false;
    m_connected = false;
    m_treeWanted = false;
    m_treeLoaded = false;
    m_loader->abandon();
    m_exportBar->cancel();
    m_exportBar->stop();
    m_exportBar->hide();
    m_treeModel->clear();
    m_schema.clear();
    m_table.clear();
    m_pending.reset();
    if (m_model) {
        m_grid->setLazyModel(nullptr);
        m_reveals->setModel(nullptr);
        delete m_model;
        m_model = nullptr;
    }
    setBusy(false);
    m_refreshTree->setEnabled(false);
    showMessage(tr("Connect to a database to browse its tables."));
    updateActions();
}

void TablesView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_treeWanted && !m_treeLoaded && !m_loader->isLoading())
        loadTree();
}

void TablesView::refreshTree()
{
    if (!m_connected)
        return;
    if (!m_pending && !m_table.isEmpty())
        m_pending = qMakePair(m_schema, m_table);
    loadTree();
}

void TablesView::loadTree()
{
    m_treeWanted = false;
    m_refreshTree->setEnabled(false);
    m_loader->load(m_settings);
}

void TablesView::onTreeLoaded(const SchemaListing &listing, const QString &error)
{
    m_refreshTree->setEnabled(true);
    if (!error.isEmpty()) {
        m_treeLoaded = false;
        showMessage(tr("The schemas could not be read: %1").arg(error));
        return;
    }
    const QString keepSchema = m_schema;
    const QString keepTable = m_table;
    {
        // A refresh rebuilds the tree; the grid stays on its table unless that table is gone.
        const QSignalBlocker block(m_tree->selectionModel());
        m_treeModel->setListing(listing);
    }
    m_tree->expandAll();
    m_treeLoaded = true;
    if (!keepTable.isEmpty() && !m_pending)
        m_pending = qMakePair(keepSchema, keepTable);
    if (m_pending) {
        selectPending();
    } else if (m_table.isEmpty()) {
        showMessage(m_treeModel->isEmpty() ? tr("This database has no schemas you can see.")
                                           : tr("Select a table or view in the tree."));
    }
    Q_EMIT treeLoaded();
}

void TablesView::openTable(const QString &schema, const QString &name)
{
    m_pending = qMakePair(schema, name);
    if (m_treeLoaded)
        selectPending();
}

void TablesView::selectPending()
{
    if (!m_pending)
        return;
    const auto [schema, name] = *m_pending;
    m_pending.reset();
    const QModelIndex index = m_treeModel->indexOf(schema, name);
    if (!index.isValid()) {
        m_schema.clear();
        m_table.clear();
        m_tree->selectionModel()->clearCurrentIndex();
        m_tree->clearSelection();
        showMessage(tr("The table %1.%2 does not exist in this database.").arg(schema, name));
        return;
    }
    if (schema == m_schema && name == m_table && m_tree->currentIndex() == index)
        return;
    m_tree->scrollTo(index);
    m_tree->setCurrentIndex(index); // onCurrentChanged opens it
    if (m_table != name || m_schema != schema)
        onCurrentChanged(index);
}

void TablesView::onCurrentChanged(const QModelIndex &current)
{
    const RelationEntry *relation = m_treeModel->relationAt(current);
    if (!relation)
        return; // a schema row: keep whatever the grid shows
    if (relation->schema == m_schema && relation->name == m_table && isShowingGrid())
        return;
    showRelation(*relation);
}

void TablesView::showRelation(const RelationEntry &relation)
{
    m_schema = relation.schema;
    m_table = relation.name;
    if (!relation.canSelect) {
        showMessage(tr("You have no SELECT privilege on %1.%2, so its rows cannot be shown or exported. "
                       "Ask its owner to GRANT SELECT to your role.").arg(relation.schema, relation.name));
        updateActions();
        return;
    }
    ensureModel();
    m_status->clearError();
    m_title->setText(relation.schema + u'.' + relation.name);
    m_title->setToolTip(relation.isView() ? tr("View %1.%2").arg(relation.schema, relation.name)
                                          : tr("Table %1.%2").arg(relation.schema, relation.name));
    m_filterBar->setColumns({});
    m_showDeleted->hide();
    if (m_showDeleted->isChecked()) {
        // Off by default for every table; the switch must not carry over from the last one.
        const QSignalBlocker block(m_showDeleted);
        m_showDeleted->setChecked(false);
        m_model->setIncludeDeleted(false);
    }
    m_stack->setCurrentWidget(m_gridPage);
    m_model->openTable(m_settings, relation.schema, relation.name);
    updateCount();
    updateActions();
}

void TablesView::ensureModel()
{
    if (m_model)
        return;
    m_model = new TableGridModel(m_services.fetchers(), this);
    m_grid->setLazyModel(m_model);
    m_reveals->setModel(m_model);
    connect(m_model, &LazyTableModel::tableReady, this, &TablesView::onTableReady);
    connect(m_model, &LazyTableModel::countChanged, this, &TablesView::updateCount);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TablesView::updateCount);
    connect(m_model, &LazyTableModel::errorOccurred, this, &TablesView::onModelError);
    connect(m_model, &LazyTableModel::fetchingChanged, this, &TablesView::onFetchingChanged);
    connect(m_model, &LazyTableModel::windowLoaded, this, [this] {
        // A read that works again clears an earlier cancel or timeout message.
        m_status->clearTransient();
    });
    connect(m_grid->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TablesView::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TablesView::updateActions);
}

void TablesView::onTableReady()
{
    const TableInfo &info = m_model->tableInfo();
    m_filterBar->setColumns(info.columns);
    m_showDeleted->setVisible(info.hasIsDeleted);
    updateCount();
    updateActions();
    Q_EMIT tableShown();
}

void TablesView::onModelError(const QString &message)
{
    m_status->showModelError(message);
    setBusy(false);
}

int TablesView::sortColumn() const
{
    const QHeaderView *header = m_grid->horizontalHeader();
    return header->isSortIndicatorShown() ? header->sortIndicatorSection() : -1;
}

void TablesView::onFetchingChanged(bool fetching)
{
    if (!fetching) {
        m_busyBar->fetchEnded();
        return;
    }
    const int column = sortColumn();
    // A sort by a column no index leads makes the server sort every matching row: say so at once.
    m_busyBar->fetchStarted(column >= 0 && m_model && !m_model->isInstantSort(column));
}

void TablesView::setBusy(bool busy)
{
    m_busyBar->setBusy(busy);
}

bool TablesView::isBusyShown() const
{
    return m_busyBar->isBusy();
}

QToolButton *TablesView::copyButton() const
{
    return m_actions->copyButton();
}

QToolButton *TablesView::exportButton() const
{
    return m_actions->exportButton();
}

QPushButton *TablesView::cancelFetchButton() const
{
    return m_busyBar->cancelButton();
}

void TablesView::updateCount()
{
    m_status->showCount(m_model, !m_table.isEmpty());
}

void TablesView::updateActions()
{
    const bool hasTable = m_model && m_model->tableInfo().isValid() && isShowingGrid();
    const bool canSelect = hasTable && m_model->tableInfo().canSelect;
    const bool hasSelection = hasTable && m_grid->selectionModel() && m_grid->selectionModel()->hasSelection();
    m_actions->update(hasTable, canSelect, hasSelection, isExporting());
}

void TablesView::showMessage(const QString &text)
{
    m_message->setText(text);
    m_stack->setCurrentWidget(m_message);
    setBusy(false);
    updateActions();
}

QString TablesView::messageText() const
{
    return m_stack->currentWidget() == m_message ? m_message->text() : QString();
}

QString TablesView::countText() const
{
    return m_status->countText();
}

QString TablesView::errorText() const
{
    return m_status->errorText();
}

bool TablesView::isShowingGrid() const
{
    return m_stack->currentWidget() == m_gridPage;
}

QString TablesView::exportStatusText() const
{
    return m_exportBar->statusText();
}

void TablesView::cancelExport()
{
    m_exportBar->cancel();
}

void TablesView::copyCells()
{
    m_grid->copySelection();
}

bool TablesView::exportTo(const QString &path)
{
    if (!isShowingGrid()
        || !m_export->start(m_model, m_settings, m_showDeleted->isChecked(), m_actions->isExcelCompatible(), path,
                            m_title->text()))
        return false;
    updateActions();
    return true;
}

bool TablesView::isExporting() const
{
    return m_exportBar->isExporting();
}

} // namespace MigrationDesk
