-- revision: 37b4ba2718bb
-- down_revision: dd46251f4bbc
-- message: Index the schedule grid's order: date, then start time
-- created: 2026-12-06 23:30:00
-- transactional: false

-- +upgrade
-- The grid orders every schedule by date, then start time, then id (the keyset). Without an index in
-- that order, a day of thousands of schedules has to be sorted before the first page can show, so
-- the grid fell back to date-then-id order unless one employee was filtered. Ascending this index
-- puts a NULL start time last, as the grid's ORDER BY does; scanned backwards it serves the
-- descending order and the jump to the end. CONCURRENTLY keeps schedules writable while it builds
-- (hence "transactional: false"); an interrupted build leaves an INVALID index, dropped first.
DROP INDEX CONCURRENTLY IF EXISTS ix_schedules_live_date_start_id;
CREATE INDEX CONCURRENTLY ix_schedules_live_date_start_id
    ON schedules (schedule_date, start_time, schedule_id) WHERE NOT is_deleted;

-- +downgrade
DROP INDEX CONCURRENTLY IF EXISTS ix_schedules_live_date_start_id;
