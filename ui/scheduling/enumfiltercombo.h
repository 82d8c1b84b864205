#pragma once

#include <QComboBox>

namespace MigrationDesk {

// A filter combo that allows several values: choosing an entry with the keyboard or the mouse picks it
// alone (the first entry, "Any", clears), clicking an entry's check box in the open list adds or removes
// it and keeps the list open. The closed combo names what is chosen. GUI thread.
class EnumFilterCombo : public QComboBox
{
    Q_OBJECT

public:
    EnumFilterCombo(const QString &anyText, const QStringList &values, QString (*label)(const QString &),
                    QWidget *parent = nullptr);

    // The chosen values, in list order; empty for any.
    QStringList values() const;
    void setValues(const QStringList &values);
    // Adds or removes one value, as a click on its check box does.
    void toggleValue(const QString &value);
    QString summary() const;

Q_SIGNALS:
    void valuesChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void applyChecks(const QStringList &values);
    QString m_anyText;
    bool m_updating = false;
};

} // namespace MigrationDesk
