#include "timezonechoice.h"

#include "i18n/datetimeformat.h"
#include "scheduling/scheduledetailpane.h"

#include <QAbstractItemView>
#include <QAction>
#include <QLabel>
#include <QMainWindow>
#include <QSettings>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

TimeZoneChoice::TimeZoneChoice(QMainWindow *window)
    : QObject(window)
    , m_window(window)
{
    m_action = new QAction(tr("Show Times in &UTC"), this);
    m_action->setObjectName(u"utcTimesAction"_s);
    m_action->setCheckable(true);
    m_action->setToolTip(tr("Show created, updated and deleted times in UTC, as stored, instead of local time. "
                            "Schedule dates and times are never shifted."));
    m_field = new QLabel;
    m_field->setObjectName(u"timesField"_s);
    window->statusBar()->addPermanentWidget(m_field);

    const bool utc = QSettings().value(DateTimeFormat::settingsKey(), false).toBool();
    m_action->setChecked(utc);
    apply(utc);
    connect(m_action, &QAction::toggled, this, [this](bool checked) {
        QSettings().setValue(DateTimeFormat::settingsKey(), checked);
        apply(checked);
        // Grids format at paint time: a repaint shows every timestamp in the new zone. Panes write
        // their labels once, so they are told.
        for (QAbstractItemView *view : m_window->findChildren<QAbstractItemView *>())
            view->viewport()->update();
        for (ScheduleDetailPane *pane : m_window->findChildren<ScheduleDetailPane *>())
            pane->refreshTimes();
        Q_EMIT changed();
    });
}

void TimeZoneChoice::apply(bool utc)
{
    DateTimeFormat::setZone(utc ? DateTimeFormat::Zone::Utc : DateTimeFormat::Zone::Local);
    //: The status bar field saying which time zone timestamps are shown in; %1 is "UTC" or "local time (UTC+9)".
    m_field->setText(tr("Times: %1").arg(DateTimeFormat::zoneLabel()));
    m_field->setToolTip(tr("Stored timestamps are UTC. View > Show Times in UTC switches between UTC and local time."));
}

} // namespace MigrationDesk
