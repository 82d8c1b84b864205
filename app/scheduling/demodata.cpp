#include "scheduling/demodata.h"

#include "db/bulkload.h"
#include "db/copystream.h"
#include "db/pgconnection.h"
#include "migrations/bookkeeping.h"
#include "migrations/scriptset.h"
#include "scheduling/demorows.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// Gives lupdate the same context ("DemoData") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(DemoData)
};

// Ends the transaction on every early return.
struct Rollback
{
    PgConnection &connection;
    bool armed = true;
    ~Rollback()
    {
        if (armed && connection.inTransaction())
            connection.exec(u"ROLLBACK"_s);
    }
};

bool queryFailed(const std::optional<QList<QStringList>> &rows, const SqlError &sqlError, const char *what,
                 QString *error)
{
    if (rows)
        return false;
    if (error)
        *error = Text::tr(what).arg(sqlError.toString());
    return true;
}

} // namespace

bool DemoDataGenerator::generate(PgConnection &connection, const DemoDataOptions &options,
                                 const std::function<void(qint64, qint64)> &progress,
                                 const std::atomic_bool *cancel, QString *error, DemoDataResult *result)
{
    QElapsedTimer clock;
    clock.start();
    auto failWith = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (options.employees < 0 || options.schedules < 0)
        return failWith(Text::tr("The numbers of employees and schedules cannot be negative."));
    if (options.employees > DemoDataOptions::maxEmployees || options.schedules > DemoDataOptions::maxSchedules)
        return failWith(Text::tr("At most %L1 employees and %L2 schedules can be added in one run.")
                            .arg(DemoDataOptions::maxEmployees)
                            .arg(DemoDataOptions::maxSchedules));
    if (!(options.deletedRatio >= 0.0 && options.deletedRatio <= 1.0))
        return failWith(Text::tr("The deleted ratio must be between 0 and 1."));
    if (!connection.isOpen())
        return failWith(Text::tr("Not connected to a database."));
    if (connection.inTransaction())
        return failWith(Text::tr("The connection is already inside a transaction."));

    // The rows are shaped for the bundled schema, so the database must be exactly at its head.
    QString versionError;
    const auto versionTable = VersionTable::fromName(options.versionTable, &versionError);
    if (!versionTable)
        return failWith(versionError);
    const ScriptSet scripts = ScriptSet::load(ScriptSet::bundledLocation());
    const QStringList wanted = scripts.graph().heads();
    Bookkeeping books(&connection, *versionTable);
    SqlError sqlError;
    const auto heads = books.readHeads(&sqlError);
    if (!heads)
        return failWith(Text::tr("Could not read the version table: %1").arg(sqlError.toString()));
    if (*heads != wanted) {
        const QString at = heads->isEmpty() ? u"base"_s : heads->join(u", "_s);
        return failWith(Text::tr("The database is not at head (it is at %1; head is %2). Run 'upgrade head' first; "
                           "nothing was added.")
                            .arg(at, wanted.join(u", "_s)));
    }

    if (!connection.exec(u"BEGIN"_s, &sqlError))
        return failWith(sqlError.toString());
    Rollback rollback{connection};

    // A load at least as big as what a table holds is faster with its indexes and foreign keys built
    // afterwards in one pass each than maintained row by row; reltuples is close enough to decide that.
    QStringList bulkTables;
    if (options.bulkThreshold > 0) {
        const auto sizes = connection.query(u"SELECT c.relname, c.relkind = 'r', greatest(c.reltuples, 0)::bigint FROM pg_class c "
            "WHERE c.oid IN ('employees'::regclass, 'schedules'::regclass) ORDER BY c.relname"_s,
            {}, &sqlError);
        if (!sizes)
            return failWith(Text::tr("Could not read the sizes of the tables: %1").arg(sqlError.toString()));
        for (const QStringList &row : *sizes) {
            const qint64 adding = row.at(0) == QLatin1String("employees") ? options.employees : options.schedules;
            if (row.at(1) == QLatin1String("t") && adding >= options.bulkThreshold && adding >= row.at(2).toLongLong())
                bulkTables << row.at(0);
        }
    }
    // Other writers wait, so the ids read below stay free until COMMIT. A bulk load keeps readers out as
    // well: its DROP INDEX needs that lock anyway, and taking it first cannot deadlock with a reader.
    const QString lockMode = bulkTables.isEmpty() ? u"SHARE ROW EXCLUSIVE"_s : u"ACCESS EXCLUSIVE"_s;
    if (!connection.exec(u"SET LOCAL statement_timeout = 0; "
                                        "LOCK TABLE employees, schedules IN %1 MODE"_s.arg(lockMode),
                         &sqlError))
        return failWith(sqlError.toString());
    QStringList rebuild;
    if (!bulkTables.isEmpty()) {
        // Index builds sort in memory up to maintenance_work_mem; the server's default (64 MB) spills ten
        // million keys to disk. Any role may raise it for its own transaction.
        if (!connection.exec(u"SELECT set_config('maintenance_work_mem', '512MB', true) FROM pg_settings "
                                            "WHERE name = 'maintenance_work_mem' AND setting::bigint < 524288"_s,
                             &sqlError))
            return failWith(sqlError.toString());
        for (const QString &table : std::as_const(bulkTables)) {
            QString detachError;
            if (!BulkLoad::detachIndexesAndForeignKeys(connection, table, cancel, &rebuild, &detachError))
                return failWith(detachError);
        }
    }

    // Ids continue after both the largest id and the sequence, so explicit ids never collide with
    // rows the application inserted, and a fresh database always gets the same ids.
    const auto next = connection.query(u"SELECT greatest((SELECT coalesce(max(employee_id), 0) FROM employees),"
        "                coalesce(pg_sequence_last_value(pg_get_serial_sequence('employees', 'employee_id')::regclass), 0)) + 1,"
        "       greatest((SELECT coalesce(max(schedule_id), 0) FROM schedules),"
        "                coalesce(pg_sequence_last_value(pg_get_serial_sequence('schedules', 'schedule_id')::regclass), 0)) + 1"_s,
        {}, &sqlError);
    if (queryFailed(next, sqlError, "Could not read the next ids: %1", error))
        return false;
    const qint64 firstEmployee = next->at(0).at(0).toLongLong();
    const qint64 firstSchedule = next->at(0).at(1).toLongLong();
    if (firstEmployee - 1 + options.employees > DemoDataOptions::maxSerialId
        || firstSchedule - 1 + options.schedules > DemoDataOptions::maxSerialId)
        return failWith(Text::tr("The new ids would pass %L1, the largest id the employees and schedules tables hold.")
                            .arg(DemoDataOptions::maxSerialId));

    const qint64 total = options.employees + options.schedules;
    qint64 done = 0;
    const QDate today = options.today.isValid() ? options.today : QDateTime::currentDateTimeUtc().date();
    DemoRows rows(options.seed, today);
    QString copyError;

    // Fills COPY buffers of about CopyStream::kChunkBytes with the rows, reporting progress per chunk.
    const auto fill = [&](QByteArray &buffer) {
        const qint64 before = rows.left();
        while (rows.left() > 0 && buffer.size() < CopyStream::kChunkBytes)
            rows.writeRow(buffer);
        done += before - rows.left();
        if (progress)
            progress(done, total);
        return rows.left() > 0;
    };

    if (options.employees > 0) {
        rows.startEmployees(firstEmployee, options.employees, options.deletedRatio);
        const bool ok = CopyStream::copyFromStdin(
            connection,
            "COPY employees (employee_id, email, username, password, name, role, is_active, is_deleted, "
            "deleted_at, created_at, department) FROM STDIN",
            fill,
            cancel, &copyError);
        if (!ok)
            return failWith(Text::tr("Adding employees failed: %1").arg(copyError));
    }

    if (options.schedules > 0) {
        const auto idRows = connection.query(u"SELECT employee_id FROM employees ORDER BY employee_id"_s,
                                             {}, &sqlError);
        if (queryFailed(idRows, sqlError, "Could not read the employees: %1", error))
            return false;
        if (idRows->isEmpty())
            return failWith(Text::tr("Schedules need employees: there are none; add some with --employees."));
        std::vector<qint64> employeeIds;
        employeeIds.reserve(size_t(idRows->size()));
        for (const QStringList &row : *idRows)
            employeeIds.push_back(row.at(0).toLongLong());

        rows.startSchedules(std::move(employeeIds), firstSchedule, options.schedules, options.deletedRatio);
        const bool ok = CopyStream::copyFromStdin(
            connection,
            "COPY schedules (schedule_id, employee_id, schedule_type, title, description, schedule_date, "
            "start_time, end_time, location, client_name, client_contact, purpose, status, priority, result, "
            "follow_up, reminder, reminder_time, created_at, updated_at, is_deleted, deleted_at) FROM STDIN",
            fill,
            cancel, &copyError);
        if (!ok)
            return failWith(Text::tr("Adding schedules failed: %1").arg(copyError));
    }

    if (cancel && cancel->load())
        return failWith(Text::tr("Cancelled."));
    for (const QString &statement : std::as_const(rebuild)) {
        QString rebuildError;
        if (!BulkLoad::execCancellable(connection, statement, cancel, &rebuildError)) {
            if (cancel && cancel->load())
                return failWith(Text::tr("Cancelled."));
            return failWith(Text::tr("Rebuilding the indexes and foreign keys failed: %1").arg(rebuildError));
        }
    }
    // Later INSERTs that take their id from the sequence must start after the rows just added.
    const QString lastEmployee = QString::number(firstEmployee + options.employees - 1);
    const QString lastSchedule = QString::number(firstSchedule + options.schedules - 1);
    if (options.employees > 0) {
        const auto r = connection.query(
            u"SELECT setval(pg_get_serial_sequence('employees', 'employee_id'), $1::bigint)"_s,
            {lastEmployee}, &sqlError);
        if (queryFailed(r, sqlError, "Could not advance the employee id sequence: %1", error))
            return false;
    }
    if (options.schedules > 0) {
        const auto r = connection.query(
            u"SELECT setval(pg_get_serial_sequence('schedules', 'schedule_id'), $1::bigint)"_s,
            {lastSchedule}, &sqlError);
        if (queryFailed(r, sqlError, "Could not advance the schedule id sequence: %1", error))
            return false;
    }
    if (!connection.exec(u"COMMIT"_s, &sqlError))
        return failWith(Text::tr("Could not commit: %1").arg(sqlError.toString()));
    rollback.armed = false;

    // The grid's jump-to-position seek reads pg_stats histograms; fresh rows have none yet.
    if (!connection.exec(u"ANALYZE employees, schedules"_s, &sqlError))
        return failWith(Text::tr("The rows were added, but ANALYZE failed: %1").arg(sqlError.toString()));

    if (result) {
        result->employeesAdded = options.employees;
        result->schedulesAdded = options.schedules;
        result->firstEmployeeId = options.employees > 0 ? firstEmployee : 0;
        result->firstScheduleId = options.schedules > 0 ? firstSchedule : 0;
        result->seconds = double(clock.nsecsElapsed()) / 1e9;
        result->rebuilt = bulkTables;
    }
    return true;
}

} // namespace MigrationDesk
