#include "data/filterbar.h"

#include "browse/keysetquery.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
constexpr int opRole = Qt::UserRole + 1;
constexpr int fixedValueRole = Qt::UserRole + 2;
} // namespace

FilterBar::FilterBar(QWidget *parent)
    : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(4);

    auto *row = new QHBoxLayout;
    row->setSpacing(6);
    auto *label = new QLabel(tr("Filter:"), this);
    m_column = new QComboBox(this);
    m_column->setObjectName(u"filterColumn"_s);
    m_column->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_column->setMinimumContentsLength(10);
    m_operator = new QComboBox(this);
    m_operator->setObjectName(u"filterOperator"_s);
    m_operator->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_value = new QLineEdit(this);
    m_value->setObjectName(u"filterValue"_s);
    m_value->setClearButtonEnabled(true);
    m_and = new QLabel(tr("and"), this);
    m_value2 = new QLineEdit(this);
    m_value2->setObjectName(u"filterValue2"_s);
    m_apply = new QPushButton(tr("Apply"), this);
    m_apply->setObjectName(u"filterApply"_s);
    m_apply->setToolTip(tr("Show only the rows that match (Enter)"));
    m_clear = new QPushButton(tr("Clear Filters"), this);
    m_clear->setObjectName(u"filterClear"_s);
    m_clear->setEnabled(false);
    row->addWidget(label);
    row->addWidget(m_column);
    row->addWidget(m_operator);
    row->addWidget(m_value, 2);
    row->addWidget(m_and);
    row->addWidget(m_value2, 1);
    row->addWidget(m_apply);
    row->addWidget(m_clear);
    // An operator without a value (is true, is null) only disables the boxes: hiding them would
    // make Apply and Clear Filters jump sideways under the pointer.
    for (QWidget *w : {static_cast<QWidget *>(m_value), static_cast<QWidget *>(m_and), static_cast<QWidget *>(m_value2)}) {
        QSizePolicy policy = w->sizePolicy();
        policy.setRetainSizeWhenHidden(true);
        w->setSizePolicy(policy);
    }
    outer->addLayout(row);

    m_chips = new QWidget(this);
    m_chips->setObjectName(u"filterChips"_s);
    m_chipLayout = new QHBoxLayout(m_chips);
    m_chipLayout->setContentsMargins(0, 0, 0, 0);
    m_chipLayout->setSpacing(4);
    m_chipLayout->addStretch(1);
    m_chips->hide();
    outer->addWidget(m_chips);

    connect(m_column, &QComboBox::currentIndexChanged, this, &FilterBar::onColumnChanged);
    connect(m_operator, &QComboBox::currentIndexChanged, this, &FilterBar::onOperatorChanged);
    connect(m_apply, &QPushButton::clicked, this, &FilterBar::applyCurrent);
    connect(m_value, &QLineEdit::returnPressed, this, &FilterBar::applyCurrent);
    connect(m_value2, &QLineEdit::returnPressed, this, &FilterBar::applyCurrent);
    connect(m_clear, &QPushButton::clicked, this, &FilterBar::clearFilters);
    connect(m_value, &QLineEdit::textChanged, this, &FilterBar::updateClearButton);
    connect(m_value2, &QLineEdit::textChanged, this, &FilterBar::updateClearButton);
    setColumns({});
}

FilterBar::Category FilterBar::categoryOf(const QString &type)
{
    static const QStringList numbers = {u"smallint"_s, u"integer"_s, u"bigint"_s, u"real"_s,
                                        u"double precision"_s, u"money"_s, u"oid"_s};
    if (numbers.contains(type) || type.startsWith(u"numeric"_s))
        return Category::Number;
    if (type == u"date"_s || type.startsWith(u"timestamp"_s) || type.startsWith(u"time"_s)
        || type.startsWith(u"interval"_s))
        return Category::Temporal;
    if (type == u"boolean"_s)
        return Category::Boolean;
    // Text, and anything else (uuid, enums, json...), compared as text or by equality.
    return Category::Text;
}

QList<FilterBar::Operator> FilterBar::operatorsFor(Category category)
{
    switch (category) {
    case Category::Number:
    case Category::Temporal:
        return {{ColumnFilter::Equal, {}}, {ColumnFilter::NotEqual, {}}, {ColumnFilter::Less, {}},
                {ColumnFilter::Greater, {}}, {ColumnFilter::Between, {}}, {ColumnFilter::IsNull, {}},
                {ColumnFilter::IsNotNull, {}}};
    case Category::Boolean:
        return {{ColumnFilter::Equal, u"true"_s}, {ColumnFilter::Equal, u"false"_s},
                {ColumnFilter::IsNull, {}}, {ColumnFilter::IsNotNull, {}}};
    case Category::Text:
        return {{ColumnFilter::Contains, {}}, {ColumnFilter::Equal, {}}, {ColumnFilter::NotEqual, {}},
                {ColumnFilter::IsNull, {}}, {ColumnFilter::IsNotNull, {}}};
    }
    return {};
}

QString FilterBar::operatorText(const Operator &op) const
{
    if (op.fixedValue == u"true"_s)
        return tr("is true");
    if (op.fixedValue == u"false"_s)
        return tr("is false");
    switch (op.op) {
    case ColumnFilter::Equal:
        return u"="_s;
    case ColumnFilter::NotEqual:
        return u"\u2260"_s;
    case ColumnFilter::Less:
        return u"<"_s;
    case ColumnFilter::Greater:
        return u">"_s;
    case ColumnFilter::Between:
        return tr("between");
    case ColumnFilter::Contains:
    case ColumnFilter::ContainsAny:
        return tr("contains");
    case ColumnFilter::IsNull:
        return tr("is null");
    case ColumnFilter::IsNotNull:
        return tr("is not null");
    }
    return {};
}

void FilterBar::setColumns(const QList<ColumnInfo> &columns)
{
    m_columns = columns;
    m_filters.clear();
    m_revealed.clear();
    {
        const QSignalBlocker block(m_column);
        m_column->clear();
        for (const ColumnInfo &column : columns) {
            m_column->addItem(column.name);
            m_column->setItemData(m_column->count() - 1, column.type, Qt::ToolTipRole);
        }
    }
    m_value->clear();
    m_value2->clear();
    {
        // As wide as the widest operator of any type, so a column of another type keeps Apply in place.
        const QSignalBlocker block(m_operator);
        m_operator->clear();
        for (Category category : {Category::Number, Category::Temporal, Category::Boolean, Category::Text}) {
            for (const Operator &op : operatorsFor(category))
                m_operator->addItem(operatorText(op));
        }
        m_operator->setMinimumWidth(m_operator->sizeHint().width());
    }
    const bool any = !columns.isEmpty();
    m_column->setEnabled(any);
    m_operator->setEnabled(any);
    m_apply->setEnabled(any);
    onColumnChanged();
    rebuildChips();
}

void FilterBar::onColumnChanged()
{
    const int index = m_column->currentIndex();
    const QSignalBlocker block(m_operator);
    m_operator->clear();
    if (index >= 0 && index < m_columns.size()) {
        const ColumnInfo &column = m_columns.at(index);
        const Category category = categoryOf(column.type);
        for (const Operator &op : operatorsFor(category)) {
            m_operator->addItem(operatorText(op));
            m_operator->setItemData(m_operator->count() - 1, int(op.op), opRole);
            m_operator->setItemData(m_operator->count() - 1, op.fixedValue, fixedValueRole);
        }
        switch (category) {
        case Category::Number:
            m_value->setPlaceholderText(tr("e.g. 42"));
            break;
        case Category::Temporal:
            m_value->setPlaceholderText(column.type == u"date"_s ? tr("e.g. 2024-01-31")
                                                                 : tr("e.g. 2024-01-31 09:30"));
            break;
        default:
            m_value->setPlaceholderText(tr("Value"));
            break;
        }
        m_value2->setPlaceholderText(m_value->placeholderText());
    }
    onOperatorChanged();
}

void FilterBar::onOperatorChanged()
{
    const int index = m_operator->currentIndex();
    const auto op = index < 0 ? ColumnFilter::IsNull : ColumnFilter::Op(m_operator->itemData(index, opRole).toInt());
    const bool fixed = index >= 0 && !m_operator->itemData(index, fixedValueRole).toString().isEmpty();
    const bool needsValue = index >= 0 && !fixed && op != ColumnFilter::IsNull && op != ColumnFilter::IsNotNull;
    m_value->setVisible(needsValue || index < 0);
    m_value->setEnabled(needsValue);
    m_and->setVisible(op == ColumnFilter::Between && index >= 0);
    m_value2->setVisible(op == ColumnFilter::Between && index >= 0);
}

bool FilterBar::selectColumn(const QString &column)
{
    const int index = m_column->findText(column, Qt::MatchExactly);
    if (index < 0)
        return false;
    m_column->setCurrentIndex(index);
    return true;
}

bool FilterBar::selectOperator(ColumnFilter::Op op, const QString &fixedValue)
{
    for (int i = 0; i < m_operator->count(); ++i) {
        if (m_operator->itemData(i, opRole).toInt() == int(op)
            && m_operator->itemData(i, fixedValueRole).toString() == fixedValue) {
            m_operator->setCurrentIndex(i);
            return true;
        }
    }
    return false;
}

void FilterBar::applyCurrent()
{
    const int column = m_column->currentIndex();
    const int op = m_operator->currentIndex();
    if (column < 0 || column >= m_columns.size() || op < 0)
        return;
    if (m_columns.at(column).sensitive && !m_revealed.contains(m_columns.at(column).name)) {
        Q_EMIT refused(KeysetQuery::maskedError(m_columns.at(column).name));
        return;
    }
    ColumnFilter filter;
    filter.column = m_columns.at(column).name;
    filter.op = ColumnFilter::Op(m_operator->itemData(op, opRole).toInt());
    const QString fixed = m_operator->itemData(op, fixedValueRole).toString();
    if (!fixed.isEmpty()) {
        filter.value = fixed;
    } else if (filter.op != ColumnFilter::IsNull && filter.op != ColumnFilter::IsNotNull) {
        filter.value = m_value->text();
        if (filter.op == ColumnFilter::Between)
            filter.value2 = m_value2->text();
    }
    // One filter per column: a new one for the same column replaces the old.
    m_filters.erase(std::remove_if(m_filters.begin(), m_filters.end(),
                                   [&](const ColumnFilter &f) { return f.column == filter.column; }),
                    m_filters.end());
    m_filters.append(filter);
    rebuildChips();
    Q_EMIT filtersChanged(m_filters);
}

void FilterBar::clearFilters()
{
    m_value->clear();
    m_value2->clear();
    if (m_filters.isEmpty())
        return;
    m_filters.clear();
    rebuildChips();
    Q_EMIT filtersChanged(m_filters);
}

void FilterBar::setFilters(const QList<ColumnFilter> &filters)
{
    m_filters.clear();
    for (const ColumnFilter &filter : filters) {
        const auto column = std::find_if(m_columns.cbegin(), m_columns.cend(),
                                         [&filter](const ColumnInfo &c) { return c.name == filter.column; });
        if (column != m_columns.cend() && (!column->sensitive || m_revealed.contains(column->name)))
            m_filters.append(filter);
    }
    rebuildChips();
    Q_EMIT filtersChanged(m_filters);
}

void FilterBar::setRevealedColumns(const QSet<QString> &columns)
{
    m_revealed = columns;
}

void FilterBar::forgetFiltersOn(const QString &column)
{
    const auto before = m_filters.size();
    m_filters.erase(std::remove_if(m_filters.begin(), m_filters.end(),
                                   [&](const ColumnFilter &f) { return f.column == column; }),
                    m_filters.end());
    if (m_filters.size() != before)
        rebuildChips();
}

void FilterBar::updateClearButton()
{
    m_clear->setEnabled(!m_filters.isEmpty() || !m_value->text().isEmpty() || !m_value2->text().isEmpty());
}

QString FilterBar::describe(const ColumnFilter &filter) const
{
    Operator op{filter.op, {}};
    QString type;
    for (const ColumnInfo &column : m_columns) {
        if (column.name == filter.column)
            type = column.type;
    }
    if (categoryOf(type) == Category::Boolean && filter.op == ColumnFilter::Equal)
        op.fixedValue = filter.value;
    const QString text = operatorText(op);
    switch (filter.op) {
    case ColumnFilter::IsNull:
    case ColumnFilter::IsNotNull:
        return filter.column + u' ' + text;
    case ColumnFilter::Between:
        return tr("%1 between %2 and %3").arg(filter.column, filter.value, filter.value2);
    default:
        if (!op.fixedValue.isEmpty())
            return filter.column + u' ' + text;
        return filter.column + u' ' + text + u' ' + filter.value;
    }
}

void FilterBar::rebuildChips()
{
    while (m_chipLayout->count() > 1) {
        QLayoutItem *item = m_chipLayout->takeAt(0);
        delete item->widget();
        delete item;
    }
    for (int i = 0; i < m_filters.size(); ++i) {
        const ColumnFilter filter = m_filters.at(i);
        auto *chip = new QToolButton(m_chips);
        chip->setObjectName(u"filterChip"_s);
        chip->setText(describe(filter) + u"  \u2715"_s);
        chip->setToolTip(tr("Remove this filter"));
        chip->setAutoRaise(false);
        connect(chip, &QToolButton::clicked, this, [this, column = filter.column] {
            m_filters.erase(std::remove_if(m_filters.begin(), m_filters.end(),
                                           [&](const ColumnFilter &f) { return f.column == column; }),
                            m_filters.end());
            // Deleting the clicked button inside its own signal is unsafe: rebuild afterwards.
            QMetaObject::invokeMethod(this, &FilterBar::rebuildChips, Qt::QueuedConnection);
            Q_EMIT filtersChanged(m_filters);
        });
        m_chipLayout->insertWidget(i, chip);
    }
    m_chips->setVisible(!m_filters.isEmpty());
    updateClearButton();
}

} // namespace MigrationDesk
