#pragma once

#include "scheduling/scheduleeditor.h"

#include <QHash>
#include <QSet>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace MigrationDesk {

// The selected schedule's long fields (description, purpose, result, follow-up, reminder, client
// name and contact, created and updated times) beside the grid, and in edit mode the status, result
// and follow-up editors, with Save, Discard and the save's message in a footer that never scrolls
// away. Edits are kept while the row is re-read (after a refused save, for instance) until saved or
// discarded. GUI thread; saving goes out as saveRequested(), Discard asks for the stored row with
// reloadRequested().
class ScheduleDetailPane : public QWidget
{
    Q_OBJECT

public:
    explicit ScheduleDetailPane(QWidget *parent = nullptr);

    // values: the row's raw text by column name (a null QString is SQL NULL); masked columns show
    // the mask instead of their value.
    void showSchedule(const QHash<QString, QString> &values, const QSet<QString> &masked = {});
    void clear();
    QString scheduleId() const;
    bool hasSchedule() const { return !scheduleId().isEmpty(); }
    // How messages name the shown schedule: title and date (ScheduleName).
    QString scheduleName() const;
    // The shown schedule as the database returned it again (after a save, or for Discard): shown with
    // the same masks; edits in progress stay. Values of another schedule are ignored.
    void showStored(const QHash<QString, QString> &values);
    // Writes the shown row's timestamps again, after the time-zone choice changed; edits are kept.
    void refreshTimes() { showStored(m_values); }

    void setEditing(bool editing);
    bool isEditing() const { return m_editing; }
    // The editors differ from the values they were loaded with.
    bool isDirty() const;
    // What Save would send now.
    ScheduleEdit currentEdit() const;
    // Loads the editors from the latest values of the row (after a refused save: the current data).
    void discardEdits();
    void setSaving(bool saving);
    // After a successful save the edited values are the new base and updated_at is the server's.
    void markSaved(const ScheduleSaveOutcome &outcome);
    // A line under the editors: errors in a warning colour; empty hides it.
    void showMessage(const QString &text, bool error);
    QString message() const;

    // The text shown for a field (tests and screenshots).
    QString fieldText(const QString &column) const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    void saveRequested(const MigrationDesk::ScheduleEdit &edit);
    void dirtyChanged(bool dirty);
    // Discard was clicked: the view reads the row again (ScheduleEditor::reload) and calls showStored().
    void reloadRequested(const QString &scheduleId);

private:
    void loadEditors();
    void updateButtons();
    QString shown(const QString &column) const;
    // A word-wrapped label asks for the height its text needs at its width (the splitter and the
    // scroll area do not pass height-for-width on, so without this long text is cut off).
    void keepHeight(QLabel *label);
    void keepHeights();

    QLabel *m_heading = nullptr;
    QLabel *m_subheading = nullptr;
    QLabel *m_empty = nullptr;
    QWidget *m_form = nullptr;
    QFormLayout *m_formLayout = nullptr;
    QWidget *m_scroll = nullptr;
    QHash<QString, QLabel *> m_fields;
    QComboBox *m_status = nullptr;
    QPlainTextEdit *m_result = nullptr;
    QPlainTextEdit *m_followUp = nullptr;
    QWidget *m_editor = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_discard = nullptr;
    QWidget *m_footer = nullptr;        // Save, Discard and the message, outside the scroll area
    QLabel *m_message = nullptr;

    QHash<QString, QString> m_values;  // the row as last read
    QSet<QString> m_masked;
    ScheduleEdit m_base;               // what the editors were loaded from
    bool m_editing = false;
    bool m_saving = false;
    bool m_wasDirty = false;
    bool m_loading = false;
};

} // namespace MigrationDesk
