#pragma once

#include "migrations/historyquery.h"

#include <QWidget>

class QComboBox;
class QDateEdit;
class QLineEdit;
class QTimer;

namespace MigrationDesk {

// The row above the History table: revision, user, result and a date range. Says when the user has
// settled on a filter (a short pause after typing); reading the rows is the caller's job. GUI thread.
class HistoryFilterBar : public QWidget
{
    Q_OBJECT

public:
    explicit HistoryFilterBar(QWidget *parent = nullptr);

    // From and To are whole local days: from 00:00 of From to the end of To.
    HistoryFilter filter() const;
    void clear();

    QLineEdit *revisionEdit() const { return m_revision; }
    QLineEdit *userEdit() const { return m_user; }
    QComboBox *resultCombo() const { return m_result; }
    QDateEdit *fromEdit() const { return m_from; }
    QDateEdit *toEdit() const { return m_to; }

Q_SIGNALS:
    void filterChanged(const MigrationDesk::HistoryFilter &filter);

private:
    QLineEdit *m_revision = nullptr;
    QLineEdit *m_user = nullptr;
    QComboBox *m_result = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    QTimer *m_settle = nullptr;
};

} // namespace MigrationDesk
