"""audit trigger on employees

Revision ID: a0000002
Revises: a0000001
Create Date: 2025-02-02 12:00:00.000000

"""
from alembic import op

revision = "a0000002"
down_revision = "a0000001"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""
CREATE FUNCTION audit_employee() RETURNS trigger AS $body$
BEGIN
    -- a semicolon; inside the body
    INSERT INTO audit_log (employee_id, action) VALUES (NEW.employee_id, TG_OP || ';');
    RETURN NEW;
END;
$body$ LANGUAGE plpgsql;
""")
    op.execute("CREATE TRIGGER employees_audit AFTER INSERT OR UPDATE ON employees "
               "FOR EACH ROW EXECUTE FUNCTION audit_employee()")


def downgrade():
    op.execute("DROP TRIGGER employees_audit ON employees")
    op.execute("DROP FUNCTION audit_employee();")
