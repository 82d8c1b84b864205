#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>

class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace MigrationDesk {

// The connection dialog's saved profiles: the list of names (edited in place to rename) with Add,
// Duplicate, Rename and Delete. Shows names and asks; the dialog decides and saves. GUI thread.
class ProfileList : public QWidget
{
    Q_OBJECT

public:
    explicit ProfileList(QWidget *parent = nullptr);

    // Lists `names` and selects `select` (nothing when it is not there) without reporting a change.
    void setNames(const QStringList &names, const QString &select);
    // The selected name; empty when none is selected.
    QString current() const;
    // Selects `name` as the user would: currentChanged() follows if the selection moved.
    void select(const QString &name);
    // Selects nothing, without reporting a change.
    void clearSelection();
    // Drops the selected name and selects the next one (or the new last one) without reporting a change;
    // returns that name, empty when the list is now empty.
    QString removeCurrent();
    // Duplicate, Rename and Delete act on a selected profile; Add always works.
    void setProfileActionsEnabled(bool enabled);
    // While a connection attempt runs, nothing here can be used.
    void setBusy(bool busy, bool hasProfile);
    // The answer to renameRequested(): on success the item takes the new name, else it shows the old one again.
    void finishRename(const QString &from, const QString &to, bool renamed);

Q_SIGNALS:
    // The user selected another profile (empty: none).
    void currentChanged(const QString &name);
    void addRequested();
    void duplicateRequested();
    void deleteRequested();
    // The user typed a new name over `from` in the list.
    void renameRequested(const QString &from, const QString &to);

private:
    QListWidgetItem *itemNamed(const QString &name) const;

    QListWidget *m_list = nullptr;
    QPushButton *m_addButton = nullptr;
    QPushButton *m_duplicateButton = nullptr;
    QPushButton *m_renameButton = nullptr;
    QPushButton *m_deleteButton = nullptr;
    bool m_populating = false; // changes made here, not by the user
};

} // namespace MigrationDesk
