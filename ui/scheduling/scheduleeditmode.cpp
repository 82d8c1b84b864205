#include "scheduling/scheduleeditmode.h"

#include "browse/lazytablemodel.h"
#include "scheduling/scheduledetailpane.h"
#include "scheduling/schedulegridlayout.h"
#include "icons.h"
#include "session/appservices.h"

#include <QCoreApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The texts began in the Schedules view and keep its translation context.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::SchedulesView)
};

} // namespace

ScheduleEditMode::ScheduleEditMode(AppServices &services, ScheduleDetailPane *detail, QWidget *view)
    : QObject(view)
    , m_services(services)
    , m_detail(detail)
    , m_view(view)
{
    m_editor = m_services.threads().start(new ScheduleEditor, u"SchedulesView editor"_s);
    connect(m_editor, &ScheduleEditor::opened, this, [this](bool ok, const QString &error) {
        if (!m_connected)
            return;
        m_editorReady = ok;
        m_editorError = error;
        updateAvailability();
    });
    connect(m_editor, &ScheduleEditor::saved, this, &ScheduleEditMode::onSaved);
    connect(m_editor, &ScheduleEditor::reloaded, this,
            [this](const QString &id, const QHash<QString, QString> &values, const QString &error) {
                if (!m_connected || id != m_detail->scheduleId())
                    return;
                m_detail->showStored(values);
                if (!error.isEmpty())
                    m_detail->showMessage(error, true);
            });

    m_edit = new QPushButton(Text::tr("&Edit"));
    m_edit->setObjectName(u"editButton"_s);
    m_edit->setIcon(Icons::get(Icons::Edit));
    m_edit->setCheckable(true);
    m_edit->setEnabled(false);
    connect(m_edit, &QPushButton::toggled, this, [this](bool checked) {
        if (!setEditing(checked)) {
            const QSignalBlocker blocker(m_edit);
            m_edit->setChecked(!checked);
        }
    });
    m_readOnly = new QLabel(Text::tr("Read-only"));
    m_readOnly->setObjectName(u"readOnlyBadge"_s);
    m_readOnly->setToolTip(Text::tr("Browsing uses a read-only session. Use Edit to change a schedule."));
    m_readOnly->setStyleSheet(u"QLabel { background: #fff4ce; color: #5c4400; border: 1px solid #e3c766;"
                                " border-radius: 8px; padding: 1px 8px; }"_s);

    connect(m_detail, &ScheduleDetailPane::saveRequested, this, [this](const ScheduleEdit &edit) {
        m_detail->setSaving(true);
        m_detail->showMessage(Text::tr("Saving…"), false);
        ScheduleEditor *editor = m_editor;
        QMetaObject::invokeMethod(editor, [editor, edit] { editor->save(edit); }, Qt::QueuedConnection);
    });
    connect(m_detail, &ScheduleDetailPane::reloadRequested, this, [this](const QString &id) {
        ScheduleEditor *editor = m_editor;
        const QString name = m_detail->scheduleName();
        QMetaObject::invokeMethod(editor, [editor, id, name] { editor->reload(id, name); }, Qt::QueuedConnection);
    });
}

ScheduleEditMode::~ScheduleEditMode()
{
    // The connection is closed on the thread that opened it; not waited for: nothing the editor runs
    // calls back into this.
    ScheduleEditor *editor = m_editor;
    QMetaObject::invokeMethod(editor, [editor] { editor->close(); }, Qt::QueuedConnection);
    m_services.threads().retire(editor);
}

void ScheduleEditMode::open(const ConnectionSettings &settings)
{
    m_connected = true;
    ScheduleEditor *editor = m_editor;
    QMetaObject::invokeMethod(editor, [editor, settings] { editor->open(settings); }, Qt::QueuedConnection);
}

void ScheduleEditMode::close()
{
    m_detail->setEditing(false);
    {
        const QSignalBlocker blocker(m_edit);
        m_edit->setChecked(false);
    }
    m_readOnly->show();
    m_connected = false;
    m_editorReady = false;
    m_editorError.clear();
    ScheduleEditor *editor = m_editor;
    QMetaObject::invokeMethod(editor, [editor] { editor->close(); }, Qt::QueuedConnection);
}

void ScheduleEditMode::setModel(LazyTableModel *model)
{
    m_model = model;
}

void ScheduleEditMode::updateAvailability()
{
    QString why;
    if (!m_model || !m_model->tableInfo().isValid()) {
        why = Text::tr("Connect to a database whose schedules table exists to edit schedules.");
    } else if (!m_editorReady) {
        why = m_editorError.isEmpty() ? Text::tr("Opening the editing connection…")
                                      : Text::tr("The editing connection failed: %1").arg(m_editorError);
    } else if (!ScheduleGridLayout::canEdit(m_model->tableInfo())) {
        why = Text::tr("Your database role may not change schedules: it lacks UPDATE on public.schedules "
                       "(status, result and follow_up).");
    }
    m_edit->setEnabled(why.isEmpty());
    m_edit->setToolTip(why.isEmpty() ? Text::tr("Change the status, result and follow-up of the selected schedule.")
                                     : why);
    if (!why.isEmpty() && isEditing()) {
        m_detail->setEditing(false);
        const QSignalBlocker blocker(m_edit);
        m_edit->setChecked(false);
        m_readOnly->show();
    }
}

bool ScheduleEditMode::isEditing() const
{
    return m_detail->isEditing();
}

bool ScheduleEditMode::setEditing(bool editing)
{
    if (editing == isEditing())
        return true;
    if (editing && !m_edit->isEnabled())
        return false;
    if (!editing && m_detail->isDirty()
        && !confirmDiscard(Text::tr("%1 has unsaved changes. Leave edit mode and discard them?")
                               .arg(m_detail->scheduleName()))) {
        return false;
    }
    m_detail->setEditing(editing);
    {
        const QSignalBlocker blocker(m_edit);
        m_edit->setChecked(editing);
    }
    m_readOnly->setVisible(!editing);
    return true;
}

bool ScheduleEditMode::discardForOther()
{
    if (!confirmDiscard(Text::tr("%1 has unsaved changes. Discard them?").arg(m_detail->scheduleName())))
        return false;
    m_detail->discardEdits();
    return true;
}

bool ScheduleEditMode::confirmDiscard(const QString &question)
{
    QMessageBox box(QMessageBox::Question, Text::tr("Unsaved Changes"), question,
                    QMessageBox::Discard | QMessageBox::Cancel, m_view);
    box.setObjectName(u"discardQuestion"_s);
    box.setDefaultButton(QMessageBox::Cancel);
    return box.exec() == QMessageBox::Discard;
}

void ScheduleEditMode::onSaved(const ScheduleSaveOutcome &outcome)
{
    if (!m_connected)
        return;
    m_detail->setSaving(false);
    if (outcome.ok() && outcome.scheduleId == m_detail->scheduleId()) {
        m_detail->markSaved(outcome);
        m_detail->showMessage(Text::tr("Saved."), false);
    } else if (!outcome.ok()) {
        m_detail->showMessage(outcome.message, true);
    }
    // The pane shows what is stored, even when the row left the filtered grid.
    if (outcome.scheduleId == m_detail->scheduleId())
        m_detail->showStored(outcome.stored);
    // The grid shows what is stored now: the new values, or whatever the other writer left.
    if (m_model && (outcome.ok() || outcome.kind == ScheduleSaveOutcome::Conflict
                    || outcome.kind == ScheduleSaveOutcome::Deleted || outcome.kind == ScheduleSaveOutcome::Missing)) {
        m_model->refresh(outcome.kind != ScheduleSaveOutcome::Saved);
        Q_EMIT rowsChanged();
    }
    Q_EMIT saveFinished(outcome);
}

} // namespace MigrationDesk
