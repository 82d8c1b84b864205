#include "data/tablesview.h"

#include "data/datagrid.h"
#include "data/filterbar.h"
#include "icons.h"

#include "browse/lazytablemodel.h"
#include "models/schematreemodel.h"
#include "session/appservices.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QRegularExpression>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
// A window read that takes longer than this shows the busy bar even for an indexed sort (a lock, a slow view).
constexpr int busyDelayMs = 400;
} // namespace

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
    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(6, 6, 0, 6);
    auto *treeHeader = new QHBoxLayout;
    auto *treeTitle = new QLabel(tr("Schemas"), left);
    QFont bold = treeTitle->font();
    bold.setBold(true);
    treeTitle->setFont(bold);
    m_refreshTree = new QToolButton(left);
    m_refreshTree->setObjectName(u"refreshTree"_s);
    m_refreshTree->setText(tr("Refresh"));
    m_refreshTree->setIcon(Icons::get(Icons::Refresh));
    m_refreshTree->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_refreshTree->setToolTip(tr("Read the schemas, tables and their estimates again"));
    treeHeader->addWidget(treeTitle);
    treeHeader->addStretch(1);
    treeHeader->addWidget(m_refreshTree);
    leftLayout->addLayout(treeHeader);
    m_tree = new QTreeView(left);
    m_tree->setObjectName(u"schemaTree"_s);
    m_tree->setModel(m_treeModel);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(SchemaTreeModel::NameColumn, QHeaderView::Stretch);
    for (int c = SchemaTreeModel::KindColumn; c < SchemaTreeModel::ColumnCount; ++c)
        m_tree->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    leftLayout->addWidget(m_tree);
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
    m_title->setFont(bold);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_showDeleted = new QCheckBox(tr("Show deleted rows"), m_gridPage);
    m_showDeleted->setObjectName(u"showDeleted"_s);
    m_showDeleted->setToolTip(tr("Also show the rows marked is_deleted (kept for the Trash)"));
    m_copy = new QToolButton(m_gridPage);
    m_copy->setObjectName(u"copyCells"_s);
    m_copy->setText(tr("Copy"));
    m_export = new QToolButton(m_gridPage);
    m_export->setObjectName(u"exportCsv"_s);
    m_export->setText(tr("Export CSV…"));
    m_export->setIcon(Icons::get(Icons::Export));
    m_export->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    top->addWidget(m_title);
    top->addStretch(1);
    top->addWidget(m_showDeleted);
    top->addWidget(m_copy);
    top->addWidget(m_export);
    page->addLayout(top);

    m_filterBar = new FilterBar(m_gridPage);
    m_filterBar->setObjectName(u"filterBar"_s);
    page->addWidget(m_filterBar);

    m_busyBar = new QWidget(m_gridPage);
    m_busyBar->setObjectName(u"busyBar"_s);
    auto *busy = new QHBoxLayout(m_busyBar);
    busy->setContentsMargins(0, 0, 0, 0);
    auto *spinner = new QProgressBar(m_busyBar);
    spinner->setRange(0, 0);
    spinner->setMaximumWidth(120);
    spinner->setTextVisible(false);
    auto *busyText = new QLabel(tr("Reading rows… Sorting by a column without an index can take a while."), m_busyBar);
    m_cancelFetch = new QPushButton(tr("Cancel"), m_busyBar);
    m_cancelFetch->setObjectName(u"cancelFetch"_s);
    busy->addWidget(spinner);
    busy->addWidget(busyText, 1);
    busy->addWidget(m_cancelFetch);
    m_busyBar->hide();
    page->addWidget(m_busyBar);

    m_grid = new DataGrid(m_gridPage);
    m_grid->setObjectName(u"tableGrid"_s);
    m_grid->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_grid->horizontalHeader()->setStretchLastSection(true);
    m_copyAction = new QAction(tr("Copy"), m_grid);
    m_copyAction->setObjectName(u"copyAction"_s);
    m_grid->addAction(m_copyAction);
    auto *exportAction = new QAction(Icons::get(Icons::Export), tr("Export CSV…"), m_grid);
    m_grid->addAction(exportAction);
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

    m_exportBar = new QWidget(m_gridPage);
    m_exportBar->setObjectName(u"exportBar"_s);
    auto *exportRow = new QHBoxLayout(m_exportBar);
    exportRow->setContentsMargins(0, 0, 0, 0);
    m_exportStatus = new QLabel(m_exportBar);
    m_exportStatus->setObjectName(u"exportStatus"_s);
    m_exportStatus->setWordWrap(true);
    m_exportProgress = new QProgressBar(m_exportBar);
    m_exportProgress->setObjectName(u"exportProgress"_s);
    m_exportProgress->setMaximumWidth(240);
    m_cancelExport = new QPushButton(tr("Cancel Export"), m_exportBar);
    m_cancelExport->setObjectName(u"cancelExport"_s);
    exportRow->addWidget(m_exportStatus, 1);
    exportRow->addWidget(m_exportProgress);
    exportRow->addWidget(m_cancelExport);
    m_exportBar->hide();
    page->addWidget(m_exportBar);
    m_stack->addWidget(m_gridPage);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({340, 940});

    m_busyDelay = new QTimer(this);
    m_busyDelay->setSingleShot(true);
    m_busyDelay->setInterval(busyDelayMs);
    connect(m_busyDelay, &QTimer::timeout, this, [this] { setBusy(m_model && m_model->isFetching()); });

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
    connect(m_copy, &QToolButton::clicked, this, &TablesView::copyCells);
    connect(m_copyAction, &QAction::triggered, this, &TablesView::copyCells);
    connect(m_export, &QToolButton::clicked, this, &TablesView::chooseExportFile);
    connect(exportAction, &QAction::triggered, this, &TablesView::chooseExportFile);
    connect(m_cancelFetch, &QPushButton::clicked, this, [this] {
        if (m_model)
            m_model->cancel();
    });
    connect(m_cancelExport, &QPushButton::clicked, this, &TablesView::cancelExport);

    clearConnection();
}

TablesView::~TablesView()
{
    // Stopping interrupts it (the cancel given to start()): no file is left half written.
    stopExportThread();
    // The grid must let go of the model before the model (a child of this view) goes.
    m_grid->setLazyModel(nullptr);
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
    cancelExport();
    stopExportThread();
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
    m_model = new LazyTableModel(m_services.fetchers(), this);
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
        m_busyDelay->stop();
        setBusy(false);
        return;
    }
    const int column = sortColumn();
    // A sort by a column no index leads makes the server sort every matching row: say so at once.
    if (column >= 0 && m_model && !m_model->isInstantSort(column))
        setBusy(true);
    else
        m_busyDelay->start();
}

void TablesView::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    m_busyBar->setVisible(busy);
    Q_EMIT busyChanged(busy);
}

bool TablesView::isBusyShown() const
{
    return m_busy;
}

void TablesView::updateCount()
{
    if (!m_model || !m_model->tableInfo().isValid()) {
        m_count->setText(m_model && !m_table.isEmpty() ? tr("Loading…") : QString());
        return;
    }
    QString text = tr("%1 rows").arg(m_model->countText());
    if (m_model->isCountExact() && m_model->rowCount() == 0 && !m_model->filters().isEmpty())
        text += u"  —  "_s + tr("No rows match the filters.");
    m_count->setText(text);
}

void TablesView::updateActions()
{
    const bool hasTable = m_model && m_model->tableInfo().isValid() && isShowingGrid();
    const bool canSelect = hasTable && m_model->tableInfo().canSelect;
    const bool hasSelection = hasTable && m_grid->selectionModel() && m_grid->selectionModel()->hasSelection();
    m_copy->setEnabled(hasSelection);
    m_copyAction->setEnabled(hasSelection);
    m_copy->setToolTip(hasSelection ? tr("Copy the selected cells as tab-separated text (Ctrl+C)")
                                    : tr("Select cells in the grid to copy them"));
    const bool canExport = canSelect && !isExporting();
    m_export->setEnabled(canExport);
    if (hasTable && !canSelect)
        m_export->setToolTip(tr("Exporting needs the SELECT privilege on this table."));
    else if (isExporting())
        m_export->setToolTip(tr("An export is already running."));
    else
        m_export->setToolTip(tr("Write the rows as the grid shows them (filters, sort, deleted rows) to a CSV file"));
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
    return m_exportStatus->text();
}

void TablesView::copyCells()
{
    m_grid->copySelection();
}

void TablesView::chooseExportFile()
{
    if (!m_export->isEnabled())
        return;
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    // The file name is the table's own name; characters a file system refuses become _.
    QString name = m_table;
    name.replace(QRegularExpression(u"[/\\\\:*?\"<>|]"_s), u"_"_s);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export CSV"), QDir(folder).filePath(name + u".csv"_s),
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
                                m_model->filters(), m_showDeleted->isChecked());
    request.path = path;
    for (int c = 0; c < info.columns.size(); ++c) {
        if (m_model->isRevealed(c))
            request.revealed.insert(c);
    }
    request.estimatedRows = m_model->rowCount();
    m_exportEstimate = request.estimatedRows;

    auto exporter = new CsvExporter;
    m_exporter = m_services.threads().start(exporter, u"CsvExporter"_s, [exporter] { exporter->cancel(); });
    connect(m_exporter, &CsvExporter::progress, this, &TablesView::onExportProgress);
    connect(m_exporter, &CsvExporter::finished, this, &TablesView::onExportFinished);
    QMetaObject::invokeMethod(exporter, [exporter, request] { exporter->run(request); }, Qt::QueuedConnection);

    m_exportProgress->setRange(0, request.estimatedRows > 0 ? 1000 : 0);
    m_exportProgress->setValue(0);
    m_exportProgress->show();
    m_cancelExport->show();
    m_cancelExport->setEnabled(true);
    m_exportStatus->setText(tr("Exporting %1 to %2…").arg(m_title->text(), QDir::toNativeSeparators(path)));
    m_exportBar->show();
    updateActions();
    return true;
}

void TablesView::onExportProgress(qint64 rows, qint64 estimate)
{
    if (estimate > 0) {
        // The estimate can be low: the bar stays just short of full until the export finishes.
        m_exportProgress->setValue(int(qMin<qint64>(999, rows * 1000 / estimate)));
        m_exportStatus->setText(tr("Exported %1 of ≈ %2 rows…")
                                    .arg(QLocale().toString(qlonglong(rows)), QLocale().toString(qlonglong(estimate))));
    } else {
        m_exportStatus->setText(tr("Exported %1 rows…").arg(QLocale().toString(qlonglong(rows))));
    }
}

void TablesView::onExportFinished(CsvExporter::Outcome outcome, qint64 rows, const QString &message)
{
    stopExportThread();
    m_exportProgress->hide();
    m_cancelExport->hide();
    switch (outcome) {
    case CsvExporter::Finished:
        m_exportStatus->setText(tr("Exported %1 rows to %2.")
                                    .arg(QLocale().toString(qlonglong(rows)), QDir::toNativeSeparators(message)));
        break;
    case CsvExporter::Cancelled:
        m_exportStatus->setText(tr("Export cancelled; no file was written."));
        break;
    case CsvExporter::Failed:
        m_exportStatus->setText(tr("Export failed; no file was written: %1").arg(message));
        break;
    }
    updateActions();
    Q_EMIT exportFinished(outcome, rows, message);
}

void TablesView::cancelExport()
{
    if (!m_exporter)
        return;
    m_exporter->cancel();
    m_cancelExport->setEnabled(false);
    m_exportStatus->setText(tr("Cancelling the export…"));
}

void TablesView::stopExportThread()
{
    if (!m_exporter)
        return;
    // Waited for: after a finished export this is immediate, and a view going away must not leave a
    // half-written file behind.
    m_services.threads().stop(std::exchange(m_exporter, nullptr));
}

} // namespace MigrationDesk
