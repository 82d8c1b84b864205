#include "scheduling/schedulemodes.h"

#include "scheduling/calendarpageview.h"
#include "scheduling/calendarpane.h"
#include "session/appservices.h"

#include <QButtonGroup>
#include <QCoreApplication>
#include <QStackedWidget>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The buttons keep the context they were translated in when the view built them.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::SchedulesView)
};

} // namespace

ScheduleModes::ScheduleModes(AppServices &services, QStackedWidget *pages, QWidget *gridPage, CalendarPane *calendar,
                             std::function<ScheduleFilterState()> filters, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_pages(pages)
    , m_gridPage(gridPage)
    , m_calendar(calendar)
    , m_filters(std::move(filters))
{
    auto modeButton = [](const QString &name, const QString &text, const QString &tip) {
        auto *button = new QToolButton;
        button->setObjectName(name);
        button->setText(text);
        button->setToolTip(tip);
        button->setCheckable(true);
        return button;
    };
    m_grid = modeButton(u"gridMode"_s, Text::tr("&Grid"), Text::tr("Schedules as rows"));
    m_week = modeButton(u"weekMode"_s, Text::tr("&Week"), Text::tr("A calendar week: each schedule at its time"));
    m_month = modeButton(u"monthMode"_s, Text::tr("&Month"), Text::tr("A calendar month"));
    auto *group = new QButtonGroup(this);
    for (QToolButton *button : {m_grid, m_week, m_month})
        group->addButton(button);
    m_grid->setChecked(true);
    connect(m_grid, &QToolButton::clicked, this, [this] { setMode(Mode::Grid); });
    connect(m_week, &QToolButton::clicked, this, [this] { setMode(Mode::Week); });
    connect(m_month, &QToolButton::clicked, this, [this] { setMode(Mode::Month); });

    connect(m_calendar, &CalendarPane::rangeRequested, this, &ScheduleModes::request);
    connect(m_calendar, &CalendarPane::modeChanged, this, [this](CalendarLayout::Mode mode) {
        if (m_mode != Mode::Grid)
            setMode(mode == CalendarLayout::Mode::Week ? Mode::Week : Mode::Month);
    });
}

ScheduleModes::~ScheduleModes()
{
    // Closed on the thread that opened it; not waited for: nothing it runs calls back into the view.
    if (CalendarRangeQuery *query = m_query) {
        QMetaObject::invokeMethod(query, [query] { query->close(); }, Qt::QueuedConnection);
        m_services.threads().retire(query);
    }
}

QList<QToolButton *> ScheduleModes::buttons() const
{
    return {m_grid, m_week, m_month};
}

void ScheduleModes::setMode(Mode mode)
{
    m_grid->setChecked(mode == Mode::Grid);
    m_week->setChecked(mode == Mode::Week);
    m_month->setChecked(mode == Mode::Month);
    if (mode == m_mode)
        return;
    const bool wasGrid = m_mode == Mode::Grid;
    m_mode = mode;
    // Connected but no calendar connection yet: open one now.
    if (mode != Mode::Grid && !m_query && m_connected)
        startQuery();
    m_pages->setCurrentWidget(mode == Mode::Grid ? m_gridPage : static_cast<QWidget *>(m_calendar));
    if (mode == Mode::Grid)
        return;
    const auto calendarMode = mode == Mode::Week ? CalendarLayout::Mode::Week : CalendarLayout::Mode::Month;
    if (m_calendar->mode() != calendarMode)
        m_calendar->setMode(calendarMode); // reloads
    else if (wasGrid)
        m_calendar->reload();  // the filters may have changed while the grid showed
    m_calendar->pageView()->setFocus();
}

void ScheduleModes::open(const ConnectionSettings &settings)
{
    m_settings = settings;
    m_connected = true;
    if (m_query || m_mode != Mode::Grid)
        startQuery();
}

void ScheduleModes::close()
{
    m_connected = false;
    m_ready = false;
    ++m_requestId;
    if (CalendarRangeQuery *query = m_query)
        QMetaObject::invokeMethod(query, [query] { query->close(); }, Qt::QueuedConnection);
}

void ScheduleModes::reloadIfShown()
{
    if (m_mode != Mode::Grid)
        m_calendar->reload();
}

void ScheduleModes::startQuery()
{
    if (!m_query) {
        // Started the first time the calendar shows: the grid alone needs no thread for it.
        m_query = m_services.threads().start(new CalendarRangeQuery, u"SchedulesView calendar"_s);
        connect(m_query, &CalendarRangeQuery::opened, this, [this](bool ok, const QString &) {
            if (!m_connected)
                return;
            m_ready = ok;
            if (ok && m_mode != Mode::Grid)
                m_calendar->reload();
        });
        connect(m_query, &CalendarRangeQuery::fetched, this, &ScheduleModes::onFetched);
    }
    const ConnectionSettings settings = m_settings;
    CalendarRangeQuery *query = m_query;
    QMetaObject::invokeMethod(query, [query, settings] { query->open(settings); }, Qt::QueuedConnection);
}

void ScheduleModes::request(const QDate &from, const QDate &to)
{
    const quint64 id = ++m_requestId;
    if (!m_connected || !m_ready)
        return; // asked again once the connection is open
    CalendarRequest request;
    request.from = from;
    request.to = to;
    request.filters = m_filters();
    CalendarRangeQuery *query = m_query;
    QMetaObject::invokeMethod(query, [query, id, request] { query->fetch(id, request); }, Qt::QueuedConnection);
}

void ScheduleModes::onFetched(quint64 requestId, const CalendarResult &result)
{
    if (!m_connected || requestId != m_requestId)
        return; // an older page or filter: a newer request is on its way
    m_calendar->setResult(result);
    Q_EMIT calendarFilled();
}

} // namespace MigrationDesk
