"""why and when a certificate was closed

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("certificates", sa.Column("closed_reason", sa.Text(), nullable=True))
    op.add_column("certificates", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("certificates", "closed_at")
    op.drop_column("certificates", "closed_reason")
