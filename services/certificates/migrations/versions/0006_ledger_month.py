"""the billing month of debits and final releases, for the reconciliation report

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ledger_entries", sa.Column("month", sa.Text(), nullable=True))
    op.create_index("ledger_entries_by_month", "ledger_entries", ["month"], unique=False,
                    postgresql_where=sa.text("month IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ledger_entries_by_month", table_name="ledger_entries", postgresql_where=sa.text("month IS NOT NULL"))
    op.drop_column("ledger_entries", "month")
