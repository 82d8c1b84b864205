#include "milestonereport.h"

#include "data/tablegridmodel.h"
#include "models/timelinemodel.h"
#include "scheduling/schedulegridmodel.h"
#include "scheduling/trashgridmodel.h"

#include <QWidget>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

MilestoneReport::MilestoneReport(QWidget *window, std::function<void(const QString &)> print)
    : QObject(window)
    , m_window(window)
    , m_print(std::move(print))
{
    m_timer.setInterval(2);
    connect(&m_timer, &QTimer::timeout, this, &MilestoneReport::look);
    m_timer.start();
}

void MilestoneReport::look()
{
    if (!m_window)
        return;
    const auto models = m_window->findChildren<LazyTableModel *>();
    for (LazyTableModel *model : models) {
        if (m_watched.contains(model))
            continue;
        m_watched.insert(model);
        // Most derived first: a trash model is also a schedule model.
        QString milestone = u"rows"_s;
        if (dynamic_cast<TrashGridModel *>(model))
            milestone = u"trash"_s;
        else if (dynamic_cast<ScheduleGridModel *>(model))
            milestone = u"schedules"_s;
        connect(model, &LazyTableModel::windowLoaded, this, [this, milestone](int first, int last) {
            if (last >= first)
                reach(milestone);
        });
        if (model->rowCount() > 0 && model->data(model->index(0, 0)).isValid())
            reach(milestone);
    }
    if (!m_reached.contains(u"timeline"_s)) {
        const auto timelines = m_window->findChildren<TimelineModel *>();
        for (const TimelineModel *timeline : timelines) {
            for (int row = 0; row < timeline->rowCount(); ++row) {
                if (timeline->stateOf(timeline->revisionAt(row)) == TimelineModel::State::Current) {
                    reach(u"timeline"_s);
                    break;
                }
            }
        }
    }
}

void MilestoneReport::reach(const QString &milestone)
{
    if (m_reached.contains(milestone))
        return;
    m_reached.insert(milestone);
    m_print(milestone);
}

} // namespace MigrationDesk
