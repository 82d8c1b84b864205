#pragma once

#include "db/connectionsettings.h"
#include "scheduling/scheduleeditor.h"

#include <QObject>

class QLabel;
class QPushButton;
class QWidget;

namespace MigrationDesk {

class AppServices;
class LazyTableModel;
class ScheduleDetailPane;

// The Schedules view's Edit mode: the Edit button and Read-only badge, the editing connection, saves
// and reloads through a ScheduleEditor, and the unsaved-changes questions. It makes the widgets; the
// view lays them out. GUI thread; the editor runs on a thread from the AppServices (which must
// outlive this) with its own connection.
class ScheduleEditMode : public QObject
{
    Q_OBJECT

public:
    // `detail` shows and edits the schedule; `view` owns this and parents the questions.
    explicit ScheduleEditMode(AppServices &services, ScheduleDetailPane *detail, QWidget *view);
    ~ScheduleEditMode() override;

    QPushButton *button() const { return m_edit; }
    QLabel *readOnlyBadge() const { return m_readOnly; }

    // Opens the editing connection; close() leaves edit mode and closes it.
    void open(const ConnectionSettings &settings);
    void close();
    // The grid's model (nullptr: none); editing needs its table, and saves refresh it.
    void setModel(LazyTableModel *model);
    // Enables Edit only with a table, an editing connection and the right to update; says why not.
    void updateAvailability();

    bool isEditing() const;
    // Leaves or enters edit mode; leaving with unsaved edits asks first. False when refused/cancelled.
    bool setEditing(bool editing);
    // Another schedule is about to show: asks before its unsaved edits go. False when cancelled.
    bool discardForOther();

Q_SIGNALS:
    // A save changed what is stored and the grid reads its rows again.
    void rowsChanged();
    void saveFinished(const MigrationDesk::ScheduleSaveOutcome &outcome);

private:
    bool confirmDiscard(const QString &question);
    void onSaved(const ScheduleSaveOutcome &outcome);

    AppServices &m_services;
    ScheduleDetailPane *m_detail = nullptr;
    QWidget *m_view = nullptr;
    ScheduleEditor *m_editor = nullptr;
    LazyTableModel *m_model = nullptr;
    QPushButton *m_edit = nullptr;
    QLabel *m_readOnly = nullptr;
    bool m_connected = false;
    bool m_editorReady = false;
    QString m_editorError;
};

} // namespace MigrationDesk
