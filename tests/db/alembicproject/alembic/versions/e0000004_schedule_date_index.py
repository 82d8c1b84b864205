"""index schedules by date, concurrently

Revision ID: e0000004
Revises: e0000003
Create Date: 2025-01-18 08:00:00.000000

"""
from alembic import op

revision = "e0000004"
down_revision = "e0000003"
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.create_index("ix_schedules_date", "schedules", ["schedule_date"], postgresql_concurrently=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index("ix_schedules_date", table_name="schedules", postgresql_concurrently=True)
