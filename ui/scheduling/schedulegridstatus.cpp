#include "scheduling/schedulegridstatus.h"

#include "browse/lazytablemodel.h"
#include "icons.h"

#include <QCoreApplication>
#include <QLabel>
#include <QPushButton>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The texts began in the Schedules view and keep its translation context.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::SchedulesView)
};

} // namespace

ScheduleGridStatus::ScheduleGridStatus(QObject *parent)
    : QObject(parent)
{
    m_busy = new QLabel;
    m_busy->setObjectName(u"scheduleStatus"_s);
    m_busy->hide();
    m_cancel = new QPushButton(Text::tr("Cancel"));
    m_cancel->setObjectName(u"cancelFetch"_s);
    m_cancel->hide();
    m_count = new QLabel;
    m_count->setObjectName(u"scheduleCount"_s);
    m_refresh = new QPushButton(Text::tr("Re&fresh"));
    m_refresh->setObjectName(u"refreshSchedules"_s);
    m_refresh->setIcon(Icons::get(Icons::Refresh));
    connect(m_refresh, &QPushButton::clicked, this, [this] {
        if (m_model)
            m_model->refresh(true);
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_model)
            m_model->cancel();
    });

    m_empty = new QLabel(Text::tr("No schedules match these filters. <a href=\"clear\">Clear Filters</a>"));
    m_empty->setObjectName(u"noSchedulesMatch"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_empty->setStyleSheet(u"QLabel { padding: 12px; }"_s);
    m_empty->hide();
    connect(m_empty, &QLabel::linkActivated, this, &ScheduleGridStatus::clearFiltersRequested);
}

void ScheduleGridStatus::setModel(LazyTableModel *model)
{
    m_model = model;
    m_busy->hide();
    m_busy->setStyleSheet({});
    m_cancel->hide();
    if (model) {
        connect(model, &LazyTableModel::countChanged, this, &ScheduleGridStatus::update);
        connect(model, &QAbstractItemModel::modelReset, this, &ScheduleGridStatus::update);
        connect(model, &LazyTableModel::fetchingChanged, this, &ScheduleGridStatus::onFetchingChanged);
        connect(model, &LazyTableModel::errorOccurred, this, &ScheduleGridStatus::showError);
    }
    update();
}

void ScheduleGridStatus::update()
{
    const bool ready = m_model && m_model->tableInfo().isValid();
    m_count->setText(ready ? Text::tr("Schedules: %1").arg(m_model->countText()) : QString());
    m_empty->setVisible(ready && m_model->isCountExact() && !m_model->isFetching() && m_model->rowCount() == 0);
}

void ScheduleGridStatus::showError(const QString &text)
{
    if (!m_model || !m_model->tableInfo().isValid())
        return; // the view shows it on its message page
    m_busy->setText(text);
    m_busy->setStyleSheet(u"color: #a31f1f;"_s);
    m_busy->show();
}

void ScheduleGridStatus::onFetchingChanged(bool fetching)
{
    update();
    if (!fetching) {
        m_cancel->hide();
        if (m_busy->styleSheet().isEmpty())
            m_busy->hide();
        return;
    }
    // Quick reads come and go unseen; only a slow one (a sort without an index) shows Cancel.
    QTimer::singleShot(500, this, [this, model = m_model] {
        if (m_model && m_model == model && m_model->isFetching()) {
            m_busy->setStyleSheet({});
            m_busy->setText(Text::tr("Reading…"));
            m_busy->show();
            m_cancel->show();
        }
    });
}

} // namespace MigrationDesk
