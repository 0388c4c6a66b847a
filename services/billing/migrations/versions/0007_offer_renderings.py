"""offer renderings: an unsigned offer's PDF kept per content, and the queue of offers to pre-render

The offer PDF took ~45 ms of CPU and was rendered on every read and every signature attempt.
`offer_renderings` keeps each offered contract's last rendering under the fingerprint of its
inputs (rendered again only when they change); `offer_renders_due` is the queue of the job that
renders an offer shortly after the contract is offered. The contracts offered now are queued.

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'offer_renderings',
        sa.Column('contract_id', sa.UUID(), nullable=False),
        sa.Column('fingerprint', sa.Text(), nullable=False),
        sa.Column('template', sa.Text(), nullable=False),
        sa.Column('sha256', sa.Text(), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$' AND fingerprint ~ '^[0-9a-f]{64}$'",
                           name='offer_renderings_hashes'),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id']),
        sa.PrimaryKeyConstraint('contract_id'),
    )
    op.create_table(
        'offer_renders_due',
        sa.Column('contract_id', sa.UUID(), nullable=False),
        sa.Column('seq', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id']),
        sa.PrimaryKeyConstraint('contract_id'),
    )
    op.create_index('offer_renders_due_by_seq', 'offer_renders_due', ['seq'])
    op.execute("INSERT INTO offer_renders_due (contract_id) SELECT id FROM contracts WHERE status = 'offered' "
               "ORDER BY created_at")


def downgrade() -> None:
    op.drop_index('offer_renders_due_by_seq', table_name='offer_renders_due')
    op.drop_table('offer_renders_due')
    op.drop_table('offer_renderings')
