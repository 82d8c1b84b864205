"""merge the audit branch

Revision ID: e0000005
Revises: e0000004, a0000002
Create Date: 2025-02-03 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "e0000005"
down_revision = ("e0000004", "a0000002")
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("audit_log", sa.Column("schedule_id", sa.Integer(), nullable=True))
    op.create_foreign_key("fk_audit_schedule", "audit_log", "schedules", ["schedule_id"], ["schedule_id"])


def downgrade():
    op.drop_constraint("fk_audit_schedule", "audit_log", type_="foreignkey")
    op.drop_column("audit_log", "schedule_id")
