"""seed roles

Revision ID: e0000003
Revises: e0000002
Create Date: 2025-01-17 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "e0000003"
down_revision = "e0000002"
branch_labels = None
depends_on = None


def upgrade():
    roles = op.create_table(
        "roles",
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.bulk_insert(roles, [
        {"code": "admin", "label": "관리자", "note": "it's the \"boss\"; 모든 권한"},
        {"code": "user", "label": "사용자", "note": None},
        {"code": "guest", "label": "손님 O'Neil", "note": "back\\slash $$ dollar"},
    ])


def downgrade():
    op.drop_table("roles")
