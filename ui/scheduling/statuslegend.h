#pragma once

#include <QWidget>

namespace MigrationDesk {

// A one-line colour legend of the schedule statuses (a swatch and the translated label each), the same
// colours as the grid's rows and the calendar's blocks. GUI thread.
class StatusLegend : public QWidget
{
    Q_OBJECT

public:
    explicit StatusLegend(QWidget *parent = nullptr);
};

} // namespace MigrationDesk
