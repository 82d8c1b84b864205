#include "data/revealgate.h"

#include "browse/unmaskauditor.h"
#include "db/secretredaction.h"
#include "session/appservices.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Shown in the Tables view, so its messages keep that view's translation context.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::TablesView)
};

} // namespace

RevealGate::RevealGate(AppServices &services, QObject *parent)
    : QObject(parent)
    , m_services(services)
{
}

RevealGate::~RevealGate()
{
    if (!m_auditor)
        return;
    UnmaskAuditor *auditor = m_auditor;
    // Its connection belongs to its thread, so it is closed there; nothing it sends back matters now.
    QMetaObject::invokeMethod(auditor, [auditor] { auditor->close(); }, Qt::QueuedConnection);
    m_services.threads().retire(auditor);
}

void RevealGate::request(const ConnectionSettings &settings, const QString &schema, const QString &table,
                         const QString &column)
{
    if (!m_auditor) {
        m_auditor = m_services.threads().start(new UnmaskAuditor, u"UnmaskAuditor"_s);
        connect(m_auditor, &UnmaskAuditor::recorded, this,
                [this](const QString &s, const QString &t, const QString &c, bool ok, const QString &error) {
                    if (ok) {
                        Q_EMIT recorded(s, t, c);
                        return;
                    }
                    Q_EMIT failed(s, t, c,
                                  Text::tr("The values of \u201c%1\u201d stay masked: the unmasking could not be "
                                           "recorded in the audit table migrationdesk.audit.\n%2")
                                      .arg(c, redactSecrets(error)));
                });
    }
    UnmaskAuditor *auditor = m_auditor;
    QMetaObject::invokeMethod(
        auditor, [auditor, settings, schema, table, column] { auditor->record(settings, schema, table, column); },
        Qt::QueuedConnection);
}

} // namespace MigrationDesk
