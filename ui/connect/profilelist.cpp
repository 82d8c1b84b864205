#include "connect/profilelist.h"

#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace MigrationDesk {

using namespace Qt::StringLiterals;

namespace {

// The list was part of the dialog when its texts were translated; they keep that context.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::ConnectionDialog)
};

} // namespace

ProfileList::ProfileList(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"profilePanel"_s);
    m_list = new QListWidget;
    m_list->setObjectName(u"profileList"_s);
    m_list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_addButton = new QPushButton(Text::tr("Add"));
    m_addButton->setObjectName(u"addProfileButton"_s);
    m_duplicateButton = new QPushButton(Text::tr("Duplicate"));
    m_duplicateButton->setObjectName(u"duplicateProfileButton"_s);
    m_renameButton = new QPushButton(Text::tr("Rename"));
    m_renameButton->setObjectName(u"renameProfileButton"_s);
    m_deleteButton = new QPushButton(Text::tr("Delete"));
    m_deleteButton->setObjectName(u"deleteProfileButton"_s);
    auto buttons = new QHBoxLayout;
    for (QPushButton *b : {m_addButton, m_duplicateButton, m_renameButton, m_deleteButton})
        buttons->addWidget(b);
    auto layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(Text::tr("Saved connections")));
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);

    connect(m_list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *current) {
        if (!m_populating)
            Q_EMIT currentChanged(current ? current->data(Qt::UserRole).toString() : QString());
    });
    connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        if (m_populating)
            return;
        const QString from = item->data(Qt::UserRole).toString();
        const QString to = item->text().trimmed();
        if (from != to)
            Q_EMIT renameRequested(from, to);
    });
    connect(m_addButton, &QPushButton::clicked, this, &ProfileList::addRequested);
    connect(m_duplicateButton, &QPushButton::clicked, this, &ProfileList::duplicateRequested);
    connect(m_renameButton, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem *item = m_list->currentItem())
            m_list->editItem(item);
    });
    connect(m_deleteButton, &QPushButton::clicked, this, &ProfileList::deleteRequested);
}

void ProfileList::setNames(const QStringList &names, const QString &select)
{
    m_populating = true;
    m_list->clear();
    QListWidgetItem *selected = nullptr;
    for (const QString &name : names) {
        auto item = new QListWidgetItem(name, m_list);
        item->setData(Qt::UserRole, name);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
        if (name == select)
            selected = item;
    }
    m_list->setCurrentItem(selected);
    m_populating = false;
}

QString ProfileList::current() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

QListWidgetItem *ProfileList::itemNamed(const QString &name) const
{
    for (int row = 0; row < m_list->count(); ++row) {
        if (m_list->item(row)->data(Qt::UserRole).toString() == name)
            return m_list->item(row);
    }
    return nullptr;
}

void ProfileList::select(const QString &name)
{
    if (QListWidgetItem *item = itemNamed(name))
        m_list->setCurrentItem(item);
}

void ProfileList::clearSelection()
{
    m_populating = true;
    m_list->setCurrentItem(nullptr);
    m_populating = false;
}

QString ProfileList::removeCurrent()
{
    const int row = m_list->currentRow();
    m_populating = true;
    delete m_list->takeItem(row);
    QListWidgetItem *next = m_list->item(qMin(row, m_list->count() - 1));
    // Set by hand: taking the current item already moved the selection, silently.
    m_list->setCurrentItem(next);
    m_populating = false;
    return next ? next->data(Qt::UserRole).toString() : QString();
}

void ProfileList::setProfileActionsEnabled(bool enabled)
{
    for (QPushButton *b : {m_duplicateButton, m_renameButton, m_deleteButton})
        b->setEnabled(enabled);
}

void ProfileList::setBusy(bool busy, bool hasProfile)
{
    m_list->setEnabled(!busy);
    m_addButton->setEnabled(!busy);
    setProfileActionsEnabled(!busy && hasProfile);
}

void ProfileList::finishRename(const QString &from, const QString &to, bool renamed)
{
    QListWidgetItem *item = itemNamed(from);
    if (!item)
        return;
    m_populating = true;
    item->setData(Qt::UserRole, renamed ? to : from);
    item->setText(renamed ? to : from);
    m_populating = false;
}

} // namespace MigrationDesk
