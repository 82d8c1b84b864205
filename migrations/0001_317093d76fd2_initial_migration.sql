-- revision: 317093d76fd2
-- down_revision: none
-- message: Initial migration
-- created: 2025-01-15 09:00:00

-- +upgrade
-- The DDL that "alembic revision --autogenerate" plus the SQLAlchemy PostgreSQL dialect emit for
-- backend/app/models.py (Employee, Schedule). The ORM defaults are Python-side, so no DEFAULTs.
CREATE TABLE employees (
    employee_id SERIAL NOT NULL,
    email VARCHAR NOT NULL,
    username VARCHAR NOT NULL,
    password VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    is_active BOOLEAN,
    is_deleted BOOLEAN,
    deleted_at TIMESTAMP WITHOUT TIME ZONE,
    created_at TIMESTAMP WITHOUT TIME ZONE,
    PRIMARY KEY (employee_id)
);

CREATE UNIQUE INDEX ix_employees_email ON employees (email);
CREATE INDEX ix_employees_employee_id ON employees (employee_id);
CREATE UNIQUE INDEX ix_employees_username ON employees (username);

CREATE TABLE schedules (
    schedule_id SERIAL NOT NULL,
    employee_id INTEGER NOT NULL,
    schedule_type VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    description TEXT,
    schedule_date DATE NOT NULL,
    start_time TIME WITHOUT TIME ZONE,
    end_time TIME WITHOUT TIME ZONE,
    location VARCHAR,
    client_name VARCHAR,
    client_contact VARCHAR,
    purpose TEXT,
    status VARCHAR,
    priority VARCHAR,
    result TEXT,
    follow_up TEXT,
    reminder BOOLEAN,
    reminder_time TIMESTAMP WITHOUT TIME ZONE,
    created_at TIMESTAMP WITHOUT TIME ZONE,
    updated_at TIMESTAMP WITHOUT TIME ZONE,
    is_deleted BOOLEAN,
    deleted_at TIMESTAMP WITHOUT TIME ZONE,
    PRIMARY KEY (schedule_id),
    FOREIGN KEY(employee_id) REFERENCES employees (employee_id)
);

CREATE INDEX ix_schedules_schedule_id ON schedules (schedule_id);

-- +downgrade
DROP INDEX ix_schedules_schedule_id;
DROP TABLE schedules;
DROP INDEX ix_employees_username;
DROP INDEX ix_employees_employee_id;
DROP INDEX ix_employees_email;
DROP TABLE employees;
