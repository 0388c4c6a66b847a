"""the certificate's balance and free places as the certificates service announces them

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("certificates", sa.Column("available_kop", sa.BigInteger(), nullable=True))
    op.add_column("certificates", sa.Column("free_left", postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.add_column("certificates", sa.Column("balance_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("certificates", "balance_at")
    op.drop_column("certificates", "free_left")
    op.drop_column("certificates", "available_kop")
