#pragma once

#include "browse/schemacatalog.h"
#include "db/connectionsettings.h"

#include <QObject>

#include <functional>
#include <optional>

namespace MigrationDesk {

class WorkerThreads;

// The table asked for on the command line (--table): looks it up over a short connection of its own on
// a thread of its own (never the GUI thread, and not behind the main connection's work, so it runs beside
// the main connection's handshake) and reports back. Lives on the GUI thread.
class TableRequest : public QObject
{
    Q_OBJECT

public:
    // `threads` must outlive this.
    explicit TableRequest(WorkerThreads &threads, QObject *parent = nullptr);
    ~TableRequest() override;

    // Named as the catalog stores it (not SQL-quoted); an empty schema means the search path.
    void setTable(const QString &schema, const QString &name);
    bool isEmpty() const { return m_name.isEmpty(); }
    QString schema() const { return m_schema; }
    QString name() const { return m_name; }

    // Looks the table up with these settings; found() or failed() follows, once the window is connected with
    // them (setConnection()), unless the request changed or a newer look-up was asked for meanwhile.
    void lookUp(const ConnectionSettings &settings);
    // The window's connection now (nullopt: none): an answer waiting for it is given.
    void setConnection(const std::optional<ConnectionSettings> &connected);

Q_SIGNALS:
    // The table to open; when it does not exist, the requested name in the schema it was looked for in.
    void found(const QString &schema, const QString &name);
    void failed(const QString &message);
    // The look-up found the table before the window was connected with the settings it used; found()
    // still follows once it is.
    void foundBeforeConnected(const MigrationDesk::ConnectionSettings &settings,
                              const MigrationDesk::RelationEntry &relation);

private:
    void showResult(quint64 lookUp, const QString &request, const RelationEntry &relation, const QString &error);

    void answerIfConnected();

    WorkerThreads &m_threads;
    std::function<void()> m_answer;   // the last look-up's answer, until the window is connected with m_lookedUpWith
    ConnectionSettings m_lookedUpWith;
    std::optional<ConnectionSettings> m_connected;
    QObject *m_host = nullptr; // on the look-up thread, started with the first look-up
    quint64 m_lookUp = 0;
    QString m_schema;
    QString m_name;
};

} // namespace MigrationDesk
