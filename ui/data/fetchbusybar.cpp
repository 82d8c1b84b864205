#include "data/fetchbusybar.h"

#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>

#include <utility>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The messages began in the Tables view and keep its translation context, so their translations carry over.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::TablesView)
};

// A window read that takes longer than this shows the busy bar even for an indexed sort (a lock, a slow view).
constexpr int busyDelayMs = 400;

} // namespace

FetchBusyBar::FetchBusyBar(std::function<bool()> stillFetching, QWidget *parent)
    : QWidget(parent)
    , m_stillFetching(std::move(stillFetching))
{
    setObjectName(u"busyBar"_s);
    auto *busy = new QHBoxLayout(this);
    busy->setContentsMargins(0, 0, 0, 0);
    auto *spinner = new QProgressBar(this);
    spinner->setRange(0, 0);
    spinner->setMaximumWidth(120);
    spinner->setTextVisible(false);
    auto *busyText =
        new QLabel(Text::tr("Reading rows… Sorting by a column without an index can take a while."), this);
    m_cancel = new QPushButton(Text::tr("Cancel"), this);
    m_cancel->setObjectName(u"cancelFetch"_s);
    busy->addWidget(spinner);
    busy->addWidget(busyText, 1);
    busy->addWidget(m_cancel);
    hide();

    m_delay = new QTimer(this);
    m_delay->setSingleShot(true);
    m_delay->setInterval(busyDelayMs);
    connect(m_delay, &QTimer::timeout, this, [this] { setBusy(m_stillFetching()); });
}

void FetchBusyBar::fetchStarted(bool slowSort)
{
    if (slowSort)
        setBusy(true);
    else
        m_delay->start();
}

void FetchBusyBar::fetchEnded()
{
    m_delay->stop();
    setBusy(false);
}

void FetchBusyBar::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    setVisible(busy);
    Q_EMIT busyChanged(busy);
}

} // namespace MigrationDesk
