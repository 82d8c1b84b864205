#include "scheduling/auditreader.h"

#include "db/pgconnection.h"
#include "db/sensitivecolumns.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

AuditReader::AuditReader(PgConnection &connection)
    : m_connection(connection)
{
}

QString AuditReader::maskSecrets(const QString &json)
{
    QJsonObject row = QJsonDocument::fromJson(json.toUtf8()).object();
    if (row.isEmpty())
        return json;
    for (auto it = row.begin(); it != row.end(); ++it) {
        if (SensitiveColumns::matches(it.key()) && !it.value().isNull())
            it.value() = u"(masked)"_s;
    }
    return QString::fromUtf8(QJsonDocument(row).toJson(QJsonDocument::Compact));
}

std::optional<QList<AuditRecord>> AuditReader::newest(int limit, SqlError *error)
{
    const auto present = m_connection.query(u"SELECT to_regclass('migrationdesk.audit') IS NOT NULL"_s, {}, error);
    if (!present)
        return std::nullopt;
    if (present->isEmpty() || present->first().value(0) != u"t"_s)
        return QList<AuditRecord>();
    // The primary key serves this order; changed_at alone would need the table's own index per table.
    const auto rows = m_connection.query(
        u"SELECT id::text, to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), db_user, os_user, action, "
        "table_schema || '.' || table_name, row_key::text, before_values::text "
        "FROM migrationdesk.audit ORDER BY id DESC LIMIT $1::integer"_s,
        {QString::number(limit)}, error);
    if (!rows)
        return std::nullopt;
    QList<AuditRecord> records;
    for (const QStringList &r : *rows) {
        AuditRecord record;
        record.id = r.value(0).toLongLong();
        record.changedAt = r.value(1);
        record.dbUser = r.value(2);
        record.osUser = r.value(3);
        record.action = r.value(4);
        record.table = r.value(5);
        record.rowKey = r.value(6);
        record.before = maskSecrets(r.value(7));
        records.append(record);
    }
    return records;
}

} // namespace MigrationDesk
