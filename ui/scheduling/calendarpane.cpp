#include "scheduling/calendarpane.h"

#include "i18n/datetimeformat.h"
#include "scheduling/calendarpageview.h"
#include "scheduling/statuslegend.h"
#include "icons.h"

#include <QAction>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

QToolButton *toolButton(const QString &name, const QString &text, const QString &tip)
{
    auto *button = new QToolButton;
    button->setObjectName(name);
    button->setText(text);
    button->setToolTip(tip);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

// A shortcut that works while focus is anywhere inside the pane, so two views' keys never clash.
void addKeys(QWidget *owner, const QList<QKeySequence> &keys, const std::function<void()> &slot)
{
    auto *action = new QAction(owner);
    action->setShortcuts(keys);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    QObject::connect(action, &QAction::triggered, owner, slot);
    owner->addAction(action);
}

} // namespace

CalendarPane::CalendarPane(QWidget *parent)
    : QWidget(parent)
    , m_today(QDate::currentDate())
{
    m_view = new CalendarPageView;
    m_view->setObjectName(u"calendarPage"_s);
    m_view->page().today = m_today;
    m_view->page().anchor = m_today;
    m_view->page().firstDayOfWeek = QLocale().firstDayOfWeek();
    connect(m_view, &CalendarPageView::itemClicked, this, &CalendarPane::itemClicked);
    connect(m_view, &CalendarPageView::itemActivated, this, &CalendarPane::itemActivated);

    auto *todayButton = toolButton(u"calendarToday"_s, tr("Today"), tr("Go to today (Home)"));
    auto *previousButton = toolButton(u"calendarPrevious"_s, u"\u2039"_s, tr("Previous week or month (Page Up)"));
    auto *nextButton = toolButton(u"calendarNext"_s, u"\u203a"_s, tr("Next week or month (Page Down)"));
    previousButton->setAccessibleName(tr("Previous"));
    nextButton->setAccessibleName(tr("Next"));
    connect(todayButton, &QToolButton::clicked, this, &CalendarPane::goToday);
    connect(previousButton, &QToolButton::clicked, this, &CalendarPane::previous);
    connect(nextButton, &QToolButton::clicked, this, &CalendarPane::next);

    auto *exportPdf = toolButton(u"calendarExport"_s, tr("Export PDF…"), tr("Save the visible week or month as a PDF file"));
    exportPdf->setIcon(Icons::get(Icons::Export));
    exportPdf->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    connect(exportPdf, &QToolButton::clicked, this, &CalendarPane::onExportClicked);

    m_title = new QLabel;
    m_title->setObjectName(u"calendarTitle"_s);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_hint = new QLabel;
    m_hint->setObjectName(u"calendarHint"_s);
    // One line that never widens the pane: the whole text is in the tooltip when it does not fit.
    m_hint->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    addKeys(this, {QKeySequence(Qt::Key_PageUp), QKeySequence(Qt::ALT | Qt::Key_Left)}, [this] { previous(); });
    addKeys(this, {QKeySequence(Qt::Key_PageDown), QKeySequence(Qt::ALT | Qt::Key_Right)}, [this] { next(); });
    addKeys(this, {QKeySequence(Qt::Key_Home), QKeySequence(Qt::Key_T)}, [this] { goToday(); });
    addKeys(this, {QKeySequence(Qt::Key_W)}, [this] { setMode(CalendarLayout::Mode::Week); });
    addKeys(this, {QKeySequence(Qt::Key_M)}, [this] { setMode(CalendarLayout::Mode::Month); });

    // The title has a line of its own above the buttons: a long Korean week title and the buttons
    // need not fit side by side when the window is half a screen wide.
    auto *bar = new QHBoxLayout;
    bar->addWidget(todayButton);
    bar->addWidget(previousButton);
    bar->addWidget(nextButton);
    bar->addStretch(1);
    bar->addWidget(exportPdf);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    // The hint has a line of its own: the count and the busiest day are never cut off by the legend.
    layout->addWidget(m_hint);
    layout->addWidget(new StatusLegend, 0, Qt::AlignRight);
    setAutoFillBackground(true);
    updateTitle();
}

CalendarLayout::Mode CalendarPane::mode() const
{
    return m_view->page().mode;
}

void CalendarPane::setMode(CalendarLayout::Mode mode)
{
    if (mode == this->mode())
        return;
    m_view->page().mode = mode;
    reload();
    Q_EMIT modeChanged(mode);
}

QDate CalendarPane::anchor() const
{
    return m_view->page().anchor;
}

void CalendarPane::setAnchor(const QDate &date)
{
    if (!date.isValid())
        return;
    m_view->page().anchor = date;
    reload();
}

void CalendarPane::setToday(const QDate &today)
{
    m_today = today;
    m_view->page().today = today;
    m_view->update();
}

QDate CalendarPane::today() const
{
    return m_today;
}

std::pair<QDate, QDate> CalendarPane::visibleRange() const
{
    return CalendarLayout::visibleRange(mode(), anchor(), m_view->page().firstDayOfWeek);
}

void CalendarPane::previous()
{
    setAnchor(CalendarLayout::step(mode(), anchor(), -1));
}

void CalendarPane::next()
{
    setAnchor(CalendarLayout::step(mode(), anchor(), 1));
}

void CalendarPane::goToday()
{
    setAnchor(m_today);
}

void CalendarPane::reload()
{
    updateTitle();
    CalendarResult empty;
    std::tie(empty.from, empty.to) = visibleRange();
    m_view->setResult(empty);
    m_view->setLoading(true);
    updateHint();
    const auto [from, to] = visibleRange();
    Q_EMIT rangeRequested(from, to);
}

void CalendarPane::setResult(const CalendarResult &result)
{
    const auto [from, to] = visibleRange();
    if (result.from != from || result.to != to)
        return; // an answer for a page no longer shown
    m_view->setResult(result);
    updateHint();
}

void CalendarPane::setSelectedId(const QString &id)
{
    m_view->setSelectedId(id);
}

QString CalendarPane::title() const
{
    return m_title->text();
}

QString CalendarPane::hint() const
{
    return m_hint->text();
}

void CalendarPane::updateTitle()
{
    const QLocale locale;
    const auto [from, to] = visibleRange();
    if (mode() == CalendarLayout::Mode::Week) {
        m_title->setText(tr("%1 – %2", "a week's first and last day")
                             .arg(DateTimeFormat::date(from, locale), DateTimeFormat::date(to, locale)));
    } else {
        //: A QDate format for a month's title: translate to the order your language writes it in ("yyyy년 M월").
        m_title->setText(locale.toString(anchor(), tr("MMMM yyyy")));
    }
}

void CalendarPane::updateHint()
{
    const CalendarResult &result = m_view->result();
    const QLocale locale;
    if (m_view->page().loading) {
        m_hint->setText(tr("Reading…"));
        return;
    }
    if (!result.error.isEmpty()) {
        m_hint->setText(result.error);
        return;
    }
    const int total = int(std::min<qint64>(result.total, INT_MAX));
    QString text = result.countsOnly ? tr("%n schedules, counted per day", nullptr, total)
                                     : tr("%n schedules", nullptr, total);
    const QDate busiest = result.busiestDay();
    if (busiest.isValid()) {
        text += u"  "_s + tr("Busiest day: %1 (%2)")
                              .arg(DateTimeFormat::date(busiest, locale), locale.toString(result.dayCounts.value(busiest)));
    }
    m_hint->setText(text);
    m_hint->setToolTip(result.countsOnly
                           ? text + u"\n"_s + tr("Too many to draw one by one: filter by an employee or a department to see each.")
                           : text);
}

bool CalendarPane::exportPdf(const QString &path, QString *error) const
{
    QPdfWriter writer(path);
    writer.setCreator(u"MigrationDesk"_s);
    writer.setTitle(m_title->text());
    writer.setResolution(96);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Landscape, QMarginsF(10, 10, 10, 10),
                                     QPageLayout::Millimeter));
    QPainter painter;
    if (!painter.begin(&writer)) {
        if (error)
            *error = tr("Could not write %1.").arg(path);
        return false;
    }
    const QRectF page = QRectF(QPointF(0, 0), QSizeF(writer.width(), writer.height()));
    QFont font = painter.font();
    font.setPointSizeF(9);
    QFont titleFont = font;
    titleFont.setBold(true);
    titleFont.setPointSizeF(13);
    painter.setFont(titleFont);
    const qreal titleHeight = QFontMetricsF(titleFont).height() * 1.6;
    painter.drawText(QRectF(page.left(), page.top(), page.width(), titleHeight), Qt::AlignLeft | Qt::AlignVCenter,
                     m_title->text() + (m_hint->text().isEmpty() ? QString() : u"  —  "_s + m_hint->text()));
    painter.setFont(font);
    CalendarPainter printed = m_view->page();
    printed.selectedId.clear();
    printed.paint(painter, page.adjusted(0, titleHeight, 0, 0));
    if (!painter.end()) {
        if (error)
            *error = tr("Could not write %1.").arg(path);
        return false;
    }
    return true;
}

void CalendarPane::onExportClicked()
{
    const auto [from, to] = visibleRange();
    const QString suggested = u"schedules-%1-%2.pdf"_s.arg(from.toString(Qt::ISODate), to.toString(Qt::ISODate));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export PDF"), suggested, tr("PDF files (*.pdf)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportPdf(path, &error))
        QMessageBox::warning(this, tr("Export PDF"), error);
}

} // namespace MigrationDesk
