#pragma once

#include <QLayout>
#include <QList>

namespace MigrationDesk {

// A layout that places its items left to right and wraps them onto the next line when the width runs
// out (Qt's Flow Layout example), so that a row of filters fits half a screen. Its minimum width is its
// widest item's; its height follows the width. GUI thread.
class FlowLayout : public QLayout
{
public:
    explicit FlowLayout(QWidget *parent = nullptr, int horizontalSpacing = 12, int verticalSpacing = 4);
    ~FlowLayout() override;

    void addItem(QLayoutItem *item) override;
    int count() const override;
    QLayoutItem *itemAt(int index) const override;
    QLayoutItem *takeAt(int index) override;
    Qt::Orientations expandingDirections() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect &rect) override;

private:
    // Lays the items out in rect (or only measures, when testOnly); returns the height used.
    int arrange(const QRect &rect, bool testOnly) const;

    QList<QLayoutItem *> m_items;
    int m_horizontalSpacing;
    int m_verticalSpacing;
};

} // namespace MigrationDesk
