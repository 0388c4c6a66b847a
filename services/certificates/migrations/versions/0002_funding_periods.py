"""funding periods

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "funding_periods",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("nominals", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("funded_quota", sa.Integer(), nullable=False),
        sa.Column("free_limits", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("budget_cap_kop", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.CheckConstraint("status IN ('draft','open','closed')", name="funding_periods_status_known"),
        sa.CheckConstraint("starts_on <= ends_on", name="funding_periods_dates_ordered"),
        sa.PrimaryKeyConstraint("year"),
    )


def downgrade() -> None:
    op.drop_table("funding_periods")
