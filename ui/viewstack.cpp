#include "viewstack.h"

#include "data/tablesview.h"
#include "icons.h"
#include "migrations/migrationsview.h"
#include "scheduling/schedulesview.h"
#include "scheduling/trashtablayout.h"
#include "scheduling/trashview.h"

#include "browse/lazytablemodel.h"
#include "scheduling/schedulegrid.h"

#include <QDate>
#include <QFrame>
#include <QHBoxLayout>
#include <QListWidget>
#include <QLocale>
#include <QPainter>
#include <QStackedWidget>
#include <QStyledItemDelegate>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

constexpr AppView kViews[] = {AppView::Migrations, AppView::Tables, AppView::Schedules, AppView::Trash};

// The navigation's roomy items, drawn by the platform style with padding around them. A style sheet
// would do the same in one line, but it brings Qt's style sheet engine (its CSS parser, a second style)
// into memory for the whole session, before the first paint.
class PaddedItemDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    static constexpr int kPadX = 16;
    static constexpr int kPadY = 8;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        return QStyledItemDelegate::sizeHint(option, index) + QSize(2 * kPadX, 2 * kPadY);
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        // The selection fills the whole row; the icon and text sit inside the padding.
        if (option.state & QStyle::State_Selected)
            painter->fillRect(option.rect, option.palette.brush(QPalette::Highlight));
        QStyleOptionViewItem inner = option;
        inner.rect = option.rect.adjusted(kPadX, kPadY, -kPadX, -kPadY);
        QStyledItemDelegate::paint(painter, inner, index);
    }
};

} // namespace

ViewStack::ViewStack(AppServices &services, DatabaseWorker *worker, QWidget *parent)
    : QWidget(parent)
    , m_services(services)
{
    m_navigation = new QListWidget;
    m_navigation->setObjectName(u"navigation"_s);
    m_navigation->setFrameShape(QFrame::NoFrame);
    // A side panel, not a list box: the window's colour behind the items.
    m_navigation->viewport()->setBackgroundRole(QPalette::Window);
    m_navigation->setItemDelegate(new PaddedItemDelegate(m_navigation));
    m_navigation->addItems({tr("Migrations"), tr("Tables"), tr("Schedules"), tr("Trash")});
    const Icons::Name navigationIcons[] = {Icons::Migrations, Icons::Tables, Icons::Schedules, Icons::Trash};
    for (int row = 0; row < m_navigation->count(); ++row)
        m_navigation->item(row)->setIcon(Icons::get(navigationIcons[row]));
    m_navigation->setFixedWidth(m_navigation->sizeHintForColumn(0) + 48);

    m_migrationsView = new MigrationsView;
    m_migrationsView->setObjectName(u"migrationsView"_s);
    m_migrationsView->setWorker(worker);

    m_stack = new QStackedWidget;
    m_stack->setObjectName(u"viewStack"_s);
    // One page per view, in the navigation's order; an empty page stands in until the view is built.
    m_stack->addWidget(m_migrationsView);
    for (int i = 1; i < int(std::size(kViews)); ++i)
        m_stack->addWidget(new QWidget);

    // Row 0 before the connection below, so building the stack never reports a change of view.
    m_navigation->setCurrentRow(0);
    connect(m_navigation, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0 || row >= int(std::size(kViews)))
            return;
        m_stack->setCurrentWidget(build(kViews[row]));
        Q_EMIT currentViewChanged(kViews[row]);
    });

    auto layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_navigation);
    auto divider = new QFrame;
    divider->setFrameShape(QFrame::VLine);
    divider->setFrameShadow(QFrame::Sunken);
    layout->addWidget(divider);
    layout->addWidget(m_stack, 1);
}

AppView ViewStack::currentView() const
{
    const int row = m_navigation->currentRow();
    return row >= 0 && row < int(std::size(kViews)) ? kViews[row] : AppView::Migrations;
}

QList<WarmUp> ViewStack::openingWindows(bool tableRequested) const
{
    if (tableRequested)
        return {};
    const WarmUp schedules = ScheduleGrid::openingWindow(QDate::currentDate(), QLocale().firstDayOfWeek(),
                                                         LazyTableModel::defaultWindowSize);
    const WarmUp trash = TrashTabLayout::openingWindow(TrashTable::Schedules, LazyTableModel::defaultWindowSize);
    if (currentView() == AppView::Trash)
        return {trash, schedules};
    return {schedules, trash};
}

void ViewStack::setCurrentView(AppView view)
{
    m_navigation->setCurrentRow(int(view));
}

TablesView *ViewStack::tablesView()
{
    build(AppView::Tables);
    return m_tablesView;
}

SchedulesView *ViewStack::schedulesView()
{
    build(AppView::Schedules);
    return m_schedulesView;
}

TrashView *ViewStack::trashView()
{
    build(AppView::Trash);
    return m_trashView;
}

bool ViewStack::isBuilt(AppView view) const
{
    switch (view) {
    case AppView::Migrations:
        return true;
    case AppView::Tables:
        return m_tablesView;
    case AppView::Schedules:
        return m_schedulesView;
    case AppView::Trash:
        return m_trashView;
    }
    return false;
}

QWidget *ViewStack::build(AppView view)
{
    const int index = int(view);
    if (isBuilt(view))
        return m_stack->widget(index);
    QWidget *built = nullptr;
    switch (view) {
    case AppView::Migrations:
        return m_migrationsView;
    case AppView::Tables:
        built = m_tablesView = new TablesView(m_services);
        built->setObjectName(u"tablesView"_s);
        break;
    case AppView::Schedules:
        built = m_schedulesView = new SchedulesView(m_services);
        built->setObjectName(u"schedulesView"_s);
        break;
    case AppView::Trash:
        built = m_trashView = new TrashView(m_services);
        built->setObjectName(u"trashView"_s);
        break;
    }
    QWidget *placeholder = m_stack->widget(index);
    const bool wasCurrent = m_stack->currentWidget() == placeholder;
    m_stack->insertWidget(index, built);
    if (wasCurrent)
        m_stack->setCurrentWidget(built);
    m_stack->removeWidget(placeholder);
    delete placeholder;
    applyConnection(view);
    return built;
}

void ViewStack::applyConnection(AppView view)
{
    switch (view) {
    case AppView::Migrations:
        break;
    case AppView::Tables:
        if (m_tablesView)
            m_connection ? m_tablesView->setConnection(*m_connection) : m_tablesView->clearConnection();
        break;
    case AppView::Schedules:
        if (m_schedulesView)
            m_connection ? m_schedulesView->setConnection(*m_connection) : m_schedulesView->clearConnection();
        break;
    case AppView::Trash:
        if (m_trashView)
            m_connection ? m_trashView->setConnection(*m_connection) : m_trashView->clearConnection();
        break;
    }
}

void ViewStack::setConnection(const ConnectionSettings &settings)
{
    m_connection = settings;
    for (AppView view : kViews)
        applyConnection(view);
}

void ViewStack::clearConnection()
{
    m_connection.reset();
    for (AppView view : kViews)
        applyConnection(view);
}

} // namespace MigrationDesk
