"""disputes of debits, reversals and invoice corrections (issue 18)

A family disputes one debit (at most one dispute per charge); every step is kept in the
dispute's history; what a dispute gives back is a reversal, confirmed by certificates' ledger
and carried as a correction by the provider's next invoice to the payer, so an invoice's
settlement becomes charges − advance + carried in − corrections. Existing invoices have no
corrections (0): their settlements stay what they were.

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('invoices', sa.Column('corrections_kop', sa.BigInteger(), server_default='0', nullable=False))
    op.drop_constraint('invoices_settlement_adds_up', 'invoices', type_='check')
    op.create_check_constraint('invoices_settlement_adds_up', 'invoices',
                               'settlement_kop = charges_kop - advance_kop + carried_in_kop - corrections_kop')
    op.create_check_constraint('invoices_corrections_not_negative', 'invoices', 'corrections_kop >= 0')

    op.create_table(
        'disputes',
        sa.Column('id', postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column('charge_id', postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column('contract_id', postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column('owner', sa.Text(), nullable=False),
        sa.Column('provider_id', postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column('payer', sa.Text(), nullable=False),
        sa.Column('month', sa.Text(), nullable=False),
        sa.Column('debited_kop', sa.BigInteger(), nullable=False),
        sa.Column('reversed_kop', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('status', sa.Text(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('opened_by', sa.Text(), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('answer_due', sa.Date(), nullable=False),
        sa.Column('provider_answer', sa.Text(), nullable=True),
        sa.Column('provider_comment', sa.Text(), nullable=True),
        sa.Column('answered_by', sa.Text(), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_comment', sa.Text(), nullable=True),
        sa.Column('decided_by', sa.Text(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('awaiting_provider','awaiting_operator','resolved','withdrawn')",
                           name='disputes_status_known'),
        sa.CheckConstraint("provider_answer IS NULL OR provider_answer IN ('agree_full','agree_part','disagree')",
                           name='disputes_answer_known'),
        sa.CheckConstraint('reversed_kop >= 0 AND reversed_kop <= debited_kop', name='disputes_reversal_within_debit'),
        sa.ForeignKeyConstraint(['charge_id'], ['charges.id']),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('charge_id'),
    )
    op.create_index(op.f('ix_disputes_contract_id'), 'disputes', ['contract_id'], unique=False)
    op.create_index(op.f('ix_disputes_owner'), 'disputes', ['owner'], unique=False)
    op.create_index(op.f('ix_disputes_provider_id'), 'disputes', ['provider_id'], unique=False)
    op.create_index(op.f('ix_disputes_payer'), 'disputes', ['payer'], unique=False)
    op.create_index('disputes_open_by_payer', 'disputes', ['payer', 'status'], unique=False,
                    postgresql_where=sa.text("status IN ('awaiting_provider','awaiting_operator')"))

    op.create_table(
        'dispute_history',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column('dispute_id', postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column('step', sa.Text(), nullable=False),
        sa.Column('actor', sa.Text(), nullable=False),
        sa.Column('role', sa.Text(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('amount_kop', sa.BigInteger(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['dispute_id'], ['disputes.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_dispute_history_dispute_id'), 'dispute_history', ['dispute_id'], unique=False)

    op.create_table(
        'reversals',
        sa.Column('id', postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column('dispute_id', postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column('stage', sa.Text(), nullable=False),
        sa.Column('charge_id', postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column('contract_id', postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column('certificate_id', postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column('provider_id', postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column('payer', sa.Text(), nullable=False),
        sa.Column('month', sa.Text(), nullable=False),
        sa.Column('amount_kop', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('invoice_id', postgresql.UUID(as_uuid=True), nullable=True),
        sa.CheckConstraint("stage IN ('provider','operator')", name='reversals_stage_known'),
        sa.CheckConstraint('amount_kop > 0', name='reversals_amount_positive'),
        sa.ForeignKeyConstraint(['dispute_id'], ['disputes.id']),
        sa.ForeignKeyConstraint(['charge_id'], ['charges.id']),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id']),
        sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('dispute_id', 'stage', name='reversals_once_per_stage'),
    )
    op.create_index(op.f('ix_reversals_charge_id'), 'reversals', ['charge_id'], unique=False)
    op.create_index('reversals_to_invoice', 'reversals', ['payer', 'provider_id'], unique=False,
                    postgresql_where=sa.text('confirmed_at IS NOT NULL AND invoice_id IS NULL'))


def downgrade() -> None:
    op.drop_table('reversals')
    op.drop_table('dispute_history')
    op.drop_table('disputes')
    op.drop_constraint('invoices_corrections_not_negative', 'invoices', type_='check')
    op.drop_constraint('invoices_settlement_adds_up', 'invoices', type_='check')
    op.create_check_constraint('invoices_settlement_adds_up', 'invoices',
                               'settlement_kop = charges_kop - advance_kop + carried_in_kop')
    op.drop_column('invoices', 'corrections_kop')
