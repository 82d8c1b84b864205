#include "scheduling/statuslegend.h"

#include "scheduling/calendarpainter.h"
#include "scheduling/enumlabels.h"

#include <QHBoxLayout>
#include <QLabel>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

StatusLegend::StatusLegend(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    for (const QString &status : EnumLabels::statuses()) {
        auto *swatch = new QLabel;
        swatch->setFixedSize(14, 14);
        swatch->setStyleSheet(u"QLabel { background: %1; border: 1px solid %2; border-left: 4px solid %2; }"_s
                                  .arg(CalendarPainter::statusFill(status).name(), CalendarPainter::statusAccent(status).name()));
        auto *label = new QLabel(EnumLabels::status(status));
        label->setObjectName(u"legend_"_s + status);
        layout->addWidget(swatch);
        layout->addWidget(label);
        layout->addSpacing(8);
    }
}

} // namespace MigrationDesk
