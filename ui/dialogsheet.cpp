#include "dialogsheet.h"

#include <QApplication>
#include <QDialog>
#include <QEvent>
#include <QFrame>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QPainter>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
// Room kept around the panel, so the dimmed window shows that the sheet is over it.
constexpr int kMargin = 8;
} // namespace

DialogSheet *DialogSheet::open(QDialog *dialog, QMainWindow *window)
{
    auto sheet = new DialogSheet(dialog, window);
    sheet->show();
    sheet->raise();
    dialog->open();
    sheet->place();
    // A window focuses its first field when it is activated, after the caller has filled it in; as a child
    // the dialog is given that focus the same way, from the event loop.
    QTimer::singleShot(0, dialog, [dialog] {
        if (dialog->focusWidget() && dialog->isAncestorOf(QApplication::focusWidget()))
            return;
        for (QWidget *w = dialog->nextInFocusChain(); w && w != dialog; w = w->nextInFocusChain()) {
            if (dialog->isAncestorOf(w) && w->isVisibleTo(dialog) && w->isEnabled() && (w->focusPolicy() & Qt::TabFocus)) {
                w->setFocus(Qt::ActiveWindowFocusReason);
                return;
            }
        }
    });
    return sheet;
}

DialogSheet::DialogSheet(QDialog *dialog, QMainWindow *window)
    : QWidget(window)
    , m_window(window)
    , m_dialog(dialog)
{
    setObjectName(u"dialogSheet"_s);
    // Clicks on the dimmed area stop here instead of reaching the views below.
    setAttribute(Qt::WA_NoMousePropagation);

    m_panel = new QFrame(this);
    m_panel->setObjectName(u"dialogSheetPanel"_s);
    m_panel->setFrameShape(QFrame::StyledPanel);
    m_panel->setFrameShadow(QFrame::Raised);
    m_panel->setAutoFillBackground(true);
    m_panel->setBackgroundRole(QPalette::Window);

    m_title = new QLabel(dialog->windowTitle());
    m_title->setObjectName(u"dialogSheetTitle"_s);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    // A child widget from here on: it paints into the main window's backing store.
    dialog->setParent(m_panel, Qt::Widget);
    dialog->installEventFilter(this);

    auto layout = new QVBoxLayout(m_panel);
    layout->setContentsMargins(0, 10, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_title, 0, Qt::AlignHCenter);
    layout->addWidget(dialog, 1);

    if (QWidget *central = window->centralWidget())
        central->installEventFilter(this);
    connect(dialog, &QDialog::finished, this, &QObject::deleteLater);
    connect(dialog, &QObject::destroyed, this, &QObject::deleteLater);
    blockWindow();
}

DialogSheet::~DialogSheet()
{
    unblockWindow();
    if (m_window && m_window->centralWidget())
        m_window->centralWidget()->removeEventFilter(this);
}

void DialogSheet::blockWindow()
{
    QList<QWidget *> parts;
    if (m_window->menuWidget())
        parts << m_window->menuWidget();
    for (QToolBar *bar : m_window->findChildren<QToolBar *>(QString(), Qt::FindDirectChildrenOnly))
        parts << bar;
    if (m_window->centralWidget())
        parts << m_window->centralWidget();
    // Only what was enabled is blocked, so only that is given back.
    for (QWidget *part : std::as_const(parts)) {
        if (part->isEnabled()) {
            part->setEnabled(false);
            m_blocked << part;
        }
    }
}

void DialogSheet::unblockWindow()
{
    for (const QPointer<QWidget> &part : std::as_const(m_blocked)) {
        if (part)
            part->setEnabled(true);
    }
    m_blocked.clear();
}

void DialogSheet::place()
{
    QWidget *central = m_window->centralWidget();
    setGeometry(central ? central->geometry() : m_window->rect());
    const QRect room = rect().adjusted(kMargin, kMargin, -kMargin, -kMargin);
    const QSize wanted = m_panel->sizeHint().expandedTo(m_panel->minimumSizeHint());
    QSize size = wanted.boundedTo(room.size());
    size = size.expandedTo(m_panel->minimumSizeHint().boundedTo(room.size()));
    // Centred across, near the top like a sheet dropped from the toolbar; centred down when there is room.
    const int x = room.left() + (room.width() - size.width()) / 2;
    const int y = room.top() + std::max(0, (room.height() - size.height()) / 3);
    m_panel->setGeometry(QRect(QPoint(x, y), size));
}

bool DialogSheet::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_dialog && event->type() == QEvent::WindowTitleChange)
        m_title->setText(m_dialog->windowTitle());
    else if (event->type() == QEvent::Resize || event->type() == QEvent::Move
             || (watched == m_dialog && event->type() == QEvent::LayoutRequest))
        place();
    return QWidget::eventFilter(watched, event);
}

void DialogSheet::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    QColor scrim = palette().color(QPalette::Shadow);
    scrim.setAlpha(90);
    painter.fillRect(rect(), scrim);
}

void DialogSheet::changeEvent(QEvent *event)
{
    // A language or palette switch can change the panel's size.
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::FontChange)
        place();
    QWidget::changeEvent(event);
}

} // namespace MigrationDesk
