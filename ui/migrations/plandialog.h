#pragma once

#include "session/databaseworker.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace MigrationDesk {

// The confirmation shown before anything runs: every step with its direction and exact SQL, the
// data a downgrade destroys, and the optional pg_dump backup. Shows the refusal instead when the
// target was refused. GUI thread; it only displays a PlanReview the worker computed.
class PlanDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PlanDialog(const PlanReview &plan, QWidget *parent = nullptr);

    const PlanReview &plan() const { return m_plan; }
    // The file to pg_dump -Fc to before running; empty unless "Back up first" is checked.
    QString backupFile() const;
    void setBackupFile(const QString &path); // checks "Back up first"

    QString sqlText() const;          // all steps' SQL as shown
    QStringList warnings() const;     // plan-wide warnings, then every step's drop warnings
    QPushButton *runButton() const { return m_runButton; }

    static QString kindTitle(const PlanReview &plan);

private:
    void chooseBackupFile();
    void updateRunButton();
    void showStep(int row);

    PlanReview m_plan;
    QStringList m_warnings;
    QList<int> m_stepBlocks; // first text block of each step in the SQL view
    QListWidget *m_steps = nullptr;
    QPlainTextEdit *m_sql = nullptr;
    QCheckBox *m_backup = nullptr;
    QLineEdit *m_backupPath = nullptr;
    QPushButton *m_runButton = nullptr;
};

} // namespace MigrationDesk
