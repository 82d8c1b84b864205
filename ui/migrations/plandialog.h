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
// pre-flight review's findings under their step (a click selects the statement), and the optional pg_dump
// backup. A danger finding needs "I understand" ticked before Run; an error finding disables Run. Shows
// the refusal instead when the target was refused. GUI thread; it only displays a PlanReview the worker computed.
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
    QStringList warnings() const;     // plan-wide warnings, then every step's findings
    QPushButton *runButton() const { return m_runButton; }
    QCheckBox *understandCheck() const { return m_understand; }
    QListWidget *stepList() const { return m_steps; }
    // The row of the step list that shows finding `finding` of step `step`; -1 if none.
    int findingRow(int step, int finding) const;

    // "Upgrade to head", "Downgrade to base", "Stamp <rev>": what the user asked for.
    static QString kindTitle(const PlanReview &plan);
    // The confirming button's text: "Upgrade", "Downgrade" or "Stamp".
    static QString actionName(MigrationOp op);
    // A step drops a table or column, or empties or overwrites a table (review rule drops-data).
    static bool dropsData(const PlanReview &plan);

private:
    void chooseBackupFile();
    void updateRunButton();
    void showRow(int row);
    void showStep(int step);
    void selectStatement(int step, const PlanFinding &finding);
    void addFindingItems(int step);

    PlanReview m_plan;
    QStringList m_warnings;
    QList<int> m_stepBlocks; // first text block of each step in the SQL view
    QList<std::pair<int, int>> m_rows; // per step-list row: (step, finding), finding -1 for the step itself
    bool m_hasDanger = false;  // a danger finding not allowed by a comment: Run needs "I understand"
    QString m_blockedBy;       // why Run is disabled (an error finding); empty when it is not
    QCheckBox *m_understand = nullptr;
    QListWidget *m_steps = nullptr;
    QPlainTextEdit *m_sql = nullptr;
    QCheckBox *m_backup = nullptr;
    QLineEdit *m_backupPath = nullptr;
    QPushButton *m_runButton = nullptr;
};

} // namespace MigrationDesk
