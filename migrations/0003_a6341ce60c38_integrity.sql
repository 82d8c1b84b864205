-- revision: a6341ce60c38
-- down_revision: ce3d30390578
-- message: Server-side defaults, NOT NULL flags, value checks and the updated_at trigger
-- created: 2025-02-03 14:30:00

-- +upgrade
-- The ORM fills these in Python, so rows written by psql, reports or other services could be
-- left NULL. The server now applies the same defaults. The columns are TIMESTAMP WITHOUT TIME
-- ZONE holding datetime.utcnow() values, so the server default is UTC wall-clock time too.

-- Data first: rows written without the ORM get the values the ORM would have written.
UPDATE employees SET is_active = true WHERE is_active IS NULL;
UPDATE employees SET is_deleted = false WHERE is_deleted IS NULL;
UPDATE schedules SET status = 'scheduled' WHERE status IS NULL;
UPDATE schedules SET priority = 'medium' WHERE priority IS NULL;
UPDATE schedules SET reminder = false WHERE reminder IS NULL;
UPDATE schedules SET is_deleted = false WHERE is_deleted IS NULL;

ALTER TABLE employees
    ALTER COLUMN is_active SET DEFAULT true,
    ALTER COLUMN is_deleted SET DEFAULT false,
    ALTER COLUMN created_at SET DEFAULT timezone('utc', now()),
    ALTER COLUMN is_active SET NOT NULL,
    ALTER COLUMN is_deleted SET NOT NULL;

ALTER TABLE schedules
    ALTER COLUMN status SET DEFAULT 'scheduled',
    ALTER COLUMN priority SET DEFAULT 'medium',
    ALTER COLUMN reminder SET DEFAULT false,
    ALTER COLUMN is_deleted SET DEFAULT false,
    ALTER COLUMN created_at SET DEFAULT timezone('utc', now()),
    ALTER COLUMN updated_at SET DEFAULT timezone('utc', now()),
    ALTER COLUMN status SET NOT NULL,
    ALTER COLUMN priority SET NOT NULL,
    ALTER COLUMN reminder SET NOT NULL,
    ALTER COLUMN is_deleted SET NOT NULL;

-- The value lists documented for the models; a typo now fails at INSERT instead of hiding a row
-- from every filter.
ALTER TABLE employees ADD CONSTRAINT ck_employees_role
    CHECK (role IN ('admin', 'user'));
ALTER TABLE schedules ADD CONSTRAINT ck_schedules_schedule_type
    CHECK (schedule_type IN ('visit', 'meeting', 'training', 'report', 'other'));
ALTER TABLE schedules ADD CONSTRAINT ck_schedules_status
    CHECK (status IN ('scheduled', 'in_progress', 'completed', 'cancelled'));
ALTER TABLE schedules ADD CONSTRAINT ck_schedules_priority
    CHECK (priority IN ('high', 'medium', 'low'));

-- onupdate=datetime.utcnow only runs inside the ORM; the trigger covers every other writer.
CREATE FUNCTION schedules_set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := timezone('utc', now());
    RETURN NEW;
END;
$$;

CREATE TRIGGER trg_schedules_set_updated_at
    BEFORE UPDATE ON schedules
    FOR EACH ROW
    EXECUTE FUNCTION schedules_set_updated_at();

-- +downgrade
-- The backfilled values stay: they are valid data under both schemas.
DROP TRIGGER trg_schedules_set_updated_at ON schedules;
DROP FUNCTION schedules_set_updated_at();

ALTER TABLE schedules DROP CONSTRAINT ck_schedules_priority;
ALTER TABLE schedules DROP CONSTRAINT ck_schedules_status;
ALTER TABLE schedules DROP CONSTRAINT ck_schedules_schedule_type;
ALTER TABLE employees DROP CONSTRAINT ck_employees_role;

ALTER TABLE schedules
    ALTER COLUMN is_deleted DROP NOT NULL,
    ALTER COLUMN reminder DROP NOT NULL,
    ALTER COLUMN priority DROP NOT NULL,
    ALTER COLUMN status DROP NOT NULL,
    ALTER COLUMN updated_at DROP DEFAULT,
    ALTER COLUMN created_at DROP DEFAULT,
    ALTER COLUMN is_deleted DROP DEFAULT,
    ALTER COLUMN reminder DROP DEFAULT,
    ALTER COLUMN priority DROP DEFAULT,
    ALTER COLUMN status DROP DEFAULT;

ALTER TABLE employees
    ALTER COLUMN is_deleted DROP NOT NULL,
    ALTER COLUMN is_active DROP NOT NULL,
    ALTER COLUMN created_at DROP DEFAULT,
    ALTER COLUMN is_deleted DROP DEFAULT,
    ALTER COLUMN is_active DROP DEFAULT;
