#include "placeholderview.h"

#include <QLabel>
#include <QVBoxLayout>

namespace MigrationDesk {

PlaceholderView::PlaceholderView(const QString &title, QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(title, this))
    , m_message(new QLabel(this))
    , m_detail(new QLabel(this))
{
    m_title->setObjectName(QStringLiteral("titleLabel"));
    m_message->setObjectName(QStringLiteral("messageLabel"));
    m_detail->setObjectName(QStringLiteral("detailLabel"));

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    for (QLabel *label : {m_title, m_message, m_detail}) {
        label->setAlignment(Qt::AlignCenter);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_message->setForegroundRole(QPalette::PlaceholderText);
    m_detail->hide();

    auto layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(m_title);
    layout->addWidget(m_message);
    layout->addWidget(m_detail);
    layout->addStretch(2);
    updateMessage();
}

QString PlaceholderView::title() const
{
    return m_title->text();
}

void PlaceholderView::setDatabaseName(const QString &database)
{
    m_database = database;
    updateMessage();
}

void PlaceholderView::setDetail(const QString &text)
{
    m_detail->setText(text);
    m_detail->setVisible(!text.isEmpty());
}

QString PlaceholderView::message() const
{
    return m_message->text();
}

QString PlaceholderView::detail() const
{
    return m_detail->text();
}

void PlaceholderView::updateMessage()
{
    m_message->setText(m_database.isEmpty() ? tr("Connect to a database") : tr("Database %1").arg(m_database));
}

} // namespace MigrationDesk
