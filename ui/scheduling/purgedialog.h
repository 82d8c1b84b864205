#pragma once

#include <QDialog>
#include <QStringList>

class QLabel;
class QLineEdit;
class QPushButton;

namespace MigrationDesk {

// Asks before rows are deleted permanently: names what goes, says that it cannot be undone, and
// enables its button only once the user has typed the row's title (or, for several rows, their
// number); nothing is typed for them. GUI thread.
class PurgeDialog : public QDialog
{
    Q_OBJECT

public:
    // what: the table as people know it, e.g. "Schedules"; labels: the rows' titles or names as
    // listed (the first few are); title: the one row's bare title or name (empty for several rows).
    PurgeDialog(const QString &what, const QStringList &labels, const QString &title, QWidget *parent = nullptr);

    // The text the user must type: the one row's title, else the number of rows.
    QString expectedText() const { return m_expected; }
    bool isConfirmed() const;

private:
    QString m_expected;
    QLineEdit *m_confirm;
    QPushButton *m_deleteButton;
};

} // namespace MigrationDesk
