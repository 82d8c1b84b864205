#pragma once

#include "db/connectionsettings.h"

#include <QObject>

namespace MigrationDesk {

// The table asked for on the command line (--table): looks it up over a short connection of its own
// on `thread`'s thread (never the GUI thread) and reports back. Lives on the GUI thread.
class TableRequest : public QObject
{
    Q_OBJECT

public:
    // `thread` is any object living on a worker thread (the window's DatabaseWorker); it must outlive this.
    explicit TableRequest(QObject *thread, QObject *parent = nullptr);

    // Named as the catalog stores it (not SQL-quoted); an empty schema means the search path.
    void setTable(const QString &schema, const QString &name);
    bool isEmpty() const { return m_name.isEmpty(); }
    QString schema() const { return m_schema; }
    QString name() const { return m_name; }

    // Looks the table up with these settings; found() or failed() follows unless the request changed.
    void lookUp(const ConnectionSettings &settings);

Q_SIGNALS:
    // The table to open; when it does not exist, the requested name in the schema it was looked for in.
    void found(const QString &schema, const QString &name);
    void failed(const QString &message);

private:
    void showResult(const QString &request, const QString &foundSchema, const QString &foundName,
                    const QString &error);

    QObject *m_thread;
    QString m_schema;
    QString m_name;
};

} // namespace MigrationDesk
