-- revision: ce3d30390578
-- down_revision: 317093d76fd2
-- message: Add department to employees
-- created: 2025-01-20 10:00:00

-- +upgrade
ALTER TABLE employees ADD COLUMN department VARCHAR;

-- +downgrade
ALTER TABLE employees DROP COLUMN department;
