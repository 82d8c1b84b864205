#pragma once

#include <QWidget>

namespace MigrationDesk {

class TimelineModel;

// The legend under the Migrations toolbar: the shapes the timeline delegate draws, with their names; the
// Alembic marks (branch label tags, depends_on lines, the needs-review badge) on a second row, shown only
// while the loaded scripts use them. GUI thread.
class TimelineLegend : public QWidget
{
    Q_OBJECT

public:
    explicit TimelineLegend(TimelineModel *model, QWidget *parent = nullptr);

private:
    void refresh();

    TimelineModel *m_model;
    QWidget *m_alembicRow = nullptr;
    QWidget *m_tags = nullptr;
    QWidget *m_dependencies = nullptr;
    QWidget *m_needsReview = nullptr;
};

} // namespace MigrationDesk
