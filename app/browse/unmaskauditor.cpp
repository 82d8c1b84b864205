#include "browse/unmaskauditor.h"

#include "db/auditlog.h"
#include "db/pgconnection.h"
#include "db/sqlerror.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

UnmaskAuditor::UnmaskAuditor(QObject *parent)
    : QObject(parent)
{
}

UnmaskAuditor::~UnmaskAuditor() = default;

void UnmaskAuditor::close()
{
    m_connection.reset();
}

void UnmaskAuditor::record(const ConnectionSettings &settings, const QString &schema, const QString &table,
                           const QString &column)
{
    QString error;
    if (!m_connection || settings != m_settings) {
        m_connection = std::make_unique<PgConnection>();
        m_settings = settings;
        if (!m_connection->open(settings, &error, u"migrationdesk-audit"_s)) {
            m_connection.reset();
            Q_EMIT recorded(schema, table, column, false, error);
            return;
        }
    }
    AuditLog log(*m_connection);
    SqlError sqlError;
    AuditEntry entry;
    entry.action = u"unmask"_s;
    entry.schema = schema;
    entry.table = table;
    entry.rowKey = u"{}"_s; // every row of the column
    entry.before = QString::fromUtf8(QJsonDocument(QJsonObject{{u"column"_s, column}}).toJson(QJsonDocument::Compact));
    entry.osUser = AuditLog::osUser();
    const bool ok = log.ensureTable(&sqlError) && log.record(entry, &sqlError);
    if (!ok && !m_connection->isOpen())
        m_connection.reset(); // a dropped session: the next request connects afresh
    Q_EMIT recorded(schema, table, column, ok, ok ? QString() : sqlError.toString());
}

} // namespace MigrationDesk
