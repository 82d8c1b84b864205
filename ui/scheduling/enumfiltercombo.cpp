#include "scheduling/enumfiltercombo.h"

#include <QAbstractItemView>
#include <QMouseEvent>
#include <QStandardItemModel>
#include <QStyle>
#include <QStylePainter>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

EnumFilterCombo::EnumFilterCombo(const QString &anyText, const QStringList &values, QString (*label)(const QString &),
                                 QWidget *parent)
    : QComboBox(parent)
    , m_anyText(anyText)
{
    addItem(anyText, QString());
    auto *items = qobject_cast<QStandardItemModel *>(model());
    for (const QString &value : values) {
        addItem(label(value), value);
        QStandardItem *item = items->item(count() - 1);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setData(Qt::Unchecked, Qt::CheckStateRole);
    }
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    view()->viewport()->installEventFilter(this);
    connect(this, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_updating)
            return;
        const QString value = itemData(index).toString();
        applyChecks(value.isEmpty() ? QStringList() : QStringList{value});
        Q_EMIT valuesChanged();
    });
}

QStringList EnumFilterCombo::values() const
{
    QStringList chosen;
    for (int i = 1; i < count(); ++i) {
        if (itemData(i, Qt::CheckStateRole).toInt() == Qt::Checked)
            chosen.append(itemData(i).toString());
    }
    return chosen;
}

void EnumFilterCombo::applyChecks(const QStringList &values)
{
    m_updating = true;
    for (int i = 1; i < count(); ++i)
        setItemData(i, values.contains(itemData(i).toString()) ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole);
    // The current entry follows a single choice; with several, "Any" stays current and the summary shows.
    setCurrentIndex(values.size() == 1 ? findData(values.first()) : 0);
    m_updating = false;
    update();
}

void EnumFilterCombo::setValues(const QStringList &values)
{
    if (values == this->values())
        return;
    applyChecks(values);
    Q_EMIT valuesChanged();
}

void EnumFilterCombo::toggleValue(const QString &value)
{
    QStringList chosen = values();
    if (chosen.contains(value))
        chosen.removeAll(value);
    else
        chosen.append(value);
    // List order, whatever the click order.
    QStringList ordered;
    for (int i = 1; i < count(); ++i) {
        if (chosen.contains(itemData(i).toString()))
            ordered.append(itemData(i).toString());
    }
    setValues(ordered);
}

QString EnumFilterCombo::summary() const
{
    QStringList labels;
    for (int i = 1; i < count(); ++i) {
        if (itemData(i, Qt::CheckStateRole).toInt() == Qt::Checked)
            labels.append(itemText(i));
    }
    return labels.isEmpty() ? m_anyText : labels.join(u", "_s);
}

bool EnumFilterCombo::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == view()->viewport() && event->type() == QEvent::MouseButtonRelease) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        const QModelIndex index = view()->indexAt(mouse->position().toPoint());
        // A click on the check box area toggles and keeps the list open; elsewhere it picks one value.
        if (index.isValid() && index.row() > 0 && mouse->position().x() < view()->style()->pixelMetric(QStyle::PM_IndicatorWidth) + 12) {
            toggleValue(itemData(index.row()).toString());
            return true;
        }
    }
    return QComboBox::eventFilter(watched, event);
}

void EnumFilterCombo::paintEvent(QPaintEvent *)
{
    QStylePainter painter(this);
    QStyleOptionComboBox option;
    initStyleOption(&option);
    option.currentText = summary();
    painter.drawComplexControl(QStyle::CC_ComboBox, option);
    painter.drawControl(QStyle::CE_ComboBoxLabel, option);
}

} // namespace MigrationDesk
