#pragma once

#include <QDialog>
#include <QStringList>

class QLabel;
class QLineEdit;
class QPushButton;

namespace MigrationDesk {

// Asks before rows are deleted permanently: names what goes and enables its button only once the
// user has typed the number of rows shown. GUI thread.
class PurgeDialog : public QDialog
{
    Q_OBJECT

public:
    // what: the table, e.g. "public.schedules"; labels: the rows' titles or names (the first few are listed).
    PurgeDialog(const QString &what, const QStringList &labels, QWidget *parent = nullptr);

    // The text the user must type: the number of rows.
    QString expectedText() const { return m_expected; }
    bool isConfirmed() const;

private:
    QString m_expected;
    QLineEdit *m_confirm;
    QPushButton *m_deleteButton;
};

} // namespace MigrationDesk
