"""providers' access to certificates of children who applied to them

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provider_access",
        sa.Column("provider_id", sa.UUID(), nullable=False),
        sa.Column("certificate_id", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("provider_id", "certificate_id"),
    )


def downgrade() -> None:
    op.drop_table("provider_access")
