#include "statusfields.h"

#include "migrations/scriptset.h"
#include "session/databaseworker.h"

#include <QCoreApplication>
#include <QColor>
#include <QLabel>
#include <QPalette>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The fields were part of the main window when their texts were translated; they keep that context.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MainWindow)
};

// The server_version parameter carries the distribution's build after the number, e.g.
// "15.4 (Debian 15.4-1.pgdg120+1)"; the status bar has room for the number only.
QString shortVersion(const QString &serverVersion)
{
    return serverVersion.section(QLatin1Char(' '), 0, 0);
}

} // namespace

StatusFields::StatusFields(QStatusBar *bar)
{
    auto makeLabel = [bar](const QString &name) {
        auto label = new QLabel(bar);
        label->setObjectName(name);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setContentsMargins(6, 0, 6, 0);
        return label;
    };
    m_activity = makeLabel(u"activityLabel"_s);
    m_connection = makeLabel(u"connectionLabel"_s);
    m_revision = makeLabel(u"revisionLabel"_s);
    m_driftBadge = makeLabel(u"driftBadge"_s);
    m_access = makeLabel(u"accessLabel"_s);
    m_roundTrip = makeLabel(u"roundTripLabel"_s);
    m_roundTrip->hide();

    m_driftBadge->setText(Text::tr("Drift"));
    m_driftBadge->setToolTip(Text::tr("The last check found differences between the database and its scripts; "
                                      "the Migrations view lists them."));
    // Colours, not a style sheet: one style sheet loads Qt's whole style sheet engine at start-up.
    QPalette badge = m_driftBadge->palette();
    badge.setColor(QPalette::Window, QColor(0xc6, 0x28, 0x28));
    badge.setColor(QPalette::WindowText, Qt::white);
    m_driftBadge->setPalette(badge);
    m_driftBadge->setAutoFillBackground(true);
    m_driftBadge->setContentsMargins(6, 0, 6, 0);
    QFont bold = m_driftBadge->font();
    bold.setBold(true);
    m_driftBadge->setFont(bold);
    m_driftBadge->hide();

    bar->setObjectName(u"statusBar"_s);
    // Only the activity text is an ordinary widget: a temporary message may cover it, but the
    // connection, revision, drift and access fields are permanent so they always stay visible.
    bar->addWidget(m_activity, 1);
    bar->addPermanentWidget(m_connection);
    bar->addPermanentWidget(m_revision);
    bar->addPermanentWidget(m_driftBadge);
    bar->addPermanentWidget(m_access);
    bar->addPermanentWidget(m_roundTrip);
}

void StatusFields::showRoundTrip(int milliseconds)
{
    if (!m_connected)
        return; // a measurement that was under way when the session ended
    // A local socket answers within the millisecond; "0 ms" would read as not measured.
    m_roundTrip->setText(milliseconds < 1 ? Text::tr("RTT < 1 ms") : Text::tr("RTT %1 ms").arg(milliseconds));
    m_roundTrip->setToolTip(Text::tr("Round-trip time to the database server: how long one empty statement took on "
                                     "the main connection. Measured when connecting and every %1 seconds while idle; "
                                     "each query the window waits for costs at least this much.")
                                .arg(DatabaseWorker::kRoundTripIntervalMs / 1000));
    m_roundTrip->show();
}

void StatusFields::showStatus(const DatabaseStatus &status, const QString &tlsWarning)
{
    m_connected = true;
    m_heads = status.heads;
    // sslmode=require encrypts but trusts any certificate: say so where the connection is shown.
    // Short where space is short (a profile's name, else user@host/db without the port or a socket
    // directory); everything else in the tooltip.
    const QString name = m_profileName.isEmpty() ? shortConnectionName(status.displayName) : m_profileName;
    m_connection->setText(
        (tlsWarning.isEmpty() ? Text::tr("%1 · PostgreSQL %2") : Text::tr("%1 · PostgreSQL %2 · TLS not verified"))
            .arg(name, shortVersion(status.serverVersion)));
    QString tip = Text::tr("Connected to %1").arg(status.displayName);
    if (!m_profileName.isEmpty())
        tip += QLatin1Char('\n') + Text::tr("Profile: %1").arg(m_profileName);
    tip += QLatin1Char('\n') + Text::tr("Server version %1").arg(status.serverVersion);
    m_connection->setToolTip(tip + (tlsWarning.isEmpty() ? QString() : QLatin1Char('\n') + tlsWarning));
    m_revision->setText(revisionText());
    m_revision->show();
    if (status.readOnly) {
        m_access->setText(Text::tr("read-only"));
        m_access->setToolTip(Text::tr("The session is read-only (default_transaction_read_only or a standby server)."));
    } else {
        m_access->setText(Text::tr("read-write"));
        m_access->setToolTip(status.canMigrate ? QString()
                                               : Text::tr("This role may not create objects in the database."));
    }
    m_access->show();
}

void StatusFields::setProfileName(const QString &name)
{
    m_profileName = name;
}

QString StatusFields::shortConnectionName(const QString &displayName)
{
    // displayName is user@server/db, where server is host:port, [v6]:port, [local], [local:/dir]:port
    // or [service name] (ConnectionSettings::displayName).
    const qsizetype at = displayName.indexOf(QLatin1Char('@'));
    const qsizetype slash = displayName.lastIndexOf(QLatin1Char('/'));
    if (slash <= at)
        return displayName;
    const QString user = displayName.left(at);
    QString server = displayName.mid(at + 1, slash - at - 1);
    const QString database = displayName.mid(slash + 1);
    if (server.startsWith(u"[local"_s))
        server = u"local"_s;
    else if (!server.startsWith(u"[service"_s)) {
        const qsizetype colon = server.lastIndexOf(QLatin1Char(':'));
        if (colon > server.lastIndexOf(QLatin1Char(']')))
            server.truncate(colon);
    }
    return (user.isEmpty() ? QString() : user + QLatin1Char('@')) + server + QLatin1Char('/') + database;
}

void StatusFields::showDisconnected()
{
    m_connected = false;
    m_heads.clear();
    m_connection->setText(Text::tr("Not connected"));
    m_connection->setToolTip(QString());
    m_revision->hide();
    m_driftBadge->hide();
    m_access->hide();
    m_roundTrip->hide();
}

void StatusFields::setScripts(const ScriptSet &scripts)
{
    m_scriptHeads = scripts.graph().heads();
    m_scriptRevisions.clear();
    for (const QString &revision : scripts.graph().revisions())
        m_scriptRevisions.insert(revision);
    if (m_connected)
        m_revision->setText(revisionText());
}

void StatusFields::setDriftVisible(bool visible)
{
    m_driftBadge->setVisible(visible);
}

QString StatusFields::revisionText() const
{
    if (m_heads.isEmpty())
        return Text::tr("Revision: none");
    QStringList parts;
    for (const QString &head : m_heads) {
        if (m_scriptHeads.contains(head))
            parts << Text::tr("%1 (head)").arg(head);
        else if (!m_scriptRevisions.isEmpty() && !m_scriptRevisions.contains(head))
            parts << Text::tr("%1 (not in the scripts)").arg(head);
        else
            parts << head;
    }
    return m_heads.size() == 1 ? Text::tr("Revision: %1").arg(parts.first())
                               : Text::tr("Revisions: %1").arg(parts.join(u", "_s));
}

} // namespace MigrationDesk
