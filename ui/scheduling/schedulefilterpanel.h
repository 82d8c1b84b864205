#pragma once

#include "scheduling/employeedirectory.h"
#include "scheduling/schedulefilter.h"

#include <QWidget>

class QComboBox;
class QCompleter;
class QDateEdit;
class QLineEdit;
class QPushButton;
class QStandardItemModel;
class QTimer;

namespace MigrationDesk {

class EnumFilterCombo;

// The filters above the schedules grid: an employee picker fed by server look-ups, department, a
// date range (presets or two dates), type, status, priority and a text search. It only collects
// choices: look-ups go out as employeeSearchRequested() and come back through setEmployeeMatches().
// GUI thread.
class ScheduleFilterPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ScheduleFilterPanel(QWidget *parent = nullptr);

    ScheduleFilterState state() const;
    // Puts back choices read from another panel (a language switch); employeeName is what its picker
    // showed. One filtersChanged() when anything changed.
    void setState(const ScheduleFilterState &state, const QString &employeeName);
    void setDepartments(const QStringList &departments);
    // The server's answer to the latest employeeSearchRequested(); shown as the picker's suggestions.
    void setEmployeeMatches(const QList<MigrationDesk::EmployeeEntry> &employees);
    // Picks an employee as if chosen from the suggestions; an empty id means any employee.
    void selectEmployee(const QString &id, const QString &name);
    // Back to "any" everywhere.
    void reset();
    EnumFilterCombo *statusCombo() const { return m_status; }
    EnumFilterCombo *typeCombo() const { return m_type; }
    EnumFilterCombo *priorityCombo() const { return m_priority; }

    QLineEdit *employeeEdit() const { return m_employee; }
    QCompleter *employeeCompleter() const { return m_completer; }

Q_SIGNALS:
    void filtersChanged();
    void employeeSearchRequested(const QString &text);

private:
    void onEmployeeEdited(const QString &text);
    void onDateRangeChanged();
    EnumFilterCombo *enumCombo(const QString &objectName, const QString &anyText, const QStringList &values,
                         QString (*label)(const QString &));

    QLineEdit *m_employee = nullptr;
    QCompleter *m_completer = nullptr;
    QStandardItemModel *m_matches = nullptr;
    QTimer *m_employeeTimer = nullptr;
    QString m_employeeId;
    QComboBox *m_department = nullptr;
    QComboBox *m_dateRange = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    EnumFilterCombo *m_type = nullptr;
    EnumFilterCombo *m_status = nullptr;
    EnumFilterCombo *m_priority = nullptr;
    QLineEdit *m_search = nullptr;
    QTimer *m_searchTimer = nullptr;
    QPushButton *m_clear = nullptr;
    bool m_resetting = false;
};

} // namespace MigrationDesk
