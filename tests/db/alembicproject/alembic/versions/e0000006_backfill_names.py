"""backfill display names

Revision ID: e0000006
Revises: e0000005
Create Date: 2025-02-04 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "e0000006"
down_revision = "e0000005"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("employees", sa.Column("display_name", sa.String(), nullable=True))
    conn = op.get_bind()
    for employee_id, name in conn.execute(sa.text("SELECT employee_id, name FROM employees")).fetchall():
        conn.execute(sa.text("UPDATE employees SET display_name = :n WHERE employee_id = :i"),
                     {"n": name.title(), "i": employee_id})


def downgrade():
    op.drop_column("employees", "display_name")
