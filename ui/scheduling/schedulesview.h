#pragma once

#include "scheduling/calendarlayout.h"
#include "scheduling/calendarrangequery.h"
#include "scheduling/employeedirectory.h"
#include "db/connectionsettings.h"
#include "scheduling/scheduleeditor.h"
#include "scheduling/schedulemodes.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;
class QToolButton;

namespace MigrationDesk {

class AppServices;
class CalendarPane;
class DataGrid;
class ScheduleDelegate;
class ScheduleDetailPane;
class ScheduleEditMode;
class ScheduleFilterPanel;
class ScheduleGridModel;
class ScheduleGridStatus;

// The managers' Schedules view: public.schedules with each employee's name and department in a lazy
// grid, filters above it, the selected schedule's details beside it, and an explicit Edit mode for
// status, result and follow-up. GUI thread; it runs no SQL: the grid reads through its model's
// read-only fetcher, look-ups go to an EmployeeDirectory and saves (through ScheduleEditMode) to a
// ScheduleEditor, each on a thread from the AppServices (which must outlive the view) with its own
// connection.
class SchedulesView : public QWidget
{
    Q_OBJECT

public:
    explicit SchedulesView(AppServices &services, QWidget *parent = nullptr);
    ~SchedulesView() override;

    // Connected: loads when first shown (or now, if visible). Disconnected: drops everything.
    void setConnection(const MigrationDesk::ConnectionSettings &settings);
    void clearConnection();

    // The full-page message shown instead of the grid (not connected, tables missing, errors);
    // empty while the grid shows.
    QString message() const;
    ScheduleGridModel *model() const { return m_model; }
    DataGrid *grid() const { return m_grid; }
    ScheduleFilterPanel *filterPanel() const { return m_filters; }
    ScheduleDetailPane *detailPane() const { return m_detail; }
    ScheduleDelegate *delegate() const { return m_delegate; }
    QPushButton *editButton() const { return m_edit; }
    CalendarPane *calendar() const { return m_calendar; }
    // The grid's "No schedules match" note with its Clear Filters link; hidden while rows show.
    QLabel *emptyNote() const { return m_empty; }

    // Grid, or the calendar's Week or Month page; the filters and the detail pane stay.
    using Mode = ScheduleModes::Mode;
    Mode mode() const;
    void setMode(Mode mode);
    // The mode and the filters of `other` (the window a language switch replaces), before this view loads.
    void takeStateFrom(const SchedulesView &other);
    bool isEditing() const;
    // Leaves or enters edit mode; leaving with unsaved edits asks first. False when refused/cancelled.
    bool setEditing(bool editing);

Q_SIGNALS:
    // A save finished (for the main window's status bar and tests).
    void saveFinished(const MigrationDesk::ScheduleSaveOutcome &outcome);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void load();
    void showMessagePage(const QString &text);
    void onDirectoryOpened(bool ok, const QString &error, bool tablesExist);
    void onTableReady();
    void applyFilters();
    void onCurrentRowChanged(int row, int previousRow);
    void showRow(int row);
    void onWindowLoaded(int firstRow, int lastRow);
    void showCalendarItem(const CalendarItem &item, bool forEditing);
    void applyThenBy();

    ConnectionSettings m_settings;
    bool m_connected = false;
    bool m_loadPending = false;

    AppServices &m_services;
    EmployeeDirectory *m_directory = nullptr;
    quint64 m_searchId = 0;
    ScheduleEditMode *m_editMode = nullptr;
    ScheduleModes *m_modes = nullptr;

    QStackedWidget *m_pages = nullptr;
    QLabel *m_message = nullptr;
    ScheduleFilterPanel *m_filters = nullptr;
    DataGrid *m_grid = nullptr;
    QStackedWidget *m_sides = nullptr; // the grid page or the calendar
    QWidget *m_gridPage = nullptr;
    CalendarPane *m_calendar = nullptr;
    QLabel *m_empty = nullptr;
    ScheduleGridModel *m_model = nullptr;
    ScheduleDelegate *m_delegate = nullptr;
    ScheduleDetailPane *m_detail = nullptr;
    QPushButton *m_edit = nullptr;
    ScheduleGridStatus *m_status = nullptr;

    int m_currentRow = -1;
    QString m_reselectId;     // after a refresh, select this schedule again once its row is read
    bool m_restoringRow = false;
};

} // namespace MigrationDesk
