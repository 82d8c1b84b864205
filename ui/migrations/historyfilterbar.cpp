#include "migrations/historyfilterbar.h"

#include <QComboBox>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// A date edit's minimum stands for "no bound": QDateEdit cannot be empty, and it shows the special
// value text instead of that date.
const QDate kNoDate(2000, 1, 1);

QDateEdit *dateEdit(const QString &name, QWidget *parent)
{
    auto *edit = new QDateEdit(parent);
    edit->setObjectName(name);
    edit->setCalendarPopup(true);
    edit->setMinimumDate(kNoDate);
    edit->setSpecialValueText(HistoryFilterBar::tr("any day"));
    edit->setDate(kNoDate);
    return edit;
}

} // namespace

HistoryFilterBar::HistoryFilterBar(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"historyFilterBar"_s);
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(4, 4, 4, 0);
    m_revision = new QLineEdit(this);
    m_revision->setObjectName(u"historyRevisionFilter"_s);
    m_revision->setPlaceholderText(tr("Revision"));
    m_revision->setToolTip(tr("Runs of the revisions whose id starts with this"));
    m_revision->setClearButtonEnabled(true);
    m_user = new QLineEdit(this);
    m_user->setObjectName(u"historyUserFilter"_s);
    m_user->setPlaceholderText(tr("User"));
    m_user->setToolTip(tr("Runs by a database or OS user whose name contains this"));
    m_user->setClearButtonEnabled(true);
    m_result = new QComboBox(this);
    m_result->setObjectName(u"historyResultFilter"_s);
    m_result->addItem(tr("Any result"), int(HistoryFilter::Result::Any));
    m_result->addItem(tr("Succeeded"), int(HistoryFilter::Result::Succeeded));
    m_result->addItem(tr("Failed"), int(HistoryFilter::Result::Failed));
    m_from = dateEdit(u"historyFromFilter"_s, this);
    m_to = dateEdit(u"historyToFilter"_s, this);
    auto *clear = new QToolButton(this);
    clear->setObjectName(u"historyClearFilters"_s);
    clear->setText(tr("Clear"));

    row->addWidget(m_revision, 2);
    row->addWidget(m_user, 2);
    row->addWidget(m_result);
    row->addWidget(new QLabel(tr("From"), this));
    row->addWidget(m_from);
    row->addWidget(new QLabel(tr("to"), this));
    row->addWidget(m_to);
    row->addWidget(clear);

    // One query per pause, not one per key stroke.
    m_settle = new QTimer(this);
    m_settle->setSingleShot(true);
    m_settle->setInterval(300);
    connect(m_settle, &QTimer::timeout, this, [this] { Q_EMIT filterChanged(filter()); });
    auto changed = [this] { m_settle->start(); };
    connect(m_revision, &QLineEdit::textChanged, this, changed);
    connect(m_user, &QLineEdit::textChanged, this, changed);
    connect(m_result, &QComboBox::currentIndexChanged, this, changed);
    connect(m_from, &QDateEdit::dateChanged, this, changed);
    connect(m_to, &QDateEdit::dateChanged, this, changed);
    connect(clear, &QToolButton::clicked, this, &HistoryFilterBar::clear);
}

HistoryFilter HistoryFilterBar::filter() const
{
    HistoryFilter f;
    f.revision = m_revision->text().trimmed();
    f.user = m_user->text().trimmed();
    f.result = HistoryFilter::Result(m_result->currentData().toInt());
    if (m_from->date() != kNoDate)
        f.from = m_from->date().startOfDay();
    if (m_to->date() != kNoDate)
        f.until = m_to->date().addDays(1).startOfDay();
    return f;
}

void HistoryFilterBar::clear()
{
    m_revision->clear();
    m_user->clear();
    m_result->setCurrentIndex(0);
    m_from->setDate(kNoDate);
    m_to->setDate(kNoDate);
}

} // namespace MigrationDesk
