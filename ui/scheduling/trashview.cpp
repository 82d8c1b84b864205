#include "scheduling/trashview.h"

#include "browse/lazytablemodel.h"
#include "data/datagrid.h"
#include "scheduling/trashactions.h"
#include "scheduling/trashauditpane.h"
#include "scheduling/trashgridmodel.h"
#include "scheduling/trashtablayout.h"
#include "icons.h"
#include "session/appservices.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

constexpr int tabIndexSchedules = 0;
constexpr int tabIndexEmployees = 1;
constexpr int tabIndexAudit = 2;

QString qualifiedName(TrashTable table)
{
    return TrashStore::schema() + u'.' + TrashStore::tableName(table);
}

bool canRestore(const TableInfo &info)
{
    if (info.canUpdate)
        return true;
    // Column privileges are enough: the restore writes these two columns only.
    const int flag = info.columnIndex(u"is_deleted"_s);
    const int when = info.columnIndex(u"deleted_at"_s);
    return flag >= 0 && when >= 0 && info.columns.at(flag).canUpdate && info.columns.at(when).canUpdate;
}

} // namespace

TrashView::TrashView(AppServices &services, QWidget *parent)
    : QWidget(parent)
    , m_services(services)
    , m_pages(new QStackedWidget(this))
    , m_message(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_search(new QLineEdit(this))
    , m_searchTimer(new QTimer(this))
    , m_refresh(new QPushButton(tr("Refresh"), this))
    , m_restore(new QPushButton(tr("Restore"), this))
    , m_purge(new QPushButton(tr("Delete Permanently\u2026"), this))
    , m_undoButton(new QPushButton(tr("Undo Restore"), this))
    , m_statusLabel(new QLabel(this))
{
    m_worker = m_services.threads().start(new TrashWorker, u"TrashWorker"_s);
    connect(m_worker, &TrashWorker::opened, this, &TrashView::onOpened);
    m_actions = new TrashActions(m_worker, this);
    connect(m_actions, &TrashActions::status, this, &TrashView::setStatus);
    connect(m_actions, &TrashActions::stateChanged, this, &TrashView::updateActions);
    connect(m_actions, &TrashActions::rowsChanged, this, &TrashView::refreshModels);
    connect(m_actions, &TrashActions::finished, this, &TrashView::finished);

    m_message->setObjectName(u"messageLabel"_s);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setForegroundRole(QPalette::PlaceholderText);

    m_tabs->setObjectName(u"trashTabs"_s);
    m_tabs->setDocumentMode(true);
    for (TrashTable table : {TrashTable::Schedules, TrashTable::Employees}) {
        auto *grid = new DataGrid(this);
        grid->setObjectName(table == TrashTable::Schedules ? u"schedulesGrid"_s : u"employeesGrid"_s);
        grid->setSelectionBehavior(QAbstractItemView::SelectRows);
        tab(table).grid = grid;
        m_tabs->addTab(grid, table == TrashTable::Schedules ? tr("Schedules") : tr("Employees"));
    }
    m_audit = new TrashAuditPane(m_worker, this);
    m_tabs->addTab(m_audit, tr("Audit"));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (isAuditTabCurrent() && m_connected && m_loaded)
            m_audit->reload();
        m_search->setPlaceholderText(currentTable() == TrashTable::Schedules
                                         ? tr("Search title or client\u2026")
                                         : tr("Search name, email or username\u2026"));
        updateActions();
    });

    m_search->setObjectName(u"searchEdit"_s);
    m_search->setClearButtonEnabled(true);
    m_search->setPlaceholderText(tr("Search title or client\u2026"));
    // Typing restarts the timer, so only the text the user paused on reaches the server.
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(300);
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_searchTimer, &QTimer::timeout, this, [this] {
        applyFilters(TrashTable::Schedules);
        applyFilters(TrashTable::Employees);
    });

    m_refresh->setObjectName(u"refreshButton"_s);
    m_restore->setObjectName(u"restoreButton"_s);
    m_purge->setObjectName(u"purgeButton"_s);
    m_refresh->setIcon(Icons::get(Icons::Refresh));
    m_restore->setIcon(Icons::get(Icons::Restore));
    m_purge->setIcon(Icons::get(Icons::DeletePermanently));
    connect(m_refresh, &QPushButton::clicked, this, [this] {
        for (TrashTable table : {TrashTable::Schedules, TrashTable::Employees}) {
            if (tab(table).model)
                tab(table).model->refresh(true);
        }
    });
    m_undoButton->setObjectName(u"undoButton"_s);
    m_undoButton->setToolTip(tr("Put the rows of the last restore back in the trash, unless someone changed them since."));
    m_undoButton->hide();
    connect(m_undoButton, &QPushButton::clicked, m_actions, &TrashActions::undoRestore);
    connect(m_restore, &QPushButton::clicked, this, &TrashView::restoreSelected);
    connect(m_purge, &QPushButton::clicked, this, &TrashView::purgeSelected);

    m_statusLabel->setObjectName(u"statusLabel"_s);
    m_statusLabel->setWordWrap(true);
    m_statusLabel->setTextFormat(Qt::PlainText);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Two rows: the search above the tabs, the actions below them, beside nothing that could squeeze
    // them, so that no button is clipped at half a screen's width in either language.
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search, 1);
    bar->addWidget(m_refresh);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_restore);
    actions->addWidget(m_undoButton);
    actions->addStretch(1);
    actions->addWidget(m_purge);

    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addLayout(bar);
    contentLayout->addWidget(m_tabs, 1);
    contentLayout->addLayout(actions);
    contentLayout->addWidget(m_statusLabel);

    m_pages->addWidget(m_message);
    m_pages->addWidget(content);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);

    clearConnection();
}

TrashView::~TrashView()
{
    dropModels();
    TrashWorker *worker = m_worker;
    // The connection belongs to the worker's thread, so it is closed there.
    QMetaObject::invokeMethod(worker, [worker] { worker->close(); }, Qt::QueuedConnection);
    // Not waited for: nothing the worker runs calls back into this view.
    m_services.threads().retire(worker);
}

LazyTableModel *TrashView::model(TrashTable table) const
{
    return tab(table).model;
}

TrashTable TrashView::currentTable() const
{
    return m_tabs->currentIndex() == tabIndexEmployees ? TrashTable::Employees : TrashTable::Schedules;
}

bool TrashView::canUndo() const
{
    return m_actions->canUndo();
}

bool TrashView::isAuditTabCurrent() const
{
    return m_tabs->currentIndex() == tabIndexAudit;
}

QString TrashView::message() const
{
    return m_pages->currentWidget() == m_message ? m_message->text() : QString();
}

QString TrashView::statusText() const
{
    return m_statusLabel->text();
}

void TrashView::setConnection(const ConnectionSettings &settings)
{
    m_settings = settings;
    m_connected = true;
    m_loaded = false;
    m_actions->setConnected(true);
    m_audit->clear();
    dropModels();
    showMessage(tr("Loading the trash\u2026"));
    if (isVisible())
        load();
}

void TrashView::clearConnection()
{
    m_connected = false;
    m_loaded = false;
    m_actions->setConnected(false);
    m_audit->clear();
    dropModels();
    TrashWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker] { worker->close(); }, Qt::QueuedConnection);
    setStatus({}, false);
    showMessage(tr("Connect to a database"));
    updateActions();
}

void TrashView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_connected && !m_loaded)
        load();
}

void TrashView::load()
{
    m_loaded = true;
    ++m_pendingOpens;
    TrashWorker *worker = m_worker;
    const ConnectionSettings settings = m_settings;
    QMetaObject::invokeMethod(worker, [worker, settings] { worker->open(settings); }, Qt::QueuedConnection);
}

void TrashView::dropModels()
{
    for (TrashTable table : {TrashTable::Schedules, TrashTable::Employees}) {
        Tab &t = tab(table);
        t.grid->setLazyModel(nullptr);
        delete t.model;
        t.model = nullptr;
        updateTabTitle(table);
    }
}

void TrashView::showMessage(const QString &text)
{
    m_message->setText(text);
    m_pages->setCurrentWidget(m_message);
}

void TrashView::onOpened(bool ok, const QString &error, const TrashStatus &status)
{
    if (--m_pendingOpens > 0 || !m_connected)
        return;
    if (!ok) {
        showMessage(tr("The trash could not be opened:\n%1").arg(error));
        return;
    }
    m_status = status;
    if (!status.schedulesExist || !status.employeesExist) {
        showMessage(!status.schedulesExist
                        ? tr("The schedules table does not exist. Upgrade the database to head in Migrations.")
                        : tr("The employees table does not exist. Upgrade the database to head in Migrations."));
        return;
    }
    m_pages->setCurrentIndex(1);
    openModel(TrashTable::Schedules);
    openModel(TrashTable::Employees);
    if (isAuditTabCurrent())
        m_audit->reload();
    updateActions();
}

void TrashView::openModel(TrashTable table)
{
    Tab &t = tab(table);
    t.model = new TrashGridModel(m_services.fetchers(), this);
    // Soft-deleted rows are what the trash is about.
    t.model->setIncludeDeleted(true);
    t.grid->setLazyModel(t.model);
    connect(t.model, &LazyTableModel::tableReady, this, [this, table] { onTableReady(table); });
    connect(t.model, &QAbstractItemModel::modelReset, this, [this, table] { arrangeColumns(table); });
    connect(t.model, &LazyTableModel::countChanged, this, [this, table] { updateTabTitle(table); });
    connect(t.model, &LazyTableModel::errorOccurred, this, [this](const QString &error) { setStatus(error, true); });
    connect(t.grid->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TrashView::updateActions);

    t.model->openTable(m_settings, TrashStore::schema(), TrashStore::tableName(table), TrashTabLayout::joins(table));
}

void TrashView::onTableReady(TrashTable table)
{
    Tab &t = tab(table);
    const int deletedAt = t.model->tableInfo().columnIndex(u"deleted_at"_s);
    applyFilters(table);
    // Newest deletion first: ix_*_trash_deleted_at serves exactly this order.
    t.grid->sortBy(deletedAt, Qt::DescendingOrder);
    arrangeColumns(table);
    updateActions();
}

void TrashView::applyFilters(TrashTable table)
{
    LazyTableModel *model = tab(table).model;
    if (!model || !model->tableInfo().isValid())
        return;
    model->setFilters(TrashTabLayout::filters(table, m_search->text()));
}

void TrashView::arrangeColumns(TrashTable table)
{
    const Tab &t = tab(table);
    if (!t.model || t.model->columnCount() == 0)
        return;
    TrashTabLayout::arrangeColumns(t.grid, *t.model, table);
}

void TrashView::updateTabTitle(TrashTable table)
{
    const int index = table == TrashTable::Schedules ? tabIndexSchedules : tabIndexEmployees;
    const QString name = table == TrashTable::Schedules ? tr("Schedules") : tr("Employees");
    const LazyTableModel *model = tab(table).model;
    m_tabs->setTabText(index, model && model->tableInfo().isValid() ? tr("%1 (%2)").arg(name, model->countText())
                                                                     : name);
}

void TrashView::updateActions()
{
    const TrashTable table = currentTable();
    const LazyTableModel *model = tab(table).model;
    const bool ready = m_connected && model && model->tableInfo().isValid() && !isAuditTabCurrent();
    const bool selected = ready && tab(table).grid->selectionModel()
                          && tab(table).grid->selectionModel()->hasSelection();
    QString restoreWhy;
    QString purgeWhy;
    if (ready && m_status.readOnly) {
        restoreWhy = purgeWhy = tr("The session is read-only (default_transaction_read_only or a standby server).");
    } else if (ready) {
        if (!canRestore(model->tableInfo()))
            restoreWhy = tr("Your role may not change %1 (no UPDATE privilege).").arg(qualifiedName(table));
        if (!model->tableInfo().canDelete)
            purgeWhy = tr("Your role may not delete from %1 (no DELETE privilege).").arg(qualifiedName(table));
    }
    const bool busy = m_actions->isBusy();
    m_restore->setEnabled(selected && !busy && restoreWhy.isEmpty());
    m_purge->setEnabled(selected && !busy && purgeWhy.isEmpty());
    m_restore->setToolTip(restoreWhy.isEmpty() ? tr("Restore the selected rows (they become live again).") : restoreWhy);
    m_purge->setToolTip(purgeWhy.isEmpty() ? tr("Delete the selected rows permanently, after a typed confirmation.")
                                           : purgeWhy);
    m_search->setEnabled(ready);
    m_refresh->setEnabled(ready && !busy);
    m_undoButton->setVisible(m_actions->canUndo());
    m_undoButton->setEnabled(m_actions->canUndo() && !busy && !m_status.readOnly);
}

QList<TrashRow> TrashView::loadedSelection(TrashTable table)
{
    int notLoaded = 0;
    const QList<TrashRow> rows = tab(table).model
        ? TrashTabLayout::selectedRows(tab(table).grid, *tab(table).model, table, &notLoaded)
        : QList<TrashRow>();
    if (notLoaded == 0)
        return rows;
    setStatus(tr("%n selected row(s) are not loaded yet; scroll to them or select fewer rows.", nullptr, notLoaded),
              true);
    return {};
}

void TrashView::restoreSelected()
{
    const TrashTable table = currentTable();
    const QList<TrashRow> rows = loadedSelection(table);
    if (!rows.isEmpty())
        m_actions->restore(table, rows);
}

void TrashView::purgeSelected()
{
    const TrashTable table = currentTable();
    const QList<TrashRow> rows = loadedSelection(table);
    if (!rows.isEmpty())
        m_actions->purge(table, rows);
}

void TrashView::refreshModels()
{
    // Rows left or came back to the trash, and a restore may have brought employees back as well.
    for (TrashTable table : {TrashTable::Schedules, TrashTable::Employees}) {
        if (tab(table).model)
            tab(table).model->refresh(true);
    }
    m_audit->reload();
}

void TrashView::setStatus(const QString &text, bool error)
{
    m_statusLabel->setText(text);
    QPalette palette = m_statusLabel->palette();
    palette.setColor(QPalette::WindowText, error ? QColor(0xb0, 0x20, 0x20) : this->palette().color(QPalette::WindowText));
    m_statusLabel->setPalette(palette);
    m_statusLabel->setVisible(!text.isEmpty());
}

} // namespace MigrationDesk
