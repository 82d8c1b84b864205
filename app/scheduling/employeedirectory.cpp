#include "scheduling/employeedirectory.h"

#include "db/pgconnection.h"
#include "db/poolerprobe.h"
#include "browse/keysetquery.h"

using namespace Qt::StringLiterals;

namespace MigrationDesk {

EmployeeDirectory::EmployeeDirectory(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<MigrationDesk::EmployeeEntry>();
    qRegisterMetaType<QList<MigrationDesk::EmployeeEntry>>();
}

EmployeeDirectory::~EmployeeDirectory() = default;

void EmployeeDirectory::open(const ConnectionSettings &settings)
{
    close();
    auto connection = std::make_unique<PgConnection>();
    QString error;
    if (!connection->open(settings, &error, u"migrationdesk-browse"_s)) {
        Q_EMIT opened(false, error, false);
        return;
    }
    SqlError sqlError;
    // Looking people up never writes, whatever a function or a bug might try. Not behind a pooler, where
    // the setting would stay with a server session other clients share (and not with this one).
    if (!applyUnlessPooled(connection->pgconn(), {{u"default_transaction_read_only"_s, u"on"_s}}, &sqlError)) {
        Q_EMIT opened(false, sqlError.toString(), false);
        return;
    }
    const auto rows = connection->query(
        u"SELECT to_regclass('public.schedules') IS NOT NULL AND to_regclass('public.employees') IS NOT NULL"_s
        u" AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('public.employees')"_s
        u" AND attname = 'department' AND NOT attisdropped)"_s,
        {}, &sqlError);
    if (!rows) {
        Q_EMIT opened(false, sqlError.toString(), false);
        return;
    }
    m_connection = std::move(connection);
    Q_EMIT opened(true, {}, rows->value(0).value(0) == u"t"_s);
}

void EmployeeDirectory::close()
{
    m_connection.reset();
}

void EmployeeDirectory::search(quint64 requestId, const QString &text)
{
    if (!m_connection) {
        Q_EMIT found(requestId, {}, tr("Not connected."));
        return;
    }
    SqlError error;
    const QString pattern = u"%"_s + KeysetQuery::escapeLike(text.trimmed()) + u"%"_s;
    const auto rows = m_connection->query(
        u"SELECT employee_id::text, name, department FROM public.employees"_s
        u" WHERE is_deleted IS NOT TRUE AND (name ILIKE $1::text ESCAPE '\\' OR username ILIKE $1::text ESCAPE '\\')"_s
        u" ORDER BY name, employee_id LIMIT $2::int"_s,
        {pattern, QString::number(searchLimit)}, &error);
    if (!rows) {
        Q_EMIT found(requestId, {}, error.toString());
        return;
    }
    QList<EmployeeEntry> employees;
    employees.reserve(rows->size());
    for (const QStringList &row : *rows)
        employees.append({row.value(0), row.value(1), row.value(2)});
    Q_EMIT found(requestId, employees, {});
}

void EmployeeDirectory::listDepartments()
{
    if (!m_connection) {
        Q_EMIT departmentsListed({}, tr("Not connected."));
        return;
    }
    SqlError error;
    const auto rows = m_connection->query(
        u"SELECT DISTINCT department FROM public.employees"_s
        u" WHERE is_deleted IS NOT TRUE AND department IS NOT NULL AND department <> '' ORDER BY 1"_s,
        {}, &error);
    if (!rows) {
        Q_EMIT departmentsListed({}, error.toString());
        return;
    }
    QStringList departments;
    for (const QStringList &row : *rows)
        departments.append(row.value(0));
    Q_EMIT departmentsListed(departments, {});
}

} // namespace MigrationDesk
