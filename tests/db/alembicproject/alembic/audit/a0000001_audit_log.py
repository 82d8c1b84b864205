"""audit log

Revision ID: a0000001
Revises:
Create Date: 2025-02-01 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "a0000001"
down_revision = None
branch_labels = ("audit",)
depends_on = "e0000001"


def upgrade():
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employees.employee_id"), nullable=True),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), server_default=sa.text("now()"), nullable=False),
    )


def downgrade():
    op.drop_table("audit_log")
