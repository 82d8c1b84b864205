#include "scheduling/schedulefilterpanel.h"

#include "scheduling/schedulefilter.h"
#include "flowlayout.h"
#include "i18n/datetimeformat.h"
#include "scheduling/enumfiltercombo.h"
#include "scheduling/enumlabels.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QCompleter>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
constexpr int EmployeeIdRole = Qt::UserRole + 1;
constexpr int EmployeeNameRole = Qt::UserRole + 2;
constexpr int typingPauseMs = 250;
} // namespace

ScheduleFilterPanel::ScheduleFilterPanel(QWidget *parent)
    : QWidget(parent)
{
    m_employee = new QLineEdit;
    m_employee->setObjectName(u"employeeFilter"_s);
    m_employee->setPlaceholderText(tr("Any employee (type a name)"));
    m_employee->setClearButtonEnabled(true);
    m_matches = new QStandardItemModel(this);
    m_completer = new QCompleter(m_matches, this);
    // The server already matched; the completer only shows what came back.
    m_completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_completer->setCompletionRole(EmployeeNameRole);
    m_completer->setWidget(m_employee);
    m_completer->setMaxVisibleItems(12);
    m_employeeTimer = new QTimer(this);
    m_employeeTimer->setSingleShot(true);
    m_employeeTimer->setInterval(typingPauseMs);
    connect(m_employee, &QLineEdit::textEdited, this, &ScheduleFilterPanel::onEmployeeEdited);
    connect(m_employeeTimer, &QTimer::timeout, this, [this] {
        Q_EMIT employeeSearchRequested(m_employee->text().trimmed());
    });
    connect(m_completer, qOverload<const QModelIndex &>(&QCompleter::activated), this, [this](const QModelIndex &index) {
        selectEmployee(index.data(EmployeeIdRole).toString(), index.data(EmployeeNameRole).toString());
    });

    m_department = new QComboBox;
    m_department->setObjectName(u"departmentFilter"_s);
    m_department->addItem(tr("Any department"), QString());
    m_department->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    m_dateRange = new QComboBox;
    m_dateRange->setObjectName(u"dateRangeFilter"_s);
    using Range = ScheduleFilterState::DateRange;
    m_dateRange->addItem(tr("Any date"), int(Range::Any));
    m_dateRange->addItem(tr("Today"), int(Range::Today));
    m_dateRange->addItem(tr("This week"), int(Range::ThisWeek));
    m_dateRange->addItem(tr("This month"), int(Range::ThisMonth));
    m_dateRange->addItem(tr("Custom range"), int(Range::Custom));

    // Dates read and type as every view writes them.
    const QString dateFormat = DateTimeFormat::dateFormat();
    auto dateEdit = [&dateFormat](const QString &name) {
        auto *edit = new QDateEdit(QDate::currentDate());
        edit->setObjectName(name);
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(dateFormat);
        edit->setEnabled(false);
        return edit;
    };
    m_from = dateEdit(u"dateFromFilter"_s);
    m_to = dateEdit(u"dateToFilter"_s);
    m_from->setDate(QDate::currentDate().addDays(-QDate::currentDate().day() + 1));

    m_type = enumCombo(u"typeFilter"_s, tr("Any type"), EnumLabels::scheduleTypes(), &EnumLabels::scheduleType);
    m_status = enumCombo(u"statusFilter"_s, tr("Any status"), EnumLabels::statuses(), &EnumLabels::status);
    m_priority = enumCombo(u"priorityFilter"_s, tr("Any priority"), EnumLabels::priorities(), &EnumLabels::priority);

    m_search = new QLineEdit;
    m_search->setObjectName(u"searchFilter"_s);
    m_search->setPlaceholderText(tr("Title or client contains…"));
    m_search->setClearButtonEnabled(true);
    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(typingPauseMs);
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_searchTimer->stop();
        Q_EMIT filtersChanged();
    });
    connect(m_searchTimer, &QTimer::timeout, this, &ScheduleFilterPanel::filtersChanged);

    m_clear = new QPushButton(tr("Clear Filters"));
    m_clear->setObjectName(u"clearFilters"_s);
    connect(m_clear, &QPushButton::clicked, this, &ScheduleFilterPanel::reset);

    auto changed = [this] {
        if (!m_resetting)
            Q_EMIT filtersChanged();
    };
    connect(m_department, &QComboBox::currentIndexChanged, this, changed);
    for (EnumFilterCombo *combo : {m_type, m_status, m_priority})
        connect(combo, &EnumFilterCombo::valuesChanged, this, changed);
    connect(m_dateRange, &QComboBox::currentIndexChanged, this, &ScheduleFilterPanel::onDateRangeChanged);
    for (QDateEdit *edit : {m_from, m_to}) {
        connect(edit, &QDateEdit::dateChanged, this, [this, changed] {
            if (m_from->isEnabled())
                changed();
        });
    }

    m_employee->setMinimumWidth(220);
    m_search->setMinimumWidth(220);
    // Each label stays beside its control; the groups wrap onto more rows when the window is narrow
    // or the language longer, never overlapping or cutting each other off.
    auto *flow = new FlowLayout(this);
    auto group = [flow](const QString &text, const QList<QWidget *> &widgets) {
        auto *box = new QWidget;
        auto *row = new QHBoxLayout(box);
        row->setContentsMargins(0, 0, 0, 0);
        if (!text.isEmpty()) {
            auto *l = new QLabel(text);
            l->setBuddy(widgets.first());
            row->addWidget(l);
        }
        for (QWidget *widget : widgets)
            row->addWidget(widget);
        flow->addWidget(box);
    };
    group(tr("&Employee:"), {m_employee});
    group(tr("&Department:"), {m_department});
    group(tr("D&ates:"), {m_dateRange, m_from, new QLabel(u"\u2013"_s), m_to});
    group(tr("&Type:"), {m_type});
    group(tr("&Status:"), {m_status});
    group(tr("&Priority:"), {m_priority});
    group(tr("Sea&rch:"), {m_search});
    group({}, {m_clear});
}

EnumFilterCombo *ScheduleFilterPanel::enumCombo(const QString &objectName, const QString &anyText,
                                                const QStringList &values, QString (*label)(const QString &))
{
    auto *combo = new EnumFilterCombo(anyText, values, label);
    combo->setObjectName(objectName);
    combo->setToolTip(tr("Choose one, or tick several in the list."));
    return combo;
}

ScheduleFilterState ScheduleFilterPanel::state() const
{
    ScheduleFilterState s;
    s.employeeId = m_employeeId;
    s.department = m_department->currentData().toString();
    s.dateRange = ScheduleFilterState::DateRange(m_dateRange->currentData().toInt());
    s.customFrom = m_from->date();
    s.customTo = m_to->date();
    s.scheduleTypes = m_type->values();
    s.statuses = m_status->values();
    s.priorities = m_priority->values();
    s.search = m_search->text();
    return s;
}

void ScheduleFilterPanel::setState(const ScheduleFilterState &state, const QString &employeeName)
{
    const ScheduleFilterState before = this->state();
    m_resetting = true;
    selectEmployee(state.employeeId, employeeName);
    // The department list arrives from the server later; setDepartments() keeps this choice.
    if (!state.department.isEmpty() && m_department->findData(state.department) < 0)
        m_department->addItem(state.department, state.department);
    m_department->setCurrentIndex(qMax(0, m_department->findData(state.department)));
    m_dateRange->setCurrentIndex(qMax(0, m_dateRange->findData(int(state.dateRange))));
    if (state.dateRange == ScheduleFilterState::DateRange::Custom) {
        m_from->setDate(state.customFrom);
        m_to->setDate(state.customTo);
    }
    m_type->setValues(state.scheduleTypes);
    m_status->setValues(state.statuses);
    m_priority->setValues(state.priorities);
    m_search->setText(state.search);
    m_searchTimer->stop();
    m_resetting = false;
    if (this->state() != before)
        Q_EMIT filtersChanged();
}

void ScheduleFilterPanel::setDepartments(const QStringList &departments)
{
    const QString current = m_department->currentData().toString();
    m_resetting = true;
    m_department->clear();
    m_department->addItem(tr("Any department"), QString());
    for (const QString &department : departments)
        m_department->addItem(department, department);
    const int index = m_department->findData(current);
    m_department->setCurrentIndex(index < 0 ? 0 : index);
    m_resetting = false;
    if (index < 0 && !current.isEmpty())
        Q_EMIT filtersChanged();
}

void ScheduleFilterPanel::setEmployeeMatches(const QList<EmployeeEntry> &employees)
{
    m_matches->clear();
    for (const EmployeeEntry &employee : employees) {
        // The department tells two people of the same name apart.
        const QString shown = employee.department.isEmpty()
            ? employee.name
            : tr("%1 (%2)").arg(employee.name, employee.department);
        auto *item = new QStandardItem(shown);
        item->setData(employee.id, EmployeeIdRole);
        item->setData(employee.name, EmployeeNameRole);
        item->setEditable(false);
        m_matches->appendRow(item);
    }
    if (employees.isEmpty()) {
        auto *item = new QStandardItem(tr("No employee matches"));
        item->setEnabled(false);
        item->setSelectable(false);
        m_matches->appendRow(item);
    }
    if (m_employeeId.isEmpty() && !m_employee->text().trimmed().isEmpty())
        m_completer->complete();
}

void ScheduleFilterPanel::selectEmployee(const QString &id, const QString &name)
{
    m_employeeTimer->stop();
    m_completer->popup()->hide();
    const bool changed = id != m_employeeId;
    m_employeeId = id;
    m_employee->setText(id.isEmpty() ? QString() : name);
    if (changed && !m_resetting)
        Q_EMIT filtersChanged();
}

void ScheduleFilterPanel::onEmployeeEdited(const QString &text)
{
    // Typing again means a new choice: the old pick no longer filters.
    if (!m_employeeId.isEmpty()) {
        m_employeeId.clear();
        Q_EMIT filtersChanged();
    }
    if (text.trimmed().isEmpty()) {
        m_employeeTimer->stop();
        m_completer->popup()->hide();
        return;
    }
    m_employeeTimer->start();
}

void ScheduleFilterPanel::onDateRangeChanged()
{
    const bool custom = ScheduleFilterState::DateRange(m_dateRange->currentData().toInt())
        == ScheduleFilterState::DateRange::Custom;
    m_from->setEnabled(custom);
    m_to->setEnabled(custom);
    // A preset shows the days it covers, and a switch to Custom starts from them.
    const auto [from, to] = ScheduleFilter::dateRange(state(), QDate::currentDate(), QLocale().firstDayOfWeek());
    if (!custom && from.isValid() && to.isValid()) {
        const QSignalBlocker blockFrom(m_from);
        const QSignalBlocker blockTo(m_to);
        m_from->setDate(from);
        m_to->setDate(to);
    }
    if (!m_resetting)
        Q_EMIT filtersChanged();
}

void ScheduleFilterPanel::reset()
{
    const bool wasEmpty = state().isEmpty();
    m_resetting = true;
    selectEmployee({}, {});
    m_matches->clear();
    for (QComboBox *combo : {m_department, m_dateRange})
        combo->setCurrentIndex(0);
    for (EnumFilterCombo *combo : {m_type, m_status, m_priority})
        combo->setValues({});
    m_search->clear();
    m_searchTimer->stop();
    m_resetting = false;
    if (!wasEmpty)
        Q_EMIT filtersChanged();
}

} // namespace MigrationDesk
