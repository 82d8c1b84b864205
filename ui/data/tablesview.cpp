#include "data/tablesview.h"

#include "data/datagrid.h"
#include "data/exportbar.h"
#include "data/fetchbusybar.h"
#include "data/schematreepane.h"
#include "data/tableactions.h"
#include "data/tablegridmodel.h"
#include "data/filterbar.h"
#include "data/revealgate.h"

#include "browse/lazytablemodel.h"
#include "models/schematreemodel.h"
#include "session/appservices.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

TablesView::TablesView(AppServices &services, QWidget *parent)
    : QWidget(parent)
    , m_services(services)
    , m_loader(new SchemaCatalogLoader(services.threads(), this))
    , m_treeModel(new SchemaTreeModel(this))
    , m_reveals(new RevealGate(services, this))
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

    m_gridPage = new QWidget(m_stack);
    auto *page = new QVBoxLayout(m_gridPage);
    page->setContentsMargins(6, 6, 6, 6);
    auto *top = new QHBoxLayout;
    m_title = new QLabel(m_gridPage);
    m_title->setObjectName(u"tableTitle"_s);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_showDeleted = new QCheckBox(tr("Show deleted rows"), m_gridPage);
    m_showDeleted->setObjectName(u"showDeleted"_s);
    m_showDeleted->setToolTip(tr("Also show the rows marked is_deleted (kept for the Trash)"));
    m_actions = new TableActions(m_gridPage, this);
    top->addWidget(m_title);
    top->addStretch(1);
    top->addWidget(m_showDeleted);
    top->addWidget(m_actions->copyButton());
    top->addWidget(m_actions->exportButton());
    page->addLayout(top);

    m_filterBar = new FilterBar(m_gridPage);
    m_filterBar->setObjectName(u"filterBar"_s);
    page->addWidget(m_filterBar);

    m_busyBar = new FetchBusyBar([this] { return m_model && m_model->isFetching(); }, m_gridPage);
    page->addWidget(m_busyBar);

    m_grid = new DataGrid(m_gridPage);
    m_grid->setObjectName(u"tableGrid"_s);
    m_grid->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_grid->horizontalHeader()->setStretchLastSection(true);
    m_actions->addContextActions(m_grid);
    page->addWidget(m_grid, 1);

    auto *bottom = new QHBoxLayout;
    m_count = new QLabel(m_gridPage);
    m_count->setObjectName(u"rowCount"_s);
    m_error = new QLabel(m_gridPage);
    m_error->setObjectName(u"tableError"_s);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(u"color: #b3261e;"_s);
    bottom->addWidget(m_count);
    bottom->addSpacing(12);
    bottom->addWidget(m_error, 1);
    page->addLayout(bottom);

    m_exportBar = new ExportBar(services, m_gridPage);
    page->addWidget(m_exportBar);
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
        m_error->clear();
        m_model->setIncludeDeleted(on);
    });
    connect(m_filterBar, &FilterBar::filtersChanged, this, [this](const QList<ColumnFilter> &filters) {
        if (!m_model)
            return;
        m_error->clear();
        m_model->setFilters(filters);
    });
    connect(m_filterBar, &FilterBar::refused, this, &TablesView::showRefusal);
    connect(m_grid, &DataGrid::refused, this, &TablesView::showRefusal);
    connect(m_grid, &DataGrid::revealRequested, this, &TablesView::requestReveal);
    connect(m_reveals, &RevealGate::recorded, this, &TablesView::onRevealRecorded);
    connect(m_reveals, &RevealGate::failed, this,
            [this](const QString &schema, const QString &table, const QString &, const QString &message) {
                if (schema != m_schema || table != m_table)
                    return;
                m_error->setProperty("transient", false);
                m_error->setText(message);
            });
    connect(m_grid, &DataGrid::maskedAgain, this, [this](int column) {
        if (!m_model)
            return;
        m_filterBar->setRevealedColumns(revealedNames());
        m_filterBar->forgetFiltersOn(m_model->tableInfo().columns.value(column).name);
    });
    connect(m_actions, &TableActions::copyRequested, this, &TablesView::copyCells);
    connect(m_actions, &TableActions::exportRequested, this, &TablesView::chooseExportFile);
    connect(m_busyBar->cancelButton(), &QPushButton::clicked, this, [this] {
        if (m_model)
            m_model->cancel();
    });
    connect(m_exportBar, &ExportBar::finished, this, &TablesView::onExportFinished);

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

void TablesView::showRefusal(const QString &message)
{
    m_error->setProperty("transient", true);
    m_error->setText(message);
}

QSet<QString> TablesView::revealedNames() const
{
    QSet<QString> names;
    if (!m_model)
        return names;
    const TableInfo &info = m_model->tableInfo();
    for (int c = 0; c < info.columns.size(); ++c) {
        if (m_model->isRevealed(c))
            names.insert(info.columns.at(c).name);
    }
    return names;
}

void TablesView::requestReveal(int column)
{
    if (!m_model || !m_model->isColumnSensitive(column))
        return;
    const QString name = m_model->tableInfo().columns.at(column).name;
    m_error->setProperty("transient", true);
    m_error->setText(tr("Recording the unmasking of \u201c%1\u201d in the audit table\u2026").arg(name));
    m_reveals->request(m_settings, m_schema, m_table, name);
}

void TablesView::onRevealRecorded(const QString &schema, const QString &table, const QString &column)
{
    // Another table opened meanwhile: its columns stay masked; the audit row stays true to what was asked.
    if (!m_model || schema != m_schema || table != m_table)
        return;
    const int index = m_model->tableInfo().columnIndex(column);
    if (index < 0)
        return;
    m_model->setRevealed(index, true);
    m_filterBar->setRevealedColumns(revealedNames());
    m_error->clear();
}

void TablesView::setConnection(const ConnectionSettings &settings)
{
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

void TablesView::clearConnection()
{
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
    m_error->clear();
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
    connect(m_model, &LazyTableModel::tableReady, this, &TablesView::onTableReady);
    connect(m_model, &LazyTableModel::countChanged, this, &TablesView::updateCount);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TablesView::updateCount);
    connect(m_model, &LazyTableModel::errorOccurred, this, &TablesView::onModelError);
    connect(m_model, &LazyTableModel::fetchingChanged, this, &TablesView::onFetchingChanged);
    connect(m_model, &LazyTableModel::windowLoaded, this, [this] {
        // A read that works again clears an earlier cancel or timeout message.
        if (m_error->property("transient").toBool())
            m_error->clear();
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
    // 57014 is our own Cancel (or a statement timeout): not the server refusing anything.
    const bool cancelled = message.contains(u"[57014]"_s);
    m_error->setProperty("transient", cancelled);
    m_error->setText(cancelled ? tr("Cancelled. Scroll, sort or refresh to read the rows again.") : message);
    if (!cancelled)
        m_count->clear(); // "0 rows" would read as an answer; the query did not run
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
    if (!m_model || !m_model->tableInfo().isValid()) {
        m_count->setText(m_model && !m_table.isEmpty() ? tr("Loading…") : QString());
        return;
    }
    // The source reads as the plural; the translations hold the forms for each count (1 row, 2 rows).
    QString text = tr("%1 rows", nullptr, m_model->rowCount()).arg(m_model->countText());
    if (m_model->isCountExact() && m_model->rowCount() == 0 && !m_model->filters().isEmpty())
        text += u"  —  "_s + tr("No rows match the filters.");
    m_count->setText(text);
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

bool TablesView::isShowingGrid() const
{
    return m_stack->currentWidget() == m_gridPage;
}

QString TablesView::countText() const
{
    return m_count->text();
}

QString TablesView::errorText() const
{
    return m_error->text();
}

QString TablesView::exportStatusText() const
{
    return m_exportBar->statusText();
}

void TablesView::copyCells()
{
    m_grid->copySelection();
}

void TablesView::chooseExportFile()
{
    if (!m_actions->canExport())
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export CSV"), ExportBar::suggestedPath(m_table),
                                                      tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty())
        exportTo(path);
}

bool TablesView::exportTo(const QString &path)
{
    if (!m_model || !m_model->tableInfo().isValid() || !m_model->tableInfo().canSelect || isExporting()
        || !isShowingGrid())
        return false;
    const int column = sortColumn();
    const TableInfo &info = m_model->tableInfo();
    CsvExportRequest request;
    request.settings = m_settings;
    request.query = KeysetQuery(info, column >= 0 ? info.columns.value(column).name : QString(),
                                m_grid->horizontalHeader()->sortIndicatorOrder() == Qt::AscendingOrder || column < 0,
                                m_model->filters(), m_showDeleted->isChecked(), {}, revealedNames());
    request.path = path;
    for (int c = 0; c < info.columns.size(); ++c) {
        if (m_model->isRevealed(c))
            request.revealed.insert(c);
    }
    request.estimatedRows = m_model->rowCount();
    request.byteOrderMark = m_actions->isExcelCompatible();
    m_exportBar->start(request, m_title->text());
    updateActions();
    return true;
}

void TablesView::onExportFinished(CsvExporter::Outcome outcome, qint64 rows, const QString &message)
{
    updateActions();
    Q_EMIT exportFinished(outcome, rows, message);
}

void TablesView::cancelExport()
{
    m_exportBar->cancel();
}

bool TablesView::isExporting() const
{
    return m_exportBar->isExporting();
}

} // namespace MigrationDesk
