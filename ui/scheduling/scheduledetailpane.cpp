#include "scheduling/scheduledetailpane.h"

#include "browse/lazytablemodel.h"
#include "i18n/datetimeformat.h"
#include "scheduling/enumlabels.h"
#include "scheduling/scheduledelegate.h"
#include "scheduling/schedulename.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QEvent>
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

// The columns that hold sentences: in edit mode they keep room for a few lines beside the editors.
bool isMultiLine(const QString &column)
{
    return column == u"description"_s || column == u"purpose"_s || column == u"reminder"_s;
}

constexpr int kMultiLineLines = 3;
constexpr int kMessageMaxLines = 10;

// Four lines of the editor's own font, growing to twelve when the pane has room.
QPlainTextEdit *textEditor(const QString &name)
{
    auto *edit = new QPlainTextEdit;
    edit->setObjectName(name);
    edit->setTabChangesFocus(true);
    const int frame = 2 * (edit->frameWidth() + int(edit->document()->documentMargin())) + 4;
    const int line = edit->fontMetrics().lineSpacing();
    edit->setMinimumHeight(4 * line + frame);
    edit->setMaximumHeight(12 * line + frame);
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
        {u"client_name"_s, tr("Client:")},
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
        // Beside the first line of a value of several lines, not in its middle.
        if (auto *rowLabel = qobject_cast<QLabel *>(form->labelForField(value)))
            rowLabel->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        m_fields.insert(column, value);
        value->installEventFilter(this);
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
    for (QLabel *label : {m_heading, m_subheading, m_message})
        label->installEventFilter(this);

    m_editor = new QWidget;
    auto *editorForm = new QFormLayout(m_editor);
    editorForm->setContentsMargins(0, 8, 0, 0);
    editorForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    editorForm->addRow(tr("S&tatus:"), m_status);
    editorForm->addRow(tr("Res&ult:"), m_result);
    editorForm->addRow(tr("&Follow-up:"), m_followUp);
    m_editor->hide();

    auto *content = new QWidget;
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->addWidget(m_heading);
    contentLayout->addWidget(m_subheading);
    contentLayout->addWidget(m_form);
    contentLayout->addWidget(m_editor, 1); // in edit mode the editors take the room left
    contentLayout->addStretch();
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);

    // Outside the scroll area: a refused save's message and the buttons stay in sight at any height.
    m_footer = new QWidget;
    m_footer->setObjectName(u"editFooter"_s);
    auto *rule = new QFrame;
    rule->setFrameShape(QFrame::HLine);
    rule->setFrameShadow(QFrame::Sunken);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_discard);
    buttons->addWidget(m_save);
    auto *footerLayout = new QVBoxLayout(m_footer);
    footerLayout->setContentsMargins(9, 0, 9, 9);
    footerLayout->addWidget(rule);
    footerLayout->addWidget(m_message);
    footerLayout->addLayout(buttons);
    m_footer->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_empty);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_footer);
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
    connect(m_discard, &QPushButton::clicked, this, [this] {
        // The editors go back at once; the stored row follows from the database (showStored).
        discardEdits();
        if (hasSchedule())
            Q_EMIT reloadRequested(scheduleId());
    });
    updateButtons();
}

QString ScheduleDetailPane::scheduleId() const
{
    return m_values.value(u"schedule_id"_s);
}

QString ScheduleDetailPane::scheduleName() const
{
    return ScheduleName::of(scheduleId(), shown(u"title"_s), shown(u"schedule_date"_s));
}

void ScheduleDetailPane::showStored(const QHash<QString, QString> &values)
{
    if (values.isEmpty() || values.value(u"schedule_id"_s) != scheduleId())
        return;
    showSchedule(values, m_masked);
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
    keepHeights();
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
              m_values.value(u"result"_s), m_values.value(u"follow_up"_s), m_values.value(u"title"_s),
              m_values.value(u"schedule_date"_s)};
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
            text(m_result, m_base.result), text(m_followUp, m_base.followUp), m_base.title, m_base.scheduleDate};
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
    keepHeights();
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
    m_message->setToolTip(text);
    keepHeight(m_message);
}

bool ScheduleDetailPane::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize) {
        if (auto *label = qobject_cast<QLabel *>(watched))
            keepHeight(label);
    }
    return QWidget::eventFilter(watched, event);
}

void ScheduleDetailPane::keepHeight(QLabel *label)
{
    if (label->width() <= 0)
        return;
    const int line = label->fontMetrics().lineSpacing();
    int height = label->heightForWidth(label->width());
    if (label == m_message)
        height = qMin(height, kMessageMaxLines * line); // the whole text is in its tooltip
    else if (m_editing && isMultiLine(m_fields.key(label)))
        height = qMax(height, kMultiLineLines * line);
    if (height > 0 && label->minimumHeight() != height) {
        label->setMinimumHeight(height);
        // The scroll area sizes its content from the minimum height, which this changed: it is told
        // only through a layout request of its own.
        QCoreApplication::postEvent(m_scroll, new QEvent(QEvent::LayoutRequest));
    }
}

void ScheduleDetailPane::keepHeights()
{
    for (QLabel *label : std::as_const(m_fields))
        keepHeight(label);
    for (QLabel *label : {m_heading, m_subheading, m_message})
        keepHeight(label);
}

QString ScheduleDetailPane::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
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
    m_footer->setVisible(m_editing && hasSchedule());
    if (dirty != m_wasDirty) {
        m_wasDirty = dirty;
        Q_EMIT dirtyChanged(dirty);
    }
}

} // namespace MigrationDesk
