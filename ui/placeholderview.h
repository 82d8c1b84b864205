#pragma once

#include <QWidget>

class QLabel;

namespace MigrationDesk {

// Stands in for a view the data-browsing issue fills (Tables, Schedules, Trash): its title, whether a
// database is connected, and any request made for it (e.g. a table named on the command line). GUI thread.
class PlaceholderView : public QWidget
{
    Q_OBJECT

public:
    explicit PlaceholderView(const QString &title, QWidget *parent = nullptr);

    QString title() const;
    // The connected database's name; empty means not connected ("Connect to a database").
    void setDatabaseName(const QString &database);
    QString databaseName() const { return m_database; }
    // A second line under the message, e.g. which table was asked for; empty hides it.
    void setDetail(const QString &text);
    QString message() const;
    QString detail() const;

private:
    void updateMessage();

    QLabel *m_title;
    QLabel *m_message;
    QLabel *m_detail;
    QString m_database;
};

} // namespace MigrationDesk
