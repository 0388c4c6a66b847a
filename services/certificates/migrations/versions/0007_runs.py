"""long runs (period open and close, closing adults' certificates) and their progress

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("period_year", sa.Integer(), nullable=True),
        sa.Column("municipality", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("after_id", sa.UUID(), nullable=True),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("moved_count", sa.Integer(), nullable=False),
        sa.Column("moved_kop", sa.BigInteger(), nullable=False),
        sa.Column("stopped_at_budget", sa.Boolean(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("kind IN ('period_open','period_close','close_adults')", name="runs_kind_known"),
        sa.CheckConstraint("status IN ('queued','running','done','failed')", name="runs_status_known"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("runs_one_unfinished", "runs",
                    ["kind", sa.text("coalesce(period_year, 0)"), sa.text("coalesce(municipality, '')")],
                    unique=True, postgresql_where=sa.text("status IN ('queued','running')"))


def downgrade() -> None:
    op.drop_index("runs_one_unfinished", table_name="runs", postgresql_where=sa.text("status IN ('queued','running')"))
    op.drop_table("runs")
