#pragma once

#include "db/connectionsettings.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QStringList>

#include <memory>

namespace MigrationDesk {

class PgConnection;

// One employee offered by the schedule filter's picker. A plain value; any thread.
struct EmployeeEntry
{
    QString id;          // employee_id as text
    QString name;
    QString department;  // null when not set
};

// Looks up employees by part of their name and lists departments for the schedule filters, on its own
// read-only connection. Lives on the QThread its owner starts; methods are invoked queued (or called
// directly on the owning thread in tests), results come back as signals.
class EmployeeDirectory : public QObject
{
    Q_OBJECT

public:
    static constexpr int searchLimit = 50;

    explicit EmployeeDirectory(QObject *parent = nullptr);
    ~EmployeeDirectory() override;

    // opened(ok, error, tablesExist): tablesExist is false when public.schedules or public.employees is
    // missing (the database is not at head), which the view explains instead of showing a grid.
    void open(const MigrationDesk::ConnectionSettings &settings);
    void close();
    // Live employees whose name or username contains `text` (case-insensitive, LIKE wildcards taken
    // literally), by name, at most searchLimit. An empty text lists the first ones by name.
    void search(quint64 requestId, const QString &text);
    // The distinct non-empty departments of live employees, sorted.
    void listDepartments();

Q_SIGNALS:
    void opened(bool ok, const QString &error, bool tablesExist);
    void found(quint64 requestId, const QList<MigrationDesk::EmployeeEntry> &employees, const QString &error);
    void departmentsListed(const QStringList &departments, const QString &error);

private:
    std::unique_ptr<PgConnection> m_connection;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::EmployeeEntry)
