#pragma once

#include <QByteArray>
#include <QDate>

#include <memory>
#include <vector>

namespace MigrationDesk {

// Writes realistic employee and schedule rows as COPY text, all from one seeded random source: the
// same seed, day and order of calls give the same rows with any compiler. A plain object on the
// generator's thread.
class DemoRows
{
public:
    // Schedules spread over about a year either side of today.
    DemoRows(quint64 seed, const QDate &today);
    ~DemoRows();
    DemoRows(const DemoRows &) = delete;
    DemoRows &operator=(const DemoRows &) = delete;

    // Starts count rows of employee_id, email, username, password, name, role, is_active,
    // is_deleted, deleted_at, created_at, department, with ids from firstId; exactly
    // round(count * deletedRatio) of them soft-deleted.
    void startEmployees(qint64 firstId, qint64 count, double deletedRatio);
    // Starts count rows of schedule_id, employee_id, schedule_type, title, description,
    // schedule_date, start_time, end_time, location, client_name, client_contact, purpose, status,
    // priority, result, follow_up, reminder, reminder_time, created_at, updated_at, is_deleted,
    // deleted_at, owned by the given employees.
    void startSchedules(std::vector<qint64> employeeIds, qint64 firstId, qint64 count, double deletedRatio);

    // Rows still to write of the kind last started.
    qint64 left() const;
    // Appends one row of that kind, ending in a newline; only while left() > 0.
    void writeRow(QByteArray &out);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace MigrationDesk
