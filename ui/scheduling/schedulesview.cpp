#include "scheduling/schedulesview.h"

#include "scheduling/schedulefilter.h"
#include "scheduling/calendarpane.h"
#include "scheduling/statuslegend.h"
#include "data/datagrid.h"
#include "scheduling/scheduledelegate.h"
#include "scheduling/scheduledetailpane.h"
#include "scheduling/scheduleeditmode.h"
#include "scheduling/schedulefilterpanel.h"
#include "scheduling/schedulegrid.h"
#include "scheduling/schedulegridlayout.h"
#include "scheduling/schedulegridmodel.h"
#include "scheduling/schedulegridstatus.h"
#include "session/appservices.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

SchedulesView::SchedulesView(AppServices &services, QWidget *parent)
    : QWidget(parent)
    , m_services(services)
{
    m_directory = m_services.threads().start(new EmployeeDirectory, u"SchedulesView directory"_s);
    connect(m_directory, &EmployeeDirectory::opened, this, &SchedulesView::onDirectoryOpened);
    connect(m_directory, &EmployeeDirectory::departmentsListed, this, [this](const QStringList &departments) {
        if (m_connected)
            m_filters->setDepartments(departments);
    });
    connect(m_directory, &EmployeeDirectory::found, this,
            [this](quint64 requestId, const QList<EmployeeEntry> &employees) {
                if (m_connected && requestId == m_searchId)
                    m_filters->setEmployeeMatches(employees);
            });

    m_message = new QLabel;
    m_message->setObjectName(u"schedulesMessage"_s);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_detail = new ScheduleDetailPane;
    m_detail->setObjectName(u"scheduleDetail"_s);
    m_detail->setMinimumWidth(280);
    m_editMode = new ScheduleEditMode(m_services, m_detail, this);
    connect(m_editMode, &ScheduleEditMode::rowsChanged, this, [this] { m_modes->reloadIfShown(); });
    connect(m_editMode, &ScheduleEditMode::saveFinished, this, &SchedulesView::saveFinished);
    m_edit = m_editMode->button();

    m_status = new ScheduleGridStatus(this);
    m_empty = m_status->emptyNote();

    auto *bar = new QHBoxLayout;
    bar->addSpacing(12);
    bar->addWidget(m_edit);
    bar->addWidget(m_editMode->readOnlyBadge());
    bar->addStretch();
    bar->addWidget(m_status->busy());
    bar->addWidget(m_status->cancel());
    bar->addWidget(m_status->count());
    bar->addWidget(m_status->refresh());

    m_filters = new ScheduleFilterPanel;
    m_filters->setObjectName(u"scheduleFilters"_s);
    connect(m_filters, &ScheduleFilterPanel::filtersChanged, this, &SchedulesView::applyFilters);
    connect(m_filters, &ScheduleFilterPanel::employeeSearchRequested, this, [this](const QString &text) {
        if (!m_connected)
            return;
        const quint64 id = ++m_searchId;
        EmployeeDirectory *directory = m_directory;
        QMetaObject::invokeMethod(directory, [directory, id, text] { directory->search(id, text); },
                                  Qt::QueuedConnection);
    });

    m_grid = new DataGrid;
    m_grid->setObjectName(u"schedulesGrid"_s);
    m_grid->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_grid->setSelectionMode(QAbstractItemView::SingleSelection);
    m_delegate = new ScheduleDelegate(m_grid);
    m_grid->setItemDelegate(m_delegate);

    connect(m_status, &ScheduleGridStatus::clearFiltersRequested, m_filters, &ScheduleFilterPanel::reset);

    m_gridPage = new QWidget;
    auto *gridLayout = new QVBoxLayout(m_gridPage);
    gridLayout->setContentsMargins(0, 0, 0, 0);
    gridLayout->addWidget(m_empty);
    gridLayout->addWidget(m_grid, 1);
    auto *legend = new StatusLegend;
    legend->setObjectName(u"gridLegend"_s);
    gridLayout->addWidget(legend, 0, Qt::AlignRight);

    m_calendar = new CalendarPane;
    m_calendar->setObjectName(u"scheduleCalendar"_s);
    connect(m_calendar, &CalendarPane::itemClicked, this, [this](const CalendarItem &item) { showCalendarItem(item, false); });
    connect(m_calendar, &CalendarPane::itemActivated, this,
            [this](const CalendarItem &item) { showCalendarItem(item, isEditing()); });

    m_sides = new QStackedWidget;
    m_sides->addWidget(m_gridPage);
    m_sides->addWidget(m_calendar);
    m_modes = new ScheduleModes(m_services, m_sides, m_gridPage, m_calendar, [this] { return m_filters->state(); }, this);
    connect(m_modes, &ScheduleModes::calendarFilled, this, [this] { m_calendar->setSelectedId(m_detail->scheduleId()); });
    const QList<QToolButton *> modeButtons = m_modes->buttons();
    for (int i = 0; i < modeButtons.size(); ++i)
        bar->insertWidget(i, modeButtons.at(i));

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->setObjectName(u"schedulesSplitter"_s);
    splitter->addWidget(m_sides);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    // Half a screen wide, the grid or calendar may want the whole width: the detail pane folds away when
    // its handle is dragged to the edge, and comes back the same way. The grid side never folds.
    splitter->setCollapsible(0, false);
    splitter->setCollapsible(1, true);

    auto *content = new QWidget;
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addLayout(bar);
    contentLayout->addWidget(m_filters);
    contentLayout->addWidget(splitter, 1);

    m_pages = new QStackedWidget;
    m_pages->addWidget(m_message);
    m_pages->addWidget(content);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);

    clearConnection();
}

SchedulesView::~SchedulesView()
{
    m_grid->setLazyModel(nullptr);
    m_status->setModel(nullptr);
    m_editMode->setModel(nullptr);
    delete m_model;
    // The connection is closed on the thread that opened it (the edit mode closes its own).
    EmployeeDirectory *directory = m_directory;
    QMetaObject::invokeMethod(directory, [directory] { directory->close(); }, Qt::QueuedConnection);
    // Not waited for: nothing it runs calls back into this view.
    m_services.threads().retire(directory);
}

void SchedulesView::setConnection(const ConnectionSettings &settings)
{
    clearConnection();
    m_settings = settings;
    m_connected = true;
    m_loadPending = true;
    showMessagePage(tr("Loading schedules…"));
    if (isVisible())
        load();
}

void SchedulesView::clearConnection()
{
    m_editMode->close();
    m_connected = false;
    m_loadPending = false;
    m_modes->close();
    m_reselectId.clear();
    m_currentRow = -1;
    m_grid->setLazyModel(nullptr);
    m_status->setModel(nullptr);
    m_editMode->setModel(nullptr);
    delete m_model;
    m_model = nullptr;
    m_detail->clear();
    EmployeeDirectory *directory = m_directory;
    QMetaObject::invokeMethod(directory, [directory] { directory->close(); }, Qt::QueuedConnection);
    m_editMode->updateAvailability();
    showMessagePage(tr("Connect to a database to see its schedules."));
}

void SchedulesView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_loadPending)
        load();
}

void SchedulesView::load()
{
    m_loadPending = false;
    const ConnectionSettings settings = m_settings;
    EmployeeDirectory *directory = m_directory;
    QMetaObject::invokeMethod(directory, [directory, settings] {
        directory->open(settings);
        directory->listDepartments();
    }, Qt::QueuedConnection);
    m_editMode->open(settings);
    m_modes->open(settings);
}

QString SchedulesView::message() const
{
    return m_pages->currentWidget() == m_message ? m_message->text() : QString();
}

void SchedulesView::showMessagePage(const QString &text)
{
    m_message->setText(text);
    m_pages->setCurrentWidget(m_message);
}

void SchedulesView::onDirectoryOpened(bool ok, const QString &error, bool tablesExist)
{
    if (!m_connected || m_model)
        return;
    if (!ok) {
        showMessagePage(tr("Could not read the schedules.\n%1").arg(error));
        return;
    }
    if (!tablesExist) {
        showMessagePage(tr("The schedules table does not exist. Upgrade the database to head in Migrations."));
        return;
    }
    m_model = new ScheduleGridModel(m_services.fetchers(), this);
    connect(m_model, &LazyTableModel::tableReady, this, &SchedulesView::onTableReady);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_currentRow = -1;
        if (m_detail->hasSchedule())
            m_reselectId = m_detail->scheduleId();
    });
    connect(m_model, &LazyTableModel::windowLoaded, this, &SchedulesView::onWindowLoaded);
    connect(m_model, &LazyTableModel::jumped, this, [this](int row) {
        // A late answer must not pull the grid away from a row the user has already chosen.
        if (m_grid->currentIndex().isValid())
            return;
        // By a shown column: a view does not scroll to a hidden one (schedule_id).
        const int date = m_model->tableInfo().columnIndex(ScheduleGrid::openingSortColumn());
        // A jump sent before any count brings the count with its rows, in this same event: the scroll
        // bar learns the new length only at the next layout, and a scroll past it would stop at the top.
        m_grid->doItemsLayout();
        m_grid->scrollTo(m_model->index(row, qMax(0, date)), QAbstractItemView::PositionAtTop);
    });
    connect(m_model, &LazyTableModel::errorOccurred, this, [this](const QString &text) {
        if (!m_model || !m_model->tableInfo().isValid())
            showMessagePage(tr("Could not read the schedules.\n%1").arg(text));
    });
    m_status->setModel(m_model);
    m_editMode->setModel(m_model);
    m_grid->setLazyModel(m_model);
    connect(m_grid->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current, const QModelIndex &previous) {
                onCurrentRowChanged(current.isValid() ? current.row() : -1, previous.isValid() ? previous.row() : -1);
            });

    m_model->openTable(m_settings, u"public"_s, u"schedules"_s, {ScheduleGrid::employeeJoin()});
}

void SchedulesView::onTableReady()
{
    const TableInfo &info = m_model->tableInfo();
    ScheduleGridLayout::arrange(m_grid, m_delegate, info);

    // The order the pooled sessions were warmed for (MainWindow::onConnected).
    const int dateColumn = info.columnIndex(ScheduleGrid::openingSortColumn());
    applyThenBy();
    m_grid->sortBy(dateColumn, Qt::AscendingOrder);
    const QDate today = QDate::currentDate();
    m_model->setFilters(ScheduleFilter::build(m_filters->state(), today, QLocale().firstDayOfWeek()));
    // Opens on today's rows (or the next day's), by position, not by a filter: earlier days stay a
    // scroll away. A new filter or sort before the rows come drops the jump.
    m_model->jumpToValue(ScheduleGrid::openingValue(today));
    m_pages->setCurrentIndex(1);
    m_editMode->updateAvailability();
    m_status->update();
}

void SchedulesView::applyFilters()
{
    if (!m_model || !m_model->tableInfo().isValid())
        return;
    applyThenBy();
    m_model->setFilters(ScheduleFilter::build(m_filters->state(), QDate::currentDate(), QLocale().firstDayOfWeek()));
    // The shown schedule may no longer match; edits in progress stay until saved or discarded.
    if (!m_detail->isDirty()) {
        m_reselectId.clear();
        m_detail->clear();
    }
    m_grid->scrollToTop();
    m_status->update();
    m_modes->reloadIfShown();
}

bool SchedulesView::isEditing() const
{
    return m_editMode->isEditing();
}

bool SchedulesView::setEditing(bool editing)
{
    return m_editMode->setEditing(editing);
}

void SchedulesView::onCurrentRowChanged(int row, int previousRow)
{
    if (m_restoringRow || !m_model)
        return;
    if (row >= 0 && m_detail->isDirty() && m_model->value(row, u"schedule_id"_s) != m_detail->scheduleId()) {
        if (!m_editMode->discardForOther()) {
            m_restoringRow = true;
            if (previousRow >= 0) {
                m_grid->selectionModel()->setCurrentIndex(m_model->index(previousRow, 0),
                                                          QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            } else {
                m_grid->selectionModel()->clearSelection();
            }
            m_restoringRow = false;
            return;
        }
    }
    m_currentRow = row;
    if (row >= 0)
        m_reselectId.clear();
    showRow(row);
}

void SchedulesView::showRow(int row)
{
    if (!m_model || row < 0)
        return;
    const QStringList values = m_model->rowValues(row);
    if (values.isEmpty())
        return; // still loading; onWindowLoaded shows it
    const TableInfo &info = m_model->tableInfo();
    QHash<QString, QString> byName;
    QSet<QString> masked;
    for (int column = 0; column < info.columns.size() && column < values.size(); ++column) {
        byName.insert(info.columns.at(column).name, values.at(column));
        if (m_model->isColumnSensitive(column) && !m_model->isRevealed(column))
            masked.insert(info.columns.at(column).name);
    }
    m_detail->showSchedule(byName, masked);
}

void SchedulesView::onWindowLoaded(int firstRow, int lastRow)
{
    if (!m_reselectId.isEmpty()) {
        for (int row = firstRow; row <= lastRow; ++row) {
            if (m_model->value(row, u"schedule_id"_s) == m_reselectId) {
                m_reselectId.clear();
                const int column = m_model->tableInfo().columnIndex(u"schedule_date"_s);
                m_grid->selectionModel()->setCurrentIndex(m_model->index(row, qMax(0, column)),
                                                          QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
                return;
            }
        }
    }
    if (m_currentRow >= firstRow && m_currentRow <= lastRow)
        showRow(m_currentRow);
}

SchedulesView::Mode SchedulesView::mode() const
{
    return m_modes->mode();
}

void SchedulesView::setMode(Mode mode)
{
    m_modes->setMode(mode);
}

void SchedulesView::takeStateFrom(const SchedulesView &other)
{
    m_filters->setState(other.m_filters->state(), other.m_filters->employeeEdit()->text());
    setMode(other.mode());
}

void SchedulesView::showCalendarItem(const CalendarItem &item, bool forEditing)
{
    if (m_detail->isDirty() && item.id != m_detail->scheduleId() && !m_editMode->discardForOther())
        return;
    m_currentRow = -1;
    m_reselectId.clear();
    if (m_grid->selectionModel())
        m_grid->selectionModel()->clearSelection();
    const QStringList masked = item.maskedColumns;
    m_detail->showSchedule(item.values, QSet<QString>(masked.cbegin(), masked.cend()));
    m_calendar->setSelectedId(item.id);
    if (forEditing)
        m_detail->setFocus(Qt::OtherFocusReason);
}

void SchedulesView::applyThenBy()
{
    // By date, then start time within a day, for every filter: ix_schedules_live_date_start_id (0005)
    // reads that order without sorting a day of thousands of rows.
    m_model->setThenBy(ScheduleGrid::openingSortColumn(), ScheduleGrid::thenBy());
}

} // namespace MigrationDesk
