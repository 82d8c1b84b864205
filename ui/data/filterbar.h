#pragma once

#include "browse/catalog.h"
#include "browse/keysetquery.h"

#include <QList>
#include <QSet>
#include <QWidget>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace MigrationDesk {

// The filter bar above the grid: pick a column, an operator offered for that column's type and a
// value, then Apply; each active filter shows as a chip that removes it when clicked. Values are
// handed on as text for ColumnFilter to bind and cast, never checked or pasted here: the server
// judges them. A filter on a masked (sensitive, not revealed) column is refused. GUI thread.
class FilterBar : public QWidget
{
    Q_OBJECT

public:
    // How a column's type is filtered: which operators make sense and what a value looks like.
    enum class Category { Number, Temporal, Boolean, Text };
    // One operator as the combo box offers it; boolean "is true" is Equal with the value "true".
    struct Operator
    {
        ColumnFilter::Op op;
        QString fixedValue; // non-empty: no value to type
    };

    explicit FilterBar(QWidget *parent = nullptr);

    static Category categoryOf(const QString &type);
    static QList<Operator> operatorsFor(Category category);

    // A new table: its columns, and no filters (without emitting filtersChanged).
    void setColumns(const QList<ColumnInfo> &columns);
    QList<ColumnFilter> filters() const { return m_filters; }
    // Removes every filter and empties the value boxes; emits filtersChanged when there were any.
    void clearFilters();
    // Puts back filters saved from an earlier bar on the same table (a language switch), leaving out any
    // on a column that is gone or masked here; emits filtersChanged.
    void setFilters(const QList<ColumnFilter> &filters);
    // The sensitive columns the user revealed; filtering any other sensitive column is refused.
    void setRevealedColumns(const QSet<QString> &columns);
    // Drops the chips of filters on column (the model already dropped the filters), without a signal.
    void forgetFiltersOn(const QString &column);

    // Applies what the inputs say (the Apply button and Enter): replaces the column's earlier filter.
    void applyCurrent();
    // Selects a column and operator by their texts, for tests and keyboard users alike.
    bool selectColumn(const QString &column);
    bool selectOperator(ColumnFilter::Op op, const QString &fixedValue = {});

    QComboBox *columnBox() const { return m_column; }
    QComboBox *operatorBox() const { return m_operator; }
    QLineEdit *valueEdit() const { return m_value; }
    QLineEdit *secondValueEdit() const { return m_value2; }
    QPushButton *applyButton() const { return m_apply; }

    // "name contains 김", "amount between 1 and 5", "active is true": a filter as its chip reads.
    QString describe(const ColumnFilter &filter) const;

Q_SIGNALS:
    void filtersChanged(const QList<MigrationDesk::ColumnFilter> &filters);
    // Apply on a masked column: nothing changed; message says why.
    void refused(const QString &message);

private:
    void onColumnChanged();
    void onOperatorChanged();
    void rebuildChips();
    void updateClearButton();
    QString operatorText(const Operator &op) const;

    QList<ColumnInfo> m_columns;
    QList<ColumnFilter> m_filters;
    QSet<QString> m_revealed;
    QComboBox *m_column;
    QComboBox *m_operator;
    QLineEdit *m_value;
    QLabel *m_and;
    QLineEdit *m_value2;
    QPushButton *m_apply;
    QPushButton *m_clear;
    QWidget *m_chips;
    QHBoxLayout *m_chipLayout;
};

} // namespace MigrationDesk
