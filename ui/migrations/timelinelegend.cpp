#include "migrations/timelinelegend.h"

#include "migrations/migrationsview.h"
#include "migrations/timelinedelegate.h"
#include "models/timelinemodel.h"

#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// One legend entry: a drawn sample and its name, in a widget of their own so it can be hidden.
QWidget *entry(QWidget *parent, const QPixmap &sample, const QString &text)
{
    auto *widget = new QWidget(parent);
    auto *row = new QHBoxLayout(widget);
    row->setContentsMargins(0, 0, 10, 0);
    auto *icon = new QLabel(widget);
    icon->setPixmap(sample);
    row->addWidget(icon);
    row->addWidget(new QLabel(text, widget));
    return widget;
}

QPixmap blank(int width, int height)
{
    QPixmap pixmap(width, height);
    pixmap.fill(Qt::transparent);
    return pixmap;
}

} // namespace

TimelineLegend::TimelineLegend(TimelineModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(u"timelineLegend"_s);
    auto *rows = new QVBoxLayout(this);
    rows->setContentsMargins(6, 2, 6, 2);
    rows->setSpacing(2);

    auto *states = new QHBoxLayout;
    using State = TimelineModel::State;
    for (State s : {State::Current, State::Applied, State::Pending, State::MissingScript}) {
        QPixmap pixmap = blank(18, 18);
        {
            QPainter p(&pixmap);
            TimelineDelegate::paintStateDot(&p, QPointF(9, 9), 5.5, s);
        }
        states->addWidget(entry(this, pixmap, TimelineDelegate::stateText(s)));
    }
    states->addWidget(new QLabel(MigrationsView::tr("⚠ script changed after it was applied"), this));
    states->addStretch();
    rows->addLayout(states);

    // A row of its own: the first one already fills a narrow window.
    m_alembicRow = new QWidget(this);
    m_alembicRow->setObjectName(u"timelineLegendAlembic"_s);
    auto *alembic = new QHBoxLayout(m_alembicRow);
    alembic->setContentsMargins(0, 0, 0, 0);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    const QFontMetrics sfm(small);

    QPixmap tag = blank(26, 16);
    {
        QPainter p(&tag);
        TimelineDelegate::paintTag(&p, QRectF(1, 2, 24, 12), QString(), palette());
    }
    m_tags = entry(m_alembicRow, tag, tr("branch label"));

    QPixmap dependency = blank(26, 18);
    {
        QPainter p(&dependency);
        QColor color = palette().color(QPalette::Text);
        color.setAlphaF(0.6f);
        TimelineDelegate::paintDependencyPiece(&p, QRectF(0, 0, 26, 18), QPointF(-8, 9), 25, 2, color);
    }
    m_dependencies = entry(m_alembicRow, dependency, tr("depends on"));

    const QString reviewText = TimelineDelegate::needsReviewText();
    QPixmap review = blank(sfm.horizontalAdvance(reviewText) + 12, sfm.height() + 4);
    {
        QPainter p(&review);
        p.setRenderHint(QPainter::Antialiasing);
        p.setFont(small);
        p.setPen(Qt::NoPen);
        p.setBrush(TimelineDelegate::needsReviewColor());
        p.drawRoundedRect(QRectF(review.rect()), 4, 4);
        p.setPen(Qt::white);
        p.drawText(review.rect(), Qt::AlignCenter, reviewText);
    }
    m_needsReview = entry(m_alembicRow, review, tr("translate by hand before it can run"));

    alembic->addWidget(m_tags);
    alembic->addWidget(m_dependencies);
    alembic->addWidget(m_needsReview);
    alembic->addStretch();
    rows->addWidget(m_alembicRow);

    connect(m_model, &QAbstractItemModel::modelReset, this, &TimelineLegend::refresh);
    refresh();
}

void TimelineLegend::refresh()
{
    bool tags = false;
    bool dependencies = false;
    bool review = false;
    for (const MigrationScript &script : m_model->scripts().scripts()) {
        tags = tags || !script.branchLabels.isEmpty();
        dependencies = dependencies || !script.dependsOn.isEmpty();
        review = review || !script.needsReview.isEmpty();
    }
    m_tags->setVisible(tags);
    m_dependencies->setVisible(dependencies);
    m_needsReview->setVisible(review);
    m_alembicRow->setVisible(tags || dependencies || review);
}

} // namespace MigrationDesk
