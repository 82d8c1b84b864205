-- revision: dd46251f4bbc
-- down_revision: a6341ce60c38
-- message: Indexes for the schedule grid and the trash inspector
-- created: 2025-02-10 16:00:00
-- transactional: false

-- +upgrade
-- CREATE INDEX CONCURRENTLY keeps the tables writable while the indexes build, and cannot run
-- inside a transaction, hence "transactional: false". Each statement commits on its own. An
-- interrupted build leaves an INVALID index behind, so each one is dropped before it is built:
-- running the upgrade again after a failure then finishes the job.

-- The grid: the live schedules of one employee, by date.
DROP INDEX CONCURRENTLY IF EXISTS ix_schedules_live_employee_date;
CREATE INDEX CONCURRENTLY ix_schedules_live_employee_date
    ON schedules (employee_id, schedule_date) WHERE NOT is_deleted;

-- The grid: all live schedules by date, with schedule_id as a stable tie-breaker for paging.
DROP INDEX CONCURRENTLY IF EXISTS ix_schedules_live_date_id;
CREATE INDEX CONCURRENTLY ix_schedules_live_date_id
    ON schedules (schedule_date, schedule_id) WHERE NOT is_deleted;

-- The trash inspector: soft-deleted rows, most recently deleted first.
DROP INDEX CONCURRENTLY IF EXISTS ix_schedules_trash_deleted_at;
CREATE INDEX CONCURRENTLY ix_schedules_trash_deleted_at
    ON schedules (deleted_at) WHERE is_deleted;

DROP INDEX CONCURRENTLY IF EXISTS ix_employees_trash_deleted_at;
CREATE INDEX CONCURRENTLY ix_employees_trash_deleted_at
    ON employees (deleted_at) WHERE is_deleted;

-- +downgrade
DROP INDEX CONCURRENTLY IF EXISTS ix_employees_trash_deleted_at;
DROP INDEX CONCURRENTLY IF EXISTS ix_schedules_trash_deleted_at;
DROP INDEX CONCURRENTLY IF EXISTS ix_schedules_live_date_id;
DROP INDEX CONCURRENTLY IF EXISTS ix_schedules_live_employee_date;
