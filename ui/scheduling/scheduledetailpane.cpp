#include "scheduling/scheduledetailpane.h"

#include "browse/lazytablemodel.h"
#include "i18n/datetimeformat.h"
#include "scheduling/enumlabels.h"
#include "scheduling/scheduledelegate.h"

#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Stored timestamps are UTC wall-clock time (timezone('utc', now())); shown as DateTimeFormat says.
QString timestampText(const QString &value)
{
    return DateTimeFormat::fromDbTimestamp(value);
}

QPlainTextEdit *textEditor(const QString &name)
{
    auto *edit = new QPlainTextEdit;
    edit->setObjectName(name);
    edit->setTabChangesFocus(true);
    edit->setMinimumHeight(60);
    edit->setMaximumHeight(110);
    return edit;
}

} // namespace

ScheduleDetailPane::ScheduleDetailPane(QWidget *parent)
    : QWidget(parent)
{
    m_heading = new QLabel;
    m_heading->setObjectName(u"detailHeading"_s);
    m_heading->setWordWrap(true);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont headingFont = m_heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.15);
    m_heading->setFont(headingFont);
    m_subheading = new QLabel;
    m_subheading->setObjectName(u"detailSubheading"_s);
    m_subheading->setWordWrap(true);
    m_subheading->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_empty = new QLabel(tr("Select a schedule to see its details."));
    m_empty->setObjectName(u"detailEmpty"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);

    m_form = new QWidget;
    auto *form = new QFormLayout(m_form);
    m_formLayout = form;
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    const QList<std::pair<QString, QString>> rows = {
        {u"description"_s, tr("Description:")},
        {u"purpose"_s, tr("Purpose:")},
        {u"location"_s, tr("Location:")},
        {u"client_contact"_s, tr("Client contact:")},
        {u"reminder"_s, tr("Reminder:")},
        {u"result"_s, tr("Result:")},
        {u"follow_up"_s, tr("Follow-up:")},
        {u"created_at"_s, tr("Created:")},
        {u"updated_at"_s, tr("Updated:")},
    };
    for (const auto &[column, label] : rows) {
        auto *value = new QLabel;
        value->setObjectName(u"detail_"_s + column);
        value->setWordWrap(true);
        value->setTextFormat(Qt::PlainText);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        form->addRow(label, value);
        m_fields.insert(column, value);
    }

    m_status = new QComboBox;
    m_status->setObjectName(u"editStatus"_s);
    for (const QString &value : EnumLabels::statuses())
        m_status->addItem(EnumLabels::status(value), value);
    m_result = textEditor(u"editResult"_s);
    m_followUp = textEditor(u"editFollowUp"_s);
    m_save = new QPushButton(tr("&Save"));
    m_save->setObjectName(u"saveEdit"_s);
    m_discard = new QPushButton(tr("Disca&rd"));
    m_discard->setObjectName(u"discardEdit"_s);
    m_discard->setToolTip(tr("Throw away your edits and show the schedule as it is stored now."));
    m_message = new QLabel;
    m_message->setObjectName(u"editMessage"_s);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    m_editor = new QWidget;
    auto *editorForm = new QFormLayout;
    editorForm->setContentsMargins(0, 0, 0, 0);
    editorForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    editorForm->addRow(tr("S&tatus:"), m_status);
    editorForm->addRow(tr("Res&ult:"), m_result);
    editorForm->addRow(tr("&Follow-up:"), m_followUp);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_discard);
    buttons->addWidget(m_save);
    auto *editorLayout = new QVBoxLayout(m_editor);
    editorLayout->setContentsMargins(0, 8, 0, 0);
    editorLayout->addLayout(editorForm);
    editorLayout->addLayout(buttons);
    editorLayout->addWidget(m_message);
    m_editor->hide();

    auto *content = new QWidget;
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->addWidget(m_heading);
    contentLayout->addWidget(m_subheading);
    contentLayout->addWidget(m_form);
    contentLayout->addWidget(m_editor);
    contentLayout->addStretch();
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_empty);
    layout->addWidget(scroll);
    scroll->hide();
    m_scroll = scroll;

    auto edited = [this] {
        if (m_loading)
            return;
        updateButtons();
    };
    connect(m_status, &QComboBox::currentIndexChanged, this, edited);
    connect(m_result, &QPlainTextEdit::textChanged, this, edited);
    connect(m_followUp, &QPlainTextEdit::textChanged, this, edited);
    connect(m_save, &QPushButton::clicked, this, [this] {
        if (isDirty() && !m_saving)
            Q_EMIT saveRequested(currentEdit());
    });
    connect(m_discard, &QPushButton::clicked, this, &ScheduleDetailPane::discardEdits);
    updateButtons();
}

QString ScheduleDetailPane::scheduleId() const
{
    return m_values.value(u"schedule_id"_s);
}

QString ScheduleDetailPane::shown(const QString &column) const
{
    if (m_masked.contains(column) && !m_values.value(column).isNull())
        return LazyTableModel::maskText();
    return m_values.value(column);
}

void ScheduleDetailPane::showSchedule(const QHash<QString, QString> &values, const QSet<QString> &masked)
{
    const bool sameRow = !scheduleId().isEmpty() && values.value(u"schedule_id"_s) == scheduleId();
    m_values = values;
    m_masked = masked;
    const QLocale locale;
    using Kind = ScheduleDelegate::Kind;

    m_heading->setText(shown(u"title"_s));
    QStringList when{ScheduleDelegate::displayFor(Kind::Date, shown(u"schedule_date"_s), locale)};
    const QString start = ScheduleDelegate::displayFor(Kind::Time, shown(u"start_time"_s), locale);
    const QString end = ScheduleDelegate::displayFor(Kind::Time, shown(u"end_time"_s), locale);
    if (!start.isEmpty() || !end.isEmpty())
        when.append(start + u"\u2013"_s + end);
    QString employee = shown(u"employee_name"_s);
    if (!shown(u"department"_s).isEmpty())
        employee = tr("%1 (%2)").arg(employee, shown(u"department"_s));
    when.append(employee);
    when.append(ScheduleDelegate::displayFor(Kind::ScheduleType, shown(u"schedule_type"_s), locale));
    when.append(ScheduleDelegate::displayFor(Kind::Status, shown(u"status"_s), locale));
    when.append(ScheduleDelegate::displayFor(Kind::Priority, shown(u"priority"_s), locale));
    when.removeAll(QString());
    m_subheading->setText(when.join(u"  \u00B7  "_s));

    const QString none = tr("(none)");
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        QString text = shown(it.key());
        if (it.key() == u"created_at"_s || it.key() == u"updated_at"_s)
            text = timestampText(text);
        it.value()->setText(text.isEmpty() ? none : text);
        it.value()->setEnabled(!text.isEmpty());
    }
    const QString reminder = m_values.value(u"reminder"_s);
    QString reminderText = reminder == u"true"_s ? tr("Yes") : tr("No");
    if (reminder == u"true"_s && !m_values.value(u"reminder_time"_s).isEmpty())
        reminderText = tr("Yes, at %1").arg(DateTimeFormat::fromDbWallClock(shown(u"reminder_time"_s)));
    m_fields.value(u"reminder"_s)->setText(reminderText);
    m_fields.value(u"reminder"_s)->setEnabled(true);

    m_empty->hide();
    m_scroll->show();
    // A re-read of the row being edited keeps the edits (and the updated_at they were based on).
    if (!(sameRow && isDirty()))
        loadEditors();
    updateButtons();
}

void ScheduleDetailPane::clear()
{
    m_values.clear();
    m_masked.clear();
    m_base = {};
    loadEditors();
    m_message->hide();
    m_empty->show();
    m_scroll->hide();
    updateButtons();
}

QString ScheduleDetailPane::fieldText(const QString &column) const
{
    if (column == u"heading"_s)
        return m_heading->text();
    if (column == u"subheading"_s)
        return m_subheading->text();
    const QLabel *label = m_fields.value(column);
    return label ? label->text() : QString();
}

void ScheduleDetailPane::loadEditors()
{
    m_loading = true;
    m_base = {m_values.value(u"schedule_id"_s), m_values.value(u"updated_at"_s), m_values.value(u"status"_s),
              m_values.value(u"result"_s), m_values.value(u"follow_up"_s)};
    const int index = m_status->findData(m_base.status);
    m_status->setCurrentIndex(qMax(0, index));
    m_result->setPlainText(m_base.result);
    m_followUp->setPlainText(m_base.followUp);
    m_loading = false;
}

ScheduleEdit ScheduleDetailPane::currentEdit() const
{
    // An emptied field becomes NULL, unless it was an empty string before (then it stays as it was).
    auto text = [](const QPlainTextEdit *edit, const QString &before) {
        const QString value = edit->toPlainText();
        if (value.isEmpty())
            return before.isNull() ? QString() : u""_s;
        return value;
    };
    return {m_base.scheduleId, m_base.expectedUpdatedAt, m_status->currentData().toString(),
            text(m_result, m_base.result), text(m_followUp, m_base.followUp)};
}

bool ScheduleDetailPane::isDirty() const
{
    if (m_base.scheduleId.isEmpty())
        return false;
    const ScheduleEdit now = currentEdit();
    return now.status != m_base.status || now.result != m_base.result || now.followUp != m_base.followUp
        || now.result.isNull() != m_base.result.isNull() || now.followUp.isNull() != m_base.followUp.isNull();
}

void ScheduleDetailPane::discardEdits()
{
    loadEditors();
    m_message->hide();
    updateButtons();
}

void ScheduleDetailPane::setEditing(bool editing)
{
    m_editing = editing;
    m_editor->setVisible(editing);
    // The editors take the place of the stored result and follow-up.
    m_formLayout->setRowVisible(m_fields.value(u"result"_s), !editing);
    m_formLayout->setRowVisible(m_fields.value(u"follow_up"_s), !editing);
    if (!editing) {
        loadEditors();
        m_message->hide();
    }
    updateButtons();
}

void ScheduleDetailPane::setSaving(bool saving)
{
    m_saving = saving;
    updateButtons();
}

void ScheduleDetailPane::markSaved(const ScheduleSaveOutcome &outcome)
{
    const ScheduleEdit saved = currentEdit();
    m_base = saved;
    m_base.expectedUpdatedAt = outcome.newUpdatedAt;
    m_values.insert(u"status"_s, saved.status);
    m_values.insert(u"result"_s, saved.result);
    m_values.insert(u"follow_up"_s, saved.followUp);
    m_values.insert(u"updated_at"_s, outcome.newUpdatedAt);
    updateButtons();
}

void ScheduleDetailPane::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? u"color: #a31f1f;"_s : u"color: #1e6b2a;"_s);
    m_message->setVisible(!text.isEmpty());
}

QString ScheduleDetailPane::message() const
{
    return m_message->isVisible() ? m_message->text() : QString();
}

void ScheduleDetailPane::updateButtons()
{
    const bool dirty = isDirty();
    const bool editable = m_editing && hasSchedule() && !m_saving;
    m_status->setEnabled(editable);
    m_result->setReadOnly(!editable);
    m_followUp->setReadOnly(!editable);
    m_save->setEnabled(editable && dirty);
    m_discard->setEnabled(editable && dirty);
    if (dirty != m_wasDirty) {
        m_wasDirty = dirty;
        Q_EMIT dirtyChanged(dirty);
    }
}

} // namespace MigrationDesk
