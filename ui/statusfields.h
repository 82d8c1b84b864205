#pragma once

#include <QSet>
#include <QString>
#include <QStringList>

class QLabel;
class QStatusBar;

namespace MigrationDesk {

struct DatabaseStatus;
class ScriptSet;

// The main window's status bar fields: activity text, connection, revision, drift badge, access and
// round-trip time.
// GUI thread; the labels belong to the status bar it fills.
class StatusFields
{
public:
    explicit StatusFields(QStatusBar *bar);

    // The ordinary (non-permanent) field, where the window reports what it is doing.
    QLabel *activity() const { return m_activity; }

    // A connected session's fields; tlsWarning is empty unless the certificate goes unverified.
    void showStatus(const DatabaseStatus &status, const QString &tlsWarning);
    void showDisconnected();
    // The scripts' heads and revisions mark the database's revision as head or unknown.
    void setScripts(const ScriptSet &scripts);
    void setDriftVisible(bool visible);
    // The last round-trip time the main worker measured; hidden again by showDisconnected().
    void showRoundTrip(int milliseconds);
    // The saved profile the session was opened from; empty when none. Named in the connection field.
    void setProfileName(const QString &name);

    // user@host/db from a displayName: no port, and a Unix socket shows as "local", not its directory.
    static QString shortConnectionName(const QString &displayName);

private:
    QString revisionText() const;

    QLabel *m_activity = nullptr;
    QLabel *m_connection = nullptr;
    QLabel *m_revision = nullptr;
    QLabel *m_driftBadge = nullptr;
    QLabel *m_access = nullptr;
    QLabel *m_roundTrip = nullptr;

    bool m_connected = false;
    QString m_profileName;
    QStringList m_heads;                // the database's
    QStringList m_scriptHeads;
    QSet<QString> m_scriptRevisions;
};

} // namespace MigrationDesk
