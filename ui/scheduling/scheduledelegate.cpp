#include "scheduling/scheduledelegate.h"

#include "i18n/datetimeformat.h"
#include "scheduling/enumlabels.h"
#include "scheduling/schedulingenums.h"

#include <QDate>
#include <QLocale>
#include <QTime>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

using SchedulingEnums::Priority;
using SchedulingEnums::Status;

// True when the stored value is this one of the schema's enum values.
template<typename Enum>
bool is(const QString &value, Enum expected)
{
    return value == QLatin1String(SchedulingEnums::value(expected));
}

} // namespace

ScheduleDelegate::ScheduleDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

void ScheduleDelegate::setColumnKind(int column, Kind kind)
{
    m_kinds.insert(column, kind);
}

void ScheduleDelegate::clearColumns()
{
    m_kinds.clear();
    m_statusColumn = -1;
}

QString ScheduleDelegate::displayFor(Kind kind, const QString &value, const QLocale &locale)
{
    if (value.isEmpty())
        return value;
    switch (kind) {
    case Kind::Plain:
        return value;
    case Kind::Date:
        return DateTimeFormat::fromDbDate(value, locale);
    case Kind::Time:
        return DateTimeFormat::fromDbTime(value, locale);
    case Kind::Timestamp:
        return DateTimeFormat::fromDbTimestamp(value, locale);
    case Kind::ScheduleType:
        return EnumLabels::scheduleType(value);
    case Kind::Status:
        return EnumLabels::status(value);
    case Kind::Priority: {
        // Shapes as well as words, so priority reads at a glance without colour.
        const QString label = EnumLabels::priority(value);
        if (is(value, Priority::High))
            return u"\u25B2 "_s + label;
        if (is(value, Priority::Low))
            return u"\u25BD "_s + label;
        if (is(value, Priority::Medium))
            return u"\u25C6 "_s + label;
        return label;
    }
    }
    return value;
}

QColor ScheduleDelegate::statusBackground(const QString &status)
{
    if (is(status, Status::Completed))
        return QColor(0xe4, 0xf4, 0xe4);
    if (is(status, Status::Cancelled))
        return QColor(0xec, 0xec, 0xec);
    if (is(status, Status::InProgress))
        return QColor(0xe2, 0xed, 0xfb);
    return {};
}

QStyleOptionViewItem ScheduleDelegate::styleFor(const QModelIndex &index) const
{
    QStyleOptionViewItem option;
    initStyleOption(&option, index);
    return option;
}

void ScheduleDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const auto kind = m_kinds.constFind(index.column());
    if (kind != m_kinds.cend() && option->features.testFlag(QStyleOptionViewItem::HasDisplay))
        option->text = displayFor(*kind, index.data(Qt::DisplayRole).toString(), option->locale);

    if (kind != m_kinds.cend() && *kind == Kind::Priority) {
        const QString value = index.data(Qt::DisplayRole).toString();
        if (is(value, Priority::High)) {
            option->palette.setColor(QPalette::Text, QColor(0xa3, 0x1f, 0x1f));
            option->font.setBold(true);
        }
    }
    if (m_statusColumn < 0)
        return;
    const QString status = index.sibling(index.row(), m_statusColumn).data(Qt::DisplayRole).toString();
    const QColor background = statusBackground(status);
    if (!background.isValid())
        return;
    option->backgroundBrush = background;
    // A fixed light background needs dark text, whatever the palette (dark themes included).
    if (option->palette.color(QPalette::Text) != QColor(0xa3, 0x1f, 0x1f))
        option->palette.setColor(QPalette::Text, is(status, Status::Cancelled) ? QColor(0x5f, 0x5f, 0x5f) : QColor(0x1a, 0x1a, 0x1a));
}

} // namespace MigrationDesk
