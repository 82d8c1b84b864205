#pragma once

#include "db/connectionsettings.h"
#include "scheduling/calendarrangequery.h"
#include "scheduling/schedulefilter.h"

#include <QObject>

#include <functional>

class QStackedWidget;
class QToolButton;
class QWidget;

namespace MigrationDesk {

class AppServices;
class CalendarPane;

// The Schedules view's Grid, Week and Month modes: the three buttons, which page shows, and the
// calendar's reads through a CalendarRangeQuery on a thread from the AppServices (started the first
// time the calendar shows, with its own connection). GUI thread; the view owns it and the pages.
class ScheduleModes : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Grid, Week, Month };

    // `filters` gives the filter panel's state for each calendar read.
    ScheduleModes(AppServices &services, QStackedWidget *pages, QWidget *gridPage, CalendarPane *calendar,
                  std::function<ScheduleFilterState()> filters, QObject *parent = nullptr);
    ~ScheduleModes() override;

    QList<QToolButton *> buttons() const;
    Mode mode() const { return m_mode; }
    void setMode(Mode mode);

    // Connected: the calendar's connection opens now if it was open before or a calendar shows.
    void open(const ConnectionSettings &settings);
    // Disconnected: replies still on their way are dropped.
    void close();
    // The filters or a row changed: the calendar reads its range again (nothing while the grid shows).
    void reloadIfShown();

Q_SIGNALS:
    // The calendar shows a new result (the view marks its selected schedule in it).
    void calendarFilled();

private:
    void startQuery();
    void request(const QDate &from, const QDate &to);
    void onFetched(quint64 requestId, const CalendarResult &result);

    AppServices &m_services;
    QStackedWidget *m_pages = nullptr;
    QWidget *m_gridPage = nullptr;
    CalendarPane *m_calendar = nullptr;
    std::function<ScheduleFilterState()> m_filters;
    QToolButton *m_grid = nullptr;
    QToolButton *m_week = nullptr;
    QToolButton *m_month = nullptr;

    Mode m_mode = Mode::Grid;
    ConnectionSettings m_settings;
    bool m_connected = false;
    CalendarRangeQuery *m_query = nullptr;
    bool m_ready = false;
    quint64 m_requestId = 0;
};

} // namespace MigrationDesk
