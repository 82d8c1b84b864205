#pragma once

#include "migrations/bookkeeping.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QTableWidget;

namespace MigrationDesk {

// One past run's statement log, as bookkeeping recorded it: each statement with its line, time and
// result, and the selected statement's whole SQL (and error). GUI thread; it only displays.
class RunLogDialog : public QDialog
{
    Q_OBJECT

public:
    RunLogDialog(const HistoryEntry &run, const QList<LoggedStatement> &statements, QWidget *parent = nullptr);

    QTableWidget *statementTable() const { return m_table; }
    QPlainTextEdit *sqlView() const { return m_sql; }

private:
    void showStatement(int row);

    QList<LoggedStatement> m_statements;
    QTableWidget *m_table = nullptr;
    QPlainTextEdit *m_sql = nullptr;
};

} // namespace MigrationDesk
