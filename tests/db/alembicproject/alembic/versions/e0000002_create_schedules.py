"""create schedules with enum types

Revision ID: e0000002
Revises: e0000001
Create Date: 2025-01-16 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from teamlib.enums import SCHEDULE_STATUSES, SCHEDULE_TYPES

revision = "e0000002"
down_revision = "e0000001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "schedules",
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("schedule_type", sa.Enum(*SCHEDULE_TYPES, name="schedule_type"), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("schedule_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("status", sa.Enum(*SCHEDULE_STATUSES, name="schedule_status"),
                  server_default="scheduled", nullable=True),
        sa.Column("priority", sa.String(), server_default="medium", nullable=True),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.employee_id"]),
        sa.PrimaryKeyConstraint("schedule_id"),
    )


def downgrade():
    op.drop_table("schedules")
    op.execute("DROP TYPE schedule_status")
    op.execute("DROP TYPE schedule_type;")
